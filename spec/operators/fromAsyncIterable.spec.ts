import { firstValueFrom, lastValueFrom, take, toArray } from 'rxjs';
import { RxllmError } from '../../src/errors/RxllmError.js';
import { fromAsyncIterable } from '../../src/operators/fromAsyncIterable.js';

async function* letters(log: string[]): AsyncGenerator<string> {
  try {
    for (const letter of ['a', 'b', 'c']) {
      log.push(`yield ${letter}`);
      yield letter;
    }
  } finally {
    log.push('finally');
  }
}

/** Resolves once the microtask queue has drained (a few turns of promise callbacks). */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

describe('fromAsyncIterable', () => {
  it('emits every value of the iterable, then completes', async () => {
    const log: string[] = [];
    expect(await lastValueFrom(fromAsyncIterable(letters(log)).pipe(toArray()))).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['yield a', 'yield b', 'yield c', 'finally']);
  });

  it('pulls one value at a time', async () => {
    const log: string[] = [];
    const seen: string[] = [];
    const done = new Promise<void>((resolve) => fromAsyncIterable(letters(log)).subscribe({
      next: (value) => {
        seen.push(value);
        log.push(`got ${value}`);
      },
      complete: resolve,
    }));
    await done;
    expect(log).toEqual(['yield a', 'got a', 'yield b', 'got b', 'yield c', 'got c', 'finally']);
  });

  it('errors with the error the iterable throws, after the values before it', async () => {
    async function* failing(): AsyncGenerator<number> {
      yield 1;
      throw new Error('broken');
    }
    const seen: number[] = [];
    await expect(new Promise((resolve, reject) => fromAsyncIterable(failing()).subscribe({ next: (v) => seen.push(v), error: reject, complete: () => resolve(undefined) })))
      .rejects.toThrow('broken');
    expect(seen).toEqual([1]);
  });

  it('errors when next() throws synchronously', async () => {
    const iterable: AsyncIterable<number> = {
      [Symbol.asyncIterator]: () => ({
        next: () => {
          throw new Error('sync failure');
        },
      }),
    };
    await expect(firstValueFrom(fromAsyncIterable(iterable))).rejects.toThrow('sync failure');
  });

  it('completes at once for an empty iterable', async () => {
    async function* empty(): AsyncGenerator<never> {}
    expect(await lastValueFrom(fromAsyncIterable(empty()).pipe(toArray()))).toEqual([]);
  });

  it('calls return() on the iterator when unsubscribed: the generator finally runs', async () => {
    const log: string[] = [];
    expect(await lastValueFrom(fromAsyncIterable(letters(log)).pipe(take(1), toArray()))).toEqual(['a']);
    await settle();
    expect(log).toEqual(['yield a', 'finally']);
  });

  it('calls return() on an iterator that is waiting, once its pending value arrives', async () => {
    let release: () => void = () => undefined;
    const log: string[] = [];
    async function* slow(): AsyncGenerator<number> {
      try {
        await new Promise<void>((resolve) => (release = resolve));
        log.push('after wait');
        yield 1;
        log.push('not reached');
      } finally {
        log.push('finally');
      }
    }
    const subscription = fromAsyncIterable(slow()).subscribe((value) => log.push(`got ${value}`));
    await settle();
    subscription.unsubscribe();
    release();
    await settle();
    expect(log).toEqual(['after wait', 'finally']);
  });

  it('does not call return() after the iterable has finished, and tolerates a failing return()', async () => {
    let returns = 0;
    const iterable: AsyncIterable<number> = {
      [Symbol.asyncIterator]: () => ({
        next: () => Promise.resolve({ done: false, value: 1 }),
        return: () => {
          returns++;
          return Promise.reject(new Error('cannot close'));
        },
      }),
    };
    expect(await firstValueFrom(fromAsyncIterable(iterable))).toBe(1);
    await settle();
    expect(returns).toBe(1);

    async function* one(): AsyncGenerator<number> {
      yield 1;
    }
    const generator = one();
    const returnSpy = jest.spyOn(generator, 'return');
    await lastValueFrom(fromAsyncIterable(generator));
    expect(returnSpy).not.toHaveBeenCalled();
  });

  it('refuses something that is not async-iterable with an RxllmError', () => {
    expect(() => fromAsyncIterable([1, 2] as unknown as AsyncIterable<number>)).toThrow(RxllmError);
    expect(() => fromAsyncIterable(null as unknown as AsyncIterable<number>)).toThrow(/expected an AsyncIterable/);
  });
});
