// Angular ships ES modules only. The CommonJS build's require() of it works on the Node versions
// Angular 21 supports (require of ES modules, Node 20.19 and later), which TypeScript's node16
// mode does not know of.
// @ts-ignore TS1479 in the CommonJS build only
import { assertInInjectionContext, computed, DestroyRef, inject, signal, type Signal } from '@angular/core';
import type { ApprovalRequest } from '../chat/index.js';
import { ChatSession, type ChatError, type ChatMessage, type ChatSessionOptions, type ChatState, type ChatStatus, type ChatUsageRecord } from '../chat/index.js';

/**
 * A chat session as Angular signals, from {@link injectChat}. The signals are read-only; the
 * methods act on the session at once (nothing to subscribe to).
 */
export interface InjectedChat {
  /** The whole snapshot, for a component that reads several parts. */
  readonly state: Signal<ChatState>;
  /** The conversation; a message that did not change keeps its identity, so `@for (…; track m.id)` redraws only the one streaming. */
  readonly messages: Signal<readonly ChatMessage[]>;
  readonly status: Signal<ChatStatus>;
  /** The last error, masked and safe to show, with `retryable`. */
  readonly error: Signal<ChatError | undefined>;
  /** One record per answer, stopped answers included (`stopped`, `estimated`). */
  readonly usage: Signal<readonly ChatUsageRecord[]>;
  /** Tool calls waiting for `approve` or `deny`. */
  readonly pendingApprovals: Signal<readonly ApprovalRequest[]>;
  /** True while a request is in flight (`submitted` or `streaming`): what enables a Stop button. */
  readonly isStreaming: Signal<boolean>;
  /** True while the transport reconnects after a dropped connection. */
  readonly reconnecting: Signal<boolean>;
  /** The session itself, for `state$` in RxJS code. */
  readonly session: ChatSession;
  send(text: string): void;
  stop(): void;
  regenerate(messageId?: string): void;
  edit(messageId: string, text: string): void;
  retry(): void;
  approve(approvalId: string): void;
  deny(approvalId: string, reason?: string): void;
  addToolResult(callId: string, result: unknown): void;
  resume(): void;
}

/**
 * Creates a {@link ChatSession} for the component (or service) being built and exposes its state
 * as signals. It must run in an injection context (a field initializer or constructor, or
 * `runInInjectionContext`); the session is disposed when that context is destroyed, which
 * cancels a running request.
 *
 * Signals drive change detection in zoneless apps and in zone.js apps alike, so the session may
 * emit from anywhere (a fetch callback, an animation frame) without `NgZone.run`.
 *
 * @example
 * ```ts
 * @Component({ selector: 'app-chat', template: `…` })
 * export class ChatComponent {
 *   readonly chat = injectChat({ transport: sseTransport('/api/chat'), history: localStorageHistory('chat') });
 * }
 * ```
 *
 * @param options The session's options: a `runnable` or a `transport`, `history`, `maxHistoryTokens`, `throttle`.
 * @return The signals and the session's methods.
 */
export function injectChat(options: ChatSessionOptions): InjectedChat {
  assertInInjectionContext(injectChat);
  const destroyRef = inject(DestroyRef);
  const session = new ChatSession(options);
  const state = signal<ChatState>(session.state);
  session.state$.subscribe({ next: (next: ChatState) => state.set(next) });
  // No unsubscribe of our own: dispose() publishes the last snapshot (a running answer stopped)
  // and completes state$, which ends the subscription. When the context is destroyed while a
  // snapshot is being delivered, that happens right after the delivery, and the signals still
  // get it.
  destroyRef.onDestroy(() => session.dispose());
  const status = computed(() => state().status);
  return {
    state: state.asReadonly(),
    messages: computed(() => state().messages),
    status,
    error: computed(() => state().error),
    usage: computed(() => state().usage),
    pendingApprovals: computed(() => state().pendingApprovals),
    isStreaming: computed(() => status() === 'submitted' || status() === 'streaming'),
    reconnecting: computed(() => state().reconnecting),
    session,
    send: (text) => session.send(text),
    stop: () => session.stop(),
    regenerate: (messageId) => session.regenerate(messageId),
    edit: (messageId, text) => session.edit(messageId, text),
    retry: () => session.retry(),
    approve: (approvalId) => session.approve(approvalId),
    deny: (approvalId, reason) => session.deny(approvalId, reason),
    addToolResult: (callId, result) => session.addToolResult(callId, result),
    resume: () => session.resume(),
  };
}
