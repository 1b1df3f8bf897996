import type { MaskedErrorKind } from '../errors/errors.js';
import type { ApprovalRequest } from '../tools/ToolApproval.js';
import type { ChatMessage } from './ChatMessage.js';

/**
 * Where a chat stands: `'submitted'` from a request until its first answer event, `'streaming'`
 * while the answer arrives, `'ready'` when it is over (or was stopped), `'error'` when it failed.
 */
export type ChatStatus = 'ready' | 'submitted' | 'streaming' | 'error';

/** What kind of failure a {@link ChatError} reports: the kinds of `MaskedError`. */
export type ChatErrorKind = MaskedErrorKind;

/**
 * A failure as a chat may show it: its kind, a short message written for users (never the text of
 * the error itself) and whether `retry()` may help.
 */
export interface ChatError {
  readonly kind: ChatErrorKind;
  readonly message: string;
  readonly retryable: boolean;
}

/**
 * The tokens one answer used. `estimated: false` when every model turn of the answer reported the
 * server's count; else the turns without one are estimated (about four characters per token).
 */
export interface ChatUsageRecord {
  /** The answer's last assistant message. */
  readonly messageId: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly totalTokens: number;
  /** True for an answer cut short by `stop()`. */
  readonly stopped: boolean;
  readonly estimated: boolean;
}

/** One immutable snapshot of a chat. */
export interface ChatState {
  readonly messages: readonly ChatMessage[];
  readonly status: ChatStatus;
  /** Set while `status` is `'error'`. */
  readonly error?: ChatError;
  /** Tool calls waiting for `approve` or `deny`. */
  readonly pendingApprovals: readonly ApprovalRequest[];
  /** One record per answer, in order. */
  readonly usage: readonly ChatUsageRecord[];
  /** True while a transport is reconnecting after its connection dropped. */
  readonly reconnecting: boolean;
}
