import { Observable } from 'rxjs';
import type { Redis } from 'ioredis';

/**
 * The stop requests of one store, over a Redis pub/sub channel: a stop on any instance publishes
 * the run's id, and the instance producing that run hears it at once. One subscriber connection
 * serves every run of the instance; it is opened with the first listener and closed with the
 * last, so an idle store holds no connection. A stop also sets a key (the caller's), which
 * `listen` checks once subscribed and {@link StopChannel.deliver} lets a periodic check report:
 * a stop published before the producer listened, or lost while its connection was down, still
 * arrives.
 */
export class StopChannel {
  private readonly listeners = new Map<string, Set<() => void>>();
  private subscriber: { readonly connection: Redis; readonly subscribed: Promise<unknown> } | undefined;

  constructor(private readonly redis: Redis, private readonly channel: string) {}

  /** Emits once when a stop of `runId` arrives (or was already recorded under `stopKey`), then completes. */
  listen(runId: string, stopKey: string): Observable<void> {
    return new Observable<void>((subscriber) => {
      const fire = () => {
        subscriber.next();
        subscriber.complete();
      };
      let forRun = this.listeners.get(runId);
      if (!forRun) this.listeners.set(runId, (forRun = new Set()));
      forRun.add(fire);
      const { connection, subscribed } = this.connect();
      subscribed.then(
        () => (subscriber.closed ? 0 : this.redis.exists(stopKey)),
        () => 0,
      ).then((recorded) => {
        if (recorded && !subscriber.closed) fire();
      }, () => undefined);
      return () => {
        forRun!.delete(fire);
        if (forRun!.size === 0) this.listeners.delete(runId);
        if (this.listeners.size === 0 && this.subscriber?.connection === connection) {
          this.subscriber = undefined;
          connection.disconnect();
        }
      };
    });
  }

  /** The runs someone listens for now. */
  get runIds(): IterableIterator<string> {
    return this.listeners.keys();
  }

  /** Tells the listeners of `runId` that it was stopped. */
  deliver(runId: string): void {
    const forRun = this.listeners.get(runId);
    if (forRun) for (const fire of [...forRun]) fire();
  }

  private connect(): { readonly connection: Redis; readonly subscribed: Promise<unknown> } {
    if (this.subscriber) return this.subscriber;
    const connection = this.redis.duplicate();
    connection.on('error', () => undefined);
    connection.on('message', (channel: string, runId: string) => {
      if (channel === this.channel) this.deliver(runId);
    });
    this.subscriber = { connection, subscribed: connection.subscribe(this.channel) };
    return this.subscriber;
  }
}
