/**
 * Merges provider metadata into `target` in place: a later value replaces an earlier one (model
 * name, fingerprint, citations repeated on each chunk), except `logprobs`, whose per-token arrays
 * are appended so that the whole message keeps every token's log-probability.
 */
export function mergeResponseMetadataInto(target: Record<string, unknown>, incoming: Record<string, unknown>): void {
  for (const key in incoming) {
    const value = incoming[key];
    if (key === 'logprobs' && isRecord(value) && isRecord(target[key])) {
      target[key] = appendArrays(target[key] as Record<string, unknown>, value);
    } else if (value !== undefined) {
      target[key] = value;
    }
  }
}

function appendArrays(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...a };
  for (const key in b) {
    const prev = merged[key];
    const next = b[key];
    merged[key] = Array.isArray(prev) && Array.isArray(next) ? prev.concat(next) : next ?? prev;
  }
  return merged;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
