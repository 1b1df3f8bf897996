import type { Observable } from 'rxjs';
import type { Usage } from '../messages/AIMessageChunk.js';
import type { ApprovalDecision, ApprovalRequest } from '../tools/ToolApproval.js';
import type { ChatMessage } from './ChatMessage.js';
import type { ChatUsageRecord } from './ChatState.js';
import type { ChatRunCursor } from './ChatTransport.js';

/** What one model turn of an answer has used so far. */
export interface StoredTurn {
  /** The server's count, once it came. */
  usage?: Usage;
  /** The estimated input tokens of the turn's request. */
  inputEstimate: number;
}

/**
 * The bookkeeping of an answer still running over a transport, saved so that `resume()` can go on
 * with it after a reload. The session writes and reads it; treat it as opaque.
 */
export interface StoredAnswer {
  cursor?: ChatRunCursor;
  /** Index of the answer's first message in `messages`. */
  start: number;
  /** Model run id → the assistant message it streams into. */
  modelRuns: Record<string, string>;
  /** Tool run id → the tool call it runs. */
  toolRuns: Record<string, string>;
  /** Model run id → what the turn used. */
  turns: Record<string, StoredTurn>;
  /** The decisions the answer's request carried (sent again by `retry()`). */
  approvals: ApprovalDecision[];
  /** Whether the request went on from the last answer's tool calls. */
  continuing: boolean;
  /** The estimated tokens of the request's messages. */
  requestTokens: number;
}

/** A chat as a history store keeps it. */
export interface StoredChat {
  messages: ChatMessage[];
  usage?: ChatUsageRecord[];
  pendingApprovals?: ApprovalRequest[];
  /** An answer that was still running over a transport when this was saved. */
  running?: StoredAnswer;
}

/** A value now, later (a Promise) or as an Observable's first value. */
export type MaybeAsync<T> = T | PromiseLike<T> | Observable<T>;

/**
 * Where a `ChatSession` keeps its conversation: `load` once when the session starts (a stored
 * chat, a list of messages, or nothing), `save` after every change that settles (and, while an
 * answer streams, at most once per `throttle` tick). Either may be asynchronous.
 */
export interface ChatHistory {
  load(): MaybeAsync<StoredChat | readonly ChatMessage[] | null | undefined>;
  save(chat: StoredChat): MaybeAsync<unknown> | void;
}
