import type { SseMessage } from './SseFrame.js';
import type { WirePart } from './WirePartReader.js';

/**
 * The messages of a format for `parts`, in order: each part through `encode`. A loop rather than
 * `flatMap`, as this runs once per streamed value.
 */
export function encodeParts(parts: readonly WirePart[], encode: (part: WirePart) => SseMessage[]): SseMessage[] {
  if (parts.length === 1) return encode(parts[0]);
  const out: SseMessage[] = [];
  for (const part of parts) for (const message of encode(part)) out.push(message);
  return out;
}
