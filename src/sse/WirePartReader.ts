import { AIMessageChunk, isAIMessageChunk, type InvalidToolCall, type ToolCall, type ToolCallChunk } from '../messages/AIMessageChunk.js';
import { ChunkAccumulator } from '../messages/ChunkAccumulator.js';
import type { ToolMessage } from '../messages/messages.js';
import { mergeToolCallChunkInto } from '../messages/toolCallChunkMerge.js';
import type { StreamEvent } from '../events/StreamEvent.js';

/**
 * What the chat formats (`'ai-sdk-ui'`, `'ag-ui'`) are built from: a model turn's text, reasoning
 * and tool-call deltas, its end with the parsed tool calls, tool results, custom events and
 * snapshots (any other value, such as a partial structured object).
 */
export type WirePart =
  | { readonly type: 'turn-start' }
  | { readonly type: 'text'; readonly delta: string }
  | { readonly type: 'reasoning'; readonly delta: string }
  | { readonly type: 'tool-call-start'; readonly toolCallId: string; readonly toolName: string }
  | { readonly type: 'tool-call-delta'; readonly toolCallId: string; readonly delta: string }
  | { readonly type: 'turn-end'; readonly toolCalls: readonly ToolCall[]; readonly invalidToolCalls: readonly InvalidToolCall[]; readonly finishReason?: string }
  | { readonly type: 'tool-result'; readonly message: ToolMessage }
  | { readonly type: 'custom'; readonly name: string; readonly data: unknown }
  | { readonly type: 'snapshot'; readonly value: unknown };

/** One model turn being read: its merged tool calls (with the wire id each got) and, when no end event will come, its sum. */
interface Turn {
  readonly calls: ToolCallChunk[];
  readonly callIds: string[];
  /** Set for a turn of bare chunks, which has no `on_chat_model_end` to say how it ended. */
  readonly sum?: ChunkAccumulator;
}

/**
 * Reads the values a handler streams — `streamEvents` events, `AIMessageChunk`s, `ToolMessage`s,
 * text, other values — as {@link WirePart}s. From an event stream it takes the model runs'
 * events, custom events and tool answers, and leaves out the `*_stream` events of chains and
 * parsers, which repeat the same tokens. A tool answer is reported once however many runs pass it
 * on. Cost: O(1) per chunk besides the tool-call merge.
 */
export class WirePartReader {
  private turn: Turn | undefined;
  private readonly answered = new Set<string>();

  read(value: unknown): WirePart[] {
    if (isAIMessageChunk(value)) return this.chunkParts(value);
    if (typeof value === 'string') return value ? this.chunkParts(new AIMessageChunk(value)) : [];
    if (isToolMessage(value)) return [...this.finish(), ...this.toolResult(value)];
    if (isStreamEvent(value)) return this.eventParts(value);
    return value === undefined ? [] : [{ type: 'snapshot', value }];
  }

  /** Ends the open turn, if any (at the end of the stream, or before something that is not part of it). */
  finish(): WirePart[] {
    const turn = this.turn;
    if (!turn) return [];
    this.turn = undefined;
    return turn.sum ? [turnEnd(new AIMessageChunk(turn.sum.fields()))] : [turnEnd(new AIMessageChunk({ toolCallChunks: turn.calls }))];
  }

  private eventParts(event: StreamEvent): WirePart[] {
    switch (event.event) {
      case 'on_chat_model_start':
        return [...this.finish(), ...this.startTurn(false)];
      case 'on_chat_model_stream':
        return isAIMessageChunk(event.data?.chunk) ? this.chunkParts(event.data.chunk) : [];
      case 'on_chat_model_end': {
        if (!this.turn) return [];
        this.turn = undefined;
        const output = event.data?.output;
        return [turnEnd(isAIMessageChunk(output) ? output : new AIMessageChunk())];
      }
      case 'on_custom_event':
        return [{ type: 'custom', name: event.name, data: event.data }];
      default: {
        const chunk = event.data?.chunk;
        return event.event.endsWith('_stream') && isToolMessage(chunk) ? this.toolResult(chunk) : [];
      }
    }
  }

  private startTurn(bare: boolean): WirePart[] {
    this.turn = { calls: [], callIds: [], ...(bare && { sum: new ChunkAccumulator() }) };
    return [{ type: 'turn-start' }];
  }

  private chunkParts(chunk: AIMessageChunk): WirePart[] {
    const parts = this.turn ? [] : this.startTurn(true);
    const turn = this.turn!;
    turn.sum?.add(chunk);
    if (chunk.reasoning) parts.push({ type: 'reasoning', delta: chunk.reasoning });
    if (chunk.content) parts.push({ type: 'text', delta: chunk.content });
    for (const fragment of chunk.toolCallChunks) {
      const at = mergeToolCallChunkInto(turn.calls, fragment);
      if (at === turn.callIds.length) {
        const call = turn.calls[at];
        // The id a parsed tool call will get (`toolCalls` falls back to `call_<index>` too).
        turn.callIds.push(call.id || `call_${call.index}`);
        parts.push({ type: 'tool-call-start', toolCallId: turn.callIds[at], toolName: call.name ?? '' });
      }
      if (fragment.args) parts.push({ type: 'tool-call-delta', toolCallId: turn.callIds[at], delta: fragment.args });
    }
    return parts;
  }

  private toolResult(message: ToolMessage): WirePart[] {
    if (this.answered.has(message.toolCallId)) return [];
    this.answered.add(message.toolCallId);
    return [{ type: 'tool-result', message }];
  }
}

function turnEnd(message: AIMessageChunk): WirePart {
  return {
    type: 'turn-end',
    toolCalls: message.toolCalls,
    invalidToolCalls: message.invalidToolCalls,
    ...(message.finishReason !== undefined && { finishReason: message.finishReason }),
  };
}

function isToolMessage(value: unknown): value is ToolMessage {
  return typeof value === 'object' && value !== null && (value as ToolMessage).type === 'tool'
    && typeof (value as ToolMessage).toolCallId === 'string';
}

/** True for an event of `streamEvents`. */
export function isStreamEvent(value: unknown): value is StreamEvent {
  return typeof value === 'object' && value !== null && typeof (value as StreamEvent).event === 'string'
    && (value as StreamEvent).event.startsWith('on_') && typeof (value as StreamEvent).run_id === 'string';
}
