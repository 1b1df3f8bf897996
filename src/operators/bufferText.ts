import {
  asyncScheduler, concat, defer, dematerialize, materialize, mergeMap, Subject, takeUntil, timer,
  type MonoTypeOperatorFunction, type ObservableInput, type ObservableNotification, type SchedulerLike,
} from 'rxjs';
import { concatChunks, type AIMessageChunk } from '../messages/AIMessageChunk.js';
import { durationMs, positiveCount } from '../errors/optionChecks.js';
import type { TextChunk } from './TextChunk.js';
import { textOf } from './textChunkInternals.js';

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
 * ```
 * source:                        -a-b-----c-d|       a: 'He', b: 'llo', c: ' wor', d: 'ld'
 * bufferText({ maxWaitMs: 5 }):  ------x-----(y|)    x: 'Hello', y: ' world'
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
export function bufferText<T extends TextChunk>(options: BufferTextOptions = {}): MonoTypeOperatorFunction<T> {
  const maxChars = positiveCount('bufferText', 'maxChars', options.maxChars, Infinity);
  const maxWaitMs = durationMs('bufferText', 'maxWaitMs', options.maxWaitMs, 0, { infinity: true });
  const scheduler = options.scheduler ?? asyncScheduler;

  return (source) => defer(() => {
    const buffer = new TextBuffer<T>();
    // Fires when the buffer is emitted, to cancel the wait of the buffer that just closed.
    const emitted = new Subject<void>();
    const emit = (): ObservableNotification<T>[] => {
      const value = buffer.take();
      emitted.next();
      return value === undefined ? [] : [{ kind: 'N', value }];
    };
    return source.pipe(
      materialize(),
      mergeMap((notification): ObservableInput<ObservableNotification<T>> => {
        if (notification.kind !== 'N') return [...emit(), notification];
        const value = notification.value;
        const before = buffer.accepts(value) ? [] : emit();
        buffer.add(value);
        if (buffer.chars >= maxChars) return [...before, ...emit()];
        if (buffer.size > 1 || maxWaitMs === Infinity) return before;
        const wait = timer(maxWaitMs, scheduler).pipe(takeUntil(emitted), mergeMap(emit));
        return before.length ? concat(before, wait) : wait;
      }),
      // A completion or error goes through at once, cancelling a pending wait.
      dematerialize(),
    );
  });
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
