import { parsePartialJson as langchainParsePartialJson } from '@langchain/core/output_parsers';
import { JSONParser } from '@streamparser/json';
import { parsePartialJson as aiSdkParsePartialJson } from 'ai';
import { parse as partialJsonParse } from 'partial-json';
import { from } from 'rxjs';
import { partialJson } from '../src/operators/partialJson.js';
import { seededRandom } from '../spec/support/seededRandom.js';

/**
 * Streams JSON documents of 10 KB, 100 KB and 1 MB in chunks of 1 to 8 characters and asks each
 * parser for the partial value after every chunk, as a UI rendering structured output would.
 *
 * Run it with `npx ts-node --transpile-only bench/partialJson.bench.ts`.
 */

const SIZES = [10_000, 100_000, 1_000_000] as const;
/** A peer that has not finished a document after this long is stopped and shown as "over". */
const CAP_MS = 20_000;
/** Runs shorter than this are repeated and the best time kept: a shared machine adds noise. */
const REPEAT_BELOW_MS = 2_000;
const REPEATS = 5;

interface Peer {
  name: string;
  /** Feeds the chunks; returns the last value seen, or 'capped' when the time cap stopped it. */
  run(chunks: readonly string[], deadline: number): Promise<unknown>;
}

const CAPPED = 'capped';

const peers: readonly Peer[] = [
  {
    name: 'rxllm partialJson()',
    async run(chunks) {
      let last: unknown;
      from(chunks).pipe(partialJson()).subscribe((value) => (last = value));
      return last;
    },
  },
  {
    name: 'LangChain parsePartialJson',
    async run(chunks, deadline) {
      let text = '';
      let last: unknown;
      for (let i = 0; i < chunks.length; i++) {
        text += chunks[i];
        last = langchainParsePartialJson(text);
        if ((i & 63) === 0 && performance.now() > deadline) return CAPPED;
      }
      return last;
    },
  },
  {
    name: 'AI SDK parsePartialJson',
    async run(chunks, deadline) {
      let text = '';
      let last: unknown;
      for (let i = 0; i < chunks.length; i++) {
        text += chunks[i];
        last = (await aiSdkParsePartialJson(text)).value;
        if ((i & 63) === 0 && performance.now() > deadline) return CAPPED;
      }
      return last;
    },
  },
  {
    name: 'partial-json parse',
    async run(chunks, deadline) {
      let text = '';
      let last: unknown;
      for (let i = 0; i < chunks.length; i++) {
        text += chunks[i];
        try {
          last = partialJsonParse(text);
        } catch {
          // Some prefixes (a lone '-') are rejected; the previous value stands.
        }
        if ((i & 63) === 0 && performance.now() > deadline) return CAPPED;
      }
      return last;
    },
  },
  {
    name: '@streamparser/json (final only)',
    async run(chunks) {
      let last: unknown;
      const parser = new JSONParser({ paths: ['$'] });
      parser.onValue = ({ value }) => (last = value);
      for (const chunk of chunks) parser.write(chunk);
      return last;
    },
  },
];


const WORDS = ('stream observable operator token chunk model answer latency render partial schema value field '
  + 'object array nested number string escape unicode café naïve 東京 emoji 🚀 "quoted" back\\slash tab\there').split(' ');

/**
 * A realistic structured answer: a search response with metadata, a list of records (nested
 * objects, arrays, strings with escapes and non-ASCII text, integers, decimals, booleans, nulls)
 * and a summary, indented as models usually write it, grown to about `size` characters.
 */
export function benchDocument(size: number, seed = 1): string {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const sentence = (words: number): string => Array.from({ length: words }, () => pick(WORDS)).join(' ');
  const records: unknown[] = [];
  const document = {
    meta: { query: sentence(4), page: 1, generatedAt: '2025-01-01T00:00:00Z', exact: false, cursor: null },
    records,
    summary: { text: '', confidence: 0.93 },
  };
  let length = JSON.stringify(document, null, 2).length + summaryLength(sentence);
  while (length < size) {
    const record = {
      id: records.length + 1,
      title: sentence(3 + Math.floor(random() * 5)),
      score: Math.round(random() * 1e6) / 1e4,
      ratio: random() < 0.2 ? 1e-7 * random() : -random(),
      active: random() < 0.5,
      owner: random() < 0.1 ? null : { name: sentence(2), email: `user${records.length}@example.com`, roles: ['reader', pick(['writer', 'admin'])] },
      tags: Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick(WORDS)),
      location: { city: pick(['Paris', 'Zürich', 'São Paulo', 'Kyiv', 'Osaka']), coordinates: [random() * 180 - 90, random() * 360 - 180] },
      history: Array.from({ length: Math.floor(random() * 3) }, (_, i) => ({ version: i + 1, note: random() < 0.5 ? null : sentence(5) })),
      body: sentence(10 + Math.floor(random() * 30)),
    };
    records.push(record);
    // Inside the document each line of the record is indented by four more spaces, then ",\n".
    const indented = JSON.stringify(record, null, 2);
    length += indented.length + 4 * indented.split('\n').length + 2;
  }
  document.summary.text = sentence(40);
  return JSON.stringify(document, null, 2);
}

/** The summary text is written last; its length is reserved up front with a same-sized sample. */
function summaryLength(sentence: (words: number) => string): number {
  return JSON.stringify(sentence(40)).length;
}

/** Cuts the text into chunks of 1 to 8 characters. */
export function benchChunks(text: string, seed = 7): string[] {
  const random = seededRandom(seed);
  const chunks: string[] = [];
  for (let i = 0; i < text.length; ) {
    const size = 1 + Math.floor(random() * 8);
    chunks.push(text.slice(i, i + size));
    i += size;
  }
  return chunks;
}

function label(size: number): string {
  return size >= 1_000_000 ? `${size / 1_000_000} MB` : `${size / 1000} KB`;
}

function formatSeconds(seconds: number | undefined): string {
  if (seconds === undefined) return `over ${CAP_MS / 1000} s`;
  return seconds < 0.01 ? `${seconds.toFixed(4)} s` : seconds < 1 ? `${seconds.toFixed(3)} s` : `${seconds.toFixed(2)} s`;
}

/** Runs the benchmark and prints a table of seconds per size and parser, the ratios and targets. */
export async function runPartialJsonBench(): Promise<void> {
  const documents = SIZES.map((size) => {
    const text = benchDocument(size);
    return { size, text, chunks: benchChunks(text), expected: JSON.stringify(JSON.parse(text)) };
  });
  // Warm every parser up on a small document so that the 10 KB column is not mostly JIT time.
  const warmUp = benchChunks(benchDocument(5_000, 2));
  for (const peer of peers) await peer.run(warmUp, performance.now() + CAP_MS);

  const seconds = new Map<string, Array<number | undefined>>();
  for (const peer of peers) {
    const row: Array<number | undefined> = [];
    for (const { text, chunks, expected } of documents) {
      if (row.length > 0 && row[row.length - 1] === undefined) {
        row.push(undefined); // over the cap on a smaller document: a larger one cannot finish
        continue;
      }
      let best = Infinity;
      let last: unknown;
      for (let run = 0; run < REPEATS && (run === 0 || best < REPEAT_BELOW_MS); run++) {
        const start = performance.now();
        last = await peer.run(chunks, start + CAP_MS);
        best = Math.min(best, performance.now() - start);
        if (last === CAPPED) break;
      }
      if (last === CAPPED) {
        row.push(undefined);
        continue;
      }
      if (JSON.stringify(last) !== expected) throw new Error(`${peer.name} did not end with the whole document (${text.length} chars)`);
      row.push(best / 1000);
    }
    seconds.set(peer.name, row);
  }

  const nameWidth = Math.max(...peers.map((peer) => peer.name.length)) + 2;
  const chunkCounts = documents.map((d) => d.chunks.length.toLocaleString('en-US')).join(' / ');
  const lengths = documents.map((d) => d.text.length.toLocaleString('en-US')).join(' / ');
  console.log(`partialJson benchmark: documents of ${lengths} characters streamed in 1-8 character chunks (${chunkCounts} chunks),`);
  console.log(`a partial value after each chunk. Seconds, best of ${REPEATS} runs under ${REPEAT_BELOW_MS / 1000} s; a run is stopped after ${CAP_MS / 1000} s.`);
  console.log('parser'.padEnd(nameWidth) + SIZES.map((size) => label(size).padStart(12)).join(''));
  for (const [name, row] of seconds) console.log(name.padEnd(nameWidth) + row.map((s) => formatSeconds(s).padStart(12)).join(''));

  const rxllm = seconds.get(peers[0].name)!;
  const at100k = rxllm[1]!;
  for (const [column, size] of [[0, '10 KB'], [1, '100 KB']] as const) {
    console.log(`\nAt ${size}, time of each parser / time of rxllm:`);
    for (const [name, row] of seconds) {
      if (name === peers[0].name) continue;
      const peerSeconds = row[column];
      const ratio = peerSeconds === undefined ? `over ${Math.floor(CAP_MS / 1000 / rxllm[column]!)}x` : `${(peerSeconds / rxllm[column]!).toFixed(1)}x`;
      console.log(`  ${name.padEnd(nameWidth)}${ratio}`);
    }
  }
  const growth = rxllm[2]! / at100k;
  console.log(`rxllm growth from 100 KB to 1 MB: ${growth.toFixed(1)}x (10x is linear)`);

  const aiSdk = seconds.get('AI SDK parsePartialJson')![1];
  const speedup = aiSdk === undefined ? Infinity : aiSdk / at100k;
  const verdict = (ok: boolean): string => (ok ? 'met' : 'MISSED');
  console.log('\nTargets:');
  console.log(`  rxllm at 1 MB <= 0.5 s: ${formatSeconds(rxllm[2])} - ${verdict(rxllm[2]! <= 0.5)}`);
  console.log(`  growth 100 KB -> 1 MB <= 12x: ${growth.toFixed(1)}x - ${verdict(growth <= 12)}`);
  console.log(`  >= 100x faster than the AI SDK at 100 KB: ${Number.isFinite(speedup) ? `${speedup.toFixed(0)}x` : 'AI SDK over the cap'} - ${verdict(speedup >= 100)}`);
}

if (require.main === module) {
  runPartialJsonBench().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
