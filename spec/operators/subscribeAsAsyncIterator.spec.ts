import { Observable, Subject } from 'rxjs';
import { subscribeAsAsyncIterator } from '../../src/operators/subscribeAsAsyncIterator.js';

describe('subscribeAsAsyncIterator', () => {
  it('subscribes lazily, at the first next()', async () => {
    let subscribed = 0;
    const iterator = subscribeAsAsyncIterator(new Observable<number>((s) => {
      subscribed++;
      s.next(1);
      s.complete();
    }));
    expect(subscribed).toBe(0);
    expect(await iterator.next()).toEqual({ done: false, value: 1 });
    expect(subscribed).toBe(1);
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });

  it('buffers values pushed before they are pulled, in order', async () => {
    const subject = new Subject<number>();
    const iterator = subscribeAsAsyncIterator(subject);
    const first = iterator.next();
    subject.next(1);
    subject.next(2);
    subject.next(3);
    subject.complete();
    const values = [await first, await iterator.next(), await iterator.next(), await iterator.next()];
    expect(values).toEqual([{ done: false, value: 1 }, { done: false, value: 2 }, { done: false, value: 3 }, { done: true, value: undefined }]);
  });

  it('rejects a waiting pull with the error, and later pulls after buffered values', async () => {
    const subject = new Subject<number>();
    const iterator = subscribeAsAsyncIterator(subject);
    const pending = iterator.next();
    subject.error(new Error('first'));
    await expect(pending).rejects.toThrow('first');

    const other = new Subject<number>();
    const second = subscribeAsAsyncIterator(other);
    const head = second.next();
    other.next(7);
    other.error(new Error('after seven'));
    expect(await head).toEqual({ done: false, value: 7 });
    await expect(second.next()).rejects.toThrow('after seven');
  });

  it('unsubscribes on return() and resolves a waiting pull as done', async () => {
    let unsubscribed = false;
    const iterator = subscribeAsAsyncIterator(new Observable<number>(() => () => (unsubscribed = true)));
    const waiting = iterator.next();
    await iterator.return!();
    expect(unsubscribed).toBe(true);
    expect(await waiting).toEqual({ done: true, value: undefined });
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });

  it('keeps a long buffer linear by compacting what was read', async () => {
    const subject = new Subject<number>();
    const iterator = subscribeAsAsyncIterator(subject);
    const first = iterator.next();
    for (let i = 0; i < 5000; i++) subject.next(i);
    subject.complete();
    let sum = (await first).value as number;
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) sum += r.value;
    expect(sum).toBe((4999 * 5000) / 2);
  });
});
