import { EMPTY, Subject, concat, concatMap, concatWith, defer, from, ignoreElements, of, takeUntil, throwError, type ObservableInput, type Subscription } from 'rxjs';
import type { SseFormat } from '../sse/SseFormat.js';
import type { SseFrame } from '../sse/SseFrame.js';
import { parseFrameId } from '../sse/frameId.js';
import { toServerSentEvents } from '../sse/toServerSentEvents.js';
import type { ReplayStore } from './ReplayStore.js';
import type { SseResponseWriter } from './SseResponseWriter.js';

/** What a run needs to start. */
export interface LocalRunOptions {
  readonly runId: string;
  readonly threadId?: string;
  readonly format: SseFormat;
  /** The stream, made when the run starts; given the signal that aborts when the run ends. */
  readonly produce: (signal: AbortSignal) => ObservableInput<unknown>;
  readonly store?: ReplayStore;
  /** Called once, when the run is over however it ended. */
  readonly onFinish: () => void;
}

/**
 * One run on this instance: the handler's stream turned into frames, written to the connection
 * that started it and, with replay, appended to the store for the connections that resume it.
 * `stop()` ends the stream early with the format's closing frames, `shutdown(error)` ends it with
 * an error frame, `cancel()` drops it at once (its client left and nobody can resume it). Each of
 * them unsubscribes the handler's stream at once, which cancels its model request.
 */
export class LocalRun {
  readonly runId: string;
  private readonly abort = new AbortController();
  private readonly interrupt = new Subject<void>();
  private failure: Error | undefined;
  private writer: SseResponseWriter | undefined;
  private subscription: Subscription | undefined;
  private stopListener: Subscription | undefined;
  private finished = false;

  constructor(private readonly options: LocalRunOptions) {
    this.runId = options.runId;
  }

  /** Starts the run, writing its frames to `writer` (the connection that asked for it). */
  start(writer: SseResponseWriter): void {
    const { store, runId, format } = this.options;
    this.writer = writer;
    const frames = defer(() => from(this.options.produce(this.abort.signal))).pipe(
      takeUntil(this.interrupt),
      concatWith(defer(() => (this.failure ? throwError(() => this.failure) : EMPTY))),
      toServerSentEvents({ format, runId, ...(this.options.threadId !== undefined && { threadId: this.options.threadId }), heartbeatMs: Infinity, retryMs: Infinity }),
    );
    const delivered = store
      ? frames.pipe(concatMap((frame) => store.append(runId, storedFrame(frame)).pipe(ignoreElements(), concatWith(of(frame)))))
      : frames;
    if (store) this.stopListener = store.stopRequests(runId).subscribe(() => this.stop());
    const begin = store ? store.open(runId).pipe(ignoreElements()) : EMPTY;
    this.subscription = concat(begin, delivered).subscribe({
      next: (frame: SseFrame) => this.writer?.write(frame.text),
      error: () => this.finish(),
      complete: () => this.finish(),
    });
  }

  /** The client that started the run left: `cancel()` it, or keep it running for a later resume. */
  detach(stopOnDisconnect: boolean): void {
    this.writer = undefined;
    if (stopOnDisconnect) this.cancel();
  }

  /** Ends the run early with the format's closing frames (an explicit stop). */
  stop(): void {
    this.interrupt.next();
  }

  /** Ends the run early with an error frame for `error` (the server is shutting down). */
  shutdown(error: Error): void {
    this.failure = error;
    this.interrupt.next();
  }

  /** Drops the run at once, without a closing frame. */
  cancel(): void {
    this.subscription?.unsubscribe();
    this.finish();
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.stopListener?.unsubscribe();
    this.writer?.end();
    this.writer = undefined;
    this.options.store?.end(this.runId).subscribe({ error: () => undefined });
    // After the stream is unsubscribed, so that a handler watching the signal sees a run that is over.
    this.abort.abort();
    this.options.onFinish();
  }
}

function storedFrame(frame: SseFrame): { id: string; seq: number; text: string } {
  const id = frame.id!;
  return { id, seq: parseFrameId(id)!.seq, text: frame.text };
}
