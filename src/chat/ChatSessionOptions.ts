import type { Observable, SchedulerLike } from 'rxjs';
import type { StreamEvent } from '../events/StreamEvent.js';
import type { BaseMessage } from '../messages/messages.js';
import type { RunnableConfig } from '../runnables/RunnableConfig.js';
import type { ChatHistory } from './ChatHistory.js';
import type { ChatMessage } from './ChatMessage.js';
import type { ChatTransport } from './ChatTransport.js';

/** What a session runs locally: an `agent()`, or any runnable (a chain, a model) that takes messages. */
export interface ChatRunnable {
  streamEvents(input: BaseMessage[], config?: RunnableConfig): Observable<StreamEvent>;
}

/** What a session answers with: a local runnable, or a transport to a remote one. */
export type ChatSessionSource = { runnable: ChatRunnable; transport?: undefined } | { transport: ChatTransport; runnable?: undefined };

/** Options of `ChatSession`. */
export type ChatSessionOptions = ChatSessionSource & {
  /** Where the conversation is kept. Default: in memory (it lives as long as the session). */
  history?: ChatHistory;
  /**
   * The most tokens (estimated, about four characters per token) of conversation sent with a
   * request: the oldest messages are left out first, a tool call always with its result. The
   * history itself keeps everything. Default: no limit.
   */
  maxHistoryTokens?: number;
  /**
   * `state$` emits at most once per tick of this scheduler, and always the final state.
   * Default: `animationFrameScheduler` where `requestAnimationFrame` exists, else none (`false`):
   * every change is emitted.
   */
  throttle?: SchedulerLike | false;
  /** The conversation to start from when the history has none. */
  initialMessages?: readonly ChatMessage[];
  /** Makes message ids. Default: random UUIDs. */
  generateId?: () => string;
};
