/**
 * An OpenAI-compatible server on loopback, so demos, docs and first steps run without an API key:
 * it answers `POST …/chat/completions` from scripted transcripts (a few built in, and your own),
 * streamed token by token with the small random delays of a real model, or whole when `stream`
 * is false, with a usage chunk when asked.
 *
 * The transcript is chosen from the request: the tool's answer when the last message is a tool
 * result, the `get_weather` call when the question is about the weather and that tool is offered,
 * otherwise by keywords of the last user message, else a fallback that says what it can answer.
 *
 * For tests that replay recorded bodies with faults, see `SseReplayServer`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  fallback, streamingWithRxjs, weatherReport, weatherToolCall, whatIsAI, type Transcript, type TranscriptChunk,
} from './transcripts/index.js';

const TRANSCRIPTS: readonly Transcript[] = [weatherReport, weatherToolCall, whatIsAI, streamingWithRxjs];

/** Options of {@link localOpenAIServer}. */
export interface LocalOpenAIServerOptions {
  /** Range of the pause before each streamed chunk, in milliseconds. Default `[15, 30]`. */
  tokenDelayMs?: readonly [number, number];
  /** Your own answers, consulted before the built-in ones. */
  transcripts?: readonly Transcript[];
}

/** A running local server. */
export interface LocalOpenAIServer {
  /** Give this to `ChatOpenAI({ baseURL })`. */
  baseURL: string;
  /** Stops it, ending any answer in progress. */
  close(): Promise<void>;
}

interface ChatRequest {
  model?: string;
  stream?: boolean;
  stream_options?: { include_usage?: boolean } | null;
  tools?: Array<{ type?: string; function?: { name?: string } }>;
  messages?: Array<{ role?: string; content?: unknown; tool_call_id?: string; tool_calls?: Array<{ id?: string; function?: { name?: string } }> }>;
}

/**
 * Starts the server on 127.0.0.1 (a free port).
 *
 * @example
 * ```ts
 * import { ChatOpenAI } from 'rxllm/openai';
 * import { localOpenAIServer } from 'rxllm/testing/node';
 * const server = await localOpenAIServer();
 * const model = new ChatOpenAI({ model: 'demo', apiKey: 'offline', baseURL: server.baseURL });
 * for await (const chunk of model.stream('What is AI?')) process.stdout.write(chunk.content);
 * await server.close();
 * ```
 */
export async function localOpenAIServer(options: LocalOpenAIServerOptions = {}): Promise<LocalOpenAIServer> {
  const [minDelay, maxDelay] = options.tokenDelayMs ?? [15, 30];
  const transcripts = [...(options.transcripts ?? []), ...TRANSCRIPTS];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const pause = () => new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      resolve();
    }, minDelay + Math.random() * (maxDelay - minDelay));
    timers.add(timer);
  });
  const server: Server = createServer((request, response) => {
    void handle(request, response, pause, transcripts).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { error: { message: String(error), type: 'server_error' } });
      else response.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function handle(request: IncomingMessage, response: ServerResponse, pause: () => Promise<void>, transcripts: readonly Transcript[]): Promise<void> {
  const body = await readBody(request);
  if (request.method !== 'POST' || !request.url?.endsWith('/chat/completions')) {
    sendJson(response, 404, { error: { message: `The offline demo server answers POST /v1/chat/completions only, not ${request.method} ${request.url}`, type: 'invalid_request_error' } });
    return;
  }
  let chat: ChatRequest;
  try {
    chat = JSON.parse(body) as ChatRequest;
  } catch {
    sendJson(response, 400, { error: { message: 'The request body is not JSON', type: 'invalid_request_error' } });
    return;
  }
  const chunks = fillIn(chooseTranscript(chat, transcripts), chat);
  const envelope = { id: `chatcmpl-local-${Date.now().toString(36)}`, created: Math.floor(Date.now() / 1000), model: chat.model ?? 'local-demo' };
  const usage = usageOf(chat, chunks);
  if (!chat.stream) {
    sendJson(response, 200, { ...envelope, object: 'chat.completion', choices: [wholeChoice(chunks)], usage });
    return;
  }
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for (const chunk of chunks) {
    await pause();
    if (response.destroyed) return;
    response.write(`data: ${JSON.stringify({ ...envelope, object: 'chat.completion.chunk', choices: [{ index: 0, delta: chunk.delta, finish_reason: chunk.finish_reason ?? null }] })}\n\n`);
  }
  if (chat.stream_options?.include_usage) {
    response.write(`data: ${JSON.stringify({ ...envelope, object: 'chat.completion.chunk', choices: [], usage })}\n\n`);
  }
  response.end('data: [DONE]\n\n');
}

/** The transcript for this request (see the module comment for the order of preference). */
function chooseTranscript(chat: ChatRequest, transcripts: readonly Transcript[]): Transcript {
  const messages = chat.messages ?? [];
  const last = messages[messages.length - 1];
  if (last?.role === 'tool') {
    const toolName = toolNameOf(messages, last.tool_call_id);
    const followUp = transcripts.find((t) => t.afterTool === toolName);
    if (followUp) return followUp;
  }
  const question = [...messages].reverse().find((m) => m.role === 'user');
  const text = typeof question?.content === 'string' ? question.content.toLowerCase() : '';
  const offered = new Set((chat.tools ?? []).map((tool) => tool.function?.name));
  return transcripts.find((t) => !t.afterTool && (!t.needsTool || offered.has(t.needsTool)) && t.keywords.some((k) => mentions(text, k))) ?? fallback;
}

function toolNameOf(messages: NonNullable<ChatRequest['messages']>, callId: string | undefined): string | undefined {
  for (const message of messages) {
    for (const call of message.tool_calls ?? []) if (call.id === callId) return call.function?.name;
  }
  return undefined;
}

/** True when `text` has `keyword` as a whole word or phrase. */
function mentions(text: string, keyword: string): boolean {
  const escaped = keyword.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^a-z0-9])${escaped}($|[^a-z0-9])`).test(text);
}

/** The transcript's chunks with `{{tool_result}}` replaced by the last tool message. */
function fillIn(transcript: Transcript, chat: ChatRequest): readonly TranscriptChunk[] {
  if (!transcript.afterTool) return transcript.chunks;
  const last = chat.messages?.[chat.messages.length - 1];
  const result = typeof last?.content === 'string' ? last.content : JSON.stringify(last?.content ?? '');
  return transcript.chunks.map((chunk) => chunk.delta.content?.includes('{{tool_result}}')
    ? { ...chunk, delta: { ...chunk.delta, content: chunk.delta.content.replace('{{tool_result}}', result.trim()) } }
    : chunk);
}

/** The chunks as the one choice of a non-streaming completion. */
function wholeChoice(chunks: readonly TranscriptChunk[]) {
  let content = '';
  const calls: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }> = [];
  let finishReason: string | null = null;
  for (const chunk of chunks) {
    content += chunk.delta.content ?? '';
    for (const fragment of chunk.delta.tool_calls ?? []) {
      const call = (calls[fragment.index] ??= { id: '', type: 'function', function: { name: '', arguments: '' } });
      if (fragment.id) call.id = fragment.id;
      if (fragment.function.name) call.function.name = fragment.function.name;
      call.function.arguments += fragment.function.arguments;
    }
    if (chunk.finish_reason) finishReason = chunk.finish_reason;
  }
  return {
    index: 0,
    message: { role: 'assistant', content: content === '' && calls.length ? null : content, ...(calls.length && { tool_calls: calls }) },
    finish_reason: finishReason,
  };
}

/** Usage as a server would count it, at about four characters per prompt token and one token per chunk. */
function usageOf(chat: ChatRequest, chunks: readonly TranscriptChunk[]) {
  const promptChars = (chat.messages ?? []).reduce((sum, m) => sum + (typeof m.content === 'string' ? m.content.length : 0), 0);
  const promptTokens = Math.max(1, Math.ceil(promptChars / 4));
  const completionTokens = chunks.filter((c) => c.delta.content || c.delta.tool_calls).length;
  return { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    request.on('data', (part: Buffer) => parts.push(part));
    request.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    request.on('error', reject);
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
