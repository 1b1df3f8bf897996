import { LineSplitter, lineContent } from './LineSplitter.js';
import { MarkdownBlockScanner, type ScannedBlock } from './MarkdownBlockScanner.js';

/**
 * Follows the sections of a Markdown document as its text arrives.
 *
 * A section starts at a heading of level `level` (`## Title`, or `Title` over `---` for level 2)
 * at the top of the document: a heading inside a list, a quote or a code block is not one. A
 * heading of a higher rank (`#` when sections are `##`) ends the current section without starting
 * another; deeper headings (`###`) belong to the current section. A section is done when the next
 * one starts, when a higher-rank heading comes, or when the document ends. A heading counts once
 * its line is complete.
 */
export class SectionTracker {
  private readonly lines = new LineSplitter();
  private readonly scanner = new MarkdownBlockScanner();
  private open = false;
  /** The heading text of the section being written (at the end: of the last one), if any. */
  current: string | undefined;
  /** Sections started so far. */
  started = 0;
  /** Sections done so far. */
  done = 0;

  constructor(private readonly level: number) {}

  /** Reads more of the document. */
  push(text: string): void {
    this.lines.push(text, (line) => this.read(this.scanner.pushLine(lineContent(line))));
  }

  /** Ends the document: the section being written is done. */
  finish(): void {
    const last = this.lines.end();
    if (last !== '') this.read(this.scanner.pushLine(last));
    this.read(this.scanner.finish());
    this.endSection(false);
  }

  private read(blocks: readonly ScannedBlock[]): void {
    for (const { heading } of blocks) {
      if (!heading || heading.level > this.level) continue;
      this.endSection();
      if (heading.level === this.level) {
        this.open = true;
        this.started++;
        this.current = heading.text;
      }
    }
  }

  private endSection(forget = true): void {
    if (this.open) this.done++;
    this.open = false;
    if (forget) this.current = undefined;
  }
}
