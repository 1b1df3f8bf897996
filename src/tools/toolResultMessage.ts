import { stringifyJson } from '../json/stringifyJson.js';
import { ToolMessage } from '../messages/messages.js';

/**
 * The `ToolMessage` that answers a tool call with a tool's result: its text (a string as it is,
 * anything else as JSON) paired with the call's id, the raw result kept as `artifact`. A result
 * that is already a `ToolMessage` is the answer itself.
 */
export function toolResultMessage(result: unknown, call: { id: string; name: string }): ToolMessage {
  if (result instanceof ToolMessage) return result;
  return new ToolMessage({ content: toolResultText(result), toolCallId: call.id, name: call.name, artifact: result });
}

/** A tool result as the text a model reads. */
export function toolResultText(result: unknown): string {
  if (typeof result === 'string') return result;
  if (result === undefined) return '';
  try {
    return stringifyJson(result) ?? String(result);
  } catch {
    return String(result);
  }
}
