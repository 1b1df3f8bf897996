import { concat, defer, EMPTY, filter, map, of, type OperatorFunction } from 'rxjs';
import type { IncrementalJsonParser } from '../json/IncrementalJsonParser.js';

/** Options of {@link partialJsonChanges}. */
export interface PartialJsonChangesOptions<In, Out> {
  /** The JSON text a chunk adds. */
  text: (chunk: In) => string;
  /** What a change emits, read from the parser: the partial value, its patches, a value shaped for the caller. */
  read: () => Out;
  /**
   * End the parser when the source completes and emit the change that makes (a document that is
   * a bare number shows only then); an unfinished document errors. Default `true`; `false`
   * leaves the end to the caller, for a check that must come first.
   */
  end?: boolean;
}

/** Marks a chunk that left the partial value as it was. */
const UNCHANGED: unique symbol = Symbol('unchanged');

/**
 * The parse loop of `JsonOutputParser` and structured output: writes each chunk's text to
 * `parser` and emits `read()` after every chunk that changed the partial value, none for a chunk
 * that did not (whitespace, half a key, a number still growing). `partialJson` runs the same loop
 * with a parser per attempt of a retried stream.
 *
 * The parser is the caller's, so that the caller chooses its options and can read it after the
 * source completes; a parser serves one subscription, so create it in a `defer`. A malformed
 * chunk errors the result with the parser's `OutputParserError`; values emitted before stay
 * delivered.
 *
 * @param parser the subscription's own parser.
 * @return An operator from chunks to what `read` gives for each change.
 */
export function partialJsonChanges<In, Out>(parser: IncrementalJsonParser, options: PartialJsonChangesOptions<In, Out>): OperatorFunction<In, Out> {
  const { text, read, end = true } = options;
  return (source) => {
    const changes = source.pipe(
      map((chunk) => (parser.write(text(chunk)) ? read() : UNCHANGED)),
      filter((value): value is Out => value !== UNCHANGED),
    );
    if (!end) return changes;
    return concat(changes, defer(() => (parser.end() ? of(read()) : EMPTY)));
  };
}
