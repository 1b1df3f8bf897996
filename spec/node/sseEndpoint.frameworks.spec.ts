import express from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { lastValueFrom, toArray } from 'rxjs';
import { z } from 'zod';
import { sseEndpoint, type SseEndpoint } from '../../src/node/sseEndpoint.js';
import { fromServerSentEvents } from '../../src/sse/fromServerSentEvents.js';
import { frameIds, rawRequest } from './support/requests.js';

const schema = z.object({ input: z.string() });
const echo = () => sseEndpoint((body: { input: string }) => [...body.input], { schema, replay: true });

/** Checks one mounted endpoint: a run, a 400, a resume by GET and a stop by DELETE. */
async function expectEndpointWorks(url: string): Promise<void> {
  expect(await lastValueFrom(fromServerSentEvents<string>(url, { body: { input: 'abc' } }).pipe(toArray()))).toEqual(['a', 'b', 'c']);
  expect((await rawRequest(url, { body: JSON.stringify({ input: 1 }) })).status).toBe(400);
  const whole = await rawRequest(url, { body: JSON.stringify({ input: 'xyz' }) });
  const runId = whole.headers['x-run-id'] as string;
  const resumed = await rawRequest(`${url}/${runId}`, { method: 'GET', headers: { 'last-event-id': `${runId}:1` } });
  expect(frameIds(resumed.body)).toEqual(frameIds(whole.body).slice(1));
  expect((await rawRequest(`${url}/${runId}`, { method: 'DELETE' })).status).toBe(204);
}

describe('sseEndpoint in frameworks', () => {
  let endpoint: SseEndpoint | undefined;
  let httpServer: Server | undefined;
  let fastify: FastifyInstance | undefined;
  afterEach(async () => {
    await endpoint?.close();
    if (httpServer) {
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer!.close(() => resolve()));
    }
    await fastify?.close();
    endpoint = httpServer = fastify = undefined;
  });

  const listen = async (app: express.Express): Promise<string> => {
    httpServer = await new Promise<Server>((resolve) => {
      const server = app.listen(0, '127.0.0.1', () => resolve(server));
    });
    return `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}/chat`;
  };

  it('works in Express mounted with app.use, reading the body itself', async () => {
    const app = express();
    app.use('/chat', (endpoint = echo()));
    await expectEndpointWorks(await listen(app));
  });

  it('works in Express after express.json() and with route parameters', async () => {
    const app = express();
    endpoint = echo();
    app.use(express.json());
    app.post('/chat', endpoint);
    app.get('/chat/:runId', endpoint);
    app.delete('/chat/:runId', endpoint);
    await expectEndpointWorks(await listen(app));
  });

  it('works in Fastify, with its parsed body and route parameters', async () => {
    fastify = Fastify();
    endpoint = echo();
    fastify.post('/chat', endpoint);
    fastify.get('/chat/:runId', endpoint);
    fastify.delete('/chat/:runId', endpoint);
    const address = await fastify.listen({ port: 0, host: '127.0.0.1' });
    await expectEndpointWorks(`${address}/chat`);
  });
});
