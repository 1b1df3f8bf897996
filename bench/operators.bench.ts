/**
 * The operators benchmark: the cost per chunk of `accumulate` (message and text) and `smoothText`
 * over 10,000 and 100,000 chunks, and how the total grows with ten times the chunks. Linear
 * operators grow about 10×; an operator that rebuilt its whole state on every chunk would grow
 * about 100×.
 *
 * Run alone with `npx ts-node bench/operators.bench.ts`.
 */
import { PerformanceObserver, performance, type PerformanceEntry } from 'node:perf_hooks';
import { from, type OperatorFunction } from 'rxjs';
import { AIMessageChunk } from '../src/messages/AIMessageChunk.js';
import { accumulate } from '../src/operators/accumulate.js';
import { smoothText } from '../src/operators/smoothText.js';
import { formatNumber, formatRatio, median, microsPer, printTable, verdict } from './benchInternals.js';

const SIZES = [10_000, 100_000] as const;
/** Chunks streamed per timed sample: small sizes repeat, so every sample is long enough to time well. */
const CHUNKS_PER_SAMPLE = 200_000;
const WARMUP_SAMPLES = 2;
const TIMED_SAMPLES = 5;
/**
 * The growth accepted as linear for 10× the chunks. Work proportional to the chunks before would
 * grow about 100×; linear work grows 10×, plus up to about 3× more at these sizes from collecting
 * a heap that holds the accumulated text (see `runOperatorsBench`).
 */
const MAX_LINEAR_GROWTH = 30;
const WORDS = ['The', ' quick', ' brown', ' fox', ' jumps', ' over', ' the', ' lazy', ' dog', '.\n'];

/** The chunks of one size, in the three shapes the cases read. */
interface Inputs {
  texts: string[];
  chunks: AIMessageChunk[];
  /** One tool call whose arguments stream in as many fragments. */
  toolChunks: AIMessageChunk[];
  /** Chunks with an id and no text: accumulating them keeps nothing growing alive. */
  emptyChunks: AIMessageChunk[];
  textLength: number;
}

/** One operator (or the baseline) over one shape of input; `run` streams every chunk through it once. */
interface Case {
  label: string;
  run(inputs: Inputs): void;
}

function inputsOf(count: number): Inputs {
  const texts = Array.from({ length: count }, (_, i) => WORDS[i % WORDS.length]);
  return {
    texts,
    chunks: texts.map((text) => new AIMessageChunk({ id: 'run-1', content: text })),
    toolChunks: texts.map((text, i) => new AIMessageChunk({ toolCallChunks: [{ index: 0, ...(i === 0 && { id: 'call_1', name: 'write' }), args: text }] })),
    emptyChunks: texts.map(() => new AIMessageChunk({ id: 'run-1' })),
    textLength: texts.reduce((sum, text) => sum + text.length, 0),
  };
}

/** Streams `inputs` through `operator` synchronously, returning the last value and the count. */
function drain<T, R>(inputs: readonly T[], operator: OperatorFunction<T, R>): { last: R | undefined; count: number } {
  let last: R | undefined;
  let count = 0;
  from(inputs).pipe(operator).subscribe((value) => {
    last = value;
    count++;
  });
  return { last, count };
}

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`operators bench: ${what}`);
}

const CASES: Case[] = [
  {
    // The floor: appending to a string that stays alive, as any accumulation must.
    label: 'baseline: text += chunk (no RxJS)',
    run({ texts, textLength }) {
      let text = '';
      for (const delta of texts) text += delta;
      check(text.length === textLength, 'baseline lost text');
    },
  },
  {
    label: 'accumulate() — message',
    run({ chunks, textLength }) {
      const { last, count } = drain(chunks, accumulate());
      check(count === chunks.length && last?.content.length === textLength, 'accumulate() lost text');
    },
  },
  {
    label: 'accumulate() — tool-call arguments',
    run({ toolChunks, textLength }) {
      const { last, count } = drain(toolChunks, accumulate());
      check(count === toolChunks.length && last?.toolCallChunks[0].args?.length === textLength, 'accumulate() lost arguments');
    },
  },
  {
    // The same operator work with nothing kept alive: its growth is the operator's alone.
    label: 'accumulate() — chunks without text',
    run({ emptyChunks }) {
      const { last, count } = drain(emptyChunks, accumulate());
      check(count === emptyChunks.length && last?.content === '', 'accumulate() invented text');
    },
  },
  {
    label: 'accumulate({ text: true })',
    run({ texts, textLength }) {
      const { last, count } = drain(texts, accumulate({ text: true }));
      check(count === texts.length && last?.length === textLength, 'accumulate({ text: true }) lost text');
    },
  },
  {
    label: "smoothText({ by: 'word' }) — strings",
    run({ texts }) {
      check(drain(texts, smoothText<string>()).count === texts.length * 0.9, 'smoothText() emitted the wrong number of words');
    },
  },
  {
    label: "smoothText({ by: 'word' }) — AIMessageChunks",
    run({ chunks }) {
      check(drain(chunks, smoothText<AIMessageChunk>()).count === chunks.length * 0.9, 'smoothText() emitted the wrong number of words');
    },
  },
  {
    label: "smoothText({ by: 'line' }) — strings",
    run({ texts }) {
      check(drain(texts, smoothText<string>({ by: 'line' })).count === texts.length / WORDS.length, 'smoothText() emitted the wrong number of lines');
    },
  },
];

/** Median wall time of a sample, and the median time the garbage collector ran during one. */
interface GcTiming {
  medianMs: number;
  medianGcMs: number;
}

/**
 * Like `medianTime`, but also sums the garbage-collection pauses inside each sample, from
 * `PerformanceObserver` entries (delivered after the sample, so the wait for them is not timed).
 */
async function medianTimeWithGc(run: () => void): Promise<GcTiming> {
  const pauses: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => pauses.push(...list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  try {
    for (let i = 0; i < WARMUP_SAMPLES; i++) run();
    const wallMs: number[] = [];
    const gcMs: number[] = [];
    for (let i = 0; i < TIMED_SAMPLES; i++) {
      const start = performance.now();
      run();
      const end = performance.now();
      await new Promise((resolve) => setTimeout(resolve, 20));
      wallMs.push(end - start);
      gcMs.push(pauses.filter((pause) => pause.startTime >= start && pause.startTime < end).reduce((sum, pause) => sum + pause.duration, 0));
    }
    return { medianMs: median(wallMs), medianGcMs: median(gcMs) };
  } finally {
    observer.disconnect();
  }
}

/**
 * Runs every case at each size and prints µs per chunk and the growth of the time for one stream
 * when it has 10× the chunks: about 10× for an operator whose cost per chunk does not depend on
 * what came before. Each timed sample streams `CHUNKS_PER_SAMPLE` chunks (the 10,000-chunk
 * stream 20 times, the 100,000-chunk one twice), so both sizes are timed over the same work.
 *
 * An accumulated text stays alive, and once it outgrows V8's young generation (between 10,000
 * and 100,000 chunks) the collector's marking and promotion make every allocation a little
 * dearer, which the pause times ("no GC") only partly remove. The row of chunks without text
 * runs the same operator work with nothing kept alive, and shows the operator's own growth.
 */
export async function runOperatorsBench(): Promise<void> {
  const rows: string[][] = [];
  const verdicts: string[][] = [];
  const inputs = SIZES.map(inputsOf);
  for (const benchCase of CASES) {
    // Both sizes of a case back to back, so that a change in the machine's load between cases
    // does not skew the ratio.
    const perStream: GcTiming[] = [];
    for (const [i, size] of SIZES.entries()) {
      const repeats = Math.max(1, Math.round(CHUNKS_PER_SAMPLE / size));
      const timing = await medianTimeWithGc(() => {
        for (let r = 0; r < repeats; r++) benchCase.run(inputs[i]);
      });
      perStream.push({ medianMs: timing.medianMs / repeats, medianGcMs: timing.medianGcMs / repeats });
    }
    const [small, large] = perStream;
    const work = (timing: GcTiming): number => timing.medianMs - timing.medianGcMs;
    rows.push([
      benchCase.label,
      formatNumber(microsPer(small.medianMs, SIZES[0]), 3), formatNumber(microsPer(large.medianMs, SIZES[1]), 3), formatRatio(large.medianMs, small.medianMs),
      formatNumber(microsPer(work(small), SIZES[0]), 3), formatNumber(microsPer(work(large), SIZES[1]), 3), formatRatio(work(large), work(small)),
    ]);
    if (!benchCase.label.startsWith('baseline')) {
      verdicts.push([`${benchCase.label}: ≤ ${MAX_LINEAR_GROWTH}× for 10× the chunks (GC pauses excluded)`, formatRatio(work(large), work(small)), verdict(work(large) / work(small) <= MAX_LINEAR_GROWTH)]);
    }
  }
  printTable(
    `Operators: µs per chunk (median of ${TIMED_SAMPLES} samples of ${CHUNKS_PER_SAMPLE.toLocaleString('en')} chunks) and growth of one stream's time for 10× the chunks`,
    [
      { header: 'operator' },
      { header: '@10k', align: 'right' }, { header: '@100k', align: 'right' }, { header: 'growth', align: 'right' },
      { header: 'no GC @10k', align: 'right' }, { header: '@100k', align: 'right' }, { header: 'growth', align: 'right' },
    ],
    rows,
  );
  printTable('Linearity', [{ header: 'target' }, { header: 'measured', align: 'right' }, { header: 'verdict' }], verdicts);
}

if (require.main === module) {
  runOperatorsBench().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
