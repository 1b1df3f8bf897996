import type { ToolCall, InvalidToolCall, Usage } from './AIMessageChunk.js';

/** The role of a message, as chat models understand it. */
export type MessageType = 'system' | 'human' | 'ai' | 'tool';

/** Fields every message shares. */
export interface MessageFields {
  content: string;
  name?: string;
  id?: string;
}

/** Common shape of all messages; `type` discriminates them. */
export abstract class BaseMessage {
  abstract readonly type: MessageType;
  content: string;
  name?: string;
  id?: string;
  constructor(fields: string | MessageFields) {
    const f = typeof fields === 'string' ? { content: fields } : fields;
    this.content = f.content;
    if (f.name !== undefined) this.name = f.name;
    if (f.id !== undefined) this.id = f.id;
  }
}

/** Instructions to the model. */
export class SystemMessage extends BaseMessage {
  readonly type = 'system' as const;
}

/** What the user says. */
export class HumanMessage extends BaseMessage {
  readonly type = 'human' as const;
}

/** Fields of a complete assistant message. */
export interface AIMessageFields extends MessageFields {
  reasoning?: string;
  toolCalls?: ToolCall[];
  invalidToolCalls?: InvalidToolCall[];
  usage?: Usage;
  finishReason?: string;
  responseMetadata?: Record<string, unknown>;
}

/** A complete assistant message (for history, or the result of an agent). */
export class AIMessage extends BaseMessage {
  readonly type = 'ai' as const;
  reasoning?: string;
  toolCalls: ToolCall[];
  invalidToolCalls: InvalidToolCall[];
  usage?: Usage;
  finishReason?: string;
  responseMetadata: Record<string, unknown>;
  constructor(fields: string | AIMessageFields) {
    super(fields);
    const f: AIMessageFields = typeof fields === 'string' ? { content: fields } : fields;
    if (f.reasoning !== undefined) this.reasoning = f.reasoning;
    this.toolCalls = f.toolCalls ?? [];
    this.invalidToolCalls = f.invalidToolCalls ?? [];
    if (f.usage !== undefined) this.usage = f.usage;
    if (f.finishReason !== undefined) this.finishReason = f.finishReason;
    this.responseMetadata = f.responseMetadata ?? {};
  }
}

/** Fields of a tool's answer to one tool call. */
export interface ToolMessageFields extends MessageFields {
  toolCallId: string;
  status?: 'success' | 'error';
  /** The tool's value before it was turned into text, for programs (never sent to the model). */
  artifact?: unknown;
}

/** The answer of a tool to the tool call with `toolCallId`. */
export class ToolMessage extends BaseMessage {
  readonly type = 'tool' as const;
  toolCallId: string;
  status: 'success' | 'error';
  artifact?: unknown;
  constructor(fields: ToolMessageFields) {
    super(fields);
    this.toolCallId = fields.toolCallId;
    this.status = fields.status ?? 'success';
    if (fields.artifact !== undefined) this.artifact = fields.artifact;
  }
}

/** True for any rxllm message (including `AIMessageChunk`). */
export function isBaseMessage(value: unknown): value is BaseMessage {
  return typeof value === 'object' && value !== null && typeof (value as BaseMessage).type === 'string'
    && typeof (value as BaseMessage).content === 'string'
    && ['system', 'human', 'ai', 'tool'].includes((value as BaseMessage).type);
}
