// `npm run demo:document`: a model writes a long report; each block is printed once, when it is
// final (markdownBlocks), under a status line with the section being written, sections done and
// tokens (documentStatus, progress), all from one request. Ctrl-C cancels it: the request is
// aborted at once and the blocks printed so far stay as they are. With OPENAI_API_KEY (and
// optionally OPENAI_BASE_URL / OPENAI_MODEL) it asks that model; without a key an embedded
// loopback server streams the report below through the real `openai` client.
import { map, merge, share } from 'rxjs';
import { documentStatus, markdownBlocks, progress, type MarkdownBlock } from '../src/index.js';
import { ChatOpenAI } from '../src/openai/index.js';
import { localOpenAIServer, type LocalOpenAIServer } from '../src/testing/node/index.js';
import { documentReport, REPORT_SECTIONS } from './documentReport.js';
import { DocumentStatusLine } from './documentStatusLine.js';

const styled = Boolean(process.stdout.isTTY);
const dim = (text: string) => (styled ? `\x1b[2m${text}\x1b[0m` : text);
const bold = (text: string) => (styled ? `\x1b[1m${text}\x1b[0m` : text);

const prompt = `Write a report on rendering long streamed answers, in ${REPORT_SECTIONS} numbered "##" sections, `
  + 'with a list, a table, a code sample and a quote.';

/** A settled block as terminal text: headings bold, code dim, the rest as written. */
function forTerminal(block: MarkdownBlock): string {
  const text = block.source.replace(/^(?:[ \t]*\r?\n)+/, '').replace(/\s+$/, '');
  if (block.kind === 'blank' || text === '') return '';
  const shown = block.kind === 'heading' ? bold(text) : block.kind === 'codeFence' || block.kind === 'indentedCode' ? dim(text) : text;
  return `${shown}\n\n`;
}

async function main(): Promise<void> {
  let server: LocalOpenAIServer | undefined;
  let model: ChatOpenAI;
  if (process.env.OPENAI_API_KEY) {
    const name = process.env.OPENAI_MODEL ?? 'gpt-4o-mini';
    model = new ChatOpenAI({ model: name });
    console.log(dim(`Model: ${name} at ${process.env.OPENAI_BASE_URL ?? 'api.openai.com'}\n`));
  } else {
    server = await localOpenAIServer({ transcripts: [documentReport], tokenDelayMs: [4, 12] });
    model = new ChatOpenAI({ model: 'rxllm-demo', apiKey: 'offline-demo', baseURL: server.baseURL });
    console.log(dim(`No OPENAI_API_KEY: the report comes from an embedded server on ${server.baseURL} through the real openai client.`));
    console.log(dim('Press Ctrl-C to cancel it half-way.\n'));
  }

  const line = new DocumentStatusLine({ expectedSections: REPORT_SECTIONS });
  // One request, shared by the three views of it.
  const answer$ = model.stream(prompt).pipe(share());
  let settledBlocks = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const subscription = merge(
        answer$.pipe(markdownBlocks(), map((update) => ({ update }))),
        answer$.pipe(documentStatus({ expectedSections: REPORT_SECTIONS }), map((status) => ({ status }))),
        answer$.pipe(progress(), map((tokens) => ({ tokens }))),
      ).subscribe({
        next: (event) => {
          if ('update' in event) {
            for (const block of event.update.settled) line.print(forTerminal(block));
            settledBlocks += event.update.settled.length;
            line.update({ writing: event.update.tail?.kind });
          } else if ('status' in event) line.update({ status: event.status });
          else line.update({ progress: event.tokens });
        },
        error: (error: unknown) => {
          line.stop('cancelled');
          reject(error);
        },
        complete: () => {
          line.stop('completed');
          resolve();
        },
      });
      process.once('SIGINT', () => {
        // Unsubscribing aborts the HTTP request at once; what was printed is final and stays.
        subscription.unsubscribe();
        line.stop('cancelled');
        console.log(dim(`\nCancelled: the request is aborted; the ${settledBlocks} blocks above are final.`));
        resolve();
      });
    });
  } finally {
    await server?.close();
  }
}

main().catch((error: unknown) => {
  console.error(`\n${(error as Error).name}: ${(error as Error).message}`);
  process.exitCode = 1;
});
