import { defer, finalize, Observable, of, Subject, throwError } from 'rxjs';
import { toAsyncIterable } from '../../src/operators/toAsyncIterable.js';

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const values: T[] = [];
  for await (const value of iterable) values.push(value);
  return values;
}

describe('toAsyncIterable', () => {
  it('yields every value, then ends', async () => {
    expect(await collect(toAsyncIterable(of('a', 'b', 'c')))).toEqual(['a', 'b', 'c']);
  });

  it('yields values pushed while the loop is awaiting', async () => {
    const source = new Subject<number>();
    const loop = collect(toAsyncIterable(source));
    await Promise.resolve();
    source.next(1);
    source.next(2);
    await Promise.resolve();
    source.next(3);
    source.complete();
    expect(await loop).toEqual([1, 2, 3]);
  });

  it('throws the error after the values before it', async () => {
    const seen: string[] = [];
    const failing = new Observable<string>((subscriber) => {
      subscriber.next('a');
      subscriber.error(new Error('lost'));
    });
    await expect((async () => {
      for await (const value of toAsyncIterable(failing)) seen.push(value);
    })()).rejects.toThrow('lost');
    expect(seen).toEqual(['a']);
  });

  it('ends at once for an empty source, and throws for an error-only one', async () => {
    expect(await collect(toAsyncIterable(of()))).toEqual([]);
    await expect(collect(toAsyncIterable(throwError(() => new Error('boom'))))).rejects.toThrow('boom');
  });

  it('unsubscribes when the loop breaks, cancelling the source', async () => {
    const source = new Subject<number>();
    let unsubscribed = false;
    const watched = source.pipe(finalize(() => (unsubscribed = true)));
    const seen: number[] = [];
    const loop = (async () => {
      for await (const value of toAsyncIterable(watched)) {
        seen.push(value);
        if (value === 2) break;
      }
    })();
    await Promise.resolve();
    source.next(1);
    source.next(2);
    source.next(3);
    await loop;
    expect(seen).toEqual([1, 2]);
    expect(unsubscribed).toBe(true);
    expect(source.observed).toBe(false);
  });

  it('buffers what a synchronous source emits while subscribing, and delivers none of it after a break', async () => {
    const source = new Observable<number>((subscriber) => {
      for (let i = 0; i < 5 && !subscriber.closed; i++) subscriber.next(i);
      subscriber.complete();
    });
    const seen: number[] = [];
    for await (const value of toAsyncIterable(source)) {
      seen.push(value);
      if (value === 1) break;
    }
    expect(seen).toEqual([0, 1]);
  });

  it('subscribes anew for each loop, and only when the loop starts', async () => {
    let subscriptions = 0;
    const source = defer(() => {
      subscriptions++;
      return of(subscriptions);
    });
    const iterable = toAsyncIterable(source);
    expect(subscriptions).toBe(0);
    expect(await collect(iterable)).toEqual([1]);
    expect(await collect(iterable)).toEqual([2]);
  });
});
