/** A frame id split into its run and its position in the run. */
export interface FrameIdParts {
  readonly runId: string;
  readonly seq: number;
}

/**
 * The id of frame `seq` of run `runId`: `<runId>:<seq>`. Sequence numbers start at 1 and rise by
 * one per data frame, so "the frames after this id" is a comparison, not a search.
 */
export function frameId(runId: string, seq: number): string {
  return `${runId}:${seq}`;
}

/**
 * The run and sequence number of a frame id, or `undefined` when it is not one of ours (the
 * sequence is what follows the last `:`, so run ids may contain colons).
 */
export function parseFrameId(id: string | null | undefined): FrameIdParts | undefined {
  if (!id) return undefined;
  const colon = id.lastIndexOf(':');
  if (colon <= 0) return undefined;
  const seq = Number(id.slice(colon + 1));
  if (!Number.isSafeInteger(seq) || seq < 0 || String(seq) !== id.slice(colon + 1)) return undefined;
  return { runId: id.slice(0, colon), seq };
}
