import { eventTypeOf, type StreamEvent } from '../events/StreamEvent.js';
import type { CallbackHandler, CallbackRunInfo } from './CallbackHandler.js';

/**
 * Feeds one event to one handler, mapping it to the handler's methods. Whatever the handler
 * throws or rejects with is swallowed here, so a faulty handler cannot break a stream.
 */
export function dispatchToHandler(handler: CallbackHandler, event: StreamEvent): void {
  // Each call is guarded on its own: a failing `handleEvent` does not cost the specific method.
  guarded(() => handler.handleEvent?.(event));
  guarded(() => callSpecific(handler, event));
}

function guarded(call: () => unknown): void {
  try {
    settle(call());
  } catch {
    // A handler's failure is its own; the run goes on.
  }
}

function callSpecific(handler: CallbackHandler, event: StreamEvent): unknown {
  const run: CallbackRunInfo = {
    runId: event.run_id,
    ...(event.parent_ids.length > 0 && { parentRunId: event.parent_ids[event.parent_ids.length - 1] }),
    name: event.name,
    tags: event.tags,
    metadata: event.metadata,
  };
  const type = eventTypeOf(event);
  const data = event.data;
  switch (type) {
    case 'custom':
      return handler.handleCustomEvent?.(event.name, data, run);
    case 'chat_model':
      switch (event.event) {
        case 'on_chat_model_start': return handler.handleChatModelStart?.(data.input.messages, run);
        case 'on_chat_model_stream': return handler.handleLLMNewToken?.(data.chunk.content, { chunk: data.chunk, runId: event.run_id });
        case 'on_chat_model_end': return handler.handleLLMEnd?.(data.output, run);
        default: return handler.handleLLMError?.(data.error, run);
      }
    case 'tool':
      switch (event.event) {
        case 'on_tool_start': return handler.handleToolStart?.(data.input, run);
        case 'on_tool_end': return handler.handleToolEnd?.(data.output, run);
        case 'on_tool_error': return handler.handleToolError?.(data.error, run);
        default: return undefined;
      }
    default:
      if (event.event.endsWith('_start')) return handler.handleChainStart?.(data.input, { ...run, runType: type });
      if (event.event.endsWith('_end')) return handler.handleChainEnd?.(data.output, run);
      if (event.event.endsWith('_error')) return handler.handleChainError?.(data.error, run);
      return undefined;
  }
}

function settle(result: unknown): void {
  if (result && typeof (result as PromiseLike<unknown>).then === 'function') {
    (result as Promise<unknown>).then(undefined, () => undefined);
  }
}
