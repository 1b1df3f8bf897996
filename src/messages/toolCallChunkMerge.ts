import type { ToolCallChunk } from './AIMessageChunk.js';

/**
 * Merges `incoming` tool-call chunks into `target` in place, following the wire rules of the
 * providers: a chunk joins the last call with its `id`; without a known id it joins the last call
 * at its `index`; a new `id` at an index already in use starts a new call.
 * Cost: O(calls) per incoming chunk, never proportional to the argument text.
 */
export function mergeToolCallChunksInto(target: ToolCallChunk[], incoming: readonly ToolCallChunk[]): void {
  for (const chunk of incoming) mergeToolCallChunkInto(target, chunk);
}

/** Merges one tool-call chunk into `target` in place (rules above); returns the position of its call. */
export function mergeToolCallChunkInto(target: ToolCallChunk[], chunk: ToolCallChunk): number {
  const at = findTarget(target, chunk);
  if (at < 0) {
    target.push({ ...chunk });
    return target.length - 1;
  }
  const existing = target[at];
  // Some servers send `id: ""` on continuation chunks: an empty id is no id.
  const id = existing.id || chunk.id;
  const name = existing.name || chunk.name;
  target[at] = {
    index: existing.index,
    ...(id !== undefined && { id }),
    ...(name !== undefined && { name }),
    args: (existing.args ?? '') + (chunk.args ?? ''),
  };
  return at;
}

function findTarget(calls: readonly ToolCallChunk[], chunk: ToolCallChunk): number {
  if (chunk.id) {
    for (let i = calls.length - 1; i >= 0; i--) if (calls[i].id === chunk.id) return i;
  }
  for (let i = calls.length - 1; i >= 0; i--) {
    if (calls[i].index !== chunk.index) continue;
    // A different id at a used index is a new call; no id (or none yet) continues the call.
    return chunk.id && calls[i].id && calls[i].id !== chunk.id ? -1 : i;
  }
  return -1;
}
