import { from, of, tap } from 'rxjs';
import { contentFilter } from '../src/security/contentFilter.js';
import { seededRandom } from '../spec/support/seededRandom.js';
import { formatNumber, formatRatio, medianTime, printTable, verdict } from './benchInternals.js';

/**
 * `contentFilter` over 20 KB and 200 KB of prose with a blocked phrase about every 500 characters,
 * streamed in chunks of 1 to 8 characters, against a blocklist of 200 words and 50 two-word
 * phrases, side by side with:
 * - the floor: the blocklist as one regex, one pass over the whole text;
 * - the same operator with a classifier that answers at once (the cost of the windows alone).
 * The maximum holdback is measured with `action: 'flag'`, which lets the text through unchanged,
 * so that characters in and characters out can be compared after every chunk.
 *
 * Run it alone with `npm run bench -- contentFilter`.
 */

// Smaller than redactPII's sizes, so that the suite stays short (the classifier column doubles the runs).
const SIZES = [20_000, 200_000] as const;
const MAX_FLOOR_RATIO = 5;
const MAX_GROWTH = 12;

const WORDS = 'the stream model answer token chunk order invoice account customer support reply sent meeting report value status café 東京 review'.split(' ');

/** Made-up words, so that none occurs in the prose by chance; a few share prefixes with prose words. */
function blocklist(seed = 5): string[] {
  const random = seededRandom(seed);
  const letters = 'bcdfghjklmnpqrstvwxz';
  const word = (): string => Array.from({ length: 4 + Math.floor(random() * 8) }, (_, i) => (i % 2 ? 'aeiou'[Math.floor(random() * 5)] : letters[Math.floor(random() * letters.length)])).join('');
  const words = Array.from({ length: 200 }, (_, i) => (i < 10 ? `${WORDS[i]}${word()}` : word()));
  const phrases = Array.from({ length: 50 }, () => `${word()} ${word()}`);
  return [...words, ...phrases];
}

function proseWithPhrases(size: number, block: readonly string[], seed = 3): string {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const parts: string[] = [];
  let length = 0;
  let sincePhrase = 0;
  while (length < size) {
    let sentence = Array.from({ length: 6 + Math.floor(random() * 12) }, () => pick(WORDS)).join(' ');
    if (sincePhrase > 450) {
      sentence += ` ${pick(block)} noted`;
      sincePhrase = 0;
    }
    sentence = `${sentence[0].toUpperCase()}${sentence.slice(1)}. ${random() < 0.1 ? '\n' : ''}`;
    parts.push(sentence);
    length += sentence.length;
    sincePhrase += sentence.length;
  }
  return parts.join('');
}

function chunksOf(text: string, seed = 11): string[] {
  const random = seededRandom(seed);
  const chunks: string[] = [];
  for (let i = 0; i < text.length;) {
    const size = 1 + Math.floor(random() * 8);
    chunks.push(text.slice(i, i + size));
    i += size;
  }
  return chunks;
}

function label(size: number): string {
  return `${size / 1000} KB`;
}

/** Runs the benchmark and prints the times, the ratios and the targets. */
export async function runContentFilterBench(): Promise<void> {
  const block = blocklist();
  const longest = Math.max(...block.map((phrase) => phrase.length));
  const escaped = block.map((phrase) => phrase.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&').replace(/ /g, '\\s'));
  const floorPattern = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${escaped.join('|')})(?![\\p{L}\\p{N}_])`, 'giu');
  const floorPass = (text: string): string => text.replace(floorPattern, '[FILTERED]');
  const filtered = (chunks: readonly string[], classify: boolean): string => {
    let output = '';
    const options = classify ? { block, classify: () => of({ flagged: false }), action: 'replace' as const } : { block, action: 'replace' as const };
    from(chunks).pipe(contentFilter<string>(options)).subscribe((text) => (output += text));
    return output;
  };
  const maxHoldback = (chunks: readonly string[]): number => {
    let received = 0;
    let released = 0;
    let max = 0;
    const before = tap((chunk: string) => {
      max = Math.max(max, received - released);
      received += chunk.length;
    });
    from(chunks).pipe(before, contentFilter<string>({ block, action: 'flag' })).subscribe((text) => (released += text.length));
    return max;
  };

  const rows: string[][] = [];
  const figures = new Map<number, { floorMs: number; filterMs: number; holdback: number; same: boolean }>();
  for (const size of SIZES) {
    const text = proseWithPhrases(size, block);
    const chunks = chunksOf(text);
    const expected = floorPass(text);
    const same = filtered(chunks, false) === expected && filtered(chunks, true) === expected;
    const found = expected.split('[FILTERED]').length - 1;
    const runs = { warmup: 1, runs: 3 };
    const floor = await medianTime(async () => void floorPass(text), runs);
    const filter = await medianTime(async () => void filtered(chunks, false), runs);
    const withClassifier = await medianTime(async () => void filtered(chunks, true), runs);
    const holdback = maxHoldback(chunks);
    figures.set(size, { floorMs: floor.medianMs, filterMs: filter.medianMs, holdback, same });
    rows.push([
      `${label(size)} (${chunks.length.toLocaleString('en-US')} chunks, ${found.toLocaleString('en-US')} phrases)`,
      formatNumber(floor.medianMs, 1), formatNumber(filter.medianMs, 1), formatRatio(filter.medianMs, floor.medianMs),
      formatNumber(withClassifier.medianMs, 1), String(holdback),
    ]);
  }
  printTable(
    `contentFilter benchmark: ${block.length} blocked words and phrases, prose with one every ~500 characters in 1-8 character chunks (ms, median of runs)`,
    [
      { header: 'text' }, { header: 'floor: one regex pass', align: 'right' },
      { header: 'contentFilter (block)', align: 'right' }, { header: '/ floor', align: 'right' },
      { header: '+ classifier, 200-char windows', align: 'right' }, { header: 'max holdback (chars)', align: 'right' },
    ],
    rows,
  );
  const small = figures.get(SIZES[0])!;
  const large = figures.get(SIZES[1])!;
  const holdback = Math.max(small.holdback, large.holdback);
  printTable('Targets', [{ header: 'target' }, { header: 'measured', align: 'right' }, { header: 'verdict' }], [
    ['streamed output equals one pass over the whole text', small.same && large.same ? 'equal' : 'differs', verdict(small.same && large.same)],
    [`contentFilter at 200 KB ≤ ${MAX_FLOOR_RATIO}× one regex pass over the whole text`, formatRatio(large.filterMs, large.floorMs), verdict(large.filterMs / large.floorMs <= MAX_FLOOR_RATIO)],
    [`growth 20 KB → 200 KB ≤ ${MAX_GROWTH}× (10× is linear)`, formatRatio(large.filterMs, small.filterMs), verdict(large.filterMs / small.filterMs <= MAX_GROWTH)],
    [`maximum holdback ≤ the longest phrase (${longest} characters)`, String(holdback), verdict(holdback <= longest)],
  ]);
}

if (require.main === module) {
  runContentFilterBench().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
