import { InvalidOptionError } from '../errors/InvalidOptionError.js';
import { agUiFormat } from './agUiFormat.js';
import { aiSdkUiFormat } from './aiSdkUiFormat.js';
import { langchainFormat } from './langchainFormat.js';
import { rxllmFormat } from './rxllmFormat.js';
import type { SseFormat, SseFormatName } from './SseFormat.js';

const FORMATS: Readonly<Record<SseFormatName, SseFormat>> = {
  rxllm: rxllmFormat,
  'ai-sdk-ui': aiSdkUiFormat,
  'ag-ui': agUiFormat,
  langchain: langchainFormat,
};

/**
 * The format named `format` (or `format` itself when it is a format object); `'rxllm'` when
 * none is given. An unknown name fails here, where it was given.
 *
 * @example
 * ```ts
 * import { resolveSseFormat } from 'rxllm/sse';
 * resolveSseFormat('ai-sdk-ui').headers; // { 'x-vercel-ai-ui-message-stream': 'v1' }
 * ```
 */
export function resolveSseFormat(format: SseFormatName | SseFormat | undefined, where = 'resolveSseFormat'): SseFormat {
  if (format === undefined) return rxllmFormat;
  if (typeof format === 'object' && format !== null && typeof format.encoder === 'function') return format;
  const found = typeof format === 'string' && Object.prototype.hasOwnProperty.call(FORMATS, format) ? FORMATS[format] : undefined;
  if (!found) throw new InvalidOptionError(where, 'format', `one of ${Object.keys(FORMATS).map((name) => `'${name}'`).join(', ')}, or a format object`, format);
  return found;
}
