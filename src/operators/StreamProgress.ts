import type { SchedulerLike } from 'rxjs';

/** Options of `progress` and `withProgress`. */
export interface ProgressOptions {
  /** Tokens the answer is expected to have (for example the request's `maxTokens`); enables `fraction`. */
  expectedTokens?: number;
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
  /** `outputTokens / expectedTokens`, at most 1; only with `expectedTokens`. */
  fraction?: number;
}
