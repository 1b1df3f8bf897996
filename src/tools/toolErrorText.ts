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
