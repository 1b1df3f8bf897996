import { concat, defer, EMPTY, filter, map, of, type Observable } from 'rxjs';
import { IncrementalJsonParser } from '../json/IncrementalJsonParser.js';
import type { StreamReset } from '../resilience/StreamReset.js';
import { Attempts } from './streamResetInternals.js';
import type { TextChunk } from './TextChunk.js';
import { textOf } from './textChunkInternals.js';

/**
 * Parses streamed JSON text and emits the partial value after each chunk that changes it.
 *
 * Text chunks in (strings, or chat-model chunks whose `content` is read), the document so far
 * out, in time linear in the text: an incremental parser keeps its place instead of re-parsing
 * the accumulated text for every chunk. Objects and arrays show as soon as they open, strings
 * grow as they arrive, a number shows once the character after it arrives, a member once its key
 * is complete (see `IncrementalJsonParser` for the exact rules). The last value emitted is the
 * complete document; for a document that is a bare number that happens when the source completes.
 *
 * Emitted values are persistent snapshots: later chunks never change a value already emitted,
 * unchanged members keep their identity and changed ones get a new one, so
 * `distinctUntilChanged()`, Angular `OnPush` and React state work as usual. Do not mutate them.
 * To stay linear, an open array or object past 256 members is updated in place rather than
 * copied for each value (see `IncrementalJsonParser`'s `snapshotCopyLimit`).
 *
 * Strict: the text must be exactly one JSON value (whitespace around it allowed). Malformed text,
 * or a source that completes before the value does, errors with an `OutputParserError` carrying
 * the absolute `offset` and an excerpt; values emitted before stay delivered. Each subscription
 * parses on its own.
 *
 * A `StreamReset` (from `retryStream({ afterFirstChunk: 'restart' })` or a fallback that switches)
 * passes on at once and parsing starts over after it, so the voided attempt's text is neither
 * mixed with the new one nor checked: only the last attempt must be one whole JSON value. The
 * operator is generic in its source, so that the markers are in its output type exactly when they
 * are in its input's.
 *
 * ```
 * source:        --a------b------c--------|   a: '{"n": 1', b: '2, "s": "h', c: 'i"}'
 * partialJson(): --x------y------z--------|   x: {}, y: { n: 12, s: 'h' }, z: { n: 12, s: 'hi' }
 *
 * source:        -a---R-b--|                  a: '{"n": 1', R: StreamReset, b: '[]'
 * partialJson(): -x---R-y--|                  x: {}, y: []
 * ```
 *
 * @example
 * ```ts
 * import { partialJson } from 'rxllm';
 *
 * interface Recipe { title: string; steps: string[] }
 * model.stream('Answer with a JSON recipe: {"title": ..., "steps": [...]}')
 *   .pipe(partialJson<Partial<Recipe>>())
 *   .subscribe((recipe) => render(recipe));
 * ```
 *
 * @return An operator emitting the partial value after each chunk that changes it.
 */
export function partialJson<T = unknown>(): <S extends TextChunk | StreamReset>(source: Observable<S>) => Observable<T | Extract<S, StreamReset>> {
  return <S extends TextChunk | StreamReset>(source: Observable<S>) => defer(() => {
    const attempts = new Attempts(() => new IncrementalJsonParser());
    const changes = source.pipe(
      map((item) => {
        if (attempts.opensNext(item)) return item as Extract<S, StreamReset>;
        return attempts.state.write(textOf(item as TextChunk)) ? (attempts.state.value as T) : UNCHANGED;
      }),
      filter((value): value is T | Extract<S, StreamReset> => value !== UNCHANGED),
    );
    // Only the last attempt's document must be whole.
    return concat(changes, defer(() => (attempts.state.end() ? of(attempts.state.value as T) : EMPTY)));
  });
}

/** Marks a chunk that left the partial value as it was. */
const UNCHANGED: unique symbol = Symbol('unchanged');
