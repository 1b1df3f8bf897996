import fc from 'fast-check';
import { from, tap } from 'rxjs';
import { contentFilter } from '../../src/security/contentFilter.js';
import type { ContentFilterOptions, ContentFlag } from '../../src/security/ContentFilterOptions.js';

const block = ['darn', 'heck', 'kill you', 'c++', 'café noir', 'ban', 'Bad Word'];
/** The longest entry, in characters: the most the filter may hold back. */
const longest = Math.max(...block.map((phrase) => phrase.length));

/** Each entry as a model may write it: another case, a newline for a space. */
const written: ReadonlyArray<{ phrase: string; as: readonly string[] }> = [
  { phrase: 'darn', as: ['darn', 'Darn', 'DARN'] },
  { phrase: 'heck', as: ['heck', 'hEcK'] },
  { phrase: 'kill you', as: ['kill you', 'Kill\nyou', 'kill\tYOU'] },
  { phrase: 'c++', as: ['c++', 'C++'] },
  { phrase: 'café noir', as: ['café noir', 'CAFÉ NOIR'] },
  { phrase: 'ban', as: ['ban', 'Ban'] },
  { phrase: 'Bad Word', as: ['bad word', 'BAD WORD'] },
];

/** Near-misses: each contains an entry, but not as a whole word. */
const cleanCorpus = [
  'The banner darned the hecklers; darning is a skill younger people lack.',
  'Use c+ or c#, cafés noirs and caféinoir; banned, ban_list, ban2 and urban stay.',
  'A badword, bad-wordy? No: bad words are fine, and so is "darnation".',
].join('\n');

/** Everything the filter emits for `chunks`, joined, taken synchronously; and the flags. */
function filtered(chunks: readonly string[], options: Partial<ContentFilterOptions> = {}): { text: string; flags: ContentFlag[]; error?: unknown } {
  let text = '';
  let error: unknown;
  let done = false;
  const flags: ContentFlag[] = [];
  from(chunks).pipe(contentFilter<string>({ block, action: 'replace', onFlag: (flag) => flags.push(flag), ...options })).subscribe({
    next: (piece) => (text += piece),
    error: (e: unknown) => ((error = e), (done = true)),
    complete: () => (done = true),
  });
  expect(done).toBe(true);
  return { text, flags, ...(error !== undefined && { error }) };
}

/** `text` cut at the given positions. */
function cut(text: string, positions: readonly number[]): string[] {
  const sorted = [...new Set(positions)].sort((a, b) => a - b);
  const pieces: string[] = [];
  let start = 0;
  for (const position of sorted) {
    pieces.push(text.slice(start, position));
    start = position;
  }
  pieces.push(text.slice(start));
  return pieces;
}

const before = 'Well, ';
const after = ' — really.';

describe('contentFilter blocklist', () => {
  for (const { phrase, as } of written) {
    describe(JSON.stringify(phrase), () => {
      for (const form of as) {
        const text = `${before}${form}${after}`;

        it(`replaces ${JSON.stringify(form)} at every split point into two chunks`, () => {
          for (let split = 0; split <= text.length; split++) {
            expect([split, filtered([text.slice(0, split), text.slice(split)]).text]).toEqual([split, `${before}[FILTERED]${after}`]);
          }
        });

        it(`replaces ${JSON.stringify(form)} in 1-character chunks, and flags it as written`, () => {
          expect(filtered([...text]).text).toBe(`${before}[FILTERED]${after}`);
          const flagged = filtered([...text], { action: 'flag' });
          expect(flagged.text).toBe(text);
          expect(flagged.flags).toEqual([{ source: 'block', phrase, text: form }]);
        });

        it(`stops at ${JSON.stringify(form)} in random chunkings, after exactly the text before it`, () => {
          fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: text.length }), { maxLength: 20 }), (positions) => {
            const stopped = filtered(cut(text, positions), { action: 'stop' });
            expect(stopped.text).toBe(before);
            expect(stopped.error).toMatchObject({ name: 'ContentFilteredError', source: 'block', phrase });
          }), { numRuns: 50 });
        });
      }
    });
  }

  it('leaves the near-misses unchanged, whole, in 1-character chunks and in random chunkings', () => {
    expect(filtered([cleanCorpus])).toEqual({ text: cleanCorpus, flags: [] });
    expect(filtered([...cleanCorpus]).text).toBe(cleanCorpus);
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: cleanCorpus.length }), { maxLength: 60 }), (positions) => {
      expect(filtered(cut(cleanCorpus, positions), { action: 'stop' })).toEqual({ text: cleanCorpus, flags: [] });
    }), { numRuns: 50 });
  });

  it('streams the same as the whole text for text made of entry fragments, and never holds more than the longest entry', () => {
    const alphabet = ['da', 'rn', 'd', 'arn', ' ', '\n', 'c+', '+', 'caf', 'é', ' noir', 'kill', ' you', 'ban', 'ner', 'bad ', 'word', ',', 'x'];
    fc.assert(fc.property(
      fc.array(fc.constantFrom(...alphabet), { maxLength: 40 }).map((pieces) => pieces.join('')),
      fc.array(fc.nat(), { maxLength: 20 }),
      (text, positions) => {
        const chunks = cut(text, positions.map((p) => p % (text.length + 1)));
        expect(filtered(chunks).text).toBe(filtered([text]).text);
        // What the filter held after each chunk: characters in minus characters out, with the flag action (text unchanged).
        let received = 0;
        let released = 0;
        from(chunks).pipe(
          tap((chunk) => {
            expect(received - released).toBeLessThanOrEqual(longest);
            received += chunk.length;
          }),
          contentFilter<string>({ block, action: 'flag' }),
        ).subscribe((piece) => (released += piece.length));
        expect(released).toBe(received);
      },
    ), { numRuns: 300 });
  });

  it('releases text at once when no entry can begin in it, and holds only what could', () => {
    const seen: string[] = [];
    const subject = from(['Hello there, ', 'we said he', 'llo, ', 'c+', '+1']);
    subject.pipe(contentFilter<string>({ block, action: 'replace' })).subscribe((text) => seen.push(text));
    // 'he' could begin 'heck'; 'c+' could begin 'c++'; 'c++' itself waits for nothing (it ends with no word character).
    expect(seen).toEqual(['Hello there, ', 'we said ', 'hello, ', '[FILTERED]1']);
  });

  it('writes what a replacement function returns for the entry and the text as written', () => {
    expect(filtered(['oh DA', 'RN'], { replacement: (flag) => `<${flag.phrase}:${flag.text.length}>` }).text).toBe('oh <darn:4>');
  });
});
