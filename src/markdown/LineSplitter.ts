/**
 * Cuts text that arrives in pieces into whole lines, each with its line ending (`\n`, `\r\n` or
 * `\r`), whatever the pieces' boundaries: a piece that ends on `\r` waits for the next one, which
 * may start with the `\n` of the same line ending. Work is linear in the text.
 */
export class LineSplitter {
  private partial = '';

  /** The text after the last whole line. */
  get rest(): string {
    return this.partial;
  }

  /** Adds text and calls `onLine` for each line it completes, line ending included. */
  push(text: string, onLine: (line: string) => void): void {
    if (text === '') return;
    let pending = this.partial;
    let start = 0;
    if (pending.endsWith('\r')) {
      // A \r held back at the end of the last piece: this piece's first character decides.
      start = text.charCodeAt(0) === LF ? 1 : 0;
      onLine(pending + text.slice(0, start));
      pending = '';
    }
    for (let at = start; at < text.length; at++) {
      const char = text.charCodeAt(at);
      if (char !== LF && char !== CR) continue;
      if (char === CR) {
        if (at + 1 === text.length) break; // maybe the first half of \r\n
        if (text.charCodeAt(at + 1) === LF) at++;
      }
      onLine(pending + text.slice(start, at + 1));
      pending = '';
      start = at + 1;
    }
    this.partial = pending + text.slice(start);
  }

  /** Ends the text: the last line, if it has no line ending (a held-back `\r` included), is returned. */
  end(): string {
    const last = this.partial;
    this.partial = '';
    return last;
  }
}

const LF = 10;
const CR = 13;

/** A line without its line ending. */
export function lineContent(line: string): string {
  if (line.endsWith('\r\n')) return line.slice(0, -2);
  return line.endsWith('\n') || line.endsWith('\r') ? line.slice(0, -1) : line;
}
