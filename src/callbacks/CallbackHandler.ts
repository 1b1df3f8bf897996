import type { BaseMessage } from '../messages/messages.js';
import type { AIMessageChunk } from '../messages/AIMessageChunk.js';
import type { StreamEvent } from '../events/StreamEvent.js';

/** Who a callback is about: the run and where it sits. */
export interface CallbackRunInfo {
  runId: string;
  parentRunId?: string;
  name: string;
  tags: readonly string[];
  metadata: Readonly<Record<string, unknown>>;
}

/** A masked description of an error, as events carry it. */
export interface CallbackError {
  name: string;
  message: string;
}

/**
 * An object that is told about runs as they happen. Implement any subset of the methods; they
 * are fed from the same events as `streamEvents`. A handler that throws (or returns a rejected
 * Promise) is ignored: it never breaks the stream.
 *
 * @example
 * ```ts
 * import type { CallbackHandler } from 'rxllm';
 * const tokens: CallbackHandler = { handleLLMNewToken: (token) => process.stdout.write(token) };
 * chain.stream(input, { callbacks: [tokens] }).subscribe();
 * ```
 */
export interface CallbackHandler {
  /** Every event, before the specific method below. */
  handleEvent?(event: StreamEvent): unknown;
  handleChatModelStart?(messages: BaseMessage[], run: CallbackRunInfo): unknown;
  handleLLMNewToken?(token: string, fields: { chunk: AIMessageChunk; runId: string }): unknown;
  handleLLMEnd?(output: AIMessageChunk, run: CallbackRunInfo): unknown;
  handleLLMError?(error: CallbackError, run: CallbackRunInfo): unknown;
  handleChainStart?(input: unknown, run: CallbackRunInfo & { runType: 'chain' | 'prompt' | 'parser' }): unknown;
  handleChainEnd?(output: unknown, run: CallbackRunInfo): unknown;
  handleChainError?(error: CallbackError, run: CallbackRunInfo): unknown;
  handleToolStart?(input: unknown, run: CallbackRunInfo): unknown;
  handleToolEnd?(output: unknown, run: CallbackRunInfo): unknown;
  handleToolError?(error: CallbackError, run: CallbackRunInfo): unknown;
  handleCustomEvent?(name: string, data: unknown, run: CallbackRunInfo): unknown;
}
