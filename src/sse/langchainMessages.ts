import { AIMessageChunk, type ToolCallChunk, type Usage } from '../messages/AIMessageChunk.js';
import { ChatPromptValue } from '../messages/ChatPromptValue.js';
import { AIMessage, HumanMessage, SystemMessage, ToolMessage, isBaseMessage, type BaseMessage } from '../messages/messages.js';

// rxllm's messages in LangChain's serialised form (the snake_case dicts LangServe sends and
// `RemoteRunnable` revives: `type`, `content`, `additional_kwargs`, `response_metadata`, …), and
// back. Each direction walks the value once and copies only what it changes.

type Dict = Record<string, unknown>;

/** LangChain's `type` for each kind of rxllm message. */
const LANGCHAIN_TYPES: Readonly<Record<string, string>> = { human: 'human', system: 'system', ai: 'ai', tool: 'tool' };

/** `value` with every rxllm message (and prompt value) as LangChain's dict. */
export function toLangChainValue(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(toLangChainValue);
  if (value instanceof AIMessageChunk) return aiChunkDict(value);
  if (isBaseMessage(value)) return messageDict(value);
  if (value instanceof ChatPromptValue) return { messages: value.messages.map(messageDict) };
  if (value instanceof Error) return { name: value.name, message: value.message };
  const copy: Dict = {};
  for (const [key, item] of Object.entries(value)) copy[key] = toLangChainValue(item);
  return copy;
}

/** `value` with every LangChain message dict as the rxllm message it describes. */
export function fromLangChainValue(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(fromLangChainValue);
  const dict = value as Dict;
  if (typeof dict.type === 'string' && 'content' in dict && 'additional_kwargs' in dict) return messageOf(dict);
  const copy: Dict = {};
  for (const [key, item] of Object.entries(dict)) copy[key] = fromLangChainValue(item);
  return copy;
}

function aiChunkDict(chunk: AIMessageChunk): Dict {
  return {
    type: 'AIMessageChunk',
    content: chunk.content,
    ...(chunk.id !== undefined && { id: chunk.id }),
    additional_kwargs: chunk.reasoning !== undefined ? { reasoning_content: chunk.reasoning } : {},
    response_metadata: { ...chunk.responseMetadata, ...(chunk.finishReason !== undefined && { finish_reason: chunk.finishReason }) },
    tool_call_chunks: chunk.toolCallChunks.map((call) => ({ name: call.name, args: call.args, id: call.id, index: call.index, type: 'tool_call_chunk' })),
    tool_calls: chunk.toolCalls.map((call) => ({ name: call.name, args: call.args, id: call.id, type: 'tool_call' })),
    invalid_tool_calls: chunk.invalidToolCalls.map((call) => ({ name: call.name, args: call.args, id: call.id, error: call.error, type: 'invalid_tool_call' })),
    ...(chunk.usage !== undefined && { usage_metadata: usageDict(chunk.usage) }),
  };
}

function messageDict(message: BaseMessage): Dict {
  if (message instanceof AIMessageChunk) return aiChunkDict(message);
  const dict: Dict = {
    type: LANGCHAIN_TYPES[message.type] ?? message.type,
    content: message.content,
    additional_kwargs: {},
    response_metadata: {},
    ...(message.name !== undefined && { name: message.name }),
    ...(message.id !== undefined && { id: message.id }),
  };
  if (message instanceof AIMessage) {
    if (message.reasoning !== undefined) dict.additional_kwargs = { reasoning_content: message.reasoning };
    dict.response_metadata = { ...message.responseMetadata, ...(message.finishReason !== undefined && { finish_reason: message.finishReason }) };
    dict.tool_calls = message.toolCalls.map((call) => ({ name: call.name, args: call.args, id: call.id, type: 'tool_call' }));
    dict.invalid_tool_calls = message.invalidToolCalls.map((call) => ({ ...call, type: 'invalid_tool_call' }));
    if (message.usage !== undefined) dict.usage_metadata = usageDict(message.usage);
  }
  if (message instanceof ToolMessage) {
    dict.tool_call_id = message.toolCallId;
    dict.status = message.status;
    if (message.artifact !== undefined) dict.artifact = toLangChainValue(message.artifact);
  }
  return dict;
}

function usageDict(usage: Usage): Dict {
  return {
    input_tokens: usage.inputTokens,
    output_tokens: usage.outputTokens,
    total_tokens: usage.totalTokens,
    ...(usage.cachedInputTokens !== undefined && { input_token_details: { cache_read: usage.cachedInputTokens } }),
    ...(usage.reasoningTokens !== undefined && { output_token_details: { reasoning: usage.reasoningTokens } }),
  };
}

function messageOf(dict: Dict): BaseMessage {
  const content = typeof dict.content === 'string' ? dict.content : JSON.stringify(dict.content);
  const common = {
    content,
    ...(typeof dict.name === 'string' && { name: dict.name }),
    ...(typeof dict.id === 'string' && { id: dict.id }),
  };
  const kwargs = (dict.additional_kwargs ?? {}) as Dict;
  const metadata = { ...(dict.response_metadata as Dict | undefined) };
  const finishReason = typeof metadata.finish_reason === 'string' ? metadata.finish_reason : undefined;
  delete metadata.finish_reason;
  const reasoning = typeof kwargs.reasoning_content === 'string' ? kwargs.reasoning_content : undefined;
  const usage = usageOf(dict.usage_metadata as Dict | undefined);
  switch (dict.type) {
    case 'human': case 'HumanMessage': case 'HumanMessageChunk': return new HumanMessage(common);
    case 'system': case 'SystemMessage': case 'SystemMessageChunk': return new SystemMessage(common);
    case 'tool': case 'ToolMessage': case 'ToolMessageChunk':
      return new ToolMessage({
        ...common,
        toolCallId: String(dict.tool_call_id ?? ''),
        ...(dict.status === 'error' && { status: 'error' as const }),
        ...(dict.artifact !== undefined && { artifact: fromLangChainValue(dict.artifact) }),
      });
    case 'AIMessageChunk':
      return new AIMessageChunk({
        ...common,
        ...(reasoning !== undefined && { reasoning }),
        toolCallChunks: ((dict.tool_call_chunks ?? []) as Dict[]).map((call, position): ToolCallChunk => ({
          index: typeof call.index === 'number' ? call.index : position,
          ...(typeof call.id === 'string' && { id: call.id }),
          ...(typeof call.name === 'string' && { name: call.name }),
          ...(typeof call.args === 'string' && { args: call.args }),
        })),
        ...(usage !== undefined && { usage }),
        ...(finishReason !== undefined && { finishReason }),
        responseMetadata: metadata,
      });
    default:
      return new AIMessage({
        ...common,
        ...(reasoning !== undefined && { reasoning }),
        toolCalls: ((dict.tool_calls ?? []) as Dict[]).map((call) => ({ id: String(call.id ?? ''), name: String(call.name ?? ''), args: (call.args ?? {}) as Record<string, unknown> })),
        ...(usage !== undefined && { usage }),
        ...(finishReason !== undefined && { finishReason }),
        responseMetadata: metadata,
      });
  }
}

function usageOf(dict: Dict | undefined): Usage | undefined {
  if (!dict) return undefined;
  const inputDetails = dict.input_token_details as Dict | undefined;
  const outputDetails = dict.output_token_details as Dict | undefined;
  return {
    inputTokens: Number(dict.input_tokens ?? 0),
    outputTokens: Number(dict.output_tokens ?? 0),
    totalTokens: Number(dict.total_tokens ?? 0),
    ...(typeof outputDetails?.reasoning === 'number' && { reasoningTokens: outputDetails.reasoning }),
    ...(typeof inputDetails?.cache_read === 'number' && { cachedInputTokens: inputDetails.cache_read }),
  };
}
