import { concat, defer, filter, map, of, type OperatorFunction } from 'rxjs';
import { positiveCount } from '../errors/optionChecks.js';
import { InvalidOptionError } from '../errors/InvalidOptionError.js';
import { SectionTracker } from '../markdown/SectionTracker.js';
import { restartOnReset } from '../operators/restartOnReset.js';
import type { TextChunk } from '../operators/TextChunk.js';
import type { StreamReset } from '../resilience/StreamReset.js';

/** Options of `documentStatus`. */
export interface DocumentStatusOptions {
  /** Sections the document is expected to have (for example as many as the prompt asks for); enables `fraction`. */
  expectedSections?: number;
  /** The heading level that starts a section: 2 (default) for `## Title`, 1 for `# Title`, … 6. */
  sectionLevel?: number;
}

/** Where a document being written stands. */
export interface DocumentStatus {
  /** The heading text of the section being written (at the end: of the last section); undefined before the first. */
  section: string | undefined;
  /** Sections started so far: the number of the one being written. */
  sectionsStarted: number;
  /** Sections finished: each one the next section's heading (or a higher-rank heading) closed, and the last one at the end. */
  sectionsDone: number;
  /** `sectionsDone / expectedSections`, at most 1; only with `expectedSections`. */
  fraction?: number;
  /** Characters of text received. */
  chars: number;
  /** True in the status emitted when the stream completes. */
  done: boolean;
}

/**
 * The status line of a long Markdown document being written: the section in progress, how many
 * are done and, given `expectedSections`, the fraction done, after each chunk and once more when
 * the stream completes (`done: true`, the last section counted).
 *
 * A section starts at a top-level heading of `sectionLevel` (default 2: `## Title`, or a Setext
 * `Title` over `---`); a heading inside a list, a quote or a code block does not count, deeper
 * headings belong to their section, and a heading of a higher rank (`# Report`) ends the section
 * before it without starting one. A heading counts once its line is complete. Feed it the same
 * (shared) stream as `markdownBlocks` to draw the document and its status from one request.
 *
 * ```
 * source:                                -a------b------|     a: '## Intro\nHello\n', b: '## Results\n'
 * documentStatus({ expectedSections: 4 }): -x------y------(z|)  x: { section: 'Intro', sectionsStarted: 1, sectionsDone: 0, fraction: 0 }
 *                                                              y: { section: 'Results', sectionsStarted: 2, sectionsDone: 1, fraction: 0.25 }
 *                                                              z: { section: 'Results', sectionsDone: 2, fraction: 0.5, done: true }
 * ```
 *
 * @example
 * ```ts
 * import { share } from 'rxjs';
 * import { documentStatus, markdownBlocks } from 'rxllm';
 * const report$ = model.stream('Write a report in 5 sections').pipe(share());
 * report$.pipe(documentStatus({ expectedSections: 5 })).subscribe((s) => {
 *   status.textContent = `${s.sectionsDone}/5 · writing ${s.section ?? '…'}`;
 * });
 * report$.pipe(markdownBlocks({ render })).subscribe(draw);
 * ```
 *
 * A `StreamReset` (a retry or fallback starting over) passes through, and the count starts over
 * after it with the new attempt's text.
 *
 * @param options `expectedSections` for `fraction`; `sectionLevel`.
 * @return An operator emitting a `DocumentStatus` after each chunk with text, and one at completion.
 */
export function documentStatus<T extends TextChunk | StreamReset = TextChunk>(options: DocumentStatusOptions = {}): OperatorFunction<T, DocumentStatus | Extract<T, StreamReset>> {
  const expectedSections = options.expectedSections === undefined ? undefined
    : positiveCount('documentStatus', 'expectedSections', options.expectedSections, 1, { infinity: false });
  const sectionLevel = options.sectionLevel ?? 2;
  if (!Number.isInteger(sectionLevel) || sectionLevel < 1 || sectionLevel > 6) {
    throw new InvalidOptionError('documentStatus', 'sectionLevel', 'an integer from 1 to 6', sectionLevel);
  }
  const statuses: OperatorFunction<TextChunk, DocumentStatus> = (source) => defer(() => {
    const sections = new SectionTracker(sectionLevel);
    let chars = 0;
    const status = (done: boolean): DocumentStatus => ({
      section: sections.current,
      sectionsStarted: sections.started,
      sectionsDone: sections.done,
      ...(expectedSections !== undefined && { fraction: Math.min(1, sections.done / expectedSections) }),
      chars,
      done,
    });
    return concat(
      source.pipe(
        map((chunk) => (typeof chunk === 'string' ? chunk : chunk.content)),
        filter((text) => text.length > 0),
        map((text) => {
          chars += text.length;
          sections.push(text);
          return status(false);
        }),
      ),
      defer(() => {
        sections.finish();
        return of(status(true));
      }),
    );
  });
  // One tracker per attempt: a marker drops the voided attempt's sections and characters.
  return restartOnReset(statuses) as OperatorFunction<T, DocumentStatus | Extract<T, StreamReset>>;
}
