import { PIIDetectedError } from '../errors/errors.js';
import { InvalidOptionError } from '../errors/InvalidOptionError.js';
import { oneOf } from '../errors/optionChecks.js';
import type { InvalidToolCall, ToolCall } from '../messages/AIMessageChunk.js';
import type { AIMessage, BaseMessage, MessageType } from '../messages/messages.js';
import { isPlainObject } from '../messages/valueKinds.js';
import type { ChatModelMiddleware, ChatModelRequest } from '../models/ChatModelMiddleware.js';
import { builtInDetectors } from './builtInDetectors.js';
import { PIIScanner, detectorSet } from './PIIScanner.js';
import { replacementFor, resolveDetectors, type RedactPIIOptions } from './redactPIIInternals.js';

/** Options of {@link redactInput}: those of `redactPII`, and which messages to search. */
export interface RedactInputOptions extends RedactPIIOptions {
  /**
   * The types of message searched. Default: every one (`'system'`, `'human'`, `'ai'`, `'tool'`);
   * leave out `'system'` when your own instructions name an address the model needs.
   */
  messageTypes?: readonly MessageType[];
}

const MESSAGE_TYPES: readonly MessageType[] = ['system', 'human', 'ai', 'tool'];
const MODES = ['mask', 'hash', 'remove', 'error'] as const;

/**
 * Redacts personal data and secrets from what a chat model sends, before it is sent: a
 * middleware for `model.withMiddleware(...)`. The detectors and modes are `redactPII`'s. Each
 * message's text is searched, an AI message's reasoning too, each tool call's arguments value by
 * value (they stay a JSON object: a matching string or number becomes the replacement text), an
 * invalid tool call's raw argument text, and tool results — which an agent sends back to the
 * model as tool messages, so the same layer keeps them from the provider. The model's start
 * event shows the redacted request; the messages you passed (an agent's history) are not changed.
 *
 * In mode `'hash'` one entity gets one token for as long as this middleware is used (the salt is
 * drawn when `redactInput` is called), so the turns of an agent and of a conversation refer to
 * the same `[EMAIL:…]`; use one `redactInput` per conversation when tokens must not link two.
 * Mode `'error'` sends nothing: the call fails with `PIIDetectedError`.
 *
 * @example
 * ```ts
 * import { redactInput } from 'rxllm';
 * import { ChatOpenAI } from 'rxllm/openai';
 * const model = new ChatOpenAI({ model: 'gpt-4o-mini' }).withMiddleware(redactInput({ mode: 'hash' }));
 * await model.invoke('Write to ada@example.com'); // the provider reads 'Write to [EMAIL:5c1d…]'
 * ```
 *
 * @param options which detectors run (default: every built-in one), what an entity becomes, and
 *   which messages are searched.
 * @return the middleware.
 */
export function redactInput(options: RedactInputOptions = {}): ChatModelMiddleware {
  checkOptions(options);
  const detectors = resolveDetectors(options.detectors);
  const set = detectorSet(detectors);
  const replace = replacementFor(options, detectors);
  const stopAtFirst = options.mode === 'error';
  const types = new Set(options.messageTypes ?? MESSAGE_TYPES);
  // Histories are sent again on every turn: a message already redacted is not searched again.
  const redacted = new WeakMap<BaseMessage, BaseMessage>();

  const redactText = (text: string, json = false): string => {
    if (text === '') return text;
    const scanner = new PIIScanner(set, replace, stopAtFirst, json);
    const head = scanner.push(text);
    const tail = head.stoppedAt ? head : scanner.flush();
    const found = head.stoppedAt ?? tail.stoppedAt;
    if (found) throw new PIIDetectedError(found.kind, `Personal data or a secret was found in the request (${found.kind}); nothing was sent`);
    return head.text + tail.text;
  };

  const redactValue = (value: unknown): unknown => {
    if (typeof value === 'string') return redactText(value);
    // A card or phone number given as a JSON number: its digits are searched, a match becomes text.
    if (typeof value === 'number' && Number.isFinite(value)) {
      const digits = String(value);
      const text = redactText(digits);
      return text === digits ? value : text;
    }
    if (Array.isArray(value)) {
      const items = value.map(redactValue);
      return items.some((item, i) => item !== value[i]) ? items : value;
    }
    if (isPlainObject(value)) {
      let changed = false;
      const copy: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        copy[key] = redactValue(item);
        if (copy[key] !== item) changed = true;
      }
      return changed ? copy : value;
    }
    return value;
  };

  const redactMessage = (message: BaseMessage): BaseMessage => {
    if (!types.has(message.type)) return message;
    const known = redacted.get(message);
    if (known) return known;
    const changes: Record<string, unknown> = {};
    const content = redactText(message.content);
    if (content !== message.content) changes.content = content;
    if (message.type === 'ai') {
      const ai = message as AIMessage;
      if (ai.reasoning !== undefined) {
        const reasoning = redactText(ai.reasoning);
        if (reasoning !== ai.reasoning) changes.reasoning = reasoning;
      }
      const toolCalls = (ai.toolCalls ?? []).map((call): ToolCall => {
        const args = redactValue(call.args) as ToolCall['args'];
        return args === call.args ? call : { ...call, args };
      });
      if (toolCalls.some((call, i) => call !== ai.toolCalls[i])) changes.toolCalls = toolCalls;
      const invalid = (ai.invalidToolCalls ?? []).map((call): InvalidToolCall => {
        const args = redactText(call.args, true);
        return args === call.args ? call : { ...call, args };
      });
      if (invalid.some((call, i) => call !== ai.invalidToolCalls[i])) changes.invalidToolCalls = invalid;
    }
    // A copy of the same class with the redacted fields: the caller's message stays as it was.
    const result = Object.keys(changes).length === 0
      ? message
      : Object.assign(Object.create(Object.getPrototypeOf(message)) as BaseMessage, message, changes);
    redacted.set(message, result);
    return result;
  };

  return {
    transformRequest(request: ChatModelRequest): ChatModelRequest {
      const messages = request.messages.map(redactMessage);
      return messages.some((message, i) => message !== request.messages[i]) ? { ...request, messages } : request;
    },
  };
}

function checkOptions(options: RedactInputOptions): void {
  const where = 'redactInput';
  if (typeof options !== 'object' || options === null) throw new InvalidOptionError(where, 'options', 'an object such as { mode }', options);
  oneOf(where, 'mode', options.mode, 'mask', MODES);
  if (options.replacement !== undefined && typeof options.replacement !== 'function') {
    throw new InvalidOptionError(where, 'replacement', 'a function of the entity', options.replacement);
  }
  if (options.detectors !== undefined) {
    if (!Array.isArray(options.detectors)) throw new InvalidOptionError(where, 'detectors', 'a list of detector names and detectors', options.detectors);
    options.detectors.forEach((detector, i) => {
      if (typeof detector === 'string') {
        if (!Object.hasOwn(builtInDetectors, detector)) {
          throw new InvalidOptionError(where, `detectors[${i}]`, `a built-in detector (${Object.keys(builtInDetectors).join(', ')}) or a detector`, detector);
        }
      } else if (typeof detector !== 'object' || detector === null || typeof detector.kind !== 'string' || !(detector.pattern instanceof RegExp)) {
        throw new InvalidOptionError(where, `detectors[${i}]`, 'a detector { kind, pattern, maxLength }', detector);
      } else if (!(detector.maxLength > 0) || !Number.isFinite(detector.maxLength)) {
        throw new InvalidOptionError(where, `detectors[${i}].maxLength`, 'a finite number above 0', detector.maxLength);
      }
    });
  }
  if (options.messageTypes !== undefined) {
    if (!Array.isArray(options.messageTypes)) throw new InvalidOptionError(where, 'messageTypes', 'a list of message types', options.messageTypes);
    for (const type of options.messageTypes) oneOf(where, 'messageTypes', type, 'human', MESSAGE_TYPES);
  }
}
