import { of, throwError, type Observable } from 'rxjs';
import { PromptInputError } from '../errors/errors.js';
import { AIMessage, HumanMessage, SystemMessage, isBaseMessage, type BaseMessage } from '../messages/messages.js';
import { toMessages } from '../messages/toMessages.js';
import { Runnable } from '../runnables/Runnable.js';
import { ChatPromptValue } from '../messages/ChatPromptValue.js';
import { formatTemplate, parseTemplate, templateVariables, variableValue, type TemplatePart } from './formatTemplate.js';

/** A role a template message may have. */
export type PromptRole = 'system' | 'human' | 'user' | 'ai' | 'assistant' | 'placeholder';

/**
 * One entry of `fromMessages`: `[role, template]`, a `MessagesPlaceholder`, or a fixed message.
 * `['placeholder', '{history}']` is a placeholder too.
 */
export type PromptMessageLike = [PromptRole, string] | MessagesPlaceholder | BaseMessage;

/**
 * Where a list of messages (a conversation history) goes in a prompt. The variable holds
 * messages, `[role, content]` pairs or a string; `optional` allows it to be missing.
 */
export class MessagesPlaceholder {
  constructor(readonly variableName: string, readonly optional = false) {}
}

type CompiledMessage =
  | { kind: 'template'; role: 'system' | 'human' | 'ai'; parts: TemplatePart[] }
  | { kind: 'placeholder'; variable: string; optional: boolean }
  | { kind: 'fixed'; message: BaseMessage };

/**
 * A chat prompt: message templates with `{variable}` slots (`{{` for a literal brace) and
 * placeholders for message history. Input: an object of variables. Output: a `ChatPromptValue`.
 * A missing variable is a `PromptInputError` naming it. Reports `on_prompt_start` and
 * `on_prompt_end` (a prompt does not stream).
 *
 * @example
 * ```ts
 * import { ChatPromptTemplate } from 'rxllm';
 * const prompt = ChatPromptTemplate.fromMessages([
 *   ['system', 'You are {persona}.'],
 *   ['placeholder', '{history}'],
 *   ['human', '{input}'],
 * ]);
 * const value = await prompt.invoke({ persona: 'terse', history: [], input: 'Hi' });
 * ```
 */
export class ChatPromptTemplate<V extends Record<string, unknown> = Record<string, unknown>> extends Runnable<V, ChatPromptValue> {
  readonly runType = 'prompt' as const;
  protected override readonly emitsStreamEvents = false;
  /** The variables the template needs (placeholders included). */
  readonly inputVariables: string[];

  private constructor(private readonly compiled: CompiledMessage[]) {
    super();
    this.inputVariables = [...new Set(compiled.flatMap((m) =>
      m.kind === 'template' ? templateVariables(m.parts) : m.kind === 'placeholder' ? [m.variable] : []))];
  }

  /** A prompt from message templates. */
  static fromMessages<V extends Record<string, unknown> = Record<string, unknown>>(messages: PromptMessageLike[]): ChatPromptTemplate<V> {
    return new ChatPromptTemplate<V>(messages.map(compile));
  }

  /** The messages for `values`. */
  formatMessages(values: V): BaseMessage[] {
    if (typeof values !== 'object' || values === null) {
      throw new PromptInputError(`A chat prompt takes an object of variables (${this.inputVariables.join(', ')}), not ${values === null ? 'null' : typeof values}`);
    }
    return this.compiled.flatMap((message): BaseMessage[] => {
      switch (message.kind) {
        case 'fixed': return [message.message];
        case 'template': return [makeMessage(message.role, formatTemplate(message.parts, values))];
        case 'placeholder': return placeholderMessages(message, variableValue(values, message.variable));
      }
    });
  }

  protected override _stream(input: V): Observable<ChatPromptValue> {
    try {
      return of(new ChatPromptValue(this.formatMessages(input)));
    } catch (error) {
      return throwError(() => error);
    }
  }
}

function compile(message: PromptMessageLike): CompiledMessage {
  if (message instanceof MessagesPlaceholder) return { kind: 'placeholder', variable: message.variableName, optional: message.optional };
  if (isBaseMessage(message)) return { kind: 'fixed', message };
  const [role, template] = message;
  if (role === 'placeholder') {
    const variable = /^\{\s*([A-Za-z_][\w.-]*)\s*\}$/.exec(template)?.[1];
    if (!variable) throw new PromptInputError(`A placeholder is written "{name}", not "${template}"`);
    return { kind: 'placeholder', variable, optional: true };
  }
  const normalized = role === 'user' ? 'human' : role === 'assistant' ? 'ai' : role;
  if (normalized !== 'system' && normalized !== 'human' && normalized !== 'ai') throw new PromptInputError(`Unknown prompt role "${String(role)}"`);
  return { kind: 'template', role: normalized, parts: parseTemplate(template) };
}

function makeMessage(role: 'system' | 'human' | 'ai', content: string): BaseMessage {
  return role === 'system' ? new SystemMessage(content) : role === 'human' ? new HumanMessage(content) : new AIMessage(content);
}

function placeholderMessages(placeholder: { variable: string; optional: boolean }, value: unknown): BaseMessage[] {
  if (value === undefined || value === null) {
    if (placeholder.optional) return [];
    throw new PromptInputError(`Missing value for messages placeholder "${placeholder.variable}"`, placeholder.variable);
  }
  try {
    return toMessages(value as Parameters<typeof toMessages>[0]);
  } catch (error) {
    throw new PromptInputError(`Placeholder "${placeholder.variable}" needs messages: ${(error as Error).message}`, placeholder.variable);
  }
}
