/** Where a tool call of an assistant message stands. */
export type ChatToolCallState = 'streaming-args' | 'pending-approval' | 'running' | 'done' | 'error' | 'denied';

/**
 * A tool call as a chat shows it: its arguments as they stream (`argsText`, and `args` read so
 * far), then its progress and result. A call the run left without a result (a tool the runnable
 * does not run) stays `'running'` until `addToolResult` answers it.
 */
export interface ChatToolCall {
  readonly id: string;
  readonly name: string;
  /** The argument text received so far. */
  readonly argsText: string;
  /** The arguments read so far while streaming, then the whole arguments; absent while nothing can be read. */
  readonly args?: Record<string, unknown>;
  readonly state: ChatToolCallState;
  /** The tool's latest progress value (a value it streamed, or a custom event it dispatched). */
  readonly progress?: unknown;
  /** The tool's result (its raw value when the run has it, else the text the model reads). */
  readonly result?: unknown;
}

/** Who wrote a chat message. */
export type ChatRole = 'user' | 'assistant' | 'tool';

/**
 * One message of a chat. The message being streamed is replaced by a new object on every change;
 * every other message keeps its identity from one snapshot to the next.
 */
export interface ChatMessage {
  readonly id: string;
  readonly role: ChatRole;
  readonly text: string;
  readonly reasoning?: string;
  /** An assistant message's tool calls. */
  readonly toolCalls?: readonly ChatToolCall[];
  /** True on an answer cut short by `stop()`. */
  readonly stopped?: boolean;
  /** A tool message: the call it answers. */
  readonly toolCallId?: string;
}
