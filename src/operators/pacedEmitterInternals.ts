import type { SchedulerLike, Subscriber, Subscription } from 'rxjs';

/**
 * Emits values to a subscriber at most one per `delayMs` on a scheduler. A value arriving after a
 * quiet spell goes out at once; the next waits out the delay. Completion waits until the queue
 * has drained; an error first emits everything queued, at once. With `delayMs` 0 values pass
 * straight through.
 */
export class PacedEmitter<T> {
  private queue: (T | undefined)[] = [];
  private head = 0;
  private cooldown: Subscription | undefined;
  private completing = false;

  constructor(
    private readonly subscriber: Subscriber<T>,
    private readonly delayMs: number,
    private readonly scheduler: SchedulerLike,
  ) {}

  push(value: T): void {
    if (this.delayMs <= 0) {
      this.subscriber.next(value);
    } else if (this.cooldown) {
      this.queue.push(value);
    } else {
      this.subscriber.next(value);
      if (!this.subscriber.closed) this.startCooldown();
    }
  }

  complete(): void {
    if (this.pendingCount() === 0) this.subscriber.complete();
    else this.completing = true;
  }

  error(error: unknown): void {
    this.cancel();
    while (this.pendingCount() > 0 && !this.subscriber.closed) this.subscriber.next(this.take());
    this.subscriber.error(error);
  }

  /** Drops what is queued and stops the timer (on unsubscribe). */
  cancel(): void {
    this.cooldown?.unsubscribe();
    this.cooldown = undefined;
    this.queue = [];
    this.head = 0;
  }

  private startCooldown(): void {
    this.cooldown = this.scheduler.schedule(() => this.tick(), this.delayMs);
  }

  private tick(): void {
    this.cooldown = undefined;
    if (this.pendingCount() === 0) return;
    this.subscriber.next(this.take());
    if (this.subscriber.closed) return;
    if (this.pendingCount() === 0 && this.completing) this.subscriber.complete();
    else this.startCooldown();
  }

  private pendingCount(): number {
    return this.queue.length - this.head;
  }

  private take(): T {
    const value = this.queue[this.head] as T;
    this.queue[this.head++] = undefined;
    // Reclaim the consumed front now and then, so a long queue never costs O(n) per value.
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return value;
  }
}
