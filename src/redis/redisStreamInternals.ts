// How a run lives in Redis, shared by the store, its reader and its stop channel.
//
// A run is one stream of entries whose ids are its frames' sequence numbers: frame `seq` is the
// entry `<seq>-0`, so "the frames after this id" is XREAD's own "after this id", and a resume on
// any instance needs no lookup. Two markers frame the data: `0-1` (the run was opened: nothing
// of it has been trimmed while it is still the first entry) and `<lastSeq>-2` (the run ended;
// `-2`, so that a run without frames can end after its open marker).
// The lease and stop keys of a run share its hash tag, so a cluster keeps them on one slot.

import type { StoredFrame } from '../node/ReplayStore.js';
import { frameId } from '../sse/frameId.js';

/** The Redis keys of one run. */
export interface RunKeys {
  /** The stream of frames and markers. */
  readonly frames: string;
  /** Exists while the producing instance is alive (it refreshes the expiry). */
  readonly lease: string;
  /** Set by a stop, for a producer that subscribes after the stop was published. */
  readonly stop: string;
}

/** The keys of `runId` under `prefix`: `<prefix>{<runId>}:frames` and so on. */
export function runKeys(prefix: string, runId: string): RunKeys {
  const tag = `${prefix}{${runId}}`;
  return { frames: `${tag}:frames`, lease: `${tag}:lease`, stop: `${tag}:stop` };
}

/** The channel on which stops are published (the message is the run id). */
export function stopChannel(prefix: string): string {
  return `${prefix}stop`;
}

/** The entry id of the open marker: before every frame, since frame ids start at `1-0`. */
export const OPEN_ENTRY_ID = '0-1';

/** The entry id of frame `seq`. */
export function frameEntryId(seq: number): string {
  return `${seq}-0`;
}

/** The entry id of the end marker of a run whose last frame was `lastSeq` (0 when it had none). */
export function endEntryId(lastSeq: number): string {
  return `${lastSeq}-2`;
}

/** The field names of entries: a frame's text, and a marker's kind (`open` or `end`). */
export const FIELD_TEXT = 't';
export const FIELD_MARK = 'm';

/** An entry as the reader sees it. */
export type RunEntry =
  | { readonly kind: 'frame'; readonly frame: StoredFrame }
  | { readonly kind: 'open' }
  | { readonly kind: 'end'; readonly lastSeq: number };

/** Reads an entry of `runId` from its id and field list (`[name, value, name, value, …]`). */
export function parseEntry(runId: string, entryId: string, fields: readonly string[]): RunEntry {
  const dash = entryId.indexOf('-');
  const seq = Number(entryId.slice(0, dash));
  let text = '';
  let mark = '';
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] === FIELD_TEXT) text = fields[i + 1];
    else if (fields[i] === FIELD_MARK) mark = fields[i + 1];
  }
  if (mark === 'open') return { kind: 'open' };
  if (mark === 'end') return { kind: 'end', lastSeq: seq };
  // The frame id is not stored: it is the run's id and the entry's sequence number.
  return { kind: 'frame', frame: { id: frameId(runId, seq), seq, text } };
}

/**
 * Whether a reader that has everything up to `afterSeq` can go on exactly once, given the first
 * entry still in the stream: the open marker (nothing trimmed), or the oldest kept frame or end
 * marker, which must not lie beyond what the reader needs next.
 */
export function nextIsKept(first: RunEntry, afterSeq: number): boolean {
  if (first.kind === 'open') return true;
  if (first.kind === 'frame') return first.frame.seq <= afterSeq + 1;
  return first.lastSeq <= afterSeq;
}

/** The entries of an XREAD reply for one stream, in either protocol's shape (RESP2 `[[key, entries]]`, RESP3 `{ key: entries }`). */
export function xreadEntries(reply: unknown): ReadonlyArray<[string, string[]]> {
  if (reply == null) return [];
  if (Array.isArray(reply)) return (reply[0]?.[1] ?? []) as Array<[string, string[]]>;
  return Object.values(reply as Record<string, Array<[string, string[]]>>)[0] ?? [];
}
