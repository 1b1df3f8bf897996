import { concatChunks, isAIMessageChunk, type AIMessageChunk } from '../messages/AIMessageChunk.js';
import { isPlainObject } from '../messages/valueKinds.js';

/**
 * The whole of a streamed output: strings join, message chunks concatenate, plain objects merge
 * key by key (each key aggregated the same way, so `parallel`'s keyed chunks rebuild the object),
 * anything else keeps the last value. Linear in the total size.
 */
export function aggregateValues(values: readonly unknown[]): unknown {
  if (values.length === 0) return undefined;
  if (values.length === 1) return values[0];
  const first = values[0];
  if (typeof first === 'string' && values.every((v) => typeof v === 'string')) return values.join('');
  if (isAIMessageChunk(first) && values.every(isAIMessageChunk)) return concatChunks(values as AIMessageChunk[]);
  if (values.every(isPlainObject)) {
    const byKey = new Map<string, unknown[]>();
    for (const value of values as Record<string, unknown>[]) {
      for (const key of Object.keys(value)) {
        let list = byKey.get(key);
        if (!list) byKey.set(key, (list = []));
        list.push(value[key]);
      }
    }
    const merged: Record<string, unknown> = {};
    for (const [key, list] of byKey) merged[key] = aggregateValues(list);
    return merged;
  }
  return values[values.length - 1];
}
