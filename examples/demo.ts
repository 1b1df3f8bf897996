// `npm run demo`: a chain streams an answer to the terminal with a live status line, then an agent
// calls a tool with its arguments filling in live. With OPENAI_API_KEY (and optionally
// OPENAI_BASE_URL / OPENAI_MODEL) it talks to that model; without a key it starts an embedded
// loopback server that streams the project's own transcripts through the real `openai` client.
// Ctrl-C cancels the request in flight and exits cleanly.
import { Subject, type Subscription } from 'rxjs';
import { z } from 'zod';
import {
  ChatPromptTemplate, agent, partialToolCalls, tool, withProgress,
  type AIMessageChunk, type StreamEvent,
} from '../src/index.js';
import { ChatOpenAI } from '../src/openai/index.js';
import { localOpenAIServer, type LocalOpenAIServer } from '../src/testing/node/localOpenAIServer.js';
import { TerminalProgressBar } from './support/progressBar.js';
import { WordWrapper } from './support/wordWrapper.js';

const question = process.argv.slice(2).join(' ') || 'What is AI?';
const dim = (text: string) => (process.stdout.isTTY ? `\x1b[2m${text}\x1b[0m` : text);
const bold = (text: string) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text);

async function main(): Promise<void> {
  let server: LocalOpenAIServer | undefined;
  let model: ChatOpenAI;
  if (process.env.OPENAI_API_KEY) {
    const name = process.env.OPENAI_MODEL ?? 'gpt-4o-mini';
    model = new ChatOpenAI({ model: name });
    console.log(dim(`Model: ${name} at ${process.env.OPENAI_BASE_URL ?? 'api.openai.com'}`));
  } else {
    server = await localOpenAIServer();
    model = new ChatOpenAI({ model: 'rxllm-demo', apiKey: 'offline-demo', baseURL: server.baseURL });
    console.log(dim(`No OPENAI_API_KEY: answers come from an embedded server on ${server.baseURL},`));
    console.log(dim('streaming rxllm\'s own transcripts through the real openai client. Set OPENAI_API_KEY to use a real model.'));
  }

  const running = new Set<Subscription>();
  process.once('SIGINT', () => {
    // Unsubscribing aborts the HTTP request at once; nothing is left running.
    running.forEach((subscription) => subscription.unsubscribe());
    console.log(dim('\n\nCancelled.'));
    void server?.close();
  });

  try {
    await streamChain(model, question, running);
    await streamAgent(model, 'What is the weather in Paris?', running);
  } finally {
    await server?.close();
  }
}

/**
 * Part 1: prompt → model, with the token count (the server's usage once it arrives), tokens/s and
 * elapsed time under the text, which streams token by token.
 */
function streamChain(model: ChatOpenAI, input: string, running: Set<Subscription>): Promise<void> {
  console.log(`\n${bold('1. A chain')} ${dim('prompt → ChatOpenAI → withProgress')}\n${bold('> ' + input)}\n`);
  const expectedTokens = 200;
  const chain = ChatPromptTemplate.fromMessages([
    ['system', 'You are a concise assistant. Answer in a few short paragraphs.'],
    ['human', '{input}'],
  ]).pipe(model).pipe(withProgress<AIMessageChunk>({ expectedTokens }));
  const bar = new TerminalProgressBar({ expectedTokens });
  return new Promise((resolve, reject) => {
    const subscription = chain.stream({ input })
      .pipe(bar.track())
      .subscribe({ next: (chunk) => bar.print(chunk.content), error: reject, complete: resolve });
    running.add(subscription);
  });
}

/** Part 2: an agent calls a tool; the arguments fill in as they stream, then the tool runs. */
function streamAgent(model: ChatOpenAI, input: string, running: Set<Subscription>): Promise<void> {
  console.log(`\n${bold('2. An agent with a tool')} ${dim('arguments fill in live, then the tool runs')}\n${bold('> ' + input)}\n`);
  const weather = tool(async ({ city, unit }) => ({ city, temperature: unit === 'fahrenheit' ? 64 : 18, unit: unit ?? 'celsius', sky: 'light rain' }), {
    name: 'get_weather',
    description: 'Current weather for a city (demo data)',
    schema: z.object({ city: z.string(), unit: z.enum(['celsius', 'fahrenheit']).optional() }),
  });
  const assistant = agent({ model, tools: [weather], maxSteps: 4 });
  const answer = new WordWrapper();
  let toolCalls: Subject<AIMessageChunk> | undefined;
  let shownArgs = '';
  const show = (event: StreamEvent) => {
    switch (event.event) {
      case 'on_chat_model_start':
        toolCalls = new Subject<AIMessageChunk>();
        toolCalls.pipe(partialToolCalls()).subscribe((calls) => {
          const line = calls.map((c) => `${c.name}(${JSON.stringify(c.args)})`).join(', ');
          // On a terminal the line is redrawn as the arguments grow; in a pipe only the last one is printed.
          if (line !== shownArgs && process.stdout.isTTY) process.stdout.write(`\r${dim('calling')} ${line}`);
          shownArgs = line;
        });
        break;
      case 'on_chat_model_stream': {
        const chunk = event.data.chunk as AIMessageChunk;
        if (chunk.toolCallChunks.length) toolCalls?.next(chunk);
        else if (chunk.content) answer.print(chunk.content);
        break;
      }
      case 'on_chat_model_end':
        toolCalls?.complete();
        if (shownArgs) process.stdout.write(process.stdout.isTTY ? '\n' : `calling ${shownArgs}\n`);
        shownArgs = '';
        break;
      case 'on_tool_start':
        console.log(`${dim('⚙ running')} ${event.name} ${dim(JSON.stringify(event.data.input))}`);
        break;
      case 'on_tool_end':
        console.log(`${dim('✓ result ')} ${JSON.stringify(event.data.output)}\n`);
        break;
    }
  };
  return new Promise((resolve, reject) => {
    const subscription = assistant.streamEvents(input, undefined, { includeTypes: ['chat_model', 'tool'] })
      .subscribe({ next: show, error: reject, complete: () => {
        answer.end();
        process.stdout.write('\n');
        resolve();
      } });
    running.add(subscription);
  });
}

main().catch((error: unknown) => {
  console.error(`\n${(error as Error).name}: ${(error as Error).message}`);
  process.exitCode = 1;
});
