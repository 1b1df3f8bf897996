import { EMPTY, finalize, from, lastValueFrom, map, Observable, of, Subject, take, timer, toArray } from 'rxjs';
import { RxllmError } from '../../src/errors/RxllmError.js';
import { AIMessageChunk } from '../../src/messages/AIMessageChunk.js';
import { transformStream } from '../../src/operators/transformStream.js';
import { createTestScheduler, expectUnsubscriptionChain } from '../support/marbles.js';
import { expectSynchronousSourceStopped } from '../support/synchronousSource.js';
import { expectOrderKeptUnderReentrancy, valuesOf } from '../support/reentrancy.js';

/** Resolves once pending promise callbacks have run. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

describe('transformStream', () => {
  describe('with a function of each chunk', () => {
    it('emits the value returned for each chunk', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('--a--b--|', { a: 'hi', b: 'yo' });
        const subs =        '^-------!';
        const expected =    '--A--B--|';
        expectObservable(source.pipe(transformStream((chunk: string) => chunk.toUpperCase()))).toBe(expected, { A: 'HI', B: 'YO' });
        expectSubscriptions(source.subscriptions).toBe(subs);
      });
    });

    it('passes the index of each chunk', () => {
      createTestScheduler().run(({ cold, expectObservable }) => {
        const source = cold('-a-b-c-|', { a: 'x', b: 'y', c: 'z' });
        expectObservable(source.pipe(transformStream((chunk: string, index) => `${index}${chunk}`))).toBe('-a-b-c-|', { a: '0x', b: '1y', c: '2z' });
      });
    });

    it('flattens a returned Observable in order: several values, none, or values later in time', () => {
      createTestScheduler().run(({ cold, expectObservable }) => {
        const source = cold('-a-b-c----|', { a: 'a b', b: '', c: 'c' });
        const result = source.pipe(transformStream((chunk: string) => {
          if (chunk === '') return EMPTY;
          if (chunk === 'c') return cold('--(x|)', { x: 'C!' });
          return from(chunk.split(' '));
        }));
        expectObservable(result).toBe('-(ab)--x--|', { a: 'a', b: 'b', x: 'C!' });
      });
    });

    it('types the chunk from the source and the output from the result', () => {
      const texts: Observable<string> = of(new AIMessageChunk('x')).pipe(transformStream((chunk) => chunk.content));
      const pairs: Observable<string> = of(new AIMessageChunk('x')).pipe(transformStream((chunk, index) => of(`${index}`, chunk.content)));
      const lines: Observable<number> = of('a').pipe(transformStream(async function* (source: AsyncIterable<string>) {
        for await (const text of source) yield text.length;
      }));
      expect([texts, pairs, lines].every((o) => o instanceof Observable)).toBe(true);
    });

    it('keeps order when a later chunk arrives while an earlier one is still emitting', () => {
      createTestScheduler().run(({ cold, expectObservable }) => {
        const source = cold('ab|');
        const result = source.pipe(transformStream((chunk: string) => cold(`---${chunk}|`)));
        expectObservable(result).toBe('---a---b|');
      });
    });

    it('maps AIMessageChunks', async () => {
      const out = await lastValueFrom(from([new AIMessageChunk('a'), new AIMessageChunk('b')]).pipe(
        transformStream((chunk: AIMessageChunk) => new AIMessageChunk({ ...chunk, content: chunk.content.repeat(2) })),
        toArray(),
      ));
      expect(out.map((c) => c.content)).toEqual(['aa', 'bb']);
    });

    it('errors with what the function throws, cancelling the source', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-a-b-c-|', { a: 1, b: 2, c: 3 });
        const subs =        '^--!    ';
        const expected =    '-x-#    ';
        const result = source.pipe(transformStream((n: number) => {
          if (n === 2) throw new Error('bad chunk');
          return n * 10;
        }));
        expectObservable(result).toBe(expected, { x: 10 }, new Error('bad chunk'));
        expectSubscriptions(source.subscriptions).toBe(subs);
      });
    });

    it('refuses a Promise or an async iterable result with an RxllmError', async () => {
      const viaPromise = of(1).pipe(transformStream((n: number) => Promise.resolve(n) as unknown as number));
      await expect(lastValueFrom(viaPromise)).rejects.toThrow(RxllmError);
      await expect(lastValueFrom(viaPromise)).rejects.toThrow(/returned a Promise or an async iterable/);
      async function* many(): AsyncGenerator<number> {
        yield 1;
      }
      const viaIterable = of(1).pipe(transformStream(() => many() as unknown as number));
      await expect(lastValueFrom(viaIterable)).rejects.toThrow(RxllmError);
    });

    it('refuses something that is not a function when created', () => {
      expect(() => transformStream('upper' as never)).toThrow(RxllmError);
    });

    it('propagates a source error after the values before it', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-a-#', { a: 1 }, new Error('lost'));
        expectObservable(source.pipe(transformStream((n: number) => n + 1))).toBe('-x-#', { x: 2 }, new Error('lost'));
        expectSubscriptions(source.subscriptions).toBe('^--!');
      });
    });

    it('propagates an error-only source, and completes on an empty one', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const failing = cold<number>('#');
        const empty = cold<number>('|');
        expectObservable(failing.pipe(transformStream((n: number) => n))).toBe('#');
        expectObservable(empty.pipe(transformStream((n: number) => n))).toBe('|');
        expectSubscriptions(failing.subscriptions).toBe('(^!)');
        expectSubscriptions(empty.subscriptions).toBe('(^!)');
      });
    });

    it('allows unsubscribing early and explicitly, cancelling a running inner Observable', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-a-b-----|', { a: 1, b: 2 });
        const inner = cold('-x---y|', { x: 'x', y: 'y' });
        const unsub =       '-----!   ';
        const subs =        '^----!   ';
        const innerSubs =   '-^---!   ';
        expectObservable(source.pipe(transformStream(() => inner)), unsub).toBe('--x---', { x: 'x' });
        expectSubscriptions(source.subscriptions).toBe(subs);
        expectSubscriptions(inner.subscriptions).toBe(innerSubs);
      });
    });

    it('does not break the unsubscription chain', () => {
      expectUnsubscriptionChain(transformStream((n: number) => n * 2), {
        source:        '-a-b-c-|',
        unsub:         '----!   ',
        expected:      '-x-y-   ',
        subscriptions: '^---!   ',
      }, { a: 1, b: 2, c: 3 }, { x: 2, y: 4 });
    });

    it('stops a synchronous source when unsubscribed', () => {
      expectSynchronousSourceStopped(transformStream((n: number) => n * 2), (i) => i, { take: 3, produced: 3, delivers: [0, 2, 4] });
    });

    it('handles a source that emits again while a value is being delivered', () => {
      const source = new Subject<number>();
      const seen: number[] = [];
      source.pipe(transformStream((n: number) => n + 100)).subscribe((n) => {
        seen.push(n);
        if (n === 101) source.next(2);
      });
      source.next(1);
      source.next(3);
      expect(seen).toEqual([101, 102, 103]);
    });

    it('emits every value of a chunk before an error or a chunk pushed while they are delivered', () => {
      const lost = new Error('lost');
      const twice = () => transformStream((text: string) => of(text, `${text}!`));
      const errored = expectOrderKeptUnderReentrancy(twice(), ['a', 'b'], (text, source) => {
        if (text === 'a') source.error(lost);
      });
      expect(errored).toEqual([{ kind: 'N', value: 'a' }, { kind: 'N', value: 'a!' }, { kind: 'E', error: lost }]);
      const pushed = expectOrderKeptUnderReentrancy(twice(), ['a', 'b'], (text, source) => {
        if (text === 'a') source.next('x');
      });
      expect(valuesOf(pushed)).toEqual(['a', 'a!', 'x', 'x!', 'b', 'b!']);
    });

    it('still errors at once while a timed value waits: the source error is not held back', () => {
      createTestScheduler().run(({ cold, expectObservable }) => {
        const source = cold('a-#', { a: 'x' }, new Error('lost'));
        expectObservable(source.pipe(transformStream((text: string) => timer(5).pipe(map(() => text))))).toBe('--#', undefined, new Error('lost'));
      });
    });
  });

  describe('with an async generator function', () => {
    it('emits what the generator yields over the source', async () => {
      const lines = from(['one\ntw', 'o\nthr', 'ee']).pipe(transformStream(async function* (text: AsyncIterable<string>) {
        let line = '';
        for await (const delta of text) {
          const parts = (line + delta).split('\n');
          line = parts.pop() ?? '';
          yield* parts;
        }
        if (line) yield line;
      }));
      expect(await lastValueFrom(lines.pipe(toArray()))).toEqual(['one', 'two', 'three']);
    });

    it('can yield a summary after the source completes', async () => {
      const counted = from(['a', 'b']).pipe(transformStream(async function* (source: AsyncIterable<string>) {
        let count = 0;
        for await (const chunk of source) {
          count++;
          yield chunk;
        }
        yield `${count} chunks`;
      }));
      expect(await lastValueFrom(counted.pipe(toArray()))).toEqual(['a', 'b', '2 chunks']);
    });

    it('errors with what the generator throws, after the values it yielded', async () => {
      const seen: string[] = [];
      const failing = from(['a', 'b', 'c']).pipe(transformStream(async function* (source: AsyncIterable<string>) {
        for await (const chunk of source) {
          if (chunk === 'c') throw new Error('generator failed');
          yield chunk;
        }
      }));
      await expect(new Promise((resolve, reject) => failing.subscribe({ next: (v) => seen.push(v), error: reject, complete: () => resolve(undefined) })))
        .rejects.toThrow('generator failed');
      expect(seen).toEqual(['a', 'b']);
    });

    it('throws the source error inside the generator, where it can be handled', async () => {
      const source = new Observable<string>((subscriber) => {
        subscriber.next('a');
        subscriber.error(new Error('source failed'));
      });
      const recovered = source.pipe(transformStream(async function* (chunks: AsyncIterable<string>) {
        try {
          for await (const chunk of chunks) yield chunk;
        } catch (error) {
          yield `recovered from ${(error as Error).message}`;
        }
      }));
      expect(await lastValueFrom(recovered.pipe(toArray()))).toEqual(['a', 'recovered from source failed']);
      const unhandled = source.pipe(transformStream(async function* (chunks: AsyncIterable<string>) {
        for await (const chunk of chunks) yield chunk;
      }));
      await expect(lastValueFrom(unhandled)).rejects.toThrow('source failed');
    });

    it('completes on an empty source', async () => {
      const result = from([] as string[]).pipe(transformStream(async function* (chunks: AsyncIterable<string>) {
        for await (const chunk of chunks) yield chunk;
      }));
      expect(await lastValueFrom(result.pipe(toArray()))).toEqual([]);
    });

    it('stops the generator and the source when unsubscribed while the generator waits on the source', async () => {
      const source = new Subject<string>();
      const log: string[] = [];
      const result = source.pipe(
        finalize(() => log.push('source unsubscribed')),
        transformStream(async function* (chunks: AsyncIterable<string>) {
          try {
            for await (const chunk of chunks) yield chunk.toUpperCase();
          } finally {
            log.push('finally');
          }
        }),
      );
      const subscription = result.subscribe((value) => log.push(value));
      await settle();
      source.next('a');
      await settle();
      subscription.unsubscribe();
      await settle();
      expect(log).toEqual(['A', 'source unsubscribed', 'finally']);
      expect(source.observed).toBe(false);
    });

    it('stops the generator at its yield when the subscriber leaves while taking a value', async () => {
      const log: string[] = [];
      const endless = new Observable<string>((subscriber) => ['a', 'b', 'c'].forEach((chunk) => subscriber.next(chunk)));
      const result = endless.pipe(
        finalize(() => log.push('source unsubscribed')),
        transformStream(async function* (chunks: AsyncIterable<string>) {
          try {
            for await (const chunk of chunks) {
              log.push(`yield ${chunk}`);
              yield chunk;
            }
          } finally {
            log.push('finally');
          }
        }),
      );
      expect(await lastValueFrom(result.pipe(take(1), toArray()))).toEqual(['a']);
      await settle();
      expect(log).toEqual(['yield a', 'source unsubscribed', 'finally']);
    });
  });
});
