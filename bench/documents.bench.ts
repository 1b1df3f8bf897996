import MarkdownIt from 'markdown-it';
import { from } from 'rxjs';
import { markdownBlocks } from '../src/documents/markdownBlocks.js';
import { formatNumber, formatRatio, medianTime, printTable, verdict } from './benchInternals.js';
import { seededRandom } from '../spec/support/seededRandom.js';

/**
 * A Markdown report of 100 KB and 1 MB streamed in chunks of 1 to 8 characters and rendered with
 * markdown-it, three ways: one render of the whole document (the floor: what any renderer pays
 * at least once), `markdownBlocks({ render })` (each block rendered once as it settles), and the
 * common approach of chat UIs, which render the accumulated text again after every chunk. That
 * last one is quadratic: it is timed on a prefix and extrapolated with the square of the length.
 *
 * Run it alone with `npx ts-node --transpile-only bench/documents.bench.ts`.
 */

const SIZES = [100_000, 1_000_000] as const;
/** Characters of the prefix the per-chunk re-render is timed on. */
const RERENDER_PREFIX = 10_000;
/** A UI drawing at 60 frames per second over a model streaming ~4,000 characters per second reads the tail about every 16 chunks of 4 characters. */
const CHUNKS_PER_FRAME = 16;
const MAX_FLOOR_RATIO = 3;
const MAX_GROWTH = 12;


const WORDS = ('stream observable operator token chunk model answer latency render partial schema value block '
  + 'paragraph heading fence table quote list settled tail linear document section status cancel progress café 東京').split(' ');

/**
 * A long report as a model writes one: a title, then sections of paragraphs with emphasis, code
 * spans (some with brackets, `items[0]`), inline links, bullet and numbered lists, code fences,
 * tables and quotes, until about `size` characters.
 */
export function reportDocument(size: number, seed = 1): string {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const words = (count: number): string => Array.from({ length: count }, () => pick(WORDS)).join(' ');
  const sentence = (): string => {
    const text = words(6 + Math.floor(random() * 12));
    const decorated = random() < 0.3 ? text.replace(/(\S+) (\S+)/, '**$1** *$2*')
      : random() < 0.3 ? `${text} \`${pick(WORDS)}[${Math.floor(random() * 9)}]\``
        : random() < 0.3 ? `${text} [${pick(WORDS)}](https://example.com/${pick(WORDS)})` : text;
    return `${decorated[0].toUpperCase()}${decorated.slice(1)}.`;
  };
  const paragraph = (): string => Array.from({ length: 2 + Math.floor(random() * 4) }, sentence).join(' ');
  const parts: string[] = ['# Quarterly report\n\n', `${paragraph()}\n\n`];
  let length = parts.join('').length;
  for (let section = 1; length < size; section++) {
    const blocks = [`## ${section}. ${words(3)}\n\n`, `${paragraph()}\n\n`];
    const extra = random();
    if (extra < 0.25) blocks.push(Array.from({ length: 3 + Math.floor(random() * 4) }, () => `- ${sentence()}\n`).join('') + '\n');
    else if (extra < 0.4) blocks.push(Array.from({ length: 3 + Math.floor(random() * 3) }, (_, i) => `${i + 1}. ${sentence()}\n`).join('') + '\n');
    else if (extra < 0.55) blocks.push(`\`\`\`ts\nconst ${pick(WORDS)} = source.pipe(${pick(WORDS)}());\nfor (const item of items) total += item[${Math.floor(random() * 9)}];\n\`\`\`\n\n`);
    else if (extra < 0.7) {
      const rows = Array.from({ length: 3 + Math.floor(random() * 4) }, () => `| ${pick(WORDS)} | ${Math.floor(random() * 1000)} | ${words(3)} |\n`);
      blocks.push(`| item | count | note |\n|---|---:|---|\n${rows.join('')}\n`);
    } else if (extra < 0.8) blocks.push(`> ${sentence()}\n> ${sentence()}\n\n`);
    if (random() < 0.5) blocks.push(`### ${words(2)}\n\n${paragraph()}\n\n`);
    blocks.push(`${paragraph()}\n\n`);
    for (const block of blocks) {
      parts.push(block);
      length += block.length;
    }
  }
  return parts.join('');
}

/** Cuts the text into chunks of 1 to 8 characters. */
export function documentChunks(text: string, seed = 7): string[] {
  const random = seededRandom(seed);
  const chunks: string[] = [];
  for (let i = 0; i < text.length; ) {
    const size = 1 + Math.floor(random() * 8);
    chunks.push(text.slice(i, i + size));
    i += size;
  }
  return chunks;
}

/**
 * The settled blocks' HTML joined. With `readTailEvery`, the tail's HTML is read every that many
 * chunks too, as a UI drawing frames would; `tailChars` counts what it drew.
 */
function streamBlocks(chunks: readonly string[], md: MarkdownIt.MarkdownIt, readTailEvery?: number): { html: string; tailChars: number } {
  let html = '';
  let count = 0;
  let tailChars = 0;
  from(chunks).pipe(markdownBlocks({ render: (src, env) => md.render(src, env) })).subscribe(({ settled, tail }) => {
    for (const block of settled) html += block.html;
    if (readTailEvery !== undefined && ++count % readTailEvery === 0) tailChars += tail?.html?.length ?? 0;
  });
  return { html, tailChars };
}

/** The common approach: the whole text so far rendered again after each chunk, up to `prefix` characters; returns how far it got. */
function rerenderPerChunk(chunks: readonly string[], md: MarkdownIt.MarkdownIt, prefix: number): { chars: number; htmlChars: number } {
  let text = '';
  let htmlChars = 0;
  for (const chunk of chunks) {
    if (text.length >= prefix) break;
    text += chunk;
    htmlChars += md.render(text).length;
  }
  return { chars: text.length, htmlChars };
}

function label(size: number): string {
  return size >= 1_000_000 ? `${size / 1_000_000} MB` : `${size / 1000} KB`;
}

/** Runs the benchmark and prints the times, the ratios and the targets. */
export async function runDocumentsBench(): Promise<void> {
  const md = new MarkdownIt();
  const documents = SIZES.map((size) => {
    const text = reportDocument(size);
    return { size, text, chunks: documentChunks(text) };
  });
  // The documents grow from the same seed, so the smaller is the start of the larger: one prefix serves both.
  let rerenderChars = 0;
  const rerender = await medianTime(async () => void (rerenderChars = rerenderPerChunk(documents[0].chunks, md, RERENDER_PREFIX).chars), { warmup: 1, runs: 3 });
  const rows: string[][] = [];
  const figures = new Map<number, { floorMs: number; blocksMs: number; framesMs: number; rerenderMs: number }>();
  for (const { size, text, chunks } of documents) {
    const whole = md.render(text);
    if (streamBlocks(chunks, md).html !== whole) throw new Error(`markdownBlocks did not render the ${label(size)} document as markdown-it renders it whole`);
    // Short runs vary most on a shared machine: the smaller document gets more of them.
    const runs = size >= 1_000_000 ? { warmup: 2, runs: 5 } : { warmup: 5, runs: 15 };
    const floor = await medianTime(async () => void md.render(text), runs);
    const blocks = await medianTime(async () => void streamBlocks(chunks, md), runs);
    const frames = await medianTime(async () => void streamBlocks(chunks, md, CHUNKS_PER_FRAME), runs);
    const rerenderMs = rerender.medianMs * (text.length / rerenderChars) ** 2;
    figures.set(size, { floorMs: floor.medianMs, blocksMs: blocks.medianMs, framesMs: frames.medianMs, rerenderMs });
    rows.push([
      `${label(size)} (${text.length.toLocaleString('en-US')} chars, ${chunks.length.toLocaleString('en-US')} chunks)`,
      formatNumber(floor.medianMs, 1), formatNumber(blocks.medianMs, 1), formatRatio(blocks.medianMs, floor.medianMs),
      formatNumber(frames.medianMs, 1), formatRatio(frames.medianMs, floor.medianMs),
      `~${formatNumber(rerenderMs / 1000, 0)} s`, formatRatio(rerenderMs, blocks.medianMs),
    ]);
  }
  printTable(
    `markdownBlocks benchmark: a Markdown report in 1-8 character chunks, rendered with markdown-it (ms, median of runs). The re-render column is timed on the first ${RERENDER_PREFIX / 1000} KB and extrapolated (quadratic).`,
    [
      { header: 'document' }, { header: 'floor: one render', align: 'right' },
      { header: 'markdownBlocks', align: 'right' }, { header: '/ floor', align: 'right' },
      { header: `+ tail every ${CHUNKS_PER_FRAME} chunks`, align: 'right' }, { header: '/ floor', align: 'right' },
      { header: 're-render per chunk', align: 'right' }, { header: '/ markdownBlocks', align: 'right' },
    ],
    rows,
  );
  const small = figures.get(SIZES[0])!;
  const large = figures.get(SIZES[1])!;
  const floorRatio = large.blocksMs / large.floorMs;
  const growth = large.blocksMs / small.blocksMs;
  printTable('Targets', [{ header: 'target' }, { header: 'measured', align: 'right' }, { header: 'verdict' }], [
    [`markdownBlocks at 1 MB ≤ ${MAX_FLOOR_RATIO}× one render of the whole document`, formatRatio(large.blocksMs, large.floorMs), verdict(floorRatio <= MAX_FLOOR_RATIO)],
    [`growth 100 KB → 1 MB ≤ ${MAX_GROWTH}× (10× is linear)`, formatRatio(large.blocksMs, small.blocksMs), verdict(growth <= MAX_GROWTH)],
  ]);
}

if (require.main === module) {
  runDocumentsBench().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
