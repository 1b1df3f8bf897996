/**
 * A marker in a stream: everything emitted before it is void, the answer starts over after it.
 *
 * Recovery that replays a stream from scratch after chunks were already delivered
 * (`retryStream({ afterFirstChunk: 'restart' })`, `fallbackStream(…, { afterFirstChunk: 'switch' })`,
 * `withRetry`/`withFallbacks` with those policies) emits one `StreamReset` when the new attempt
 * starts. A consumer clears what it built so far (the rendered text, an accumulated message, a
 * parser's state) and continues with the chunks that follow; or it pipes its stateful operators
 * through `restartOnReset`, which does that for them. Under the default policies (`'error'`) no
 * marker is ever emitted: a failure after the first chunk passes on, the chunks before it stay.
 *
 * @example
 * ```ts
 * import { isStreamReset, retryStream } from 'rxllm';
 * model.stream('Tell me a story').pipe(retryStream({ afterFirstChunk: 'restart' })).subscribe((item) => {
 *   if (isStreamReset(item)) output.textContent = '';
 *   else output.textContent += item.content;
 * });
 * ```
 */
export class StreamReset {
  /** Discriminates the marker from chunks, also across copies of the package. */
  readonly type = 'stream_reset' as const;
  /** The attempt whose output follows: 2 for the first retry or the first fallback. */
  readonly attempt: number;
  /** The error that ended the voided attempt: name and message, secrets masked. */
  readonly error: { name: string; message: string };

  constructor(fields: { attempt: number; error: { name: string; message: string } }) {
    this.attempt = fields.attempt;
    this.error = fields.error;
  }
}

/**
 * True for a `StreamReset` marker (also one made by another copy of the package).
 *
 * @example
 * ```ts
 * import { isStreamReset } from 'rxllm';
 * stream$.pipe(filter((item) => !isStreamReset(item)));
 * ```
 */
export function isStreamReset(value: unknown): value is StreamReset {
  return value instanceof StreamReset
    || (typeof value === 'object' && value !== null && (value as StreamReset).type === 'stream_reset'
      && typeof (value as StreamReset).attempt === 'number');
}

/** The values after the last `StreamReset`: what the attempt that finished produced. */
export function afterLastReset<T>(values: readonly T[]): T[] {
  for (let i = values.length - 1; i >= 0; i--) if (isStreamReset(values[i])) return values.slice(i + 1);
  return values as T[];
}
