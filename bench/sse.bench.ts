/**
 * The SSE endpoint benchmark: events per second from `sseEndpoint` to 1, 10 and 100 loopback
 * clients reading at once, each a stream of 2,000 text chunks in the `'ai-sdk-ui'` format, beside
 *
 * - the floor: a `node:http` handler writing the very same frame texts with `res.write`, one
 *   write per frame (the least any endpoint must do);
 * - the AI SDK: `streamText` over a mock model streaming the same text deltas, its
 *   `toUIMessageStreamResponse()` body piped to the response the same way.
 *
 * Every client is `fetch` reading its body to the end, the same for all three. Also reported: the
 * heap one idle connection holds (an open stream whose run has not sent anything yet).
 * Targets: the endpoint at most 1.5× the floor's time, and at least the AI SDK's throughput.
 * Run alone with `npx ts-node bench/sse.bench.ts`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { streamText, simulateReadableStream } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { NEVER, firstValueFrom, from, map, toArray } from 'rxjs';
import { AIMessageChunk } from '../src/messages/AIMessageChunk.js';
import { sseEndpoint } from '../src/node/sseEndpoint.js';
import { toServerSentEvents } from '../src/sse/toServerSentEvents.js';
import {
  GC_UNAVAILABLE_NOTE, forceGc, formatNumber, formatRatio, gcAvailable, medianTime, printTable, verdict, type TimingOptions,
} from './benchInternals.js';

const EVENTS = 2_000;
const CLIENTS = [1, 10, 100] as const;
const IDLE_CONNECTIONS = 200;
const TIMING = { warmup: 2, runs: 5 } as const satisfies TimingOptions;
const TARGET_RATIO = 1.5;
const WORDS = ['The', ' quick', ' brown', ' fox', ' jumps', ' over', ' the', ' lazy', ' dog', '.'];
const DELTAS = Array.from({ length: EVENTS }, (_, i) => WORDS[i % WORDS.length]);
const CHUNKS = DELTAS.map((delta) => new AIMessageChunk(delta));

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/** A loopback server around `handler`; `close()` ends every connection. */
async function serve(handler: Handler): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((request, response) => {
    // The body is not needed: drain it so the request completes.
    request.resume();
    handler(request, response);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/chat`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** One client: POSTs and reads the whole body; resolves with its byte count. */
async function readAll(url: string): Promise<number> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  const reader = response.body!.getReader();
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return bytes;
    bytes += value.length;
  }
}

/** The frame texts the endpoint writes for the chunks, to write verbatim for the floor. */
async function floorFrames(): Promise<string[]> {
  return firstValueFrom(from(CHUNKS).pipe(toServerSentEvents({ format: 'ai-sdk-ui', runId: '00000000-0000-4000-8000-000000000000', heartbeatMs: Infinity }), map((frame) => frame.text), toArray()));
}

function aiSdkHandler(): Handler {
  return (_request, response) => {
    const model = new MockLanguageModelV3({
      doStream: async () => ({
        stream: simulateReadableStream({
          initialDelayInMs: null,
          chunkDelayInMs: null,
          chunks: [
            { type: 'stream-start', warnings: [] },
            { type: 'text-start', id: 't' },
            ...DELTAS.map((delta) => ({ type: 'text-delta' as const, id: 't', delta })),
            { type: 'text-end', id: 't' },
            { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage: { inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: EVENTS, text: EVENTS, reasoning: 0 } } },
          ],
        }),
      }),
    });
    const result = streamText({ model, prompt: 'Hi' }).toUIMessageStreamResponse();
    response.writeHead(200, Object.fromEntries(result.headers));
    void (async () => {
      const reader = result.body!.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        response.write(value);
      }
      response.end();
    })();
  };
}

/** Heap held per idle connection: streams open, their runs silent. */
async function idleConnectionHeap(): Promise<number | undefined> {
  if (!gcAvailable()) return undefined;
  const endpoint = sseEndpoint(() => NEVER, { format: 'ai-sdk-ui', heartbeatMs: 15_000 });
  const server = await serve((request, response) => void endpoint(request, response));
  const controllers = Array.from({ length: IDLE_CONNECTIONS }, () => new AbortController());
  forceGc();
  const before = process.memoryUsage().heapUsed;
  const responses = await Promise.all(controllers.map((controller) => fetch(server.url, { method: 'POST', body: '{}', signal: controller.signal })));
  await new Promise((resolve) => setTimeout(resolve, 50));
  forceGc();
  const after = process.memoryUsage().heapUsed;
  for (const controller of controllers) controller.abort();
  await Promise.all(responses.map((response) => response.body?.cancel().catch(() => undefined)));
  await endpoint.close();
  await server.close();
  // Client and server share the process: the figure holds both ends of each connection.
  return (after - before) / IDLE_CONNECTIONS;
}

export async function runSseBench(): Promise<void> {
  const frames = await floorFrames();
  const floor = await serve((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    for (const text of frames) response.write(text);
    response.end();
  });
  const endpoint = sseEndpoint(() => CHUNKS, { format: 'ai-sdk-ui', heartbeatMs: Infinity });
  const rxllm = await serve((request, response) => void endpoint(request, response));
  const aiSdk = await serve(aiSdkHandler());
  const contenders = [
    { name: 'res.write of the same frames (floor)', url: floor.url },
    { name: 'rxllm sseEndpoint (ai-sdk-ui)', url: rxllm.url },
    { name: 'AI SDK toUIMessageStreamResponse', url: aiSdk.url },
  ];
  try {
    const rows: string[][] = [];
    const results: Array<{ clients: number; ratio: number; beatsAiSdk: boolean }> = [];
    for (const clients of CLIENTS) {
      const times: number[] = [];
      for (const contender of contenders) {
        const timing = await medianTime(async () => {
          await Promise.all(Array.from({ length: clients }, () => readAll(contender.url)));
        }, TIMING);
        times.push(timing.medianMs);
      }
      const [floorMs, rxllmMs, aiSdkMs] = times;
      results.push({ clients, ratio: rxllmMs / floorMs, beatsAiSdk: rxllmMs <= aiSdkMs });
      contenders.forEach((contender, i) => rows.push([
        String(clients), contender.name, formatNumber((clients * EVENTS) / (times[i] / 1000), 0), formatRatio(times[i], floorMs),
      ]));
    }
    printTable(`${EVENTS} events per client over loopback (median of ${TIMING.runs} runs)`, [
      { header: 'clients', align: 'right' }, { header: 'server' }, { header: 'events/s', align: 'right' }, { header: 'vs floor', align: 'right' },
    ], rows);
    for (const { clients, ratio, beatsAiSdk } of results) {
      console.log(`${clients} client(s): rxllm ${formatNumber(ratio)}× the floor (target ≤ ${TARGET_RATIO}×) ${verdict(ratio <= TARGET_RATIO)}; at least the AI SDK's throughput ${verdict(beatsAiSdk)}`);
    }
  } finally {
    await endpoint.close();
    await Promise.all([floor.close(), rxllm.close(), aiSdk.close()]);
  }
  const perConnection = await idleConnectionHeap();
  console.log(perConnection === undefined ? GC_UNAVAILABLE_NOTE
    : `Heap per idle connection (${IDLE_CONNECTIONS} open streams, both ends in this process): ${formatNumber(perConnection / 1024, 1)} KiB`);
}

if (require.main === module) {
  runSseBench().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
