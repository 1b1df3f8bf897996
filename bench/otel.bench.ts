/**
 * The telemetry benchmark: what `instrument()` costs per streamed chunk on a prompt | model |
 * parser chain over 20,000 tiny chunks from an in-memory model. Three contenders, timed in
 * alternating rounds so that a busy neighbour slows all of them alike:
 *
 * - the chain as it is;
 * - `instrument(chain)` with no tracer or meter provider registered (the API's no-op ones): the
 *   target is at most 1.1× the plain chain, since no handler is added at all;
 * - `instrument(chain, { tracer, meter })` on the SDK with an in-memory span exporter and a metric
 *   reader: a span per run and a histogram record per chunk. Printed, not targeted.
 *
 * Run alone with `npx ts-node bench/otel.bench.ts`, or `npm run bench -- otel`.
 */
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Observable } from 'rxjs';
import { ChatPromptTemplate, StringOutputParser, type Runnable } from '../src/index.js';
import { instrument } from '../src/otel/index.js';
import { ScriptedChatModel } from '../src/testing/index.js';
import { formatNumber, formatRatio, median, microsPer, printTable, verdict } from './benchInternals.js';

const CHUNK_COUNT = 20_000;
const WARMUP = 3;
const ROUNDS = 15;
const TARGET_RATIO = 1.1;
const WORDS = ['The', ' quick', ' brown', ' fox', ' jumps', ' over', ' the', ' lazy', ' dog', '.'];
const TOKENS: readonly string[] = Array.from({ length: CHUNK_COUNT }, (_, i) => WORDS[i % WORDS.length]);
const EXPECTED_CHARS = TOKENS.join('').length;

/** A metric reader collected on demand, with no export timer. */
class CollectingReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

interface Contender {
  label: string;
  run: () => Promise<void>;
}

/** Streams the chain once and fails loudly unless every chunk arrived: a broken path cannot pass as a fast one. */
function drained(label: string, chain: Runnable<{ input: string }, string>): () => Promise<void> {
  return () => new Promise<void>((resolve, reject) => {
    let chunks = 0;
    let chars = 0;
    (chain.stream({ input: 'Hi' }) as Observable<string>).subscribe({
      next: (text) => {
        chunks++;
        chars += text.length;
      },
      error: reject,
      complete: () => (chunks === CHUNK_COUNT && chars === EXPECTED_CHARS
        ? resolve()
        : reject(new Error(`${label}: saw ${chunks} chunks / ${chars} chars, expected ${CHUNK_COUNT} / ${EXPECTED_CHARS}`))),
    });
  });
}

/**
 * Median ms of each contender, timed once per round, after warm-up rounds. Each round starts with
 * the next contender in turn: the one that runs after another pays for that one's garbage, and
 * rotating spreads that cost over all of them.
 */
async function alternatingMedians(contenders: readonly Contender[]): Promise<number[]> {
  const samples = contenders.map(() => [] as number[]);
  for (let round = 0; round < WARMUP + ROUNDS; round++) {
    for (let turn = 0; turn < contenders.length; turn++) {
      const index = (round + turn) % contenders.length;
      const start = process.hrtime.bigint();
      await contenders[index].run();
      if (round >= WARMUP) samples[index].push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  return samples.map(median);
}

export async function runOtelBench(): Promise<void> {
  console.log(`Telemetry benchmark — prompt|model|parser .stream, ${CHUNK_COUNT.toLocaleString('en-US')} chunks per run, median of ${ROUNDS} alternating rounds after ${WARMUP}`);
  const model = new ScriptedChatModel({ responses: [[...TOKENS]], intervalMs: 0, usage: true });
  const chain = ChatPromptTemplate.fromMessages([['human', '{input}']]).pipe(model).pipe(new StringOutputParser());

  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const reader = new CollectingReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const recorded = instrument(chain, { tracer: tracerProvider.getTracer('bench'), meter: meterProvider.getMeter('bench') });
  const recordedRun = drained('recorded', recorded);
  let recordedRuns = 0;
  const emptyHandler = { handleEvent: () => undefined };

  const contenders: Contender[] = [
    { label: 'chain.stream', run: drained('plain', chain) },
    { label: 'instrument(chain), no provider registered', run: drained('no-op', instrument(chain)) },
    {
      label: 'instrument(chain), SDK + in-memory exporter',
      run: async () => {
        await recordedRun();
        recordedRuns++;
        exporter.reset();
      },
    },
    // What any callback handler costs: the run events it is fed, built for every chunk of every run.
    { label: 'chain.stream with an empty callback handler', run: drained('empty handler', chain.withConfig({ callbacks: [emptyHandler] })) },
  ];
  const [plain, noop, sdk, empty] = await alternatingMedians(contenders);

  // One recorded run's output, to show what was measured is real telemetry.
  await recordedRun();
  recordedRuns++;
  const spans = exporter.getFinishedSpans().map((span) => span.name);
  const { resourceMetrics } = await reader.collect();
  const perChunk = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics)
    .find((metric) => metric.descriptor.name === 'gen_ai.client.operation.time_per_output_chunk');
  const perChunkCount = (perChunk?.dataPoints[0]?.value as { count?: number } | undefined)?.count ?? 0;
  await tracerProvider.shutdown();
  await meterProvider.shutdown();

  printTable('µs per model chunk, median (lower is better); × = relative to the plain chain', [
    { header: 'path' }, { header: 'µs/chunk', align: 'right' }, { header: '×', align: 'right' },
  ], [
    [contenders[0].label, formatNumber(microsPer(plain, CHUNK_COUNT)), formatRatio(plain, plain)],
    [contenders[1].label, formatNumber(microsPer(noop, CHUNK_COUNT)), formatRatio(noop, plain)],
    [contenders[2].label, formatNumber(microsPer(sdk, CHUNK_COUNT)), formatRatio(sdk, plain)],
    [contenders[3].label, formatNumber(microsPer(empty, CHUNK_COUNT)), formatRatio(empty, plain)],
  ]);
  console.log(`One recorded run: spans ${spans.join(', ')}; time_per_output_chunk recorded ${(perChunkCount / recordedRuns).toLocaleString('en-US')} times per run`);
  console.log(`Ratio with no provider registered: ${(noop / plain).toFixed(3)} (target ≤ ${TARGET_RATIO}) ${verdict(noop / plain <= TARGET_RATIO)}`);
  console.log(`Ratio with the SDK and an in-memory exporter: ${(sdk / plain).toFixed(3)}`);
}

if (require.main === module) {
  runOtelBench().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
