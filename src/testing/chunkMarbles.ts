import { Observable, asyncScheduler } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { AIMessageChunk, type AIMessageChunkFields } from '../messages/AIMessageChunk.js';

/** A value in a chunk marble diagram: text (a chunk's `content`), chunk fields, a chunk, or an error. */
export type MarbleChunk = string | AIMessageChunkFields | AIMessageChunk | Error;

/**
 * A cold stream of `AIMessageChunk`s written as a marble diagram: each letter is a chunk, given
 * as its text, its fields or a chunk; an `Error` value or `#` fails the stream at that frame.
 * Inside `TestScheduler.run` it emits in virtual time; each subscription replays the diagram.
 *
 * @example
 * ```ts
 * import { accumulate } from 'rxllm';
 * import { chunkMarbles, createTestScheduler } from 'rxllm/testing';
 * createTestScheduler().run(({ expectObservable }) => {
 *   const text$ = chunkMarbles('-a-b|', { a: 'Hel', b: 'lo' }).pipe(accumulate(), map((m) => m.content));
 *   expectObservable(text$).toBe('-a-b|', { a: 'Hel', b: 'Hello' });
 * });
 * ```
 */
export function chunkMarbles(marbles: string, values?: Record<string, MarbleChunk>, error?: unknown): Observable<AIMessageChunk> {
  const parse = () => TestScheduler.parseMarbles(marbles, values, error, true, true);
  parse(); // A malformed diagram fails here, not at subscription.
  return new Observable<AIMessageChunk>((subscriber) => {
    // Parsed per subscription: a frame's length depends on whether `TestScheduler.run` is active
    // now, and a stream may be built outside `run` (in a `beforeEach`) and subscribed inside it.
    const actions = parse().map(({ frame, notification }) => asyncScheduler.schedule(() => {
      if (notification.kind === 'N') {
        const value = notification.value as MarbleChunk;
        if (value instanceof Error) subscriber.error(value);
        else subscriber.next(toChunk(value));
      } else if (notification.kind === 'E') {
        subscriber.error(notification.error);
      } else {
        subscriber.complete();
      }
    }, frame));
    return () => actions.forEach((action) => action.unsubscribe());
  });
}

function toChunk(value: Exclude<MarbleChunk, Error>): AIMessageChunk {
  if (value instanceof AIMessageChunk) return value;
  return new AIMessageChunk(typeof value === 'string' ? { content: value } : value);
}
