/** How `smoothText` cuts text into pieces. */
export type SmoothTextUnit = 'word' | 'line' | RegExp | TextSegmenter;

/**
 * What `smoothText` uses of an `Intl.Segmenter`, typed by shape so that the public types do not
 * need the ES2022 `Intl` library.
 */
export interface TextSegmenter {
  segment(input: string): Iterable<{ segment: string; index: number; isWordLike?: boolean }>;
}
