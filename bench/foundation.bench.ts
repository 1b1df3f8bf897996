/**
 * The foundation benchmark: the cost rxllm adds per streamed chunk on its three basic paths —
 * `model.stream`, a prompt | model | parser chain's `stream`, and the same chain's `streamEvents` —
 * next to LangChain.js and the Vercel AI SDK driving the same 20,000 tiny chunks from an
 * in-memory model with no delay, so only the framework's own work is timed.
 *
 * Run alone with `npx ts-node bench/foundation.bench.ts`; add `node --expose-gc` (for example
 * `node --expose-gc -r ts-node/register bench/foundation.bench.ts`) for the heap figures.
 */
import { AIMessageChunk as LangChainAIMessageChunk } from '@langchain/core/messages';
import { StringOutputParser as LangChainStringOutputParser } from '@langchain/core/output_parsers';
import { ChatPromptTemplate as LangChainChatPromptTemplate } from '@langchain/core/prompts';
import { FakeStreamingChatModel } from '@langchain/core/utils/testing';
import { simulateReadableStream, streamText } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import type { Observable } from 'rxjs';
import { ChatPromptTemplate, StringOutputParser, type AIMessageChunk, type StreamEvent } from '../src/index.js';
import { ScriptedChatModel } from '../src/testing/index.js';
import {
  GC_UNAVAILABLE_NOTE, formatMegabytes, formatNumber, formatRatio, gcAvailable, heapGrowth, medianTime, microsPer,
  printTable, verdict, type HeapGrowth, type TimingOptions,
} from './benchInternals.js';

const CHUNK_COUNT = 20_000;
const TIMING = { warmup: 2, runs: 7 } as const satisfies TimingOptions;
const WORDS = ['The', ' quick', ' brown', ' fox', ' jumps', ' over', ' the', ' lazy', ' dog', '.'];
const TOKENS: readonly string[] = Array.from({ length: CHUNK_COUNT }, (_, i) => WORDS[i % WORDS.length]);
const EXPECTED_CHARS = TOKENS.join('').length;

const TARGET_MICROS = { model: 1, chain: 1.5, events: 3 } as const;
const TARGET_SPEEDUP = 10;
const TARGET_HEAP_BYTES = 5 * 1024 * 1024;

/** What one run saw: model chunks (or their text) and their characters. */
interface Tally {
  chunks: number;
  chars: number;
}

/** Streams all the chunks once through one library's path and counts what arrived. */
type Contender = () => Promise<Tally>;

type PathName = 'model' | 'chain' | 'events';

interface Path {
  name: PathName;
  label: string;
  rxllm: Contender;
  langChain: Contender;
  /** The AI SDK's nearest call, with what it stands for. */
  aiSdk: { note: string; run: Contender };
}

type AiStreamPart = Awaited<ReturnType<MockLanguageModelV3['doStream']>>['stream'] extends ReadableStream<infer P> ? P : never;

/** Subscribes and resolves on completion; the consumer reads every value so nothing is optimised away. */
function drain<T>(source: Observable<T>, read: (value: T, tally: Tally) => void): Promise<Tally> {
  const tally: Tally = { chunks: 0, chars: 0 };
  return new Promise((resolve, reject) => {
    source.subscribe({ next: (value) => read(value, tally), error: reject, complete: () => resolve(tally) });
  });
}

async function pull<T>(source: AsyncIterable<T>, read: (value: T, tally: Tally) => void): Promise<Tally> {
  const tally: Tally = { chunks: 0, chars: 0 };
  for await (const value of source) read(value, tally);
  return tally;
}

function countText(text: string, tally: Tally): void {
  tally.chunks++;
  tally.chars += text.length;
}

function rxllmPaths(): Record<PathName | 'modelPulled', Contender> {
  const model = new ScriptedChatModel({ responses: [[...TOKENS]], intervalMs: 0 });
  const chain = ChatPromptTemplate.fromMessages([['human', '{input}']]).pipe(model).pipe(new StringOutputParser());
  return {
    model: () => drain(model.stream('Hi'), (chunk: AIMessageChunk, tally) => countText(chunk.content, tally)),
    // The peers can only be pulled; this is rxllm read the same way, through its async iterator.
    modelPulled: () => pull(model.stream('Hi'), (chunk: AIMessageChunk, tally) => countText(chunk.content, tally)),
    chain: () => drain(chain.stream({ input: 'Hi' }), (text: string, tally) => countText(text, tally)),
    events: () => drain(chain.streamEvents({ input: 'Hi' }), (event: StreamEvent, tally) => {
      if (event.event === 'on_chat_model_stream') countText((event.data.chunk as AIMessageChunk).content, tally);
    }),
  };
}

function langChainPaths(): Record<PathName, Contender> {
  // With `chunks` the fake model yields them back to back; `sleep` only paces its `responses` mode.
  const model = new FakeStreamingChatModel({ chunks: TOKENS.map((token) => new LangChainAIMessageChunk(token)), sleep: 0 });
  const chain = LangChainChatPromptTemplate.fromMessages([['human', '{input}']]).pipe(model).pipe(new LangChainStringOutputParser());
  return {
    model: async () => pull(await model.stream('Hi'), (chunk, tally) => countText(String(chunk.content), tally)),
    chain: async () => pull(await chain.stream({ input: 'Hi' }), (text, tally) => countText(text, tally)),
    events: () => pull(chain.streamEvents({ input: 'Hi' }, { version: 'v2' }), (event, tally) => {
      if (event.event === 'on_chat_model_stream') countText(String((event.data.chunk as LangChainAIMessageChunk).content), tally);
    }),
  };
}

function aiSdkModel(): MockLanguageModelV3 {
  const parts: AiStreamPart[] = [
    { type: 'stream-start', warnings: [] },
    { type: 'text-start', id: 'text-1' },
    ...TOKENS.map((delta): AiStreamPart => ({ type: 'text-delta', id: 'text-1', delta })),
    { type: 'text-end', id: 'text-1' },
    {
      type: 'finish',
      finishReason: { unified: 'stop', raw: 'stop' },
      usage: {
        inputTokens: { total: 1, noCache: 1, cacheRead: undefined, cacheWrite: undefined },
        outputTokens: { total: CHUNK_COUNT, text: CHUNK_COUNT, reasoning: undefined },
      },
    },
  ];
  // A fresh stream per call: a ReadableStream is read once.
  return new MockLanguageModelV3({
    doStream: async () => ({ stream: simulateReadableStream({ chunks: parts, initialDelayInMs: null, chunkDelayInMs: null }) }),
  });
}

function aiSdkPaths(): Record<'text' | 'full', Contender> {
  const model = aiSdkModel();
  return {
    text: () => pull(streamText({ model, prompt: 'Hi' }).textStream, (text, tally) => countText(text, tally)),
    full: () => pull(streamText({ model, prompt: 'Hi' }).fullStream, (part, tally) => {
      if (part.type === 'text-delta') countText(part.text, tally);
    }),
  };
}

function paths(rxllm: Record<PathName, Contender>): Path[] {
  const langChain = langChainPaths();
  const aiSdk = aiSdkPaths();
  return [
    { name: 'model', label: 'model.stream', rxllm: rxllm.model, langChain: langChain.model, aiSdk: { note: 'streamText textStream', run: aiSdk.text } },
    {
      name: 'chain', label: 'prompt|model|parser .stream', rxllm: rxllm.chain, langChain: langChain.chain,
      aiSdk: { note: 'no chains; nearest: streamText textStream', run: aiSdk.text },
    },
    {
      name: 'events', label: 'prompt|model|parser .streamEvents', rxllm: rxllm.events, langChain: langChain.events,
      aiSdk: { note: 'no run events; nearest: streamText fullStream', run: aiSdk.full },
    },
  ];
}

/** Runs `contender` once and fails loudly if it did not deliver every chunk, so a broken path cannot pass as a fast one. */
async function checkedRun(label: string, contender: Contender): Promise<void> {
  const tally = await contender();
  if (tally.chunks !== CHUNK_COUNT || tally.chars !== EXPECTED_CHARS) {
    throw new Error(`${label}: saw ${tally.chunks} chunks / ${tally.chars} chars, expected ${CHUNK_COUNT} / ${EXPECTED_CHARS}`);
  }
}

/** A contender's timing, in µs per model chunk. */
interface ChunkTiming {
  median: number;
  mean: number;
  /** Median CPU time: close to `median` on an idle machine. */
  cpu: number;
}

async function timePerChunk(label: string, contender: Contender, options: TimingOptions = TIMING): Promise<ChunkTiming> {
  const timing = await medianTime(() => checkedRun(label, contender), options);
  const mean = timing.samplesMs.reduce((sum, ms) => sum + ms, 0) / timing.samplesMs.length;
  return { median: microsPer(timing.medianMs, CHUNK_COUNT), mean: microsPer(mean, CHUNK_COUNT), cpu: microsPer(timing.medianCpuMs, CHUNK_COUNT) };
}

interface PathResult {
  path: Path;
  rxllm: ChunkTiming;
  /** rxllm with a forced full GC before each run: the cold-heap cost. */
  rxllmCold?: ChunkTiming;
  langChain: ChunkTiming;
  aiSdk: ChunkTiming;
  heap?: HeapGrowth;
}

/**
 * Streams 20,000 tiny chunks through rxllm, LangChain.js and the AI SDK on the three foundation
 * paths and prints µs per model chunk (median of 7 runs after 2 warm-ups), each peer's ratio to
 * rxllm, rxllm's heap growth, and PASS/MISS for every target.
 */
export async function runFoundationBench(): Promise<void> {
  console.log(`Foundation benchmark — ${CHUNK_COUNT.toLocaleString('en-US')} chunks per run, median of ${TIMING.runs} runs after ${TIMING.warmup} warm-ups`);
  console.log(`Node ${process.version}, ${process.platform}/${process.arch}${gcAvailable() ? ', --expose-gc' : ''}`);
  const rxllmContenders = rxllmPaths();
  const results: PathResult[] = [];
  for (const path of paths(rxllmContenders)) {
    const rxllm = await timePerChunk(`rxllm ${path.label}`, path.rxllm);
    const langChain = await timePerChunk(`LangChain.js ${path.label}`, path.langChain);
    const aiSdk = await timePerChunk(`AI SDK ${path.aiSdk.note}`, path.aiSdk.run);
    const rxllmCold = gcAvailable() ? await timePerChunk(`rxllm ${path.label}`, path.rxllm, { ...TIMING, gcBeforeEachRun: true }) : undefined;
    const heap = await heapGrowth(() => checkedRun(`rxllm ${path.label}`, path.rxllm));
    results.push({ path, rxllm, langChain, aiSdk, ...(rxllmCold && { rxllmCold }), ...(heap && { heap }) });
  }
  const pulled = await timePerChunk('rxllm model.stream (for await)', rxllmContenders.modelPulled);
  printFigures(results);
  console.log(`model.stream read with for await, as the peers are: ${formatNumber(pulled.median)} µs per chunk (median)`);
  printTargets(results);
}

function printFigures(results: readonly PathResult[]): void {
  printTable('µs per model chunk, median (lower is better); × = how many times slower than rxllm', [
    { header: 'path' }, { header: 'rxllm', align: 'right' }, { header: 'LangChain.js', align: 'right' }, { header: '×', align: 'right' },
    { header: 'AI SDK', align: 'right' }, { header: '×', align: 'right' }, { header: 'AI SDK call' },
  ], results.map(({ path, rxllm, langChain, aiSdk }) => [
    path.label, formatNumber(rxllm.median), formatNumber(langChain.median), formatRatio(langChain.median, rxllm.median),
    formatNumber(aiSdk.median), formatRatio(aiSdk.median, rxllm.median), path.aiSdk.note,
  ]));
  for (const { path, rxllm, langChain } of results) {
    console.log(`${path.label}: LangChain.js is ${formatRatio(langChain.median, rxllm.median)} slower than rxllm`);
  }
  const timings = results.flatMap(({ rxllm, langChain, aiSdk }) => [rxllm, langChain, aiSdk]);
  const waited = 1 - timings.reduce((sum, t) => sum + t.cpu, 0) / timings.reduce((sum, t) => sum + t.median, 0);
  if (waited > 0.15) console.log(`Note: wall time exceeded CPU time by ${Math.round(waited * 100)}% — other processes held the cores; rerun on an idle machine.`);
  printTable('rxllm in detail: µs per model chunk; cold heap = forced full GC before each run; heap growth = heapUsed after GC, after one run vs before', [
    { header: 'path' }, { header: 'median', align: 'right' }, { header: 'mean', align: 'right' }, { header: 'CPU median', align: 'right' },
    { header: 'cold-heap median', align: 'right' }, { header: 'heap growth', align: 'right' },
  ], results.map(({ path, rxllm, rxllmCold, heap }) => [
    path.label, formatNumber(rxllm.median), formatNumber(rxllm.mean), formatNumber(rxllm.cpu),
    rxllmCold ? formatNumber(rxllmCold.median) : 'n/a', heap ? formatMegabytes(heap.growthBytes) : 'n/a',
  ]));
  if (!gcAvailable()) console.log(GC_UNAVAILABLE_NOTE);
}

function printTargets(results: readonly PathResult[]): void {
  const rows: string[][] = [];
  for (const { path, rxllm, langChain, heap } of results) {
    const limit = TARGET_MICROS[path.name];
    rows.push([`${path.label} ≤ ${limit} µs/chunk`, `${formatNumber(rxllm.median)} µs`, verdict(rxllm.median <= limit)]);
    rows.push([
      `${path.label} ≥ ${TARGET_SPEEDUP}× faster than LangChain.js`, formatRatio(langChain.median, rxllm.median),
      verdict(langChain.median / rxllm.median >= TARGET_SPEEDUP),
    ]);
    rows.push([
      `${path.label} heap growth ≤ ${formatMegabytes(TARGET_HEAP_BYTES)}`,
      heap ? formatMegabytes(heap.growthBytes) : 'not measured',
      heap ? verdict(heap.growthBytes <= TARGET_HEAP_BYTES) : 'MISS (needs --expose-gc)',
    ]);
  }
  printTable('Targets', [{ header: 'target' }, { header: 'measured', align: 'right' }, { header: 'verdict' }], rows);
}

if (require.main === module) {
  runFoundationBench().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
