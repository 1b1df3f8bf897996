/**
 * Timing, heap and table helpers shared by the benchmarks.
 *
 * Timings are wall-clock medians of several runs taken after warm-up runs, so the JIT has settled
 * and one slow run (a GC pause, a busy neighbour on the machine) does not move the figure. Heap
 * figures need `global.gc`, which Node exposes only when started with `--expose-gc`.
 */

/** How many runs to time, and how many to throw away first. */
export interface TimingOptions {
  /** Runs made and discarded before timing, to let the JIT settle. Default 2. */
  warmup?: number;
  /** Timed runs; the median is reported. Default 7. */
  runs?: number;
  /**
   * A forced full GC (when available) before each timed run. Off by default: a forced GC also
   * shrinks V8's young generation, so the run after it pays for growing it back — a cold-heap
   * figure, not the steady state of a process that streams all day.
   */
  gcBeforeEachRun?: boolean;
}

/** The outcome of `medianTime`. */
export interface Timing {
  /** The median of the timed runs, in milliseconds. */
  medianMs: number;
  /** Every timed run, in milliseconds, in the order they ran. */
  samplesMs: number[];
  /**
   * The median CPU time (user + system, all threads) of the timed runs, in milliseconds. Well
   * below `medianMs` means the process waited for a core: the machine was busy.
   */
  medianCpuMs: number;
}

/** Heap before and after one run, each read after a forced full GC. */
export interface HeapGrowth {
  beforeBytes: number;
  afterBytes: number;
  /** `afterBytes - beforeBytes`: what the run left alive (negative when it freed more than it kept). */
  growthBytes: number;
}

type Gc = () => void;

function gcFunction(): Gc | undefined {
  const candidate = (globalThis as { gc?: unknown }).gc;
  return typeof candidate === 'function' ? (candidate as Gc) : undefined;
}

/** True when the process runs with `--expose-gc`, so heap figures can be measured. */
export function gcAvailable(): boolean {
  return gcFunction() !== undefined;
}

/** What to print when heap figures cannot be measured. */
export const GC_UNAVAILABLE_NOTE = 'heap growth not measured: global.gc is unavailable (run with `node --expose-gc`)';

/** A full collection, twice so objects freed by finalizers of the first pass go too. No-op without `--expose-gc`. */
export function forceGc(): void {
  const gc = gcFunction();
  if (!gc) return;
  gc();
  gc();
}

/**
 * The median wall time of `run` over `options.runs` runs, after `options.warmup` discarded ones.
 * Garbage a run leaves is collected during later runs, which all leave about as much: the median
 * is the steady-state cost, GC included. `gcBeforeEachRun` gives the cold-heap cost instead.
 */
export async function medianTime(run: () => Promise<void>, options: TimingOptions = {}): Promise<Timing> {
  const warmup = options.warmup ?? 2;
  const runs = options.runs ?? 7;
  if (runs < 1) throw new RangeError(`runs must be at least 1, got ${runs}`);
  for (let i = 0; i < warmup; i++) await run();
  const samplesMs: number[] = [];
  const cpuMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    if (options.gcBeforeEachRun) forceGc();
    const cpuStart = process.cpuUsage();
    const start = process.hrtime.bigint();
    await run();
    samplesMs.push(Number(process.hrtime.bigint() - start) / 1e6);
    const cpu = process.cpuUsage(cpuStart);
    cpuMs.push((cpu.user + cpu.system) / 1000);
  }
  return { medianMs: median(samplesMs), samplesMs, medianCpuMs: median(cpuMs) };
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * The heap `run` leaves alive: `heapUsed` after a forced GC once it finished, minus the same
 * before it started. `undefined` without `--expose-gc` (a reading without a full GC would mostly
 * measure when the collector last ran).
 */
export async function heapGrowth(run: () => Promise<void>): Promise<HeapGrowth | undefined> {
  if (!gcAvailable()) return undefined;
  forceGc();
  const beforeBytes = process.memoryUsage().heapUsed;
  await run();
  forceGc();
  const afterBytes = process.memoryUsage().heapUsed;
  return { beforeBytes, afterBytes, growthBytes: afterBytes - beforeBytes };
}

/** Microseconds per unit, from a duration in milliseconds and a count. */
export function microsPer(ms: number, count: number): number {
  return (ms * 1000) / count;
}

/** `peer / base` as `16.2×` — how many times slower the peer is. */
export function formatRatio(peer: number, base: number): string {
  return `${(peer / base).toFixed(1)}×`;
}

/** A number with `digits` decimals. */
export function formatNumber(value: number, digits = 2): string {
  return value.toFixed(digits);
}

/** Bytes as megabytes with two decimals, sign kept (but no `-0.00`). */
export function formatMegabytes(bytes: number): string {
  const megabytes = bytes / (1024 * 1024);
  return `${(Math.abs(megabytes) < 0.005 ? 0 : megabytes).toFixed(2)} MB`;
}

/** The word printed for a target: `PASS` when met, `MISS` when not. */
export function verdict(met: boolean): 'PASS' | 'MISS' {
  return met ? 'PASS' : 'MISS';
}

/** One column of `formatTable`: text columns align left, number-like ones right. */
export interface TableColumn {
  header: string;
  align?: 'left' | 'right';
}

/** Rows of cells under headers, padded to line up in a monospace terminal or a Markdown code block. */
export function formatTable(columns: readonly TableColumn[], rows: readonly (readonly string[])[]): string {
  const widths = columns.map((column, i) => Math.max(column.header.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) => columns
    .map((column, i) => (column.align === 'right' ? (cells[i] ?? '').padStart(widths[i]) : (cells[i] ?? '').padEnd(widths[i])))
    .join('  ')
    .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(columns.map((column) => column.header)), rule, ...rows.map(line)].join('\n');
}

/** Prints `formatTable` under a title. */
export function printTable(title: string, columns: readonly TableColumn[], rows: readonly (readonly string[])[]): void {
  console.log(`\n${title}\n${formatTable(columns, rows)}`);
}
