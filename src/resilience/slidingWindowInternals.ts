/** One amount counted in a window at a time: a request (1) or a request's tokens. */
export interface WindowEntry {
  readonly at: number;
  amount: number;
  expired: boolean;
}

/**
 * Amounts counted over the last `windowMs`: a sliding log, so a limit holds over any window of
 * that length, not only over calendar minutes. Entries leave in the order they came, so adding,
 * expiring and summing cost O(1) per entry.
 */
export class SlidingWindow {
  private readonly entries: WindowEntry[] = [];
  private head = 0;
  private sum = 0;

  constructor(private readonly windowMs: number) {}

  /** The amount counted in the window ending at `now`. */
  total(now: number): number {
    this.expire(now);
    return this.sum;
  }

  add(at: number, amount: number): WindowEntry {
    const entry: WindowEntry = { at, amount, expired: false };
    this.entries.push(entry);
    this.sum += amount;
    return entry;
  }

  /** Changes what an entry counts (an estimate corrected by the real figure); true when it went down. */
  update(entry: WindowEntry, amount: number): boolean {
    if (entry.expired || amount === entry.amount) return false;
    const decreased = amount < entry.amount;
    this.sum += amount - entry.amount;
    entry.amount = amount;
    return decreased;
  }

  /** When the oldest entry leaves the window (undefined when empty). */
  nextExpiry(now: number): number | undefined {
    this.expire(now);
    return this.head < this.entries.length ? this.entries[this.head].at + this.windowMs : undefined;
  }

  private expire(now: number): void {
    while (this.head < this.entries.length && this.entries[this.head].at + this.windowMs <= now) {
      const entry = this.entries[this.head++];
      entry.expired = true;
      this.sum -= entry.amount;
    }
    // Drop the expired prefix now and then, so the log does not grow with the limiter's age.
    if (this.head > 64 && this.head * 2 > this.entries.length) {
      this.entries.splice(0, this.head);
      this.head = 0;
    }
  }
}
