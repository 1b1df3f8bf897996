import { PromptInputError } from '../errors/errors.js';
import { stringifyJson } from '../json/stringifyJson.js';

/** The pieces of a `{var}` template: literal text and variable names; `{{` and `}}` are literal braces. */
export type TemplatePart = { text: string } | { variable: string };

/** Splits a template once, at construction, so formatting is a single pass. */
export function parseTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let text = '';
  for (let i = 0; i < template.length; i++) {
    const ch = template[i];
    if ((ch === '{' || ch === '}') && template[i + 1] === ch) {
      text += ch;
      i++;
    } else if (ch === '{') {
      const end = template.indexOf('}', i);
      if (end < 0) throw new PromptInputError(`Unclosed "{" at position ${i} in template: ${template}`);
      const variable = template.slice(i + 1, end).trim();
      if (!/^[A-Za-z_][\w.-]*$/.test(variable)) throw new PromptInputError(`Invalid variable name "{${variable}}" in template: ${template}`);
      if (text) parts.push({ text });
      text = '';
      parts.push({ variable });
      i = end;
    } else if (ch === '}') {
      throw new PromptInputError(`Single "}" at position ${i} in template (write "}}" for a literal brace): ${template}`);
    } else {
      text += ch;
    }
  }
  if (text) parts.push({ text });
  return parts;
}

/**
 * The value of a prompt variable: an own property only, so `{constructor}` or `{__proto__}` in a
 * template is a missing value, never something inherited from `Object.prototype`.
 */
export function variableValue(values: object, variable: string): unknown {
  return Object.prototype.hasOwnProperty.call(values, variable) ? (values as Record<string, unknown>)[variable] : undefined;
}

/** The template with each variable replaced by its value; a missing one is a `PromptInputError` naming it. */
export function formatTemplate(parts: readonly TemplatePart[], values: Record<string, unknown>): string {
  let out = '';
  for (const part of parts) {
    if ('text' in part) {
      out += part.text;
      continue;
    }
    const value = variableValue(values, part.variable);
    if (value === undefined) {
      throw new PromptInputError(`Missing value for prompt variable "${part.variable}" (given: ${Object.keys(values).join(', ') || 'none'})`, part.variable);
    }
    out += typeof value === 'string' ? value : encodeValue(value, part.variable);
  }
  return out;
}

/** A non-string value as JSON; one JSON cannot write (a function, a symbol, a bigint) is bad input. */
function encodeValue(value: unknown, variable: string): string {
  let json: string | undefined;
  try {
    json = stringifyJson(value);
  } catch (error) {
    throw new PromptInputError(`Prompt variable "${variable}" cannot be written as text: ${(error as Error).message}`, variable);
  }
  if (json === undefined) throw new PromptInputError(`Prompt variable "${variable}" cannot be written as text (a ${typeof value})`, variable);
  return json;
}

/** The variable names of a parsed template. */
export function templateVariables(parts: readonly TemplatePart[]): string[] {
  return parts.flatMap((part) => ('variable' in part ? [part.variable] : []));
}
