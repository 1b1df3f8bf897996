import { InvalidOptionError } from '../errors/InvalidOptionError.js';

/** How `ScriptedChatModel` cuts a string into chunks. */
export type ChunkBy = 'char' | 'word' | number;

/** `by`, checked: `'char'`, `'word'` or a positive integer (an `InvalidOptionError` from `where` otherwise). */
export function checkChunkBy(where: string, by: ChunkBy | undefined): ChunkBy {
  if (by === undefined) return 'word';
  if (by === 'char' || by === 'word' || (Number.isInteger(by) && by >= 1)) return by;
  throw new InvalidOptionError(where, 'chunkBy', "'char', 'word' or a positive integer", by);
}

/**
 * `text` cut into chunks: by code point, by word (each word keeps the whitespace before it) or
 * by a fixed number of characters (code points). The chunks always join back to `text`.
 */
export function splitText(text: string, chunkBy?: ChunkBy): string[] {
  if (text === '') return [];
  const by = checkChunkBy('splitText', chunkBy);
  if (by === 'char') return Array.from(text);
  if (by === 'word') {
    const words = text.match(/\s*\S+/g) ?? [text];
    const covered = words.reduce((n, w) => n + w.length, 0);
    if (covered < text.length) words[words.length - 1] += text.slice(covered);
    return words;
  }
  // Code points, as for 'char': a chunk never ends inside a surrogate pair.
  const points = Array.from(text);
  const chunks: string[] = [];
  for (let i = 0; i < points.length; i += by) chunks.push(points.slice(i, i + by).join(''));
  return chunks;
}
