import { defer, type OperatorFunction } from 'rxjs';
import { IncrementalJsonParser } from '../json/IncrementalJsonParser.js';
import { partialJsonChanges } from './partialJsonInternals.js';
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
 * ```
 * source:        --a------b------c--------|   a: '{"n": 1', b: '2, "s": "h', c: 'i"}'
 * partialJson(): --x------y------z--------|   x: {}, y: { n: 12, s: 'h' }, z: { n: 12, s: 'hi' }
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
export function partialJson<T = unknown>(): OperatorFunction<TextChunk, T> {
  return (source) =>
    defer(() => {
      const parser = new IncrementalJsonParser();
      return source.pipe(partialJsonChanges(parser, { text: textOf, read: () => parser.value as T }));
    });
}
