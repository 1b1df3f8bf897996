import { pointerToken } from './pointerToken.js';
import type { JsonObject, JsonPatchOperation, JsonValue } from './jsonTypes.js';

/** A pending step of the walk: compare two values at a path, or emit a ready operation. */
type DiffStep = { prev: JsonValue; next: JsonValue; path: string } | { operation: JsonPatchOperation };

/**
 * The RFC 6902 operations that turn `prev` into `next`.
 *
 * Values that are the same object are skipped without being visited, so comparing two snapshots
 * of an {@link IncrementalJsonParser} (which share every unchanged member) walks only what changed.
 * Arrays are compared index by index, then grown with `add` or shrunk with `remove` at the end;
 * a value of another type, or a different primitive, is a `replace` (a string that grew is a
 * `replace` with the whole new string). Operation values are shared with `next`, not copied.
 * `undefined` stands for "no document": from it, the result is one `add` of the root.
 *
 * @example
 * ```ts
 * import { jsonPatchDiff } from 'rxllm';
 *
 * jsonPatchDiff({ title: 'Str' }, { title: 'Stream', tags: [] });
 * // [{ op: 'replace', path: '/title', value: 'Stream' }, { op: 'add', path: '/tags', value: [] }]
 * ```
 * @return the operations, in document order; empty when the values are deeply equal.
 */
export function jsonPatchDiff(prev: JsonValue | undefined, next: JsonValue | undefined): JsonPatchOperation[] {
  if (prev === undefined || next === undefined) {
    if (prev === next) return [];
    return next === undefined ? [{ op: 'remove', path: '' }] : [{ op: 'add', path: '', value: next }];
  }
  const operations: JsonPatchOperation[] = [];
  // An explicit stack instead of recursion: documents nested thousands deep must not overflow.
  const stack: DiffStep[] = [{ prev, next, path: '' }];
  while (stack.length > 0) {
    const step = stack.pop()!;
    if ('operation' in step) {
      operations.push(step.operation);
      continue;
    }
    const steps = diffStep(step.prev, step.next, step.path);
    // Pushed in reverse so that they are taken in document order.
    for (let i = steps.length - 1; i >= 0; i--) stack.push(steps[i]);
  }
  return operations;
}

function diffStep(prev: JsonValue, next: JsonValue, path: string): DiffStep[] {
  if (prev === next) return [];
  if (Array.isArray(prev) && Array.isArray(next)) return diffArrays(prev, next, path);
  if (isObject(prev) && isObject(next)) return diffObjects(prev, next, path);
  return [{ operation: { op: 'replace', path, value: next } }];
}

function diffArrays(prev: JsonValue[], next: JsonValue[], path: string): DiffStep[] {
  const steps: DiffStep[] = [];
  const common = Math.min(prev.length, next.length);
  for (let i = 0; i < common; i++) {
    if (prev[i] !== next[i]) steps.push({ prev: prev[i], next: next[i], path: `${path}/${i}` });
  }
  for (let i = common; i < next.length; i++) steps.push({ operation: { op: 'add', path: `${path}/${i}`, value: next[i] } });
  // Removing from the end keeps the earlier indices valid.
  for (let i = prev.length - 1; i >= common; i--) steps.push({ operation: { op: 'remove', path: `${path}/${i}` } });
  return steps;
}

function diffObjects(prev: JsonObject, next: JsonObject, path: string): DiffStep[] {
  const steps: DiffStep[] = [];
  for (const key of Object.keys(prev)) {
    if (!Object.prototype.hasOwnProperty.call(next, key)) steps.push({ operation: { op: 'remove', path: `${path}/${pointerToken(key)}` } });
  }
  for (const key of Object.keys(next)) {
    const childPath = `${path}/${pointerToken(key)}`;
    if (!Object.prototype.hasOwnProperty.call(prev, key)) {
      steps.push({ operation: { op: 'add', path: childPath, value: next[key] } });
    } else if (prev[key] !== next[key]) {
      steps.push({ prev: prev[key], next: next[key], path: childPath });
    }
  }
  return steps;
}

function isObject(value: JsonValue): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
