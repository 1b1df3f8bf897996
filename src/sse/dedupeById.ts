import { filter, defer, type MonoTypeOperatorFunction } from 'rxjs';
import { parseFrameId } from './frameId.js';

/**
 * Remembers the frames a client has, by id, so that frames sent again after a reconnect are
 * recognised: for ids of the form `<runId>:<seq>` every frame at or below the highest sequence
 * seen for that run; for other ids, a repeat of the last one. Frames without an id always pass.
 * O(1) per frame; one entry per run.
 */
export class FrameIdFilter {
  private readonly highest = new Map<string, number>();
  private lastForeignId: string | undefined;

  /** True when the frame with this id is new (and records it), false when it was seen. */
  accept(id: string | undefined): boolean {
    if (id === undefined || id === '') return true;
    const parts = parseFrameId(id);
    if (!parts) {
      if (id === this.lastForeignId) return false;
      this.lastForeignId = id;
      return true;
    }
    const highest = this.highest.get(parts.runId);
    if (highest !== undefined && parts.seq <= highest) return false;
    this.highest.set(parts.runId, parts.seq);
    return true;
  }
}

/**
 * Drops frames that were already delivered, by id (see {@link FrameIdFilter}): what a client
 * needs when a server replays a little more than the client lacks.
 *
 * ```
 * source:         -a1-a2-a2-a3-a1-x-|
 * dedupeById():   -a1-a2----a3----x-|      (a<n>: id 'a:<n>'; x: no id)
 * ```
 *
 * @example
 * ```ts
 * import { dedupeById } from 'rxllm/sse';
 * messages$.pipe(dedupeById()).subscribe(render);
 * ```
 */
export function dedupeById<T extends { readonly id?: string }>(): MonoTypeOperatorFunction<T> {
  return (source) => defer(() => {
    const seen = new FrameIdFilter();
    return source.pipe(filter((message) => seen.accept(message.id)));
  });
}
