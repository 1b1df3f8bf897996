/**
 * Streams text to a terminal token by token, wrapping at word boundaries: when a word would run
 * past the edge, the row is redrawn up to the last space and the word moves to the next row.
 * Without a terminal the text goes out unchanged.
 */
import { wrap } from './progressBar.js';

export class WordWrapper {
  private row = '';

  constructor(
    private readonly enabled = Boolean(process.stdout.isTTY),
    private readonly columns = () => Math.max(20, process.stdout.columns || 80),
    private readonly out: { write(text: string): unknown } = process.stdout,
  ) {}

  print(text: string): void {
    if (!this.enabled) {
      this.out.write(text);
      return;
    }
    // Every boundary, a newline of the text or a wrap, is a row break; the open row is redrawn
    // from its start, since a word that grew past the edge moves to the next row.
    const rows = (this.row + text).split('\n').flatMap((line) => wrap(line, this.columns()));
    this.row = rows[rows.length - 1];
    this.out.write(`\r\x1b[2K${rows.join('\n')}`);
  }

  /** Ends the open row. */
  end(): void {
    if (this.enabled && this.row) this.out.write('\n');
    this.row = '';
  }
}
