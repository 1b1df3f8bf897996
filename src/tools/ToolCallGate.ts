import { Observable, type Subscription } from 'rxjs';
import type { ApprovalDecision, ApprovalRequest } from './ToolApproval.js';

/** What a `ToolCallGate` enforces: the tools a run may call and where its approvals come from. */
export interface ToolCallGateOptions {
  allowedTools?: readonly string[];
  approvals?: Observable<ApprovalDecision>;
}

type Waiter = (decision: ApprovalDecision | undefined) => void;

/**
 * The tool-access state of one run (an agent run spans several executor runs): which tools it
 * allows, how often each has been called, the decisions received so far and the requests left
 * without one. `open` subscribes to the decisions, `close` lets go of them and of every waiter.
 * @internal
 */
export class ToolCallGate {
  /** Requests that got no decision: there is no source, or it completed without one. */
  readonly pending: ApprovalRequest[] = [];
  private readonly allowed?: ReadonlySet<string>;
  private readonly approvals?: Observable<ApprovalDecision>;
  private readonly counts = new Map<string, number>();
  // Decisions may arrive before their request (a resumed run, a synchronous reply): kept by id.
  private readonly decisions = new Map<string, ApprovalDecision>();
  private readonly waiters = new Map<string, Set<Waiter>>();
  private failure?: { error: unknown };
  private done = false;
  private subscription?: Subscription;
  private failureListeners = new Set<(error: unknown) => void>();

  constructor(options: ToolCallGateOptions = {}) {
    if (options.allowedTools) this.allowed = new Set(options.allowedTools);
    if (options.approvals) this.approvals = options.approvals;
    else this.done = true;
  }

  open(): void {
    if (!this.approvals || this.subscription) return;
    this.subscription = this.approvals.subscribe({
      next: (decision) => {
        this.decisions.set(decision.approvalId, decision);
        const waiting = this.waiters.get(decision.approvalId);
        this.waiters.delete(decision.approvalId);
        waiting?.forEach((wake) => wake(decision));
      },
      error: (error: unknown) => {
        this.failure = { error };
        this.done = true;
        this.waiters.clear();
        [...this.failureListeners].forEach((fail) => fail(error));
      },
      complete: () => {
        this.done = true;
        const waiting = [...this.waiters.values()];
        this.waiters.clear();
        waiting.forEach((set) => set.forEach((wake) => wake(undefined)));
      },
    });
  }

  close(): void {
    this.subscription?.unsubscribe();
    this.waiters.clear();
    this.failureListeners.clear();
  }

  isAllowed(name: string): boolean {
    return !this.allowed || this.allowed.has(name);
  }

  /** Counts a call of `name`; false when it would be over `maxCalls`. */
  admit(name: string, maxCalls: number): boolean {
    const count = (this.counts.get(name) ?? 0) + 1;
    if (count > maxCalls) return false;
    this.counts.set(name, count);
    return true;
  }

  /** The decision on `approvalId` once it comes; `undefined` when none can come any more. */
  decision(approvalId: string): Observable<ApprovalDecision | undefined> {
    return new Observable<ApprovalDecision | undefined>((subscriber) => {
      const answer = (decision: ApprovalDecision | undefined) => {
        subscriber.next(decision);
        subscriber.complete();
      };
      if (this.failure) return subscriber.error(this.failure.error);
      const known = this.decisions.get(approvalId);
      if (known || this.done) return answer(known);
      const fail = (error: unknown) => subscriber.error(error);
      let waiting = this.waiters.get(approvalId);
      if (!waiting) this.waiters.set(approvalId, (waiting = new Set()));
      waiting.add(answer);
      this.failureListeners.add(fail);
      return () => {
        this.waiters.get(approvalId)?.delete(answer);
        if (this.waiters.get(approvalId)?.size === 0) this.waiters.delete(approvalId);
        this.failureListeners.delete(fail);
      };
    });
  }
}
