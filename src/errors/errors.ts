import { RxllmError } from './RxllmError.js';
import { maskSecrets } from './maskSecrets.js';

/** Which limit of `streamTimeout` fired. */
export type StreamTimeoutKind = 'first-chunk' | 'idle' | 'total';

/** A stream took longer than one of its limits; the source has been cancelled. */
export class StreamTimeoutError extends RxllmError {
  constructor(readonly kind: StreamTimeoutKind, readonly timeoutMs: number) {
    super(`Stream timed out: no ${kind === 'first-chunk' ? 'first chunk' : kind === 'idle' ? 'chunk' : 'completion'} within ${timeoutMs} ms (${kind} limit)`);
  }
}

/**
 * The provider answered with an HTTP status or an error event. `code`, `type` and `param` come
 * from the server's error body and are masked like the message: a server may echo the key in them.
 */
export class ProviderError extends RxllmError {
  readonly status?: number;
  readonly code?: string;
  readonly type?: string;
  readonly param?: string;
  constructor(message: string, fields: { status?: number; code?: string; type?: string; param?: string; cause?: unknown } = {}) {
    super(message, { cause: fields.cause });
    this.status = fields.status;
    this.code = fields.code === undefined ? undefined : maskSecrets(fields.code);
    this.type = fields.type === undefined ? undefined : maskSecrets(fields.type);
    if (fields.param !== undefined) this.param = maskSecrets(fields.param);
  }
}

/** HTTP 429: too many requests or quota exhausted. `retryAfterMs` comes from `Retry-After` / `retry-after-ms`. */
export class RateLimitError extends ProviderError {
  readonly retryAfterMs?: number;
  constructor(message: string, fields: { retryAfterMs?: number; code?: string; type?: string; param?: string; cause?: unknown } = {}) {
    super(message, { ...fields, status: 429 });
    this.retryAfterMs = fields.retryAfterMs;
  }
}

/** The server could not be reached, or the connection broke before the response was complete. */
export class APIConnectionError extends RxllmError {}

/** A tool was called with arguments its schema rejects. */
export class ToolInputError extends RxllmError {
  constructor(readonly tool: string, readonly issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>, message?: string) {
    super(message ?? `Invalid input for tool "${tool}": ${issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
}

/** Model output could not be parsed (malformed JSON, or a value failing its schema). */
export class OutputParserError extends RxllmError {
  constructor(message: string, readonly fields: { path?: ReadonlyArray<PropertyKey>; text?: string; offset?: number } = {}) {
    super(message);
  }
  get path(): ReadonlyArray<PropertyKey> | undefined { return this.fields.path; }
  get text(): string | undefined { return this.fields.text; }
  get offset(): number | undefined { return this.fields.offset; }
}

/**
 * A chat model was given input that is not messages: a `null` entry, an unknown role, content
 * that is not text. Raised before anything is sent; `index` is the position of the bad entry.
 */
export class MessageInputError extends RxllmError {
  constructor(message: string, readonly index?: number) {
    super(message);
  }
}

/** A prompt template was given input that does not fill it: a missing variable or a wrong value. */
export class PromptInputError extends RxllmError {
  constructor(message: string, readonly variable?: string) {
    super(message);
  }
}

/** The run was aborted through `config.signal`. */
export class AbortError extends RxllmError {
  constructor(message = 'The run was aborted') {
    super(message);
  }
}

/**
 * A resumed stream cannot continue: the run is unknown, or the frames after `lastEventId` have
 * left the replay buffer (too old, or pushed out by newer ones). Nothing after that id can be
 * delivered exactly once any more, so the client must start a new run.
 *
 * @example
 * ```ts
 * import { StreamGoneError } from 'rxllm';
 * stream$.subscribe({ error: (error) => { if (error instanceof StreamGoneError) startOver(); } });
 * ```
 */
export class StreamGoneError extends RxllmError {
  /**
   * @param runId the run the client asked to resume.
   * @param lastEventId the last frame id the client had, when it gave one.
   */
  constructor(readonly runId: string, readonly lastEventId?: string, message?: string) {
    super(message ?? (lastEventId === undefined
      ? `Stream ${runId} is gone: the run is unknown or has expired`
      : `Stream ${runId} is gone: the frames after ${lastEventId} are no longer kept`));
  }
}

/**
 * `redactPII({ mode: 'error' })` found an entity. The text before it was delivered; the entity
 * itself is not in the error, only its kind.
 *
 * @example
 * ```ts
 * import { PIIDetectedError } from 'rxllm';
 * stream$.subscribe({ error: (error) => { if (error instanceof PIIDetectedError) console.log(error.kind); } });
 * ```
 */
export class PIIDetectedError extends RxllmError {
  /**
   * @param kind the detector that matched (`email`, `creditCard`, … or your own).
   * @param message what was stopped (`redactInput` says that nothing was sent).
   */
  constructor(readonly kind: string, message?: string) {
    super(message ?? `Personal data or a secret was found in the stream (${kind}); the text before it was delivered`);
  }
}

/** What went wrong, in the words a user may see: the kinds of `MaskedError`. */
export type MaskedErrorKind =
  | 'rate_limit' | 'timeout' | 'connection' | 'provider' | 'aborted' | 'invalid_input' | 'tool'
  | 'invalid_output' | 'content_filtered' | 'pii_detected' | 'stream_gone' | 'internal';

/**
 * An error with its details withheld (`maskErrors`, and the SSE endpoint by default): a `kind`,
 * whether another attempt may succeed, and a short message written for users. Nothing of the
 * original error is in it but, for rate limits, how long to wait; the original went to `report`.
 *
 * @example
 * ```ts
 * import { MaskedError } from 'rxllm';
 * stream$.subscribe({ error: (error) => { if (error instanceof MaskedError && error.retryable) showRetry(error.message); } });
 * ```
 */
export class MaskedError extends RxllmError {
  /** For `rate_limit`: how long the provider asked to wait, when it said (absent otherwise, also from JSON). */
  declare readonly retryAfterMs?: number;
  /**
   * @param kind what went wrong.
   * @param retryable whether another attempt may succeed (`isRetryableError` of the original).
   * @param message the short text for users.
   */
  constructor(readonly kind: MaskedErrorKind, readonly retryable: boolean, message: string, fields: { retryAfterMs?: number } = {}) {
    super(message);
    if (fields.retryAfterMs !== undefined) this.retryAfterMs = fields.retryAfterMs;
  }
}
