import { finalize, Observable, of, Subject, throwError } from 'rxjs';
import { toReadableStream } from '../../src/operators/toReadableStream.js';

async function readAll<T>(stream: ReadableStream<T>): Promise<T[]> {
  const reader = stream.getReader();
  const values: T[] = [];
  for (let step = await reader.read(); !step.done; step = await reader.read()) values.push(step.value);
  return values;
}

describe('toReadableStream', () => {
  it('enqueues every value, then closes', async () => {
    expect(await readAll(toReadableStream(of('a', 'b', 'c')))).toEqual(['a', 'b', 'c']);
  });

  it('delivers values pushed later', async () => {
    const source = new Subject<number>();
    const reading = readAll(toReadableStream(source));
    source.next(1);
    await Promise.resolve();
    source.next(2);
    source.complete();
    expect(await reading).toEqual([1, 2]);
  });

  it('errors the stream with the source error, after the values queued before it', async () => {
    const failing = new Observable<string>((subscriber) => {
      subscriber.next('a');
      subscriber.error(new Error('lost'));
    });
    const reader = toReadableStream(failing).getReader();
    expect(await reader.read()).toEqual({ done: false, value: 'a' });
    await expect(reader.read()).rejects.toThrow('lost');
    await expect(readAll(toReadableStream(throwError(() => new Error('boom'))))).rejects.toThrow('boom');
  });

  it('keeps several queued values before an error', async () => {
    const failing = new Observable<number>((subscriber) => {
      [1, 2, 3].forEach((n) => subscriber.next(n));
      subscriber.error(new Error('late'));
    });
    const seen: number[] = [];
    const reader = toReadableStream(failing).getReader();
    await expect((async () => {
      for (let step = await reader.read(); !step.done; step = await reader.read()) seen.push(step.value);
    })()).rejects.toThrow('late');
    expect(seen).toEqual([1, 2, 3]);
  });

  it('closes at once for an empty source', async () => {
    expect(await readAll(toReadableStream(of()))).toEqual([]);
  });

  it('unsubscribes when the reader cancels', async () => {
    const source = new Subject<number>();
    let unsubscribed = false;
    const reader = toReadableStream(source.pipe(finalize(() => (unsubscribed = true)))).getReader();
    source.next(1);
    expect(await reader.read()).toEqual({ done: false, value: 1 });
    await reader.cancel();
    expect(unsubscribed).toBe(true);
    expect(source.observed).toBe(false);
  });

  it('works with pipeThrough', async () => {
    const upper = new TransformStream<string, string>({ transform: (text, controller) => controller.enqueue(text.toUpperCase()) });
    expect(await readAll(toReadableStream(of('a', 'b')).pipeThrough(upper))).toEqual(['A', 'B']);
  });
});
