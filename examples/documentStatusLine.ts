/**
 * The status line of `npm run demo:document`: sections done as a bar, the section being written,
 * the kind of block under way, tokens and speed, kept on the terminal's last line while the
 * settled blocks are printed above it. When stdout is not a terminal (piped to a file or another
 * program) nothing is redrawn: blocks go straight to stdout and one summary line follows on stderr.
 *
 * Kept out of the library: a library should not draw on a terminal.
 */
import type { DocumentStatus, MarkdownBlockKind, StreamProgress } from '../src/index.js';

/** Options of {@link DocumentStatusLine}. */
export interface DocumentStatusLineOptions {
  /** Sections the document should have: the bar's length. */
  expectedSections: number;
  /** Draw the line. Default: when stdout is a terminal. */
  enabled?: boolean;
}

const BAR_WIDTH = 18;
/** Back to the start of the terminal's row and clear it. */
const CLEAR_ROW = '\r\x1b[2K';

/** A live status line under a document being written. */
export class DocumentStatusLine {
  private readonly enabled: boolean;
  private status: DocumentStatus | undefined;
  private progress: StreamProgress | undefined;
  private writing: MarkdownBlockKind | undefined;
  private drawn = false;

  constructor(private readonly options: DocumentStatusLineOptions) {
    this.enabled = options.enabled ?? Boolean(process.stdout.isTTY);
  }

  /** Prints settled text above the line. */
  print(text: string): void {
    if (!this.enabled) {
      process.stdout.write(text);
      return;
    }
    process.stdout.write(`${this.drawn ? CLEAR_ROW : ''}${text}`);
    this.draw();
  }

  /** Takes the latest section status, token count or kind of the block being written, and redraws. */
  update(change: { status?: DocumentStatus; progress?: StreamProgress; writing?: MarkdownBlockKind }): void {
    this.status = change.status ?? this.status;
    this.progress = change.progress ?? this.progress;
    if ('writing' in change) this.writing = change.writing;
    if (this.enabled) this.draw();
  }

  /** Ends the line (keeping it on screen); without a terminal, prints a summary on stderr. */
  stop(outcome: 'completed' | 'cancelled'): void {
    if (this.enabled) {
      if (this.drawn) process.stdout.write('\n');
      this.drawn = false;
      return;
    }
    const tokens = this.progress ? ` ${this.progress.outputTokens} tokens in ${(this.progress.elapsedMs / 1000).toFixed(1)} s,` : '';
    process.stderr.write(`\n${outcome}:${tokens} ${this.status?.sectionsDone ?? 0}/${this.options.expectedSections} sections done\n`);
  }

  private draw(): void {
    const expected = this.options.expectedSections;
    const done = Math.min(this.status?.sectionsDone ?? 0, expected);
    const filled = Math.round((done / expected) * BAR_WIDTH);
    const section = this.status?.section ? `§${this.status.sectionsStarted} ${this.status.section}` : 'starting';
    const tokens = this.progress ? `${this.progress.estimated ? '~' : ''}${this.progress.outputTokens} tokens, ${this.progress.tokensPerSecond.toFixed(0)}/s` : '';
    const line = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)} ${done}/${expected} sections | ${section} | writing: ${this.writing ?? '-'} | ${tokens}`;
    // One row only: a row the terminal wraps could not be cleared again.
    const columns = Math.max(20, process.stdout.columns || 80);
    process.stdout.write(`${CLEAR_ROW}\x1b[2m${line.length >= columns ? `${line.slice(0, columns - 2)}…` : line}\x1b[0m`);
    this.drawn = true;
  }
}
