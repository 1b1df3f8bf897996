import {
  asyncScheduler, defer, EMPTY, ignoreElements, merge, Subject, switchMap, tap, timer,
  type MonoTypeOperatorFunction, type Observer, type SchedulerLike,
} from 'rxjs';
import { concatChunks, type AIMessageChunk } from '../messages/AIMessageChunk.js';
import { durationMs, positiveCount } from '../errors/optionChecks.js';
import { isStreamReset, type StreamReset } from '../resilience/StreamReset.js';
import type { TextChunk } from './TextChunk.js';
import { textOf } from './textChunkInternals.js';
import { inTurns, Turns } from './turnsInternals.js';

/** Options of {@link bufferText}. */
export interface BufferTextOptions {
  /** Emit as soon as the buffered text reaches this many characters. Default `Infinity`. */
  maxChars?: number;
  /**
   * Longest time the first buffered chunk waits, in ms. Default 0: the next turn of the
   * scheduler, which with `animationFrameScheduler` is the next frame. `Infinity`: only
   * `maxChars` and the end of the stream emit.
   */
  maxWaitMs?: number;
  /** Scheduler of the wait. Default `asyncScheduler`; `animationFrameScheduler` in a browser. */
  scheduler?: SchedulerLike;
}

/**
 * Coalesces small chunks into fewer, larger ones, for renderers that pay per update.
 *
 * A buffer opens with the first chunk and is emitted when its text reaches `maxChars`, when
 * `maxWaitMs` has passed since it opened, or when the source ends. Strings are joined (an
 * all-empty buffer emits nothing); `AIMessageChunk`s are concatenated with `concatChunks`, so
 * tool calls, usage and metadata survive. A chunk is never split: `maxChars` is a threshold.
 *
 * End of stream: on completion the buffer is emitted, then completion. On a source error the
 * buffer is emitted, then the error, so text received before a failure is still shown. On
 * unsubscribe the buffer is dropped: no one is listening any more.
 *
 * A `StreamReset` (from `retryStream({ afterFirstChunk: 'restart' })` or a fallback that switches)
 * passes on at once; the buffer, which holds chunks of the voided attempt, is dropped with its
 * wait, and buffering starts over after it.
 *
 * ```
 * source:                        -a-b-----c-d|       a: 'He', b: 'llo', c: ' wor', d: 'ld'
 * bufferText({ maxWaitMs: 5 }):  ------x-----(y|)    x: 'Hello', y: ' world'
 *
 * source:                        -a-b-R-c-d|         R: StreamReset, c: 'Hi', d: '!'
 * bufferText({ maxWaitMs: 5 }):  -----R----(z|)      z: 'Hi!'  ('He' + 'llo' dropped)
 * ```
 *
 * @example
 * ```ts
 * import { animationFrameScheduler } from 'rxjs';
 * import { bufferText, textDeltas } from 'rxllm';
 * model.stream(prompt).pipe(textDeltas(), bufferText({ scheduler: animationFrameScheduler }))
 *   .subscribe((text) => output.append(text)); // at most one DOM update per frame
 * ```
 *
 * @param options When to emit the buffer.
 * @return An operator emitting the same content in fewer chunks.
 */
export function bufferText<T extends TextChunk | StreamReset>(options: BufferTextOptions = {}): MonoTypeOperatorFunction<T> {
  const maxChars = positiveCount('bufferText', 'maxChars', options.maxChars, Infinity);
  const maxWaitMs = durationMs('bufferText', 'maxWaitMs', options.maxWaitMs, 0, { infinity: true });
  const scheduler = options.scheduler ?? asyncScheduler;

  return (source) => defer(() => {
    const output = new Subject<T>();
    // true: the buffer just opened, its wait starts; false: it was emitted, its wait is cancelled.
    const waits = new Subject<boolean>();
    const buffering = new TextBuffering<T>(output, waits, maxChars, maxWaitMs !== Infinity);
    const turns = new Turns(buffering);
    const expiries = waits.pipe(
      switchMap((open) => (open ? timer(maxWaitMs, scheduler) : EMPTY)),
      tap(() => turns.run(() => buffering.emit())),
      ignoreElements(),
    );
    return merge(output, inTurns(source, turns), expiries);
  });
}

/** The steps of one subscription of `bufferText`, one at a time (see `Turns`). */
class TextBuffering<T extends TextChunk | StreamReset> implements Observer<T> {
  private buffer = new TextBuffer<TextChunk>();

  constructor(
    private readonly output: Observer<T>,
    private readonly waits: Observer<boolean>,
    private readonly maxChars: number,
    private readonly waitsForTime: boolean,
  ) {}

  next(item: T): void {
    if (isStreamReset(item)) {
      // The buffered chunks belong to the voided attempt: dropped, not emitted.
      this.buffer = new TextBuffer();
      this.waits.next(false);
      this.output.next(item);
      return;
    }
    const value = item as TextChunk;
    if (!this.buffer.accepts(value)) this.emit();
    this.buffer.add(value);
    if (this.buffer.chars >= this.maxChars) this.emit();
    else if (this.buffer.size === 1 && this.waitsForTime) this.waits.next(true);
  }

  error(error: unknown): void {
    this.emit();
    this.output.error(error);
  }

  complete(): void {
    this.emit();
    this.waits.complete();
    this.output.complete();
  }

  /** Emits the buffer (if anything is in it) and cancels its wait. */
  emit(): void {
    const value = this.buffer.take();
    this.waits.next(false);
    if (value !== undefined) this.output.next(value as T);
  }
}

/** The chunks waiting in one subscription of `bufferText`. */
class TextBuffer<T extends TextChunk> {
  private items: T[] = [];
  chars = 0;

  get size(): number {
    return this.items.length;
  }

  /** Strings and chunks do not mix in one buffer. */
  accepts(value: T): boolean {
    return this.items.length === 0 || typeof this.items[0] === typeof value;
  }

  add(value: T): void {
    this.items.push(value);
    this.chars += textOf(value).length;
  }

  /** The buffer as one value, emptied; `undefined` when there is nothing to emit. */
  take(): T | undefined {
    const items = this.items;
    this.items = [];
    this.chars = 0;
    if (items.length === 0) return undefined;
    if (typeof items[0] === 'string') {
      const text = items.join('');
      return text ? (text as T) : undefined;
    }
    return (items.length === 1 ? items[0] : concatChunks(items as AIMessageChunk[])) as T;
  }
}
