import { OutputParserError } from '../errors/index.js';

/** How many characters of context an error excerpt keeps on each side of the offending offset. */
const EXCERPT_RADIUS = 20;

/**
 * The `OutputParserError`s of one JSON text read in chunks: it follows the chunks as they are
 * read so that an error gives the absolute `offset` in the whole text and, in `text`, an excerpt
 * around it that may reach back into earlier chunks.
 *
 * The message names the offending character (or the end of input), the offset, what was
 * expected there, and the excerpt with control characters escaped, e.g.
 * `Unexpected character '7' at offset 28 in JSON (expected ',' or ']'): : [1, 2, 3, 4, 5, 6 7]}`.
 */
export class JsonSyntaxErrors {
  /** Characters of earlier chunks: turns an index in the current chunk into an absolute offset. */
  private consumed = 0;
  /** At least the last EXCERPT_RADIUS characters of earlier chunks, at most a few times more. */
  private tail = '';

  /** Records `text` as read: later offsets count it, and later excerpts may show its end. */
  advance(text: string): void {
    const length = text.length;
    this.consumed += length;
    // Trimmed only now and then: appending a small chunk is cheaper than slicing after every one.
    if (length >= EXCERPT_RADIUS) this.tail = text.slice(length - EXCERPT_RADIUS);
    else if ((this.tail += text).length > 4 * EXCERPT_RADIUS) this.tail = this.tail.slice(-EXCERPT_RADIUS);
  }

  /**
   * The error for `text[i]` of the chunk being read (not yet advanced past), or for the end of
   * input when `i` is at the end of `text` (pass `''` once every chunk is read).
   * @param hint what was expected there, e.g. `expected ',' or '}'`.
   * @param problem replaces the "Unexpected character" opening for errors that are not about one character.
   */
  at(text: string, i: number, hint: string, problem?: string): OutputParserError {
    const before = i >= EXCERPT_RADIUS ? text.slice(i - EXCERPT_RADIUS, i) : (this.tail + text.slice(0, i)).slice(-EXCERPT_RADIUS);
    const excerpt = before + text.slice(i, i + EXCERPT_RADIUS);
    const offset = this.consumed + i;
    const what = problem ?? (i >= text.length ? 'Unexpected end of JSON input' : `Unexpected character '${printable(text.charAt(i))}'`);
    const message = `${what} at offset ${offset} in JSON (${hint}): ${printable(excerpt)}`;
    return new OutputParserError(message, { offset, text: excerpt });
  }
}

/** Makes control characters visible in a message (a raw newline would break the log line). */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f]/g, (c) => JSON.stringify(c).slice(1, -1));
}
