import { APIConnectionError, AbortError, ProviderError, RateLimitError } from '../errors/errors.js';
import { maskSecrets } from '../errors/maskSecrets.js';
import { RxllmError } from '../errors/RxllmError.js';
import { isPlainObject } from '../messages/valueKinds.js';

/** The parts of an `openai` client error this mapping reads (duck-typed: any copy of the package). */
interface ClientErrorShape extends Error {
  status?: unknown;
  headers?: { get(name: string): string | null } | undefined;
  error?: unknown;
  code?: unknown;
  type?: unknown;
  param?: unknown;
}

/**
 * An error thrown by the `openai` client (or by `fetch` under it) as an rxllm error: HTTP 429 →
 * `RateLimitError` with `retryAfterMs`, other statuses → `ProviderError` with status and code from
 * the error body, connection failures and timeouts → `APIConnectionError`, a user abort →
 * `AbortError`. Messages are masked, and the client's error is not kept as `cause` because it
 * holds the raw response (headers and body) where a server may echo a key.
 *
 * @example
 * ```ts
 * client.chat.completions.create(body).asResponse().catch((error) => { throw mapOpenAIError(error); });
 * ```
 */
export function mapOpenAIError(error: unknown): Error {
  if (error instanceof RxllmError) return error;
  if (!isErrorLike(error)) return new RxllmError(`The request failed: ${String(error)}`);
  const failure = error as ClientErrorShape;
  const kind = failure.constructor?.name;
  if (kind === 'APIUserAbortError' || failure.name === 'AbortError') return new AbortError('The request was aborted');
  if (kind === 'APIConnectionTimeoutError') return new APIConnectionError('The request timed out before the server answered');
  if (kind === 'APIConnectionError') return new APIConnectionError(`Could not reach the server: ${describeCause(failure)}`, { cause: maskedCause(failure.cause) });
  if (typeof failure.status === 'number') return statusError(failure, failure.status);
  return new RxllmError(`The request failed: ${failure.message}`, { cause: maskedCause(failure) });
}

/** The connection broke while the response body was being read. */
export function connectionLost(error: unknown): APIConnectionError {
  const reason = isErrorLike(error) ? describeCause(error) : String(error);
  return new APIConnectionError(`The connection closed before the response was complete: ${reason}`, { cause: maskedCause(error) });
}

function statusError(failure: ClientErrorShape, status: number): ProviderError {
  const body = isPlainObject(failure.error) ? failure.error : undefined;
  const detail = typeof body?.message === 'string' ? body.message
    : body ? JSON.stringify(body) : failure.message.replace(/^\d{3}\s+/, '');
  const code = typeof failure.code === 'string' || typeof failure.code === 'number' ? String(failure.code) : undefined;
  const type = typeof failure.type === 'string' ? failure.type : undefined;
  const param = typeof failure.param === 'string' ? failure.param : undefined;
  const upstream = upstreamDetail(body);
  const message = `HTTP ${status} from the chat completions endpoint: ${detail}${upstream ? ` (${upstream})` : ''}`;
  if (status === 429) {
    const retryAfterMs = retryAfterFrom(failure.headers);
    return new RateLimitError(message, { ...(retryAfterMs !== undefined && { retryAfterMs }), ...(code && { code }), ...(type && { type }), ...(param && { param }) });
  }
  return new ProviderError(message, { status, ...(code && { code }), ...(type && { type }), ...(param && { param }) });
}

/**
 * The provider's own error behind a router's generic one: OpenRouter answers "Provider returned
 * error" and puts the provider's name and raw error body in `metadata`. Without it the message
 * would not say what went wrong (nor that streaming was refused, for `degradeToInvoke`).
 */
function upstreamDetail(body: Record<string, unknown> | undefined): string | undefined {
  const metadata = body?.metadata;
  if (!isPlainObject(metadata) || typeof metadata.raw !== 'string' || metadata.raw.trim() === '') return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(metadata.raw);
  } catch {
    raw = undefined;
  }
  const inner = isPlainObject(raw) && isPlainObject(raw.error) ? raw.error : raw;
  const text = isPlainObject(inner) && typeof inner.message === 'string' ? inner.message : metadata.raw;
  const excerpt = text.length > 300 ? `${text.slice(0, 300)}…` : text;
  return typeof metadata.provider_name === 'string' ? `${metadata.provider_name}: ${excerpt}` : excerpt;
}

/**
 * Milliseconds to wait, from `retry-after-ms`, or `Retry-After` as seconds or an HTTP date.
 *
 * @example
 * ```ts
 * retryAfterFrom(new Headers({ 'retry-after': '2' })); // 2000
 * ```
 */
export function retryAfterFrom(headers: { get(name: string): string | null } | undefined, now = Date.now()): number | undefined {
  const ms = headers?.get('retry-after-ms');
  if (ms && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = headers?.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The message of `error` followed by the messages of its causes (fetch nests the socket error two deep). */
function describeCause(error: Error): string {
  const reasons: string[] = [];
  let cause = error.cause;
  for (let depth = 0; isErrorLike(cause) && depth < 4; depth++) {
    const code = (cause as { code?: unknown }).code;
    reasons.push(typeof code === 'string' && !cause.message.includes(code) ? `${code}: ${cause.message}` : cause.message);
    cause = cause.cause;
  }
  return reasons.length ? `${error.message} (${reasons.join(': ')})` : error.message;
}

/** A copy of an error that keeps only what is safe to log: name, masked message and the first `code` of its causes. */
function maskedCause(error: unknown): Error | undefined {
  if (!isErrorLike(error)) return undefined;
  const copy = new Error(maskSecrets(error.message));
  copy.name = error.name;
  let current: unknown = error;
  for (let depth = 0; isErrorLike(current) && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') {
      (copy as Error & { code?: string }).code = code;
      break;
    }
    current = current.cause;
  }
  return copy;
}

/** An `Error` from any realm (fetch's errors come from Node's own realm, not the caller's). */
function isErrorLike(value: unknown): value is Error {
  return value instanceof Error || (typeof value === 'object' && value !== null
    && typeof (value as Error).message === 'string' && typeof (value as Error).name === 'string');
}
