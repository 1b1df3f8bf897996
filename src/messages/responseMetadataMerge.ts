import { isPlainObject } from './valueKinds.js';

/**
 * Merges provider metadata into `target` in place: a later value replaces an earlier one (model
 * name, fingerprint, citations repeated on each chunk), except `logprobs`, whose per-token arrays
 * are appended so that the whole message keeps every token's log-probability. A `null` or
 * `undefined` value never erases an earlier one (OpenAI sends `logprobs: null` on the finish chunk).
 *
 * `target` owns its `logprobs` arrays (they are copied on first sight), so appending to them in
 * place is safe and the merge of n chunks costs O(total size), not O(n²) re-copies.
 * `target` must only ever be filled by this function.
 */
export function mergeResponseMetadataInto(target: Record<string, unknown>, incoming: Record<string, unknown>): void {
  for (const key of Object.keys(incoming)) {
    const value = incoming[key];
    if (value === undefined || (value === null && target[key] !== undefined)) continue;
    if (key === 'logprobs' && isPlainObject(value)) {
      const owned = target[key];
      if (isPlainObject(owned)) appendArraysInto(owned, value);
      else target[key] = copyArrays(value);
    } else if (key === 'logprobs' && isPlainObject(target[key])) {
      // Accumulated log-probabilities are not replaced by a value that carries none.
      continue;
    } else {
      target[key] = value;
    }
  }
}

function appendArraysInto(owned: Record<string, unknown>, next: Record<string, unknown>): void {
  for (const key of Object.keys(next)) {
    const prev = owned[key];
    const value = next[key];
    if (Array.isArray(prev) && Array.isArray(value)) {
      for (const item of value) prev.push(item);
    } else if (value !== undefined && value !== null) {
      owned[key] = Array.isArray(value) ? value.slice() : value;
    } else if (!(key in owned)) {
      owned[key] = value;
    }
  }
}

function copyArrays(record: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(record)) {
    const value = record[key];
    copy[key] = Array.isArray(value) ? value.slice() : value;
  }
  return copy;
}
