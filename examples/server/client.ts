// A Node client for the example server: the 'rxllm' format read back as events, with the answer
// printed as it streams. `npx ts-node examples/server/client.ts http://127.0.0.1:3000 "question"`.
import { filter } from 'rxjs';
import type { StreamEvent } from '../../src/index.js';
import { fromServerSentEvents } from '../../src/sse/index.js';

/** Streams one answer from `<baseUrl>/chat/rxllm` to stdout; resolves when it is complete. */
export function askServer(baseUrl: string, question: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const events = fromServerSentEvents<StreamEvent>(`${baseUrl}/chat/rxllm`, { body: { input: question }, format: 'rxllm' });
    events.pipe(filter((event) => event.event === 'on_tool_start' || event.event === 'on_tool_end' || event.event === 'on_chat_model_stream')).subscribe({
      next: (event) => {
        if (event.event === 'on_tool_start') process.stdout.write(`\n[tool ${event.name} ${JSON.stringify(event.data.input)}]`);
        else if (event.event === 'on_tool_end') process.stdout.write(` → ${JSON.stringify(event.data.output)}\n`);
        else process.stdout.write(event.data.chunk.content);
      },
      error: reject,
      complete: () => {
        process.stdout.write('\n');
        resolve();
      },
    });
  });
}

/** The raw events of one answer in another format, counted by type: what a client of that protocol receives. */
export function countEvents(baseUrl: string, format: 'ai-sdk-ui' | 'ag-ui' | 'langchain', question: string): Promise<Record<string, number>> {
  const body = format === 'ai-sdk-ui' ? { messages: [{ role: 'user', parts: [{ type: 'text', text: question }] }] }
    : format === 'ag-ui' ? { threadId: 't', runId: 'r', messages: [{ id: 'm', role: 'user', content: question }], tools: [], context: [] }
      : { input: question };
  const counts: Record<string, number> = {};
  return new Promise((resolve, reject) => {
    fromServerSentEvents<{ type?: string; event?: string }>(`${baseUrl}/chat/${format}`, { body, format }).subscribe({
      next: (event) => {
        const type = event.type ?? event.event ?? 'value';
        counts[type] = (counts[type] ?? 0) + 1;
      },
      error: reject,
      complete: () => resolve(counts),
    });
  });
}

if (require.main === module) {
  const [baseUrl = 'http://127.0.0.1:3000', ...words] = process.argv.slice(2);
  askServer(baseUrl, words.join(' ') || 'What is the weather in Paris?').catch((error: unknown) => {
    console.error(`${(error as Error).name}: ${(error as Error).message}`);
    process.exitCode = 1;
  });
}
