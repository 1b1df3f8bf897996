// `npm run demo:angular`: the Angular chat page at http://127.0.0.1:PORT/ (PORT default 4200),
// its script bundled by esbuild at start, and `POST /api/chat` streaming an agent's events over
// Server-Sent Events (the 'rxllm' format, runs kept for a resume). With OPENAI_API_KEY (and
// optionally OPENAI_BASE_URL / OPENAI_MODEL) the agent talks to that model; without one an
// embedded loopback server answers from transcripts, streaming for a few seconds per answer.
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import OpenAI from 'openai';
import { from } from 'rxjs';
import { z } from 'zod';
import { sseEndpoint, type SseEndpoint } from '../../src/node/index.js';
import { ChatOpenAI } from '../../src/openai/index.js';
import { localOpenAIServer, type LocalOpenAIServer } from '../../src/testing/node/index.js';
import { bundleApp } from './bundle.js';
import { demoAgent } from './demoAgent.js';
import { historyMessages, type WireChatMessage } from './historyMessages.js';
import { ModelRequests } from './modelRequests.js';
import { page } from './page.js';
import { DEMO_TRANSCRIPTS } from './transcripts.js';

/** Options of {@link startAngularDemo}. */
export interface AngularDemoOptions {
  /** The port on 127.0.0.1; 0 for a free one. Default 4200. */
  port?: number;
  /** The offline model's pause before each token. Default `[15, 35]` ms (an answer streams for several seconds). */
  tokenDelayMs?: readonly [number, number];
  /** Use this model instead of the offline one (or OPENAI_API_KEY's). */
  model?: ChatOpenAI;
}

/** A running demo. */
export interface AngularDemo {
  /** `http://127.0.0.1:<port>/`. */
  readonly url: string;
  /** The model requests the agent made, open and total (the offline model's only). */
  readonly modelRequests: ModelRequests;
  /** The open connections to the page's server, for tests that cut one. */
  readonly connections: ReadonlySet<Socket>;
  /** Stops the endpoint, the page's server and the offline model. */
  close(): Promise<void>;
}

/** What the page's session posts: the conversation, and decisions on pending approvals. */
const chatBody = z.object({
  messages: z.array(z.object({ role: z.enum(['user', 'assistant', 'tool']), text: z.string() }).loose()).min(1),
  approvals: z.array(z.object({ approvalId: z.string(), approved: z.boolean(), reason: z.string().optional() })).optional(),
});

/** Starts the demo's server (and the offline model unless a model is given or OPENAI_API_KEY is set). */
export async function startAngularDemo(options: AngularDemoOptions = {}): Promise<AngularDemo> {
  const modelRequests = new ModelRequests();
  let local: LocalOpenAIServer | undefined;
  let model = options.model;
  if (!model && process.env.OPENAI_API_KEY) {
    model = new ChatOpenAI({ model: process.env.OPENAI_MODEL ?? 'gpt-4o-mini', streamUsage: true });
  }
  if (!model) {
    local = await localOpenAIServer({ tokenDelayMs: options.tokenDelayMs ?? [15, 35], transcripts: DEMO_TRANSCRIPTS });
    const client = new OpenAI({ apiKey: 'offline-demo', baseURL: local.baseURL, fetch: modelRequests.fetch });
    model = new ChatOpenAI({ model: 'rxllm-demo', client, streamUsage: true });
  }
  const assistant = demoAgent(model);
  const bundle = await bundleApp();

  const endpoint: SseEndpoint = sseEndpoint((body, { signal }) => {
    // Decisions on the approvals of the last answer reach the agent as its `approvals` source.
    const config = { signal, approvals: from(body.approvals ?? []) };
    return assistant.streamEvents(historyMessages(body.messages as unknown as WireChatMessage[]), config);
  }, { format: 'rxllm', schema: chatBody, replay: { maxEvents: 20_000, maxAgeMs: 120_000 }, heartbeatMs: 5_000 });

  const app = express();
  // `/?zone` loads the page with zone.js change detection instead of zoneless.
  app.get('/', (request, response) => void response.type('html').send(page(request.query.zone === undefined ? 'main.js' : 'mainZone.js')));
  app.get('/:file', (request, response, next) => {
    const file = bundle.get(request.params.file);
    if (file === undefined) return next();
    response.type(request.params.file.endsWith('.map') ? 'json' : 'js').send(file);
  });
  app.post('/api/chat', endpoint);
  app.get('/api/chat/:runId', endpoint);
  app.delete('/api/chat/:runId', endpoint);

  const connections = new Set<Socket>();
  const server = await new Promise<Server>((resolve, reject) => {
    // Express 5 hands a listen error (a port in use) to this callback.
    const listening = app.listen(options.port ?? 4200, '127.0.0.1', (error?: Error) => (error ? reject(error) : resolve(listening)));
  });
  server.on('connection', (socket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url,
    modelRequests,
    connections,
    close: async () => {
      await endpoint.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await local?.close();
    },
  };
}

if (require.main === module) {
  startAngularDemo({ port: Number(process.env.PORT ?? 4200) }).then((demo) => {
    console.log(`rxllm chat (Angular): ${demo.url}${process.env.OPENAI_API_KEY ? '' : '   (offline model; set OPENAI_API_KEY for a real one)'}`);
    console.log('Try "Explain streaming in RxJS" (a long Markdown answer) or "Book a table for 4" (a tool that asks first). Ctrl-C stops.');
    process.once('SIGINT', () => void demo.close());
  }).catch((error: unknown) => {
    console.error(`${(error as Error).name}: ${(error as Error).message}`);
    process.exitCode = 1;
  });
}
