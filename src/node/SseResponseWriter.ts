import type { ServerResponse } from 'node:http';
import { HEARTBEAT_FRAME } from '../sse/toServerSentEvents.js';

/** What to do when a client reads slower than its stream is produced. */
export type SlowClientPolicy = 'close' | 'drop-oldest';

/** Options of {@link SseResponseWriter}. */
export interface SseResponseWriterOptions {
  /** Bytes that may wait for a slow client before `policy` applies. */
  maxBufferedBytes: number;
  policy: SlowClientPolicy;
  /** A heartbeat comment after this many milliseconds without a write; `Infinity` for none. */
  heartbeatMs: number;
}

/**
 * Writes frames to one response, with a bound on what waits for a slow client. Node queues what
 * the socket has not taken (`writableLength`); past `maxBufferedBytes` the `'close'` policy ends
 * the connection (a client with replay reconnects and resumes where it was), and `'drop-oldest'`
 * keeps only the newest frames in a queue of its own until the socket drains — right for streams
 * of snapshots, where a newer frame supersedes an older one. Frames written in one turn of the
 * event loop are joined and leave in one write: one chunk of the chunked encoding instead of one
 * per frame.
 */
export class SseResponseWriter {
  /** True once the connection was closed because the client fell too far behind. */
  closedByPolicy = false;
  private readonly queue: string[] = [];
  private queueHead = 0;
  private queuedBytes = 0;
  /** Frames of this turn of the event loop, written together at its end. */
  private pending = '';
  private flushScheduled = false;
  private lastWriteAt = Date.now();
  private heartbeat: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly response: ServerResponse, private readonly options: SseResponseWriterOptions) {
    if (options.policy === 'drop-oldest') response.on('drain', () => this.flushQueue());
    response.once('close', () => this.stopHeartbeat());
    this.armHeartbeat(options.heartbeatMs);
  }

  /** True while frames can still reach the client. */
  get open(): boolean {
    return !this.response.destroyed && !this.response.writableEnded;
  }

  write(text: string): void {
    if (!this.open) return;
    this.lastWriteAt = Date.now();
    if (this.options.policy === 'drop-oldest' && (this.response.writableNeedDrain || this.queueHead < this.queue.length)) {
      this.enqueue(text);
      return;
    }
    this.pending += text;
    if (this.overLimit()) return;
    // A burst larger than the bound goes out now, so that what follows it queues (and may be dropped).
    if (this.pending.length > this.options.maxBufferedBytes) return this.flushPending();
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      process.nextTick(this.flushPending);
    }
  }

  /** Writes `text` (if any) and ends the response. */
  end(text?: string): void {
    this.stopHeartbeat();
    if (!this.open) return;
    this.flushPending();
    // Everything left goes now: the queue is bounded, and the end must not drop the newest frames.
    this.flushQueue(true);
    if (text) this.response.write(text);
    this.response.end();
  }

  /** Ends the connection at once, dropping what waits. */
  destroy(): void {
    this.stopHeartbeat();
    this.response.destroy();
  }

  private readonly flushPending = (): void => {
    this.flushScheduled = false;
    if (this.pending === '' || !this.open) return;
    const text = this.pending;
    this.pending = '';
    this.response.write(text);
    this.overLimit();
  };

  /** Applies the `'close'` policy: true (and the connection destroyed) when too much waits for the client. */
  private overLimit(): boolean {
    if (this.options.policy !== 'close' || this.pending.length + this.response.writableLength <= this.options.maxBufferedBytes) return false;
    this.closedByPolicy = true;
    this.pending = '';
    this.response.destroy();
    return true;
  }

  // Queue sizes count UTF-16 code units, not bytes: a bound, not an exact figure, at no encoding cost.
  private enqueue(text: string): void {
    this.queue.push(text);
    this.queuedBytes += text.length;
    while (this.queuedBytes > this.options.maxBufferedBytes && this.queueHead < this.queue.length - 1) {
      this.queuedBytes -= this.queue[this.queueHead++].length;
    }
  }

  private flushQueue(all = false): void {
    while (this.queueHead < this.queue.length && this.open) {
      const text = this.queue[this.queueHead++];
      this.queuedBytes -= text.length;
      if (!this.response.write(text) && !all) break;
    }
    if (this.queueHead === this.queue.length) {
      this.queue.length = 0;
      this.queueHead = 0;
    }
  }

  /** One timer per connection: on firing it checks the last write and waits out the rest of the gap. */
  private armHeartbeat(delayMs: number): void {
    if (this.options.heartbeatMs === Infinity) return;
    this.heartbeat = setTimeout(() => {
      if (!this.open) return;
      const idle = Date.now() - this.lastWriteAt;
      if (idle >= this.options.heartbeatMs) {
        this.write(HEARTBEAT_FRAME.text);
        this.armHeartbeat(this.options.heartbeatMs);
      } else {
        this.armHeartbeat(this.options.heartbeatMs - idle);
      }
    }, delayMs);
  }

  private stopHeartbeat(): void {
    if (this.heartbeat !== undefined) clearTimeout(this.heartbeat);
    this.heartbeat = undefined;
  }
}
