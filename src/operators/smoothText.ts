import { asyncScheduler, type MonoTypeOperatorFunction, type Observer, type SchedulerLike } from 'rxjs';
import { AIMessageChunk, type AIMessageChunkFields } from '../messages/AIMessageChunk.js';
import { mergeResponseMetadataInto } from '../messages/responseMetadataMerge.js';
import { durationMs } from '../errors/optionChecks.js';
import type { StreamReset } from '../resilience/StreamReset.js';
import { pace } from './paceInternals.js';
import { Attempts } from './streamResetInternals.js';
import type { TextChunk } from './TextChunk.js';
import { isPlainTextChunk } from './textChunkInternals.js';
import type { SmoothTextUnit } from './SmoothTextUnit.js';
import { createTextSplitter, type TextSplitter } from './textSplitterInternals.js';
import { outputInTurns } from './turnsInternals.js';

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
 * With `delayMs`, pieces go out at most one per `delayMs` on the scheduler (the first at once).
 * When the source completes or errors, the pending text becomes the last piece and the
 * completion or error follows the queued pieces, so no text received is lost. Unsubscribing
 * drops what is queued.
 *
 * A `StreamReset` (from `retryStream({ afterFirstChunk: 'restart' })` or a fallback that switches)
 * passes on at once, and the smoothing starts over after it: the pending text of the voided
 * attempt is dropped, and so are the pieces still waiting for their turn with `delayMs`.
 *
 * Each chunk costs time proportional to its own length for `'word'` and `'line'`; a `RegExp` or
 * `Intl.Segmenter` rescans the pending piece, which stays short for words and sentences.
 *
 * ```
 * source:        -a--b---c-|        a: 'Hel', b: 'lo wor', c: 'ld. Bye'
 * smoothText():  ----x---y-(z|)     x: 'Hello ', y: 'world. ', z: 'Bye'
 * smoothText({ delayMs: 2 }) with c: 'ld. Bye now':
 *                ----x---y-z-(w|)   y: 'world. ', z: 'Bye ', w: 'now'
 * source with a marker:
 *                -a--R--b-|         a: 'Hel', b: 'Bye now'
 * smoothText():  ----R--x-(y|)      x: 'Bye ', y: 'now'
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
export function smoothText<T extends TextChunk | StreamReset>(options: SmoothTextOptions = {}): MonoTypeOperatorFunction<T> {
  const by = options.by ?? 'word';
  createTextSplitter(by); // fail on a bad `by` now, where the option is given
  const delayMs = durationMs('smoothText', 'delayMs', options.delayMs, 0);
  const scheduler = options.scheduler ?? asyncScheduler;
  return (source) => {
    const pieces = outputInTurns<T, T>(source, (output) => {
      const attempts = new Attempts(() => new TextSmoother<TextChunk>(createTextSplitter(by), (piece) => output.next(piece as T)));
      const steps: Observer<T> = {
        next: (item) => {
          if (attempts.opensNext(item)) output.next(item);
          else attempts.state.next(item as TextChunk);
        },
        error: (error: unknown) => {
          attempts.state.flush();
          output.error(error);
        },
        complete: () => {
          attempts.state.flush();
          output.complete();
        },
      };
      return steps;
    });
    // The pacing starts over at a marker too: the voided pieces still waiting are dropped.
    return delayMs > 0 ? pieces.pipe(pace(delayMs, scheduler)) : pieces;
  };
}

/** The state of one attempt of `smoothText`: what is pending, and how pieces are made. */
class TextSmoother<T extends TextChunk> {
  private asChunks = false;
  private id: string | undefined;
  private pendingMetadata: Record<string, unknown> | undefined;

  constructor(private readonly splitter: TextSplitter, private readonly emit: (piece: T) => void) {}

  next(value: T): void {
    if (typeof value === 'string') {
      this.asChunks = false;
      this.pieces(this.splitter.push(value));
      return;
    }
    this.asChunks = true;
    const chunk = value as AIMessageChunk;
    if (!isPlainTextChunk(chunk) || (!chunk.content && !this.splitter.hasPending())) {
      // Nothing may move across this chunk (or nothing is pending to move): pass it on, in order.
      this.flush();
      this.emit(value);
      return;
    }
    if (chunk.id !== undefined) this.id = chunk.id;
    if (Object.keys(chunk.responseMetadata).length > 0) {
      this.pendingMetadata ??= {};
      mergeResponseMetadataInto(this.pendingMetadata, chunk.responseMetadata);
    }
    this.pieces(this.splitter.push(chunk.content));
  }

  /** Emits the pending text as a last piece (none when nothing is pending). */
  flush(): void {
    const rest = this.splitter.flush();
    if (rest || this.pendingMetadata) this.emit(this.piece(rest));
  }

  private pieces(texts: string[]): void {
    for (const text of texts) this.emit(this.piece(text));
  }

  private piece(text: string): T {
    if (!this.asChunks) return text as T;
    const fields: AIMessageChunkFields = { content: text };
    if (this.id !== undefined) fields.id = this.id;
    if (this.pendingMetadata) fields.responseMetadata = this.pendingMetadata;
    const chunk = new AIMessageChunk(fields);
    // Metadata rides once, on the first piece after the chunk that brought it.
    this.pendingMetadata = undefined;
    return chunk as T;
  }
}
