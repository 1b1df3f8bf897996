import { LineSplitter, lineContent } from '../../src/markdown/LineSplitter.js';

function linesOf(pieces: readonly string[]): { lines: string[]; rest: string } {
  const splitter = new LineSplitter();
  const lines: string[] = [];
  for (const piece of pieces) splitter.push(piece, (line) => lines.push(line));
  return { lines, rest: splitter.end() };
}

describe('LineSplitter', () => {
  it('cuts text into lines with their endings, whatever the pieces', () => {
    const text = 'a\nbb\r\nccc\rd';
    const expected = { lines: ['a\n', 'bb\r\n', 'ccc\r'], rest: 'd' };
    expect(linesOf([text])).toEqual(expected);
    expect(linesOf([...text])).toEqual(expected);
    expect(linesOf(['a\nb', 'b\r', '\nccc', '\r', 'd'])).toEqual(expected);
  });

  it('waits on a \\r at the end of a piece until the next character', () => {
    const splitter = new LineSplitter();
    const lines: string[] = [];
    splitter.push('x\r', (line) => lines.push(line));
    expect(lines).toEqual([]);
    expect(splitter.rest).toBe('x\r');
    splitter.push('y', (line) => lines.push(line));
    expect(lines).toEqual(['x\r']);
    expect(splitter.end()).toBe('y');
  });

  it('gives back a held \\r with the last line at the end', () => {
    expect(linesOf(['last\r'])).toEqual({ lines: [], rest: 'last\r' });
  });

  it('strips a line ending', () => {
    expect(['a\n', 'b\r\n', 'c\r', 'd'].map(lineContent)).toEqual(['a', 'b', 'c', 'd']);
  });
});
