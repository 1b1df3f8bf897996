import type { MonoTypeOperatorFunction } from 'rxjs';
import { Attempts } from '../operators/streamResetInternals.js';
import { outputInTurns } from '../operators/turnsInternals.js';
import type { StreamReset } from '../resilience/StreamReset.js';
import { PIIDetectedError } from '../errors/errors.js';
import type { AIMessageChunk } from '../messages/AIMessageChunk.js';
import type { StreamEvent } from '../events/StreamEvent.js';
import type { PIIDetector } from './PIIDetector.js';
import { PIIScanner, detectorSet } from './PIIScanner.js';
import { TextParts, type TextBearingValue } from './textPartsInternals.js';
import { replacementFor, resolveDetectors, type RedactPIIOptions } from './redactPIIInternals.js';

/** What `redactPII` accepts: text chunks, message chunks, or events that carry them. */
export type RedactableValue = string | AIMessageChunk | StreamEvent;

/**
 * Redacts personal data and secrets from a stream, across chunk boundaries.
 *
 * Each text (a stream of strings; a message's content, its reasoning and each tool call's
 * argument text; the chunks of `on_*_stream` events, per run) is searched as it arrives. Text is
 * released at once, in the value that brought it, unless an entity could still begin in it: then
 * only that tail is held, at most the longest entity its detector can match (254 characters for
 * an email, 40 for a card number, 8,192 for a PEM block; see each detector), and it is released
 * with the value that settles it, a message's finish chunk, a run's end event or the completion.
 * Tool-call arguments stay valid JSON: a replacement has no quote or backslash, and an entity
 * never starts inside an escape sequence.
 *
 * ```
 * source:  -a-b-c-|     a = 'mail bob@exa', b = 'mple.com now', c = '!'
 * result:  -x-y-z-|     x = 'mail ', y = '[EMAIL] ', z = 'now!'
 * ```
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { redactPII } from 'rxllm';
 * from(['Write to bob@exa', 'mple.com or call +44 20 7946 0958.'])
 *   .pipe(redactPII())
 *   .subscribe((text) => console.log(text)); // 'Write to ', '[EMAIL] or call ', '[PHONE].'
 * ```
 *
 * A `StreamReset` (a retry or fallback starting over) passes through: the text held from the
 * voided attempt is dropped with it, and the new attempt is searched from its start.
 *
 * @param options which detectors run (default: every built-in one) and what an entity becomes.
 * @return an operator emitting the same kind of values with every entity replaced, or failing
 *   with `PIIDetectedError` after the clean text in mode `'error'`.
 */
export function redactPII<T extends RedactableValue | StreamReset>(options: RedactPIIOptions = {}): MonoTypeOperatorFunction<T> {
  const detectors = resolveDetectors(options.detectors);
  // Markers are handled here rather than with `restartOnReset`, whose groups and inner
  // subscriptions cost more per chunk than the search itself; the steps still take turns.
  return (source) => outputInTurns<T, T>(source, (output) => {
    const attempts = new Attempts(() => redaction(detectors, options));

    const emit = (values: readonly TextBearingValue[]): void => {
      for (let i = 0; i < values.length && !output.closed; i++) output.next(values[i] as T);
    };

    const emitFailure = (): boolean => {
      const stoppedAt = attempts.state.stoppedAt;
      if (!stoppedAt) return false;
      // Closing the output unsubscribes the source, so a synchronous one stops too.
      output.error(new PIIDetectedError(stoppedAt.kind));
      return true;
    };

    return {
      next: (value) => {
        // A marker drops what the voided attempt held; the next one is searched afresh.
        if (attempts.opensNext(value)) {
          output.next(value);
          return;
        }
        emit(attempts.state.push(value as RedactableValue));
        emitFailure();
      },
      error: (error: unknown) => {
        emit(attempts.state.end());
        if (!emitFailure()) output.error(error);
      },
      complete: () => {
        emit(attempts.state.end());
        if (!emitFailure()) output.complete();
      },
    };
  });
}

/** The scanners of one attempt: fresh regexes and, in mode `'hash'`, a fresh salt. */
function redaction(detectors: readonly PIIDetector[], options: RedactPIIOptions): TextParts {
  const ownDetectors = resolveDetectors(detectors);
  const set = detectorSet(ownDetectors);
  const replace = replacementFor(options, ownDetectors);
  const stopAtFirst = options.mode === 'error';
  return new TextParts((_key, json) => new PIIScanner(set, replace, stopAtFirst, json));
}
