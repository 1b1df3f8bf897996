import express from 'express';
import type { SseFormatName } from '../../src/sse/index.js';
import { sseEndpoint, type SseEndpoint } from '../../src/node/index.js';
import type { ChatOpenAI } from '../../src/openai/index.js';
import { chatAgent, chatBody, questionOf } from './chatAgent.js';

/** The formats served, each under `/chat/<format>`. */
export const FORMATS: readonly SseFormatName[] = ['rxllm', 'ai-sdk-ui', 'ag-ui', 'langchain'];

/**
 * An Express app that streams the agent's events in each format. Runs are kept for a resume
 * (`replay`), so a client that reconnects gets what it missed; `DELETE /chat/<format>/<runId>`
 * stops one. LangChain's `RemoteRunnable` posts to `<url>/stream_events`, which is served too.
 */
export function chatApp(model: ChatOpenAI): { app: express.Express; endpoints: SseEndpoint[] } {
  const app = express();
  app.use(express.json());
  const endpoints = FORMATS.map((format) => {
    const assistant = chatAgent(model);
    const endpoint = sseEndpoint((body, { signal }) => assistant.streamEvents(questionOf(body), { signal }), {
      format,
      schema: chatBody,
      replay: { maxEvents: 10_000, maxAgeMs: 60_000 },
      cors: { origin: '*' },
    });
    if (format === 'langchain') app.post(`/chat/${format}/stream_events`, endpoint);
    app.post(`/chat/${format}`, endpoint);
    app.get(`/chat/${format}/:runId`, endpoint);
    app.delete(`/chat/${format}/:runId`, endpoint);
    return endpoint;
  });
  return { app, endpoints };
}
