import { from, tap } from 'rxjs';
import { builtInDetectors } from '../src/security/builtInDetectors.js';
import { redactPII } from '../src/security/redactPII.js';
import { entities } from '../spec/security/piiCorpus.js';
import { seededRandom } from '../spec/support/seededRandom.js';
import { formatNumber, formatRatio, medianTime, printTable, verdict } from './benchInternals.js';

/**
 * `redactPII` over 200 KB and 2 MB of prose with an entity about every 500 characters (every
 * built-in kind but the PEM block, whose own bound is 8,192 characters), streamed in chunks of 1
 * to 8 characters, side by side with:
 * - the floor: one pass of all the detectors' patterns, as one regex, over the whole text;
 * - LLM Guard's way: the accumulated text scanned again after every chunk (quadratic: timed on a
 *   prefix and extrapolated with the square of the length);
 * - a per-sentence buffer (Guardrails AI's way): text held until a sentence ends, then scanned.
 * The maximum holdback is measured with a replacement that writes each entity back unchanged, so
 * that characters in and characters out can be compared after every chunk.
 *
 * Run it alone with `npx ts-node --transpile-only bench/redactPII.bench.ts`.
 */

const SIZES = [200_000, 2_000_000] as const;
const RESCAN_PREFIX = 20_000;
const MAX_FLOOR_RATIO = 5;
const MAX_GROWTH = 12;
const MAX_HOLDBACK = 128;

const WORDS = 'the stream model answer token chunk order invoice account customer support reply sent meeting report value status café 東京 review'.split(' ');
const SAMPLES = entities.filter(({ kind }) => kind !== 'privateKey').flatMap(({ samples }) => samples);

/** Prose of about `size` characters with an entity every ~500 characters. */
function proseWithEntities(size: number, seed = 3): string {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const parts: string[] = [];
  let length = 0;
  let sinceEntity = 0;
  while (length < size) {
    let sentence = Array.from({ length: 6 + Math.floor(random() * 12) }, () => pick(WORDS)).join(' ');
    if (sinceEntity > 450) {
      sentence += ` ${pick(SAMPLES)} noted`;
      sinceEntity = 0;
    }
    sentence = `${sentence[0].toUpperCase()}${sentence.slice(1)}. ${random() < 0.1 ? '\n' : ''}`;
    parts.push(sentence);
    length += sentence.length;
    sinceEntity += sentence.length;
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

const combined = new RegExp(Object.values(builtInDetectors).map((detector) => detector.pattern.source).join('|'), 'g');
const maskAll = (text: string): string => text.replace(combined, '[PII]');

function streamed(chunks: readonly string[]): string {
  let output = '';
  from(chunks).pipe(redactPII<string>()).subscribe((text) => (output += text));
  return output;
}

/** The most characters received but not yet released, after any chunk. */
function maxHoldback(chunks: readonly string[]): number {
  let received = 0;
  let released = 0;
  let max = 0;
  // Before each chunk is pushed, what the previous ones left held.
  const before = tap((chunk: string) => {
    max = Math.max(max, received - released);
    received += chunk.length;
  });
  from(chunks).pipe(before, redactPII<string>({ replacement: (entity) => entity.text })).subscribe((text) => (released += text.length));
  return max;
}

function rescanPerChunk(chunks: readonly string[], prefix: number): number {
  let text = '';
  let work = 0;
  for (const chunk of chunks) {
    if (text.length >= prefix) break;
    text += chunk;
    work += maskAll(text).length;
  }
  if (work < 0) throw new Error("unreachable");
  return text.length;
}

function perSentence(chunks: readonly string[]): string {
  let output = '';
  let buffer = '';
  for (const chunk of chunks) {
    buffer += chunk;
    const end = Math.max(buffer.lastIndexOf('. '), buffer.lastIndexOf('\n'));
    if (end >= 0) {
      output += maskAll(buffer.slice(0, end + 1));
      buffer = buffer.slice(end + 1);
    }
  }
  return output + maskAll(buffer);
}

function label(size: number): string {
  return size >= 1_000_000 ? `${size / 1_000_000} MB` : `${size / 1000} KB`;
}

/** Runs the benchmark and prints the times, the ratios and the targets. */
export async function runRedactPIIBench(): Promise<void> {
  const documents = SIZES.map((size) => {
    const text = proseWithEntities(size);
    return { size, text, chunks: chunksOf(text) };
  });
  let rescanChars = 0;
  const rescan = await medianTime(async () => void (rescanChars = rescanPerChunk(documents[0].chunks, RESCAN_PREFIX)), { warmup: 1, runs: 3 });
  const rows: string[][] = [];
  const figures = new Map<number, { floorMs: number; redactMs: number; holdback: number }>();
  for (const { size, text, chunks } of documents) {
    const entityCount = streamed(chunks).split('[').length - 1;
    const runs = size >= 1_000_000 ? { warmup: 1, runs: 5 } : { warmup: 3, runs: 11 };
    const floor = await medianTime(async () => void maskAll(text), runs);
    const redact = await medianTime(async () => void streamed(chunks), runs);
    const sentence = await medianTime(async () => void perSentence(chunks), runs);
    const holdback = maxHoldback(chunks);
    const rescanMs = rescan.medianMs * (text.length / rescanChars) ** 2;
    figures.set(size, { floorMs: floor.medianMs, redactMs: redact.medianMs, holdback });
    rows.push([
      `${label(size)} (${chunks.length.toLocaleString('en-US')} chunks, ${entityCount.toLocaleString('en-US')} entities)`,
      formatNumber(floor.medianMs, 1), formatNumber(redact.medianMs, 1), formatRatio(redact.medianMs, floor.medianMs),
      formatNumber(sentence.medianMs, 1), `~${formatNumber(rescanMs / 1000, 1)} s`, String(holdback),
    ]);
  }
  printTable(
    `redactPII benchmark: prose with an entity every ~500 characters in 1-8 character chunks (ms, median of runs). The re-scan column is timed on the first ${RESCAN_PREFIX / 1000} KB and extrapolated (quadratic).`,
    [
      { header: 'text' }, { header: 'floor: one regex pass', align: 'right' },
      { header: 'redactPII', align: 'right' }, { header: '/ floor', align: 'right' },
      { header: 'per-sentence buffer', align: 'right' }, { header: 're-scan per chunk', align: 'right' },
      { header: 'max holdback (chars)', align: 'right' },
    ],
    rows,
  );
  const small = figures.get(SIZES[0])!;
  const large = figures.get(SIZES[1])!;
  const holdback = Math.max(small.holdback, large.holdback);
  printTable('Targets', [{ header: 'target' }, { header: 'measured', align: 'right' }, { header: 'verdict' }], [
    [`redactPII at 2 MB ≤ ${MAX_FLOOR_RATIO}× one regex pass over the whole text`, formatRatio(large.redactMs, large.floorMs), verdict(large.redactMs / large.floorMs <= MAX_FLOOR_RATIO)],
    [`growth 200 KB → 2 MB ≤ ${MAX_GROWTH}× (10× is linear)`, formatRatio(large.redactMs, small.redactMs), verdict(large.redactMs / small.redactMs <= MAX_GROWTH)],
    [`maximum holdback ≤ ${MAX_HOLDBACK} characters`, String(holdback), verdict(holdback <= MAX_HOLDBACK)],
  ]);
}

if (require.main === module) {
  runRedactPIIBench().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
