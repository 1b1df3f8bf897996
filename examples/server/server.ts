// `npm run demo:server`: an Express server streaming an agent over Server-Sent Events in each of
// rxllm's wire formats, and a Node client that asks it a question. With OPENAI_API_KEY (and
// optionally OPENAI_BASE_URL / OPENAI_MODEL) the agent talks to that model; without one an
// embedded loopback server answers from the project's transcripts, so it runs offline.
// `--once` exits after the client's demo; otherwise the server keeps serving until Ctrl-C.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChatOpenAI } from '../../src/openai/index.js';
import { localOpenAIServer, type LocalOpenAIServer } from '../../src/testing/node/index.js';
import { FORMATS, chatApp } from './app.js';
import { askServer, countEvents } from './client.js';

async function main(): Promise<void> {
  let local: LocalOpenAIServer | undefined;
  let model: ChatOpenAI;
  if (process.env.OPENAI_API_KEY) {
    model = new ChatOpenAI({ model: process.env.OPENAI_MODEL ?? 'gpt-4o-mini' });
  } else {
    local = await localOpenAIServer({ tokenDelayMs: [5, 15] });
    model = new ChatOpenAI({ model: 'rxllm-demo', apiKey: 'offline-demo', baseURL: local.baseURL });
    console.log(`No OPENAI_API_KEY: the agent's model is an embedded server on ${local.baseURL}.`);
  }
  const { app, endpoints } = chatApp(model);
  const port = Number(process.env.PORT ?? 3000);
  const server = await new Promise<Server>((resolve, reject) => {
    // Express 5 hands a listen error (a port in use) to this callback.
    const listening = app.listen(port, '127.0.0.1', (error?: Error) => (error ? reject(error) : resolve(listening)));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (const format of FORMATS) console.log(`POST ${baseUrl}/chat/${format}   (${format})`);

  const shutdown = async () => {
    // Each stream ends with a final frame; then the listener and the model server close.
    await Promise.all(endpoints.map((endpoint) => endpoint.close()));
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await local?.close();
  };
  process.once('SIGINT', () => void shutdown());

  console.log('\n> What is the weather in Paris?   (Node client, rxllm format)');
  await askServer(baseUrl, 'What is the weather in Paris?');
  for (const format of ['ai-sdk-ui', 'ag-ui', 'langchain'] as const) {
    console.log(`\n${format}: ${JSON.stringify(await countEvents(baseUrl, format, 'What is AI?'))}`);
  }
  if (process.argv.includes('--once')) await shutdown();
  else console.log('\nServing; Ctrl-C stops.');
}

main().catch((error: unknown) => {
  console.error(`${(error as Error).name}: ${(error as Error).message}`);
  process.exitCode = 1;
});
