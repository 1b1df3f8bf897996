/**
 * A terminal status line for the demo: output tokens, tokens per second and elapsed time of a
 * streaming answer, drawn with `cli-progress` under the text as it streams. When the terminal is
 * not interactive (output piped to a file or another program) no bar is drawn: the text goes
 * straight to stdout and one summary line follows at the end.
 *
 * Kept out of the library: `cli-progress` is a development dependency, and a library should not
 * draw on a terminal.
 */
import { MultiBar, type SingleBar } from 'cli-progress';
import { finalize, map, tap, type OperatorFunction } from 'rxjs';
import type { ChunkWithProgress } from '../../src/operators/withProgress.js';
import type { StreamProgress } from '../../src/operators/StreamProgress.js';

/** Options of {@link TerminalProgressBar}. */
export interface TerminalProgressBarOptions {
  /** Tokens the answer is expected to have: shows a bar and a percentage. Without it, counts only. */
  expectedTokens?: number;
  /** Where the bar and the summary go. Default `process.stderr`. */
  stream?: NodeJS.WriteStream;
  /** Draw the bar. Default: when both stdout and `stream` are terminals. */
  enabled?: boolean;
}

/**
 * A live status line under a streaming answer.
 *
 * @example
 * ```ts
 * const bar = new TerminalProgressBar({ expectedTokens: 400 });
 * model.stream(question).pipe(withProgress({ expectedTokens: 400 }), bar.track(), textDeltas())
 *   .subscribe((text) => bar.print(text));
 * ```
 */
export class TerminalProgressBar {
  private readonly stream: NodeJS.WriteStream;
  private readonly enabled: boolean;
  private bars: MultiBar | undefined;
  private bar: SingleBar | undefined;
  private line = '';
  private last: StreamProgress | undefined;

  constructor(private readonly options: TerminalProgressBarOptions = {}) {
    this.stream = options.stream ?? process.stderr;
    this.enabled = options.enabled ?? Boolean(process.stdout.isTTY && this.stream.isTTY);
  }

  /** Updates the status line with each item's progress and passes the chunk on; the line stops when the stream ends. */
  track<T>(): OperatorFunction<ChunkWithProgress<T>, T> {
    return (source) => source.pipe(
      tap({ next: ({ progress }) => this.update(progress), complete: () => this.finish(true) }),
      finalize(() => this.finish(false)),
      map(({ chunk }) => chunk),
    );
  }

  /** Prints answer text: whole lines above the status line while it is shown, else straight to stdout. */
  print(text: string): void {
    if (!this.enabled) {
      process.stdout.write(text);
      return;
    }
    const lines = (this.line + text).split('\n');
    this.line = lines.pop() ?? '';
    for (const line of lines) for (const row of wrap(line, process.stdout.columns || 80)) this.log(`${row}\n`);
  }

  private update(progress: StreamProgress): void {
    this.last = progress;
    if (!this.enabled) return;
    const payload = {
      tokens: `${progress.estimated ? '~' : ''}${progress.outputTokens}`,
      speed: progress.tokensPerSecond.toFixed(1),
      elapsed: (progress.elapsedMs / 1000).toFixed(1),
    };
    const total = this.options.expectedTokens ?? 0;
    if (!this.bar) {
      this.bars = new MultiBar({
        stream: this.stream,
        format: total > 0
          ? '{bar} {percentage}% | {tokens}/{total} tokens | {speed} tokens/s | {elapsed} s'
          : '{tokens} tokens | {speed} tokens/s | {elapsed} s',
        hideCursor: true,
        clearOnComplete: false,
        barsize: 24,
      });
      this.bar = this.bars.create(total, 0, payload);
    }
    this.bar.update(Math.min(progress.outputTokens, total || progress.outputTokens), payload);
  }

  private log(text: string): void {
    if (this.bars) this.bars.log(text);
    else process.stdout.write(text);
  }

  /** Stops the line once (keeping it on screen); without a terminal, prints the summary of a completed stream. */
  private finish(completed: boolean): void {
    if (this.line) {
      for (const row of wrap(this.line, process.stdout.columns || 80)) this.log(`${row}\n`);
      this.line = '';
    }
    if (this.bars) {
      // Logged lines wait for the next redraw: draw once more so that none is lost.
      this.bars.update();
      this.bars.stop();
      this.bars = undefined;
      this.bar = undefined;
    } else if (completed && !this.enabled && this.last) {
      const { outputTokens, elapsedMs, tokensPerSecond, estimated } = this.last;
      this.stream.write(`\n${estimated ? '~' : ''}${outputTokens} tokens in ${(elapsedMs / 1000).toFixed(1)} s (${tokensPerSecond.toFixed(1)} tokens/s)\n`);
    }
    if (completed) this.last = undefined;
  }
}

/** A line cut at spaces into rows that fit the terminal: a wrapped row would be drawn over by the bar. */
function wrap(line: string, width: number): string[] {
  const rows: string[] = [];
  let rest = line;
  while (rest.length > width) {
    const cut = rest.lastIndexOf(' ', width);
    const at = cut > 0 ? cut : width;
    rows.push(rest.slice(0, at));
    rest = rest.slice(at).replace(/^ /, '');
  }
  rows.push(rest);
  return rows;
}
