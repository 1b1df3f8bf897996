import type { Observable } from 'rxjs';
import type { StreamEvent } from '../events/StreamEvent.js';
import type { ApprovalDecision } from '../tools/ToolApproval.js';
import type { ChatRole } from './ChatMessage.js';

/** A message as a transport sends it: what a server needs to rebuild the conversation. */
export interface ChatWireMessage {
  role: ChatRole;
  text: string;
  /** A tool message: the call it answers. */
  toolCallId?: string;
  /** An assistant message's tool calls (only those the conversation answers, or waits on). */
  toolCalls?: Array<{ id: string; name: string; args: Record<string, unknown> }>;
}

/** One request of a chat session: the conversation, and decisions on the approvals it waits for. */
export interface ChatTransportRequest {
  messages: ChatWireMessage[];
  approvals?: ApprovalDecision[];
}

/** Where a running answer is on the server: enough to stop it, or to re-attach after a reload. */
export interface ChatRunCursor {
  readonly runId: string;
  /** The last event received; absent before the first. */
  readonly lastEventId?: string;
}

/**
 * What a transport reports: that the server started the run (its cursor, before any event, so a
 * stop can reach it at once), the run's events (each with the cursor after it), and reconnections.
 */
export type ChatTransportEvent =
  | { readonly kind: 'started'; readonly cursor: ChatRunCursor }
  | { readonly kind: 'event'; readonly event: StreamEvent; readonly cursor?: ChatRunCursor }
  | { readonly kind: 'reconnecting'; readonly reconnecting: boolean };

/**
 * How a `ChatSession` reaches a remote runnable. `send` and `resume` are cold: each subscription
 * is one request, and unsubscribing cancels it (a disconnect, not a stop). `stop` ends the run on
 * the server.
 */
export interface ChatTransport {
  /** Starts a run on `request`. */
  send(request: ChatTransportRequest): Observable<ChatTransportEvent>;
  /** Re-attaches to a running answer: the events after `cursor.lastEventId`. */
  resume(cursor: ChatRunCursor): Observable<ChatTransportEvent>;
  /** Stops the run on the server (its model request is cancelled). */
  stop(runId: string): Observable<unknown> | PromiseLike<unknown>;
}
