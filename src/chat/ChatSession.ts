import {
  Observable, Subject, animationFrameScheduler, defer, from, isObservable, map, merge, of, take,
  type SchedulerLike, type Subscription,
} from 'rxjs';
import { InvalidOptionError } from '../errors/InvalidOptionError.js';
import { positiveCount } from '../errors/optionChecks.js';
import { RxllmError } from '../errors/RxllmError.js';
import { isPromiseLike } from '../messages/valueKinds.js';
import { newRunId } from '../runnables/newRunId.js';
import type { ApprovalDecision } from '../tools/ToolApproval.js';
import { AnswerFold, changeCall, resultText, type AnswerEnd } from './AnswerFold.js';
import type { ChatHistory, MaybeAsync, StoredAnswer, StoredChat } from './ChatHistory.js';
import type { ChatMessage } from './ChatMessage.js';
import { lastAssistantIndex, toBaseMessages, toWireMessages, trimToTokens, wireTokens } from './chatMessagesInternals.js';
import type { ChatRunnable, ChatSessionOptions } from './ChatSessionOptions.js';
import type { ChatState } from './ChatState.js';
import type { ChatTransport, ChatTransportEvent } from './ChatTransport.js';
import { toChatError } from './toChatError.js';

/** The answer being received. */
interface ActiveRun {
  readonly fold: AnswerFold;
  readonly subscription: Subscription;
  /** A local run's live approvals channel. */
  readonly decisions?: Subject<ApprovalDecision>;
}

const EMPTY_STATE: ChatState = { messages: [], status: 'ready', pendingApprovals: [], usage: [], reconnecting: false };

/**
 * A chat: the conversation as immutable snapshots (`state`, `state$`) and the methods a chat UI
 * calls, over a local runnable (an `agent()`, a chain taking messages) or a transport to a server
 * (`sseTransport` from `rxllm/sse`).
 *
 * Each method acts at once (nothing to subscribe to), and may be called from inside a `state$`
 * subscriber: such a call runs right after the current change is delivered. An answer goes
 * `'submitted'` → `'streaming'` → `'ready'` (or `'error'`, with a typed, masked `error`). The
 * message being streamed is a new object on every change; every other message keeps its identity.
 *
 * - `stop()` cancels the request, keeps the partial answer marked `stopped`, and adds a usage
 *   record (the server's count if it came, else an estimate flagged `estimated`). Every answer
 *   gets one.
 * - Tool approvals (`needsApproval`) show in `pendingApprovals`; `approve`/`deny` answer them. A
 *   local run waits for the decision; over a transport the run ends with the request pending, and
 *   once every request is decided the session sends the conversation again with the decisions.
 * - `history` loads the conversation when the session starts and saves it as it changes, a
 *   running answer's position included, so `resume()` re-attaches to it after a reload.
 *
 * @example
 * ```ts
 * import { ChatSession, agent } from 'rxllm';
 * const chat = new ChatSession({ runnable: agent({ model, tools }), maxHistoryTokens: 8_000 });
 * chat.state$.subscribe(({ messages, status }) => render(messages, status));
 * chat.send('What is RxJS?');
 * stopButton.onclick = () => chat.stop();
 * ```
 */
export class ChatSession {
  private current: ChatState = EMPTY_STATE;
  private published: ChatState = EMPTY_STATE;
  private readonly changes = new Subject<ChatState>();
  private readonly queue: Array<() => void> = [];
  private busy = false;
  private loaded = false;
  private disposed = false;
  private run: ActiveRun | undefined;
  /** The last answer's bookkeeping: what `retry()` resends and `resume()` re-attaches to. */
  private last: StoredAnswer | undefined;
  /** Decisions that wait for the next request (over a transport, or once a run has ended). */
  private decided: ApprovalDecision[] = [];
  private flush: Subscription | undefined;
  private flushPending = false;
  private savePending = false;
  private saveTick: Subscription | undefined;
  private loading: Subscription | undefined;
  private readonly runnable?: ChatRunnable;
  private readonly transport?: ChatTransport;
  private readonly history: ChatHistory;
  private readonly maxHistoryTokens: number;
  private readonly throttle: SchedulerLike | undefined;
  private readonly newId: () => string;
  /** Whether `addToolResult` answered a call since the last request. */
  private clientAnswered = false;

  /** Snapshots: the current one at once on subscribe, then every change (at most one per `throttle` tick, always the last). */
  readonly state$: Observable<ChatState>;

  constructor(options: ChatSessionOptions) {
    const where = 'ChatSession';
    if (typeof options !== 'object' || options === null) throw new InvalidOptionError(where, 'options', 'an object with a runnable or a transport', options);
    const { runnable, transport } = options;
    if (!runnable === !transport) throw new InvalidOptionError(where, 'runnable', 'given alone, or a transport instead (exactly one of them)', runnable ?? transport);
    if (runnable && typeof runnable.streamEvents !== 'function') throw new InvalidOptionError(where, 'runnable', 'a runnable (with streamEvents)', runnable);
    if (transport && (typeof transport.send !== 'function' || typeof transport.resume !== 'function' || typeof transport.stop !== 'function')) {
      throw new InvalidOptionError(where, 'transport', 'a ChatTransport (send, resume, stop)', transport);
    }
    if (options.history && (typeof options.history.load !== 'function' || typeof options.history.save !== 'function')) {
      throw new InvalidOptionError(where, 'history', 'a store with load() and save()', options.history);
    }
    if (options.throttle !== undefined && options.throttle !== false && typeof options.throttle?.schedule !== 'function') {
      throw new InvalidOptionError(where, 'throttle', 'a SchedulerLike or false', options.throttle);
    }
    if (options.generateId !== undefined && typeof options.generateId !== 'function') throw new InvalidOptionError(where, 'generateId', 'a function', options.generateId);
    this.runnable = runnable;
    this.transport = transport;
    this.maxHistoryTokens = positiveCount(where, 'maxHistoryTokens', options.maxHistoryTokens, Infinity);
    this.throttle = options.throttle === false ? undefined : options.throttle ?? defaultThrottle();
    this.newId = options.generateId ?? (() => `msg_${newRunId()}`);
    const kept: StoredChat = { messages: [] };
    this.history = options.history ?? { load: () => kept.messages, save: (chat) => void Object.assign(kept, chat) };
    const initial = options.initialMessages ?? [];
    this.state$ = new Observable<ChatState>((subscriber) => {
      let seen = this.current;
      const changes = this.changes.subscribe({
        next: (state) => {
          if (state === seen) return;
          seen = state;
          subscriber.next(state);
        },
        complete: () => subscriber.complete(),
      });
      // Delivered as a change is: a method called from this subscriber runs after it.
      this.deliver(() => subscriber.next(seen));
      if (this.disposed) subscriber.complete();
      return changes;
    });
    this.load(initial);
  }

  /** The current snapshot (the newest, even when `state$` has not emitted it yet). */
  get state(): ChatState {
    return this.current;
  }

  /** Sends a user message and starts its answer (a running answer is stopped first). */
  send(text: string): void {
    if (typeof text !== 'string' || text.trim() === '') throw new InvalidOptionError('ChatSession.send', 'text', 'a non-empty string', text);
    this.dispatch(() => {
      this.stopRun();
      this.decided = [];
      this.setState({ messages: [...this.current.messages, { id: this.newId(), role: 'user', text }], pendingApprovals: [] });
      this.startAnswer(false, []);
    });
  }

  /** Stops the answer: the request is cancelled (and the server's run stopped), the partial answer kept with `stopped: true`. */
  stop(): void {
    this.dispatch(() => this.stopRun());
  }

  /** Answers again the question of `messageId` (an assistant message; default the last one): what followed the question is replaced. */
  regenerate(messageId?: string): void {
    if (messageId !== undefined && !this.current.messages.some((m) => m.id === messageId && m.role === 'assistant')) {
      throw new InvalidOptionError('ChatSession.regenerate', 'messageId', 'the id of an assistant message', messageId);
    }
    if (!this.current.messages.some((m) => m.role === 'user')) throw new InvalidOptionError('ChatSession.regenerate', 'messageId', 'given once the chat has a question', messageId);
    this.dispatch(() => {
      this.stopRun();
      const messages = this.current.messages;
      let from = messageId === undefined ? messages.length - 1 : messages.findIndex((m) => m.id === messageId);
      if (from < 0) return;
      while (from >= 0 && messages[from].role !== 'user') from--;
      if (from < 0) return;
      this.decided = [];
      this.setState({ messages: messages.slice(0, from + 1), pendingApprovals: [] });
      this.startAnswer(false, []);
    });
  }

  /** Changes the text of a user message and answers it again: what followed it is replaced. */
  edit(messageId: string, text: string): void {
    if (!this.current.messages.some((m) => m.id === messageId && m.role === 'user')) throw new InvalidOptionError('ChatSession.edit', 'messageId', 'the id of a user message', messageId);
    if (typeof text !== 'string' || text.trim() === '') throw new InvalidOptionError('ChatSession.edit', 'text', 'a non-empty string', text);
    this.dispatch(() => {
      this.stopRun();
      const messages = this.current.messages;
      const index = messages.findIndex((m) => m.id === messageId);
      if (index < 0) return;
      this.decided = [];
      this.setState({ messages: [...messages.slice(0, index), { ...messages[index], text }], pendingApprovals: [] });
      this.startAnswer(false, []);
    });
  }

  /** Sends the last request again (after an error): the failed answer's messages are replaced. */
  retry(): void {
    this.dispatch(() => {
      const last = this.last;
      if (this.run || !last) return;
      this.setState({ messages: this.current.messages.slice(0, last.start) });
      this.startAnswer(last.continuing, last.approvals);
    });
  }

  /** Approves a pending tool call: it runs. */
  approve(approvalId: string): void {
    this.checkPending('ChatSession.approve', approvalId);
    this.dispatch(() => this.decide({ approvalId, approved: true }));
  }

  /** Denies a pending tool call: it does not run, and the model reads `reason`. */
  deny(approvalId: string, reason?: string): void {
    this.checkPending('ChatSession.deny', approvalId);
    if (reason !== undefined && typeof reason !== 'string') throw new InvalidOptionError('ChatSession.deny', 'reason', 'a string', reason);
    this.dispatch(() => this.decide({ approvalId, approved: false, ...(reason !== undefined && { reason }) }));
  }

  /**
   * Answers a tool call the run left without a result (a tool the client runs, or instead of an
   * approval). Once every call of the last answer has its result, the answer goes on.
   */
  addToolResult(callId: string, result: unknown): void {
    const where = 'ChatSession.addToolResult';
    const messages = this.current.messages;
    const call = messages.flatMap((m) => m.toolCalls ?? []).find((c) => c.id === callId);
    if (!call || messages.some((m) => m.role === 'tool' && m.toolCallId === callId)) throw new InvalidOptionError(where, 'callId', 'the id of a tool call without a result', callId);
    if (this.run && !this.current.pendingApprovals.some((r) => r.approvalId === callId)) {
      throw new RxllmError(`${where}: the answer is still running; a result can be added once it has ended (or for a call waiting for approval)`);
    }
    this.dispatch(() => {
      // A local run waiting on this call's approval ends: the client answered it instead.
      if (this.run) this.endRun('complete');
      const answer: ChatMessage = { id: this.newId(), role: 'tool', text: resultText(result), toolCallId: callId };
      const view = changeCall({ messages: [...this.current.messages, answer], pendingApprovals: this.current.pendingApprovals.filter((r) => r.approvalId !== callId) }, callId, { state: 'done', result });
      this.setState(view);
      this.clientAnswered = true;
      this.save();
      this.continueWhenAnswered();
    });
  }

  /**
   * Re-attaches to the answer that was running when the page was reloaded or the connection was
   * lost for good (a transport's events after the last one received). Does nothing while an
   * answer runs, or when there is none to resume.
   */
  resume(): void {
    this.dispatch(() => {
      const last = this.last;
      if (this.run || !this.transport || !last?.cursor) return;
      const fold = new AnswerFold(last, this.newId);
      this.setState({ status: 'submitted', error: undefined });
      this.attach(fold, this.transport.resume(last.cursor));
    });
  }

  /** Ends the session: a running answer is stopped (its request cancelled), `state$` completes. */
  dispose(): void {
    if (this.disposed) return;
    this.dispatch(() => {
      this.stopRun();
      this.publish();
      this.disposed = true;
      this.flush?.unsubscribe();
      this.saveTick?.unsubscribe();
      this.loading?.unsubscribe();
      this.changes.complete();
    });
    if (!this.loaded) {
      this.disposed = true;
      this.loading?.unsubscribe();
      this.changes.complete();
    }
  }

  private checkPending(where: string, approvalId: string): void {
    if (!this.current.pendingApprovals.some((r) => r.approvalId === approvalId)) throw new InvalidOptionError(where, 'approvalId', 'the id of a pending approval', approvalId);
  }

  private load(initial: readonly ChatMessage[]): void {
    const apply = (stored: StoredChat | readonly ChatMessage[] | null | undefined) => {
      const chat: StoredChat = Array.isArray(stored) ? { messages: [...stored] } : (stored as StoredChat | null | undefined) ?? { messages: [] };
      const messages = chat.messages.length ? chat.messages : [...initial];
      this.last = chat.running;
      this.current = { ...EMPTY_STATE, messages, usage: chat.usage ?? [], pendingApprovals: chat.pendingApprovals ?? [] };
      this.published = this.current;
      this.loaded = true;
    };
    const fail = (error: unknown) => {
      this.current = { ...EMPTY_STATE, messages: [...initial], status: 'error', error: toChatError(error) };
      this.loaded = true;
      this.publish();
    };
    let loaded: MaybeAsync<StoredChat | readonly ChatMessage[] | null | undefined>;
    try {
      loaded = this.history.load();
    } catch (error) {
      return fail(error);
    }
    if (!isObservable(loaded) && !isPromiseLike(loaded)) return apply(loaded);
    this.loading = from(loaded).pipe(take(1)).subscribe({
      next: (value) => {
        apply(value);
        this.deliver(() => this.changes.next(this.current));
      },
      error: fail,
      complete: () => {
        if (!this.loaded) apply(undefined);
        this.drain();
      },
    });
  }

  /** Runs `action` now, or after the action or delivery in progress (and once the history has loaded). */
  private dispatch(action: () => void): void {
    if (this.disposed) return;
    this.queue.push(action);
    if (!this.busy && this.loaded) this.drain();
  }

  private drain(): void {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.queue.length && this.loaded && !this.disposed) {
        this.queue.shift()!();
        if (!this.throttle) this.publish();
      }
    } finally {
      this.busy = false;
    }
  }

  /** Runs `deliver` as an action: methods it calls wait for it. */
  private deliver(deliver: () => void): void {
    if (this.busy) return deliver();
    this.busy = true;
    try {
      deliver();
    } finally {
      this.busy = false;
    }
    this.drain();
  }

  private setState(change: Partial<ChatState>): void {
    const next: { -readonly [K in keyof ChatState]: ChatState[K] } = { ...this.current, ...change };
    // `error` is there only while the status says so.
    if (next.error === undefined || next.status !== 'error') delete next.error;
    this.current = next;
    // Without a throttle each action's changes go out as one snapshot, when the action is done.
    if (!this.throttle || this.flushPending) return;
    this.flushPending = true;
    this.flush = this.throttle.schedule(() => {
      this.flushPending = false;
      this.dispatch(() => this.publish());
    });
  }

  private publish(): void {
    if (this.current === this.published || this.disposed) return;
    this.published = this.current;
    this.changes.next(this.current);
  }

  private startAnswer(continuing: boolean, approvals: ApprovalDecision[]): void {
    const start = this.current.messages.length;
    const wire = trimToTokens(toWireMessages(this.current.messages, continuing), this.maxHistoryTokens);
    const book: StoredAnswer = {
      start, modelRuns: {}, toolRuns: {}, turns: {}, approvals, continuing, requestTokens: wire.reduce((sum, m) => sum + wireTokens(m), 0),
    };
    this.last = book;
    this.clientAnswered = false;
    const fold = new AnswerFold(book, this.newId);
    this.setState({ status: 'submitted', error: undefined, reconnecting: false });
    if (this.transport) {
      this.attach(fold, this.transport.send({ messages: wire, ...(approvals.length && { approvals }) }));
      return;
    }
    const runnable = this.runnable!;
    const decisions = new Subject<ApprovalDecision>();
    const events$ = defer(() => runnable.streamEvents(toBaseMessages(wire), { approvals: merge(of(...approvals), decisions) }))
      .pipe(map((event): ChatTransportEvent => ({ kind: 'event', event })));
    this.attach(fold, events$, decisions);
  }

  private attach(fold: AnswerFold, events$: Observable<ChatTransportEvent>, decisions?: Subject<ApprovalDecision>): void {
    let run: ActiveRun | undefined;
    const subscription = events$.subscribe({
      next: (item) => this.dispatch(() => run === this.run && this.onEvent(fold, item)),
      error: (error: unknown) => this.dispatch(() => run === this.run && this.endRun('error', error)),
      complete: () => this.dispatch(() => run === this.run && this.endRun('complete')),
    });
    run = { fold, subscription, ...(decisions && { decisions }) };
    this.run = run;
  }

  private onEvent(fold: AnswerFold, item: ChatTransportEvent): void {
    if (item.kind === 'reconnecting') {
      if (item.reconnecting !== this.current.reconnecting) this.setState({ reconnecting: item.reconnecting });
      return;
    }
    if (item.kind === 'started') {
      fold.book.cursor = item.cursor;
      return this.saveSoon();
    }
    const cursorMoved = item.cursor !== undefined && item.cursor !== fold.book.cursor;
    if (item.cursor) fold.book.cursor = item.cursor;
    const view = fold.apply(this.current, item.event);
    const asked = view.pendingApprovals !== this.current.pendingApprovals;
    if (view !== this.current) {
      this.setState({ messages: view.messages, pendingApprovals: view.pendingApprovals, status: 'streaming', reconnecting: false });
    } else if (this.current.reconnecting) {
      this.setState({ reconnecting: false });
    }
    // A request waiting for a decision is saved at once: the page may be reloaded before it is answered.
    if (asked) this.save();
    else if (cursorMoved) this.saveSoon();
  }

  /** Ends the run in progress, folding its end into the state. */
  private endRun(end: AnswerEnd, error?: unknown): void {
    const run = this.run;
    if (!run) return;
    this.run = undefined;
    run.subscription.unsubscribe();
    run.decisions?.complete();
    const { view, usage } = run.fold.finish(this.current, end);
    // A connection lost for good can be resumed; any other end leaves nothing to re-attach to.
    if (end !== 'error' || !run.fold.book.cursor) delete run.fold.book.cursor;
    this.setState({
      messages: view.messages,
      pendingApprovals: view.pendingApprovals,
      usage: usage ? [...this.current.usage, usage] : this.current.usage,
      status: end === 'error' ? 'error' : 'ready',
      reconnecting: false,
      ...(end === 'error' && { error: toChatError(error) }),
    });
    this.save();
    if (end === 'complete') this.continueWhenAnswered();
  }

  private stopRun(): void {
    const run = this.run;
    if (!run) return;
    const runId = run.fold.book.cursor?.runId;
    this.endRun('stopped');
    this.decided = [];
    if (this.transport && runId !== undefined) {
      // The server keeps runs for a resume: leaving is not stopping, so it is told.
      defer(() => from(this.transport!.stop(runId))).subscribe({ error: () => undefined });
    }
  }

  private decide(decision: ApprovalDecision): void {
    const view = changeCall({
      messages: this.current.messages,
      pendingApprovals: this.current.pendingApprovals.filter((r) => r.approvalId !== decision.approvalId),
    }, decision.approvalId, { state: decision.approved ? 'running' : 'denied', ...(!decision.approved && { result: decision.reason ?? 'Denied' }) });
    this.setState(view);
    if (this.run?.decisions) return this.run.decisions.next(decision);
    this.decided.push(decision);
    this.save();
    if (!this.run) this.continueWhenAnswered();
  }

  /**
   * Sends the conversation again when the last answer waits for nothing more and the client gave
   * it something to go on with: its approvals decided, or results added to its calls.
   */
  private continueWhenAnswered(): void {
    if (this.run || this.current.pendingApprovals.length || (!this.decided.length && !this.clientAnswered)) return;
    const messages = this.current.messages;
    const tail = lastAssistantIndex(messages);
    const calls = tail < 0 ? [] : messages[tail].toolCalls ?? [];
    if (!calls.length) return;
    const answered = new Set(messages.slice(tail + 1).map((m) => m.toolCallId));
    const decided = this.decided;
    if (!calls.every((call) => call.state === 'error' || answered.has(call.id) || decided.some((d) => d.approvalId === call.id))) return;
    this.decided = [];
    this.startAnswer(true, decided);
  }

  private saveSoon(): void {
    if (!this.throttle) return this.save();
    if (this.savePending) return;
    this.savePending = true;
    this.saveTick = this.throttle.schedule(() => {
      this.savePending = false;
      this.dispatch(() => this.save());
    });
  }

  private save(): void {
    const { messages, usage, pendingApprovals } = this.current;
    const running = this.last?.cursor ? this.last : undefined;
    const chat: StoredChat = { messages: [...messages], usage: [...usage], pendingApprovals: [...pendingApprovals], ...(running && { running: structuredCopy(running) }) };
    try {
      const saved = this.history.save(chat);
      if (isObservable(saved) || isPromiseLike(saved)) from(saved).subscribe({ error: () => undefined });
    } catch {
      // A store that cannot write (storage full) must not break the chat; the next save tries again.
    }
  }
}

/** A copy of the answer's bookkeeping, so that a store keeping references never sees later changes. */
function structuredCopy(answer: StoredAnswer): StoredAnswer {
  return JSON.parse(JSON.stringify(answer)) as StoredAnswer;
}

/** `animationFrameScheduler` where frames exist (a browser), else none. */
function defaultThrottle(): SchedulerLike | undefined {
  return typeof (globalThis as { requestAnimationFrame?: unknown }).requestAnimationFrame === 'function' ? animationFrameScheduler : undefined;
}
