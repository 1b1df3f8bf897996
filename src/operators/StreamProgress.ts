import type { SchedulerLike } from 'rxjs';

/** Options of `progress` and `withProgress`. */
export interface ProgressOptions {
  /** Tokens the answer is expected to have (for example the request's `maxTokens`); enables `fraction`. */
  expectedTokens?: number;
  /**
   * Sections a Markdown answer is expected to have (for example as many as the prompt asks for);
   * enables `sections`, and `fraction` then counts sections done instead of tokens. A section
   * starts at a top-level heading of `sectionLevel` (not one inside a list, a quote or code) and
   * is done when the next one starts, when a higher-rank heading comes, or when a chunk with a
   * `finishReason` ends the answer (a stream of strings has none: `documentStatus` counts the
   * last section at completion).
   */
  expectedSections?: number;
  /** The heading level that starts a section: 2 (default) for `## Title`, 1 for `# Title`, … 6. */
  sectionLevel?: number;
  /** Clock of `elapsedMs` (its `now()`). Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/** Where a stream stands, after one more chunk. */
export interface StreamProgress {
  /** Chunks received. */
  chunks: number;
  /** Characters generated: text, reasoning and tool-call arguments. */
  chars: number;
  /** Output tokens: the server's count once a chunk reports usage, an estimate until then. */
  outputTokens: number;
  /** True while `outputTokens` is (partly) estimated rather than reported by the server. */
  estimated: boolean;
  /** Milliseconds since subscription, on the scheduler's clock. */
  elapsedMs: number;
  /** `outputTokens` per second of `elapsedMs`; 0 while no time has passed. */
  tokensPerSecond: number;
  /** Sections done; only with `expectedSections`. */
  sections?: number;
  /** `sections / expectedSections` with `expectedSections`, else `outputTokens / expectedTokens`; at most 1; only with one of them. */
  fraction?: number;
}
