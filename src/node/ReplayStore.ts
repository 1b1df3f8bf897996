import type { Observable } from 'rxjs';
import type { SseFrame } from '../sse/SseFrame.js';

/** A data frame as a replay store keeps it: its text and its place in the run. */
export interface StoredFrame extends SseFrame {
  readonly id: string;
  /** The frame's sequence number in its run (the `<seq>` of `<runId>:<seq>`). */
  readonly seq: number;
}

/**
 * Where an endpoint keeps the frames of its runs so that a client that reconnects gets exactly
 * what it missed, and where stop requests travel to the instance running a run. Every operation
 * is an Observable, so a store may be remote (Redis Streams: `XADD`, `XREAD BLOCK`, a stop key or
 * channel); the in-memory {@link MemoryReplayStore} is the default.
 *
 * The endpoint calls `open` when a run starts, `append` for each of its frames in order and `end`
 * once after the last; readers call `read`, and `stop` / `stopRequests` carry a `DELETE` to the
 * producer.
 */
export interface ReplayStore {
  /** Registers a run before its first frame, so that a reader may attach at once. */
  open(runId: string): Observable<void>;
  /**
   * Records one frame of a run. Completes once the frame is
   * stored; errors if it could not be. Appends of one run are issued in order.
   */
  append(runId: string, frame: StoredFrame): Observable<void>;
  /** Marks the run finished: its readers complete after its last frame. */
  end(runId: string): Observable<void>;
  /**
   * The frames of a run after sequence number `afterSeq` (0 for all), then its live frames as
   * they are appended, completing after the run's last frame. Errors with `StreamGoneError` when
   * the run is unknown or has expired, or when the frame after `afterSeq` is no longer kept (then
   * nothing after it could be delivered exactly once).
   */
  read(runId: string, afterSeq: number): Observable<StoredFrame>;
  /** Asks whichever instance runs `runId` to stop it. Completes once the request is recorded. */
  stop(runId: string): Observable<void>;
  /** Emits (once) when a stop of `runId` is requested; the producer of the run listens to it. */
  stopRequests(runId: string): Observable<void>;
}
