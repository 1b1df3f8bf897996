import { lastValueFrom, of, Subject, toArray } from 'rxjs';
import { APIConnectionError, ProviderError } from '../../src/errors/errors.js';
import { AIMessageChunk } from '../../src/messages/AIMessageChunk.js';
import { degradeToInvoke } from '../../src/operators/degradeToInvoke.js';
import { ScriptedChatModel } from '../../src/testing/ScriptedChatModel.js';
import { createTestScheduler, expectUnsubscriptionChain } from '../support/marbles.js';
import { expectSynchronousSourceStopped } from '../support/synchronousSource.js';

const unsupported = new ProviderError("HTTP 400 from the chat completions endpoint: Unsupported value: 'stream' does not support true with this model.", { status: 400, code: 'unsupported_value' });
const lost = new APIConnectionError('The connection closed before the response was complete');

describe('degradeToInvoke', () => {
  it('makes the non-streaming request when streaming is unsupported, and emits its answer', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('--#', undefined, unsupported);
      const invoked = cold('----(m|)', { m: 'whole answer' });
      const expected =    '------(m|)';
      expectObservable(source.pipe(degradeToInvoke(() => invoked))).toBe(expected, { m: 'whole answer' });
      expectSubscriptions(invoked.subscriptions).toBe('--^---!');
    });
  });

  it('gives the error to the request', () => {
    const seen: unknown[] = [];
    createTestScheduler().run(({ cold, expectObservable }) => {
      const result = cold('-#', undefined, unsupported).pipe(degradeToInvoke((error) => {
        seen.push(error);
        return of('m');
      }));
      expectObservable(result).toBe('-(m|)');
    });
    expect(seen).toEqual([unsupported]);
  });

  it('passes on any other error', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const invoked = cold('(m|)');
      expectObservable(cold('-#', undefined, lost).pipe(degradeToInvoke(() => invoked))).toBe('-#', undefined, lost);
      const badRequest = new ProviderError('HTTP 400: temperature must be ≤ 2', { status: 400 });
      expectObservable(cold('-#', undefined, badRequest).pipe(degradeToInvoke(() => invoked))).toBe('-#', undefined, badRequest);
      expectSubscriptions(invoked.subscriptions).toBe([]);
    });
  });

  it('passes on a failure after the first chunk, even an unsupported-streaming one', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const invoked = cold('(m|)');
      expectObservable(cold('-a-#', undefined, unsupported).pipe(degradeToInvoke(() => invoked))).toBe('-a-#', undefined, unsupported);
      expectSubscriptions(invoked.subscriptions).toBe([]);
    });
  });

  it('takes its own test of which errors mean "cannot stream"', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const custom = new ProviderError('SSE disabled by the proxy', { status: 403 });
      const result = cold('-#', undefined, custom).pipe(degradeToInvoke(() => of('m'), { isStreamingUnsupported: (e) => e === custom }));
      expectObservable(result).toBe('-(m|)');
    });
  });

  it('passes on an error of the request, or thrown while making it', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-#', undefined, unsupported).pipe(degradeToInvoke(() => cold('--#', undefined, lost)))).toBe('---#', undefined, lost);
      const thrown = new Error('no invoke');
      expectObservable(cold('-#', undefined, unsupported).pipe(degradeToInvoke(() => { throw thrown; }))).toBe('-#', undefined, thrown);
    });
  });

  it('composes with a model: one chunk from invoke when the stream is refused', async () => {
    const model = new ScriptedChatModel({ responses: [unsupported, 'The whole answer at once'] });
    const chunks = await lastValueFrom(model.stream('Hi').pipe(degradeToInvoke(() => model.invoke('Hi')), toArray()));
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toBeInstanceOf(AIMessageChunk);
    expect(chunks[0].content).toBe('The whole answer at once');
    expect(model.calls).toHaveLength(2);
  });

  it('mirrors a source that streams', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b|');
      expectObservable(source.pipe(degradeToInvoke(() => of('m')))).toBe('-a-b|');
      expectSubscriptions(source.subscriptions).toBe('^---!');
    });
  });

  it('completes with an empty source', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('|').pipe(degradeToInvoke(() => of('m')))).toBe('|');
    });
  });

  it('allows unsubscribing early, from the request too', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const invoked = cold('-----(m|)');
      const unsub =       '---!';
      expectObservable(cold('-#', undefined, unsupported).pipe(degradeToInvoke(() => invoked)), unsub).toBe('----');
      expectSubscriptions(invoked.subscriptions).toBe('-^-!');
    });
  });

  it('does not break the unsubscription chain', () => {
    expectUnsubscriptionChain(degradeToInvoke(() => of('m')), {
      source:        '-a-b-c|',
      unsub:         '---!   ',
      expected:      '-a-    ',
      subscriptions: '^--!   ',
    });
  });

  it('stops a synchronous source when unsubscribed', () => {
    expectSynchronousSourceStopped(degradeToInvoke(() => of(-1)), (i) => i, { take: 3, produced: 3 });
  });

  it('handles a source that emits again while a value is being delivered', () => {
    const source = new Subject<string>();
    const seen: string[] = [];
    source.pipe(degradeToInvoke(() => of('m'))).subscribe({
      next: (x) => {
        seen.push(x);
        if (x === 'a') source.next('b');
      },
      error: (e: Error) => seen.push(e.name),
    });
    source.next('a');
    source.error(unsupported);
    expect(seen).toEqual(['a', 'b', 'ProviderError']);
  });
});
