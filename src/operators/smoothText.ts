import { asyncScheduler, Observable, type MonoTypeOperatorFunction, type SchedulerLike } from 'rxjs';
import { AIMessageChunk } from '../messages/AIMessageChunk.js';
import { mergeResponseMetadataInto } from '../messages/responseMetadataMerge.js';
import { durationMs } from './optionChecksInternals.js';
import { PacedEmitter } from './pacedEmitterInternals.js';
import { isPlainTextChunk, type TextChunk } from './textChunkInternals.js';
import { createTextSplitter, type SmoothTextUnit } from './textSplitterInternals.js';

/** Options of {@link smoothText}. */
export interface SmoothTextOptions {
  /**
   * What a piece is. `'word'` (default): a word and the whitespace after it. `'line'`: a line and
   * its `\n`. A `RegExp`: the text up to and including each match (`/[.!?]\s+/` for sentences).
   * An `Intl.Segmenter`: its segments; with `granularity: 'word'` a word and the spaces and
   * punctuation after it, which is how to cut Chinese or Japanese, written without spaces.
   */
  by?: SmoothTextUnit;
  /** Least time between two emitted pieces, for a typing effect. Default 0: no pacing. */
  delayMs?: number;
  /** Scheduler of the pacing. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/**
 * Re-chunks streamed text into whole words (or lines, sentences, segments), optionally paced.
 *
 * Models send text in token-sized fragments that split words (`'Hel'`, `'lo wor'`, `'ld'`);
 * `smoothText` emits whole pieces instead (`'Hello '`, `'world'`), which reads better on screen
 * and is what text-to-speech wants. Text is never lost, duplicated or reordered: the pieces
 * concatenate to exactly the input text. The last piece waits for the text after it (it may not
 * be complete yet) and is emitted when the source completes, or errors, or before any chunk that
 * is more than text.
 *
 * Strings in, strings out. For `AIMessageChunk`s, a chunk of plain text (content, plus the `id`
 * and `responseMetadata` providers repeat) is re-cut into new chunks: each piece carries the `id`
 * of the latest chunk, and each chunk's `responseMetadata` rides on the first piece emitted after
 * it, once. A chunk with tool-call chunks, usage, a finish reason or reasoning is emitted
 * unchanged, after the pending text. So `concatChunks` of the output equals `concatChunks` of
 * the input.
 *
 * With `delayMs`, pieces go out at most one per `delayMs` on the scheduler (the first at once);
 * completion waits for the queue. On a source error, the queued and pending text is emitted at
 * once, then the error. Unsubscribing drops what is queued.
 *
 * Each chunk costs time proportional to its own length for `'word'` and `'line'`; a `RegExp` or
 * `Intl.Segmenter` rescans the pending piece, which stays short for words and sentences.
 *
 * ```
 * source:        -a--b---c-|        a: 'Hel', b: 'lo wor', c: 'ld. Bye'
 * smoothText():  ----x---y-(z|)     x: 'Hello ', y: 'world. ', z: 'Bye'
 * smoothText({ delayMs: 2 }) with c: 'ld. Bye now':
 *                ----x---y-z-(w|)   y: 'world. ', z: 'Bye ', w: 'now'
 * ```
 *
 * @example
 * ```ts
 * import { smoothText, textDeltas } from 'rxllm';
 * model.stream('Write a poem').pipe(textDeltas(), smoothText({ by: 'word', delayMs: 30 }))
 *   .subscribe((word) => process.stdout.write(word));
 * ```
 *
 * @param options What a piece is, and the pacing.
 * @return An operator emitting the same text in whole pieces.
 */
export function smoothText<T extends TextChunk>(options: SmoothTextOptions = {}): MonoTypeOperatorFunction<T> {
  const by = options.by ?? 'word';
  createTextSplitter(by); // fail on a bad `by` now, where the option is given
  const delayMs = durationMs('smoothText', 'delayMs', options.delayMs, 0);
  const scheduler = options.scheduler ?? asyncScheduler;

  return (source) => new Observable<T>((subscriber) => {
    const splitter = createTextSplitter(by);
    const out = new PacedEmitter<T>(subscriber, delayMs, scheduler);
    let asChunks = false;
    let id: string | undefined;
    let pendingMetadata: Record<string, unknown> | undefined;

    const piece = (text: string): T => {
      if (!asChunks) return text as T;
      const chunk = new AIMessageChunk({ content: text, ...(id !== undefined && { id }), ...(pendingMetadata && { responseMetadata: pendingMetadata }) });
      pendingMetadata = undefined;
      return chunk as T;
    };
    const addText = (text: string): void => {
      const pieces = splitter.push(text);
      for (let i = 0; i < pieces.length && !subscriber.closed; i++) out.push(piece(pieces[i]));
    };
    const flushPending = (): void => {
      const rest = splitter.flush();
      if (rest || pendingMetadata) out.push(piece(rest));
    };

    const subscription = source.subscribe({
      next(value) {
        if (typeof value === 'string') {
          asChunks = false;
          addText(value);
          return;
        }
        asChunks = true;
        if (!isPlainTextChunk(value) || (!value.content && !splitter.hasPending())) {
          // Nothing may move across this chunk (or there is nothing pending to move): pass it on.
          flushPending();
          out.push(value);
          return;
        }
        if (value.id !== undefined) id = value.id;
        if (Object.keys(value.responseMetadata).length > 0) {
          pendingMetadata ??= {};
          mergeResponseMetadataInto(pendingMetadata, value.responseMetadata);
        }
        addText(value.content);
      },
      error(error: unknown) {
        flushPending();
        out.error(error);
      },
      complete() {
        flushPending();
        out.complete();
      },
    });
    return () => {
      subscription.unsubscribe();
      out.cancel();
    };
  });
}
