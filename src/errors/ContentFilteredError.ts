import { RxllmError } from './RxllmError.js';

/**
 * `contentFilter` with `action: 'stop'` found text its policy refuses. Raised after the text
 * before it was delivered; the refused text itself is in neither the error nor its message.
 *
 * @example
 * ```ts
 * import { ContentFilteredError } from 'rxllm';
 * stream$.subscribe({
 *   error: (error) => { if (error instanceof ContentFilteredError) console.log(error.source, error.category ?? error.phrase); },
 * });
 * ```
 */
export class ContentFilteredError extends RxllmError {
  /** The blocklist entry that matched, as it was given (`source: 'block'`). */
  readonly phrase?: string;
  /** The classifier's category, when its verdict named one (`source: 'classify'`). */
  readonly category?: string;

  /**
   * @param source what refused the text: the blocklist (`'block'`) or the classifier (`'classify'`).
   * @param details the phrase that matched, or the classifier's category.
   */
  constructor(readonly source: 'block' | 'classify', details: { phrase?: string; category?: string } = {}) {
    super(source === 'block'
      ? 'The content filter stopped the stream at a blocked phrase; the text before it was delivered'
      : `The content filter's classifier refused the text${details.category ? ` (${details.category})` : ''}; the text before it was delivered`);
    if (details.phrase !== undefined) this.phrase = details.phrase;
    if (details.category !== undefined) this.category = details.category;
  }
}
