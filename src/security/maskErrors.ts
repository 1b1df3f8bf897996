import { catchError, map, throwError, type MonoTypeOperatorFunction } from 'rxjs';
import { InvalidOptionError } from '../errors/InvalidOptionError.js';
import { DISPATCHED_BY, dispatcherOf, type StreamEvent } from '../events/StreamEvent.js';
import { StreamReset, isStreamReset } from '../resilience/StreamReset.js';
import { maskErrorDescription, toMaskedError } from './toMaskedError.js';

/** Options of {@link maskErrors}. */
export interface MaskErrorsOptions {
  /**
   * Receives the original of every error the stream ends with, before the masked one goes on: for
   * your logs and telemetry, which may see what users may not. An exception it throws is ignored,
   * so that a failing reporter never lets the original through.
   */
  report?: (error: unknown) => void;
}

/**
 * Lets users see what went wrong without what it says: the error a stream ends with becomes a
 * `MaskedError` (`kind`, `retryable`, a short message written for users), and the error
 * descriptions values carry (the `data.error` of `on_*_error` and fallback events, a
 * `StreamReset`'s `error`) become the same masked text. Keys, server bodies, stacks, causes, URL
 * credentials and headers never pass; `report` receives the original error.
 *
 * Values pass at once, unchanged unless they carry an error description: nothing is buffered.
 *
 * ```
 * source:                     --a--b--#      # = ProviderError('401: Incorrect API key sk-…')
 * maskErrors({ report }):     --a--b--#      # = MaskedError { kind: 'provider', retryable: false }
 * ```
 *
 * @example
 * ```ts
 * import { maskErrors } from 'rxllm';
 * chain.streamEvents(input).pipe(maskErrors({ report: (error) => logger.error(error) }))
 *   .subscribe({ error: (error) => showToUser(error.message) }); // 'The model provider could not answer the request'
 * ```
 *
 * @param options where the original errors go.
 * @return an operator with the same values and a masked error.
 */
export function maskErrors<T>(options: MaskErrorsOptions = {}): MonoTypeOperatorFunction<T> {
  if (typeof options !== 'object' || options === null) throw new InvalidOptionError('maskErrors', 'options', 'an object such as { report }', options);
  const { report } = options;
  if (report !== undefined && typeof report !== 'function') throw new InvalidOptionError('maskErrors', 'report', 'a function of the original error', report);
  return (source) => source.pipe(
    map(maskValue),
    catchError((error: unknown) => {
      try {
        report?.(error);
      } catch {
        // The reporter's own failure is not the stream's: the masked error still goes on.
      }
      return throwError(() => toMaskedError(error));
    }),
  );
}

/** `value` with the error descriptions it carries masked; itself when it carries none. */
function maskValue<T>(value: T): T {
  if (isStreamReset(value)) return maskedReset(value) as T;
  if (!isEvent(value)) return value;
  const data = value.data as { error?: unknown; chunk?: unknown };
  const error = isDescription(data.error) ? maskErrorDescription(data.error) : undefined;
  const chunk = isStreamReset(data.chunk) ? maskedReset(data.chunk) : undefined;
  if (!error && !chunk) return value;
  const copy: StreamEvent = { ...value, data: { ...data, ...(error && { error }), ...(chunk && { chunk }) } };
  const dispatcher = dispatcherOf(value);
  // Kept as the original keeps it: a symbol the event filters read, invisible in JSON.
  if (dispatcher) Object.defineProperty(copy, DISPATCHED_BY, { value: dispatcher });
  return copy as T;
}

function maskedReset(reset: StreamReset): StreamReset {
  return new StreamReset({ attempt: reset.attempt, error: maskErrorDescription(reset.error) });
}

function isEvent(value: unknown): value is StreamEvent {
  return typeof value === 'object' && value !== null && typeof (value as StreamEvent).event === 'string'
    && typeof (value as StreamEvent).run_id === 'string' && typeof (value as StreamEvent).data === 'object' && (value as StreamEvent).data !== null;
}

function isDescription(value: unknown): value is { name: string; message: string } {
  return typeof value === 'object' && value !== null && typeof (value as Error).name === 'string' && typeof (value as Error).message === 'string';
}
