// First: under CommonJS it runs before the require of 'openai' below and names the missing package.
import './requireOpenAI.js';
import OpenAI from 'openai';
import { Observable, type MonoTypeOperatorFunction } from 'rxjs';
import { durationMs, nonNegativeInteger } from '../errors/optionChecks.js';
import { ProviderError } from '../errors/errors.js';
import { InvalidOptionError } from '../errors/InvalidOptionError.js';
import { registerSecret } from '../errors/maskSecrets.js';
import type { AIMessageChunk } from '../messages/AIMessageChunk.js';
import type { BaseMessage } from '../messages/messages.js';
import { BaseChatModel, type BaseChatModelFields } from '../models/BaseChatModel.js';
import type { ChatModelCallOptions } from '../models/ChatModelCallOptions.js';
import type { ModelDescription } from '../models/ModelDescription.js';
import { streamTimeout, type StreamTimeoutOptions } from '../operators/streamTimeout.js';
import type { RunContext } from '../runnables/RunContext.js';
import { streamChatCompletion } from './streamChatCompletion.js';
import { streamResponses } from './streamResponses.js';
import { toChatCompletionBody } from './toChatCompletionBody.js';
import { toResponsesBody } from './toResponsesBody.js';
import { requireSecureBaseURL } from './requireSecureBaseURL.js';

/** Options of `ChatOpenAI`. */
export interface ChatOpenAIFields extends BaseChatModelFields {
  /** The model name the server knows (`gpt-4o-mini`, `deepseek-chat`, `llama3.2`, …). */
  model: string;
  /** API key. Default: `OPENAI_API_KEY`. Ignored when `client` is given. */
  apiKey?: string;
  /**
   * Base URL of any OpenAI-compatible server (`http://localhost:11434/v1`). Default:
   * `OPENAI_BASE_URL`, else api.openai.com. It must be `https:`, or `http:` to this machine
   * (127.0.0.0/8, `::1`, `localhost`), unless `allowInsecure` is set.
   */
  baseURL?: string;
  /**
   * Allows a `baseURL` (or a `client`'s) over plain HTTP to another machine: the API key and
   * every message then cross the network unencrypted. Default false: such a URL is an
   * `InvalidOptionError` where the model is created.
   */
  allowInsecure?: boolean;
  /** A configured `openai` client (v6 or v7) to send requests with, instead of building one. */
  client?: OpenAI;
  /** Stream under `invoke` and `batch` too. Default false: they make one non-streaming request. */
  streaming?: boolean;
  temperature?: number;
  /** Most tokens to generate (`max_tokens`; `max_completion_tokens` for o-series and GPT-5 models). */
  maxTokens?: number;
  /** Milliseconds to wait for the response headers (the client's `timeout`; the body is not limited). */
  timeout?: number;
  /**
   * Streamed calls: longest wait from the request to the first chunk. When it passes, the request
   * is aborted and the stream fails with `StreamTimeoutError` (`kind: 'first-chunk'`). Default: `idleTimeoutMs`.
   */
  firstChunkTimeoutMs?: number;
  /**
   * Streamed calls: longest gap between two chunks (and the wait for the first one when
   * `firstChunkTimeoutMs` is not given); then the request is aborted and the stream fails with
   * `StreamTimeoutError` (`kind: 'idle'`). Default: no limit.
   */
  idleTimeoutMs?: number;
  /**
   * Every call, streamed or not: longest time from the request to the end of the answer; then the
   * request is aborted and the call fails with `StreamTimeoutError` (`kind: 'total'`). Default: no limit.
   */
  totalTimeoutMs?: number;
  /** Retries of failed connections, 408/409/429 and 5xx answers before the body starts. Default: the client's (2). */
  maxRetries?: number;
  /** Ask for a final usage chunk when streaming (`stream_options.include_usage`). Default true. */
  streamUsage?: boolean;
  /** Headers sent with every request (the client's `defaultHeaders`). Ignored when `client` is given. */
  defaultHeaders?: Record<string, string>;
  /**
   * Names of headers whose values are credentials (a gateway's token): their values are masked
   * wherever they would appear, like the API key. `authorization`, `api-key` and `x-api-key` always are.
   */
  secretHeaders?: readonly string[];
  /**
   * Which OpenAI API to call: `'chat-completions'` (any OpenAI-compatible server) or
   * `'responses'` (OpenAI's Responses API, streamed: `invoke` streams too). The chunks are the
   * same. Default `'chat-completions'`.
   */
  api?: 'chat-completions' | 'responses';
  /** `api: 'responses'`: continue from a stored response (`previous_response_id`). */
  previousResponseId?: string;
  /** `api: 'responses'`: whether the server stores the response (`store`). Default: the server's (true). */
  store?: boolean;
  /** `api: 'responses'`: run in background mode (`background`); the stream starts `queued`. */
  background?: boolean;
}

const ALWAYS_SECRET_HEADERS = ['authorization', 'api-key', 'x-api-key', 'proxy-authorization'];

/**
 * A chat model over the chat.completions API of OpenAI or any OpenAI-compatible server (Ollama,
 * vLLM, llama.cpp, LM Studio, OpenRouter, Groq, DeepSeek, Mistral, …).
 *
 * The `openai` client sends the request (auth, base URL, headers, retries); rxllm decodes the
 * streamed body itself, so each chunk reaches the subscriber with little overhead. Chunks carry
 * text, reasoning, tool-call fragments, usage, finish reason and the server's extra fields in
 * `responseMetadata`. When a server streams several choices, the chunks are those of choice 0.
 * Unsubscribing (or `break` in `for await`, or aborting `config.signal`) aborts the request.
 *
 * The client's `timeout` ends when the response headers arrive; `firstChunkTimeoutMs`,
 * `idleTimeoutMs` and `totalTimeoutMs` watch the body (as `streamTimeout` does): a stalled answer
 * is aborted and fails with a `StreamTimeoutError` saying which limit passed.
 *
 * Without an API key (and no `client`) the model is still created; each call then fails with a
 * `ProviderError` whose `code` is `'missing_api_key'`.
 *
 * @example
 * ```ts
 * import { ChatOpenAI } from 'rxllm/openai';
 * const model = new ChatOpenAI({ model: 'gpt-4o-mini' });
 * model.stream('What is AI?').subscribe((chunk) => process.stdout.write(chunk.content));
 * const local = new ChatOpenAI({ model: 'llama3.2', baseURL: 'http://localhost:11434/v1', apiKey: 'ollama' });
 * const watched = new ChatOpenAI({ model: 'gpt-4o-mini', firstChunkTimeoutMs: 20_000, idleTimeoutMs: 10_000 });
 * ```
 */
export class ChatOpenAI extends BaseChatModel {
  readonly model: string;
  readonly streaming: boolean;
  readonly streamUsage: boolean;
  readonly temperature?: number;
  readonly maxTokens?: number;
  readonly timeout?: number;
  readonly maxRetries?: number;
  readonly firstChunkTimeoutMs?: number;
  readonly idleTimeoutMs?: number;
  readonly totalTimeoutMs?: number;
  readonly api: 'chat-completions' | 'responses';
  readonly previousResponseId?: string;
  readonly store?: boolean;
  readonly background?: boolean;
  /** The client requests go through; undefined when no API key was found. */
  readonly client?: OpenAI;

  constructor(fields: ChatOpenAIFields) {
    super(fields);
    this.model = fields.model;
    this.streaming = fields.streaming ?? false;
    this.streamUsage = fields.streamUsage ?? true;
    if (fields.api !== undefined && fields.api !== 'chat-completions' && fields.api !== 'responses') {
      throw new InvalidOptionError('ChatOpenAI', 'api', "'chat-completions' or 'responses'", fields.api);
    }
    this.api = fields.api ?? 'chat-completions';
    if (fields.previousResponseId !== undefined) this.previousResponseId = fields.previousResponseId;
    if (fields.store !== undefined) this.store = fields.store;
    if (fields.background !== undefined) this.background = fields.background;
    if (fields.temperature !== undefined) this.temperature = fields.temperature;
    if (fields.maxTokens !== undefined) this.maxTokens = fields.maxTokens;
    if (fields.timeout !== undefined) this.timeout = fields.timeout;
    // Checked here: the client retries without end on a negative or fractional count.
    if (fields.maxRetries !== undefined) this.maxRetries = nonNegativeInteger('ChatOpenAI', 'maxRetries', fields.maxRetries, 2);
    if (fields.firstChunkTimeoutMs !== undefined) this.firstChunkTimeoutMs = timeoutOption('firstChunkTimeoutMs', fields.firstChunkTimeoutMs);
    if (fields.idleTimeoutMs !== undefined) this.idleTimeoutMs = timeoutOption('idleTimeoutMs', fields.idleTimeoutMs);
    if (fields.totalTimeoutMs !== undefined) this.totalTimeoutMs = timeoutOption('totalTimeoutMs', fields.totalTimeoutMs);
    registerHeaderSecrets(fields.defaultHeaders, fields.secretHeaders);
    if (fields.allowInsecure !== undefined && typeof fields.allowInsecure !== 'boolean') {
      throw new InvalidOptionError('ChatOpenAI', 'allowInsecure', 'true or false', fields.allowInsecure);
    }
    if (fields.client) {
      registerSecret(fields.client.apiKey);
      registerUrlCredentials(fields.client.baseURL);
      if (!fields.allowInsecure) requireSecureBaseURL(fields.client.baseURL, 'client.baseURL');
      this.client = fields.client;
      return;
    }
    const apiKey = fields.apiKey ?? readEnv('OPENAI_API_KEY');
    registerSecret(apiKey);
    const baseURL = fields.baseURL ?? readEnv('OPENAI_BASE_URL');
    registerUrlCredentials(baseURL);
    if (!fields.allowInsecure) requireSecureBaseURL(baseURL, fields.baseURL !== undefined ? 'baseURL' : 'baseURL (OPENAI_BASE_URL)');
    if (apiKey) {
      this.client = new OpenAI({
        apiKey,
        ...(fields.baseURL !== undefined && { baseURL: fields.baseURL }),
        ...(fields.defaultHeaders && { defaultHeaders: fields.defaultHeaders }),
      });
    }
  }

  protected override maxOutputTokens(): number | undefined {
    return this.maxTokens;
  }

  protected override describeModel(): ModelDescription {
    return {
      provider: 'openai',
      model: this.model,
      ...(this.temperature !== undefined && { temperature: this.temperature }),
      ...(this.maxTokens !== undefined && { maxTokens: this.maxTokens }),
    };
  }

  protected override _streamChunks(messages: BaseMessage[], options: ChatModelCallOptions, run: RunContext): Observable<AIMessageChunk> {
    const client = this.client;
    if (!client) {
      return new Observable((subscriber) => subscriber.error(new ProviderError(
        'ChatOpenAI has no API key: pass `apiKey` or `client`, or set OPENAI_API_KEY',
        { code: 'missing_api_key' },
      )));
    }
    const requestOptions = {
      ...(this.timeout !== undefined && { timeout: this.timeout }),
      ...(this.maxRetries !== undefined && { maxRetries: this.maxRetries }),
    };
    if (this.api === 'responses') {
      const responsesBody = { ...toResponsesBody(this, messages, options), stream: true as const };
      return streamResponses((signal) => client.responses.create(responsesBody, { ...requestOptions, signal }).asResponse())
        .pipe(this.bodyTimeout(true));
    }
    const body = toChatCompletionBody(this, messages, options);
    if (!this.streaming && !run.streaming) {
      return streamChatCompletion((signal) => client.chat.completions.create({ ...body, stream: false }, { ...requestOptions, signal }).asResponse())
        .pipe(this.bodyTimeout(false));
    }
    const streamed = { ...body, stream: true as const, ...(this.streamUsage && { stream_options: { include_usage: true } }) };
    return streamChatCompletion((signal) => client.chat.completions.create(streamed, { ...requestOptions, signal }).asResponse(), { usageRequested: this.streamUsage })
      .pipe(this.bodyTimeout(true));
  }

  /**
   * The timeout options as a `streamTimeout`: its unsubscription aborts the request. A
   * non-streaming answer is one chunk after the whole generation, so only the total limit applies.
   */
  private bodyTimeout(streamed: boolean): MonoTypeOperatorFunction<AIMessageChunk> {
    const limits: StreamTimeoutOptions = {};
    if (this.totalTimeoutMs !== undefined) limits.totalMs = this.totalTimeoutMs;
    if (streamed && this.firstChunkTimeoutMs !== undefined) limits.firstChunkMs = this.firstChunkTimeoutMs;
    if (streamed && this.idleTimeoutMs !== undefined) limits.idleMs = this.idleTimeoutMs;
    return streamTimeout(limits);
  }
}

/** A timeout option: milliseconds above 0, or `Infinity` for none; checked where it is given. */
function timeoutOption(option: string, value: number): number {
  return durationMs('ChatOpenAI', option, value, value, { zero: false, infinity: true });
}

function readEnv(name: string): string | undefined {
  const value = typeof process === 'undefined' ? undefined : process.env?.[name]?.trim();
  return value ? value : undefined;
}

/** A user name and password in a base URL are credentials: masked wherever they would appear. */
function registerUrlCredentials(url: string | undefined): void {
  if (!url) return;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return;
  }
  for (const part of [parsed.username, parsed.password]) {
    registerSecret(part);
    try {
      registerSecret(decodeURIComponent(part));
    } catch {
      // A malformed escape: the raw form is registered already.
    }
  }
}

function registerHeaderSecrets(headers: Record<string, string> | undefined, secretNames: readonly string[] = []): void {
  if (!headers) return;
  const secret = new Set([...ALWAYS_SECRET_HEADERS, ...secretNames.map((name) => name.toLowerCase())]);
  for (const [name, value] of Object.entries(headers)) {
    if (!secret.has(name.toLowerCase())) continue;
    registerSecret(value);
    // `Bearer <token>`: the token alone is the secret a server would echo.
    registerSecret(value.replace(/^\S+\s+/, ''));
  }
}
