import { AIMessageChunk } from '../messages/AIMessageChunk.js';
import { ChatPromptValue } from '../messages/ChatPromptValue.js';
import { AIMessage, HumanMessage, SystemMessage, ToolMessage } from '../messages/messages.js';
import { fromWireError, isWireError } from './fromWireError.js';
import { toWireError } from './toWireError.js';

// The 'rxllm' format's JSON: plain JSON, except that rxllm's classes travel as tagged objects
// (`{ "$rxllm": "AIMessageChunk", … }`) so that the client gets the same classes back. A plain
// object that happens to have a `$rxllm` key is tagged too, as `Object`, so nothing is misread.

const TAG = '$rxllm';

type MessageClass = new (fields: never) => object;

/** Message classes that are rebuilt from their own fields. */
const MESSAGE_CLASSES: ReadonlyMap<string, MessageClass> = new Map<string, MessageClass>([
  ['AIMessageChunk', AIMessageChunk],
  ['AIMessage', AIMessage],
  ['HumanMessage', HumanMessage],
  ['SystemMessage', SystemMessage],
  ['ToolMessage', ToolMessage],
]);

/**
 * The JSON text of `value` with rxllm's classes tagged. It walks the value once and copies only
 * the objects on the way to a class instance; the text itself is made by the native
 * `JSON.stringify`, without a replacer (which would cost a call per key).
 */
export function stringifyRxllmJson(value: unknown): string {
  return JSON.stringify(tagged(value)) ?? 'null';
}

/** The value of a text made by {@link stringifyRxllmJson}, with its classes rebuilt. */
export function parseRxllmJson(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    const tag = (value as Record<string, unknown>)[TAG];
    return typeof tag === 'string' ? untag(tag, value as Record<string, unknown>) : value;
  });
}

function tagged(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = tagged(value[i]);
      if (item !== value[i]) (copy ??= value.slice())[i] = item;
    }
    return copy ?? value;
  }
  const className = classNameOf(value);
  if (className === 'Error') return { [TAG]: 'Error', error: toWireError(value) };
  if (className === 'ChatPromptValue') return { [TAG]: 'ChatPromptValue', messages: tagged((value as ChatPromptValue).messages) };
  if (className !== undefined) return { [TAG]: className, ...taggedFields(value, true) };
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return value;
  if (Object.prototype.hasOwnProperty.call(value, TAG)) return { [TAG]: 'Object', entries: tagged(Object.entries(value)) };
  return taggedFields(value, false);
}

/** The own fields of `value`, each tagged; the same object when nothing inside changed and `copy` is false. */
function taggedFields(value: object, copy: boolean): Record<string, unknown> {
  let result: Record<string, unknown> | undefined = copy ? {} : undefined;
  for (const key of Object.keys(value)) {
    if (copy && key === 'type') continue;
    const item = (value as Record<string, unknown>)[key];
    const taggedItem = tagged(item);
    if (result) result[key] = taggedItem;
    else if (taggedItem !== item) {
      result = { ...(value as Record<string, unknown>) };
      result[key] = taggedItem;
    }
  }
  return result ?? (value as Record<string, unknown>);
}

/** The tag of an instance of one of rxllm's classes, `'Error'` for any error, else `undefined`. */
function classNameOf(value: object): string | undefined {
  if (value instanceof Error) return 'Error';
  if (value instanceof AIMessageChunk) return 'AIMessageChunk';
  if (value instanceof AIMessage) return 'AIMessage';
  if (value instanceof HumanMessage) return 'HumanMessage';
  if (value instanceof SystemMessage) return 'SystemMessage';
  if (value instanceof ToolMessage) return 'ToolMessage';
  if (value instanceof ChatPromptValue) return 'ChatPromptValue';
  return undefined;
}

function untag(tag: string, value: Record<string, unknown>): unknown {
  if (tag === 'Object') return Object.fromEntries(value.entries as [string, unknown][]);
  if (tag === 'Error') return isWireError(value.error) ? fromWireError(value.error) : value;
  if (tag === 'ChatPromptValue') return new ChatPromptValue(value.messages as ChatPromptValue['messages']);
  const MessageClass = MESSAGE_CLASSES.get(tag);
  if (!MessageClass) return value;
  const { [TAG]: _tag, ...fields } = value;
  return new MessageClass(fields as never);
}
