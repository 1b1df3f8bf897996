/**
 * A terminal status line for the demos: output tokens, tokens per second and elapsed time of a
 * streaming answer, kept on the last line while the answer streams above it token by token.
 * Lines wrap at word boundaries (a word never breaks across rows). The token count is the
 * server's once its usage chunk arrives, an estimate (`~`) until then. When stdout is not a
 * terminal (piped to a file or another program) nothing is redrawn: the text goes straight to
 * stdout and one summary line follows at the end.
 *
 * Kept out of the library: a library should not draw on a terminal.
 */
import { finalize, map, tap, type OperatorFunction } from 'rxjs';
import type { StreamProgress } from '../../src/operators/StreamProgress.js';
import type { ChunkWithProgress } from '../../src/operators/withProgress.js';

/** Options of {@link TerminalProgressBar}. */
export interface TerminalProgressBarOptions {
  /** Tokens the answer is expected to have: shows a bar and a percentage. Without it, counts only. */
  expectedTokens?: number;
  /** Draw the status line. Default: when stdout is a terminal. */
  enabled?: boolean;
  /** Terminal width. Default: stdout's columns, else 80. */
  columns?: number;
  /** Where everything goes. Default `process.stdout`. */
  out?: { write(text: string): unknown };
}

const BAR_WIDTH = 24;

/**
 * A live status line under a streaming answer.
 *
 * @example
 * ```ts
 * const bar = new TerminalProgressBar({ expectedTokens: 400 });
 * model.stream(question).pipe(withProgress({ expectedTokens: 400 }), bar.track())
 *   .subscribe((chunk) => bar.print(chunk.content));
 * ```
 */
export class TerminalProgressBar {
  private readonly enabled: boolean;
  private readonly out: { write(text: string): unknown };
  /** The text of the row being written, not yet ended. */
  private row = '';
  private status = '';
  private drawn = false;
  private last: StreamProgress | undefined;

  constructor(private readonly options: TerminalProgressBarOptions = {}) {
    this.enabled = options.enabled ?? Boolean(process.stdout.isTTY);
    this.out = options.out ?? process.stdout;
  }

  private get columns(): number {
    return Math.max(20, this.options.columns ?? (process.stdout.columns || 80));
  }

  /** Updates the status line with each item's progress and passes the chunk on; the line stops when the stream ends. */
  track<T>(): OperatorFunction<ChunkWithProgress<T>, T> {
    return (source) => source.pipe(
      tap({ next: ({ progress }) => this.update(progress), complete: () => this.finish(true) }),
      finalize(() => this.finish(false)),
      map(({ chunk }) => chunk),
    );
  }

  /** Prints answer text as it comes, above the status line while it is shown, else straight to stdout. */
  print(text: string): void {
    if (!this.enabled) {
      this.out.write(text);
      return;
    }
    if (!text) return;
    const finished: string[] = [];
    const pieces = (this.row + text).split('\n');
    this.row = pieces.pop() ?? '';
    for (const piece of pieces) finished.push(...wrap(piece, this.columns));
    const rows = wrap(this.row, this.columns);
    this.row = rows.pop() ?? '';
    finished.push(...rows);
    this.redraw(finished);
  }

  private update(progress: StreamProgress): void {
    this.last = progress;
    if (!this.enabled) return;
    // One column short of the width: a full row would wrap at the next character (even a ^C echo).
    this.status = statusLine(progress, this.options.expectedTokens).slice(0, this.columns - 1);
    this.redraw([]);
  }

  /** Rewrites the open row and the status line, with `finished` rows above them. */
  private redraw(finished: readonly string[]): void {
    // The cursor sits at the end of the status line, one row below the open row.
    let text = this.drawn ? '\r\x1b[2K\x1b[1A\r\x1b[2K' : '';
    for (const row of finished) text += `${row}\n`;
    text += `${this.row}\n\x1b[2m${this.status}\x1b[0m`;
    this.out.write(text);
    this.drawn = true;
  }

  /** Ends the open row and leaves the final status on screen; without a terminal, prints the summary of a completed stream. */
  private finish(completed: boolean): void {
    if (this.enabled && this.drawn) {
      // Cancelled (Ctrl-C): the terminal's ^C echo has moved the cursor, so nothing is redrawn.
      if (completed) this.redraw([]);
      this.out.write('\n');
      this.row = '';
      this.drawn = false;
    } else if (completed && !this.enabled && this.last) {
      const { outputTokens, elapsedMs, tokensPerSecond, estimated } = this.last;
      this.out.write(`\n${estimated ? '~' : ''}${outputTokens} tokens in ${(elapsedMs / 1000).toFixed(1)} s (${tokensPerSecond.toFixed(1)} tokens/s)\n`);
    }
    if (completed) this.last = undefined;
  }
}

/** `[██████░░░░] 42% | 84/200 tokens | 35.2 tokens/s | 2.4 s`, or without a bar when nothing is expected. */
function statusLine(progress: StreamProgress, expectedTokens: number | undefined): string {
  const tokens = `${progress.estimated ? '~' : ''}${progress.outputTokens}`;
  const tail = `${progress.tokensPerSecond.toFixed(1)} tokens/s | ${(progress.elapsedMs / 1000).toFixed(1)} s`;
  if (!expectedTokens) return `${tokens} tokens | ${tail}`;
  const fraction = Math.min(1, progress.outputTokens / expectedTokens);
  const filled = Math.round(fraction * BAR_WIDTH);
  return `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)} ${Math.round(fraction * 100)}% | ${tokens}/${expectedTokens} tokens | ${tail}`;
}

/** A line cut at spaces into rows that fit the terminal; a word longer than a row is cut. */
export function wrap(line: string, width: number): string[] {
  const rows: string[] = [];
  let rest = line;
  while (rest.length > width) {
    const cut = rest.lastIndexOf(' ', width);
    const at = cut > 0 ? cut : width;
    rows.push(rest.slice(0, at));
    rest = rest.slice(cut > 0 ? at + 1 : at);
  }
  rows.push(rest);
  return rows;
}
