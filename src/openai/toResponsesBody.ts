import type { FunctionTool, ResponseCreateParamsBase, ToolChoiceFunction, ToolChoiceOptions } from 'openai/resources/responses/responses';
import { InvalidOptionError } from '../errors/InvalidOptionError.js';
import type { BaseMessage } from '../messages/messages.js';
import type { ChatModelCallOptions, ToolChoice } from '../models/ChatModelCallOptions.js';
import { toResponsesInput } from './toResponsesInput.js';

/** The model settings that go into every Responses request body. */
export interface ResponsesSettings {
  model: string;
  temperature?: number;
  maxTokens?: number;
  /** Continue from a stored response: the server prepends its input and output. */
  previousResponseId?: string;
  /** Whether the server keeps the response (for `previous_response_id` later). */
  store?: boolean;
  /** Run the response in the background: the stream starts with the status `queued`. */
  background?: boolean;
}

/**
 * The Responses API request body (without `stream`) for `messages` under `options`: tools are
 * function tools in the flat Responses shape, structured output goes to `text.format`, and
 * `maxTokens` to `max_output_tokens`. The API has no stop sequences: asking for them is an
 * `InvalidOptionError` rather than a silent difference.
 *
 * @example
 * ```ts
 * toResponsesBody({ model: 'gpt-5-nano', store: false }, [new HumanMessage('Hi')], {});
 * // { model: 'gpt-5-nano', input: [...], store: false }
 * ```
 */
export function toResponsesBody(settings: ResponsesSettings, messages: readonly BaseMessage[], options: ChatModelCallOptions): ResponseCreateParamsBase {
  if (options.stop?.length) throw new InvalidOptionError('ChatOpenAI', 'stop', "left out with api: 'responses' (the API has no stop sequences)", options.stop);
  const body: ResponseCreateParamsBase = { model: settings.model, input: toResponsesInput(messages) };
  if (settings.temperature !== undefined) body.temperature = settings.temperature;
  if (settings.maxTokens !== undefined) body.max_output_tokens = settings.maxTokens;
  if (settings.previousResponseId !== undefined) body.previous_response_id = settings.previousResponseId;
  if (settings.store !== undefined) body.store = settings.store;
  if (settings.background !== undefined) body.background = settings.background;
  if (options.tools?.length) {
    body.tools = options.tools.map((tool): FunctionTool => ({
      type: 'function',
      name: tool.name,
      ...(tool.description !== undefined && { description: tool.description }),
      parameters: tool.parameters,
      strict: tool.strict ?? null,
    }));
  }
  if (options.toolChoice !== undefined) body.tool_choice = toToolChoice(options.toolChoice);
  if (options.parallelToolCalls !== undefined) body.parallel_tool_calls = options.parallelToolCalls;
  const format = options.responseFormat;
  if (format?.type === 'json_object') body.text = { format: { type: 'json_object' } };
  else if (format?.type === 'json_schema') {
    body.text = {
      format: {
        type: 'json_schema',
        name: format.name,
        schema: format.schema,
        ...(format.strict !== undefined && { strict: format.strict }),
        ...(format.description !== undefined && { description: format.description }),
      },
    };
  }
  return body;
}

function toToolChoice(choice: ToolChoice): ToolChoiceOptions | ToolChoiceFunction {
  return typeof choice === 'string' ? choice : { type: 'function', name: choice.name };
}
