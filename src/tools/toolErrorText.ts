import { ToolInputError } from '../errors/errors.js';
import { maskSecrets } from '../errors/maskSecrets.js';

/**
 * The text a model reads when a tool call fails: which tool, what was wrong, and what to do,
 * so that the next turn can correct the call.
 */
export function toolErrorText(toolName: string, error: unknown): string {
  if (error instanceof ToolInputError) {
    const fields = error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(arguments)'}: ${issue.message}`);
    return `Error: invalid arguments for tool "${toolName}": ${fields.join('; ')}. Fix these fields and call the tool again.`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return maskSecrets(`Error: tool "${toolName}" failed: ${message}`);
}

/** The text for a call of a tool that does not exist. */
export function unknownToolText(toolName: string, available: readonly string[]): string {
  return `Error: there is no tool named "${toolName}". Available tools: ${available.join(', ') || 'none'}.`;
}

/** The text for a call whose arguments are not a JSON object. */
export function invalidArgumentsText(toolName: string, parseError: string): string {
  return `Error: the arguments for tool "${toolName}" are not a valid JSON object (${parseError}). Send the arguments as one JSON object.`;
}

/** The text for a call of a tool that this run does not allow. */
export function notAllowedText(toolName: string): string {
  return `Error: tool "${toolName}" is not allowed in this run. Answer without it.`;
}

/** The text for a call over the tool's `maxCalls` in this run. */
export function callLimitText(toolName: string, maxCalls: number): string {
  return `Error: tool "${toolName}" may be called at most ${maxCalls} times in this run; the limit is reached. Answer with what you have.`;
}

/** The text for a call whose approval was denied. */
export function deniedText(toolName: string, reason: string | undefined): string {
  return maskSecrets(`Error: the call of tool "${toolName}" was denied${reason ? `: ${reason}` : ''}. Do not call it again with the same arguments.`);
}
