import type { ChatCompletionCreateParamsBase, ChatCompletionTool, ChatCompletionToolChoiceOption } from 'openai/resources/chat/completions';
import type { ChatModelCallOptions, ToolChoice } from '../models/ChatModelCallOptions.js';
import type { BaseMessage } from '../messages/messages.js';
import { toOpenAIMessages } from './toOpenAIMessages.js';

/** The model settings that go into every request body. */
export interface ChatCompletionSettings {
  model: string;
  temperature?: number;
  maxTokens?: number;
}

/** OpenAI models that reject `max_tokens` and take `max_completion_tokens` (o-series, GPT-5). */
const COMPLETION_TOKENS_MODELS = /^(o\d|gpt-5)/;

/**
 * The chat.completions request body (without `stream`) for `messages` under `options`: tools,
 * tool choice, parallel tool calls, response format and stop sequences map to their wire names.
 *
 * @example
 * ```ts
 * toChatCompletionBody({ model: 'gpt-4o-mini', maxTokens: 200 }, [new HumanMessage('Hi')], { stop: ['\n'] });
 * // { model: 'gpt-4o-mini', messages: [...], max_tokens: 200, stop: ['\n'] }
 * ```
 */
export function toChatCompletionBody(settings: ChatCompletionSettings, messages: readonly BaseMessage[], options: ChatModelCallOptions): ChatCompletionCreateParamsBase {
  const body: ChatCompletionCreateParamsBase = { model: settings.model, messages: toOpenAIMessages(messages) };
  if (settings.temperature !== undefined) body.temperature = settings.temperature;
  if (settings.maxTokens !== undefined) {
    if (COMPLETION_TOKENS_MODELS.test(settings.model)) body.max_completion_tokens = settings.maxTokens;
    else body.max_tokens = settings.maxTokens;
  }
  if (options.tools?.length) {
    body.tools = options.tools.map((tool): ChatCompletionTool => ({
      type: 'function',
      function: {
        name: tool.name,
        ...(tool.description !== undefined && { description: tool.description }),
        parameters: tool.parameters,
        ...(tool.strict !== undefined && { strict: tool.strict }),
      },
    }));
  }
  if (options.toolChoice !== undefined) body.tool_choice = toToolChoice(options.toolChoice);
  if (options.parallelToolCalls !== undefined) body.parallel_tool_calls = options.parallelToolCalls;
  const format = options.responseFormat;
  if (format?.type === 'json_object') body.response_format = { type: 'json_object' };
  else if (format?.type === 'json_schema') {
    body.response_format = {
      type: 'json_schema',
      json_schema: {
        name: format.name,
        schema: format.schema,
        ...(format.strict !== undefined && { strict: format.strict }),
        ...(format.description !== undefined && { description: format.description }),
      },
    };
  }
  if (options.stop?.length) body.stop = options.stop;
  return body;
}

function toToolChoice(choice: ToolChoice): ChatCompletionToolChoiceOption {
  return typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.name } };
}
