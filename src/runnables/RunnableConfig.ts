import type { Observable } from 'rxjs';
import type { CallbackHandler } from '../callbacks/CallbackHandler.js';
import type { ApprovalDecision } from '../tools/ToolApproval.js';

/** Where a nested call finds the run it belongs to (set on the config a run hands its functions). */
export const PARENT_RUN: unique symbol = Symbol.for('rxllm.parentRun');

/**
 * Options of one call (`stream`, `invoke`, `streamEvents`, `batch`). Tags, metadata and callbacks
 * are inherited by every child run; `runName` and `runId` apply to the root run only.
 */
export interface RunnableConfig {
  /** Aborting it cancels the run (and its HTTP requests); the stream errors with `AbortError`. */
  signal?: AbortSignal;
  tags?: string[];
  metadata?: Record<string, unknown>;
  runName?: string;
  runId?: string;
  callbacks?: CallbackHandler[];
  /** `batch`: how many inputs run at once (default: all). */
  maxConcurrency?: number;
  /** An agent run: the only tools bound to the model and run (a call of another gets an error `ToolMessage`). */
  allowedTools?: readonly string[];
  /** An agent run: the decisions on its approval requests, instead of the agent's `approvals`. */
  approvals?: Observable<ApprovalDecision>;
  /** @internal The run a function was called from, so that nested calls become its children. */
  [PARENT_RUN]?: unknown;
}
