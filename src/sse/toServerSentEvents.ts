import {
  Observable, Subject, asyncScheduler, catchError, concat, concatWith, defer, finalize, merge, mergeMap, of, takeUntil, tap,
  type OperatorFunction, type SchedulerLike,
} from 'rxjs';
import { durationMs, nonNegativeInteger } from '../errors/optionChecks.js';
import { encodeSseFrame } from './encodeSseFrame.js';
import { frameId } from './frameId.js';
import { newRunId } from '../runnables/newRunId.js';
import type { SseFormat, SseFormatName } from './SseFormat.js';
import type { SseFrame, SseMessage } from './SseFrame.js';
import { resolveSseFormat } from './resolveSseFormat.js';
import { toWireError } from './toWireError.js';

/** Options of {@link toServerSentEvents}. */
export interface ToServerSentEventsOptions {
  /** The wire format. Default `'rxllm'`. */
  format?: SseFormatName | SseFormat;
  /** The run the frames belong to: frame ids are `<runId>:<seq>`. Default: a fresh random id. */
  runId?: string;
  /** The conversation id, for formats that name one (AG-UI). Default: the run id. */
  threadId?: string;
  /** The sequence number of the first data frame. Default 1. */
  firstSeq?: number;
  /**
   * A comment frame is sent after this many milliseconds without a frame, so proxies and load
   * balancers that close idle connections keep this one open. Default 15 000; `Infinity` for none.
   */
  heartbeatMs?: number;
  /** The `retry:` value (how long a browser's `EventSource` waits to reconnect), sent once, first. Default 3 000; `Infinity` leaves it out. */
  retryMs?: number;
  /** Where heartbeat time is measured. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/** The comment frame heartbeats send. */
export const HEARTBEAT_FRAME: SseFrame = { text: ': keep-alive\n\n' };

/**
 * Turns a stream of chunks or events into Server-Sent Events frames in a wire format. Every data
 * frame has the id `<runId>:<seq>`, its sequence number one more than the frame before, so a
 * reconnecting client can say exactly what it has (`Last-Event-ID`). The `retry:` frame comes
 * first, once; a heartbeat comment follows every `heartbeatMs` of silence. Completion sends the
 * format's closing frames; an error sends its error frame — typed and masked of secrets by
 * `toWireError` — and then completes: the error has become data for the client. Unsubscribing
 * unsubscribes the source.
 *
 * ```
 * source:                                         --a----b-----|
 * toServerSentEvents({ heartbeatMs: 4 }):         r-A----B---h-(E|)
 *   r: retry   A, B: frames run:1, run:2   h: heartbeat   E: end frame run:3
 * ```
 *
 * @example
 * ```ts
 * import { map } from 'rxjs';
 * import { toReadableStream } from 'rxllm';
 * import { toServerSentEvents } from 'rxllm/sse';
 * // A fetch-style route handler (Next.js, Hono, workers):
 * const frames = chain.streamEvents(input).pipe(toServerSentEvents({ format: 'rxllm' }), map((frame) => frame.text));
 * return new Response(toReadableStream(frames).pipeThrough(new TextEncoderStream()), {
 *   headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' },
 * });
 * ```
 *
 * @param options The format, the run id, heartbeat and retry times.
 * @return An operator from values to frames.
 */
export function toServerSentEvents<T>(options: ToServerSentEventsOptions = {}): OperatorFunction<T, SseFrame> {
  const where = 'toServerSentEvents';
  const format = resolveSseFormat(options.format, where);
  const heartbeatMs = durationMs(where, 'heartbeatMs', options.heartbeatMs, 15_000, { zero: false, infinity: true });
  const retryMs = durationMs(where, 'retryMs', options.retryMs, 3_000, { infinity: true });
  const firstSeq = nonNegativeInteger(where, 'firstSeq', options.firstSeq, 1);
  const scheduler = options.scheduler ?? asyncScheduler;

  return (source) => defer(() => {
    const runId = options.runId ?? newRunId();
    const encoder = format.encoder({ runId, ...(options.threadId !== undefined && { threadId: options.threadId }) });
    let seq = firstSeq;
    const framed = (messages: readonly SseMessage[]): SseFrame[] => messages.map((message) => {
      const id = frameId(runId, seq++);
      return { id, text: encodeSseFrame({ id, event: message.event, data: message.data }) };
    });
    const frames = concat(
      retryMs === Infinity ? [] : of<SseFrame>({ text: encodeSseFrame({ retry: retryMs }) }),
      defer(() => framed(encoder.start())),
      source.pipe(
        mergeMap((value) => framed(encoder.next(value))),
        concatWith(defer(() => framed(encoder.complete()))),
        // Formats encode the failure as a frame; the stream of frames itself ends normally.
        catchError((error: unknown) => framed(encoder.error(toWireError(error)))),
      ),
    );
    if (heartbeatMs === Infinity) return frames;
    let lastFrameAt = scheduler.now();
    const done = new Subject<void>();
    return merge(
      frames.pipe(tap(() => (lastFrameAt = scheduler.now())), finalize(() => done.next())),
      heartbeats(heartbeatMs, scheduler, () => lastFrameAt, (at) => (lastFrameAt = at)).pipe(takeUntil(done)),
    );
  });
}

/**
 * A heartbeat frame whenever `heartbeatMs` passed since the last frame. One timer: when it fires
 * early (a frame came meanwhile) it waits out the rest of the gap instead of restarting per frame.
 */
function heartbeats(heartbeatMs: number, scheduler: SchedulerLike, lastFrameAt: () => number, sent: (at: number) => void): Observable<SseFrame> {
  return new Observable<SseFrame>((subscriber) => scheduler.schedule(function check() {
    const idle = scheduler.now() - lastFrameAt();
    if (idle >= heartbeatMs) {
      subscriber.next(HEARTBEAT_FRAME);
      sent(scheduler.now());
      this.schedule(undefined, heartbeatMs);
    } else {
      this.schedule(undefined, heartbeatMs - idle);
    }
  }, heartbeatMs));
}
