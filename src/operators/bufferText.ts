import { asyncScheduler, Observable, type MonoTypeOperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';
import { concatChunks } from '../messages/AIMessageChunk.js';
import type { AIMessageChunk } from '../messages/AIMessageChunk.js';
import { durationMs, positiveCount } from './optionChecksInternals.js';
import { textOf, type TextChunk } from './textChunkInternals.js';

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
  const maxWaitMs = durationMs('bufferText', 'maxWaitMs', options.maxWaitMs, 0, true);
  const scheduler = options.scheduler ?? asyncScheduler;

  return (source) => new Observable<T>((subscriber) => {
    let buffer: T[] = [];
    let chars = 0;
    let timer: Subscription | undefined;

    const emitBuffer = (): void => {
      timer?.unsubscribe();
      timer = undefined;
      if (buffer.length === 0) return;
      const items = buffer;
      buffer = [];
      chars = 0;
      if (typeof items[0] === 'string') {
        const text = items.join('');
        if (text) subscriber.next(text as T);
      } else {
        subscriber.next((items.length === 1 ? items[0] : concatChunks(items as AIMessageChunk[])) as T);
      }
    };

    const subscription = source.subscribe({
      next(value) {
        // Strings and chunks do not mix in one buffer.
        if (buffer.length > 0 && typeof buffer[0] !== typeof value) emitBuffer();
        buffer.push(value);
        chars += textOf(value).length;
        if (chars >= maxChars) emitBuffer();
        else if (!timer && maxWaitMs !== Infinity) timer = scheduler.schedule(emitBuffer, maxWaitMs);
      },
      error(error: unknown) {
        emitBuffer();
        subscriber.error(error);
      },
      complete() {
        emitBuffer();
        subscriber.complete();
      },
    });
    return () => {
      subscription.unsubscribe();
      timer?.unsubscribe();
      buffer = [];
    };
  });
}
