import { mergeMap, of, Subject } from 'rxjs';
import { RxllmError } from '../../src/errors/RxllmError.js';
import { AIMessageChunk } from '../../src/messages/AIMessageChunk.js';
import type { StreamProgress } from '../../src/operators/StreamProgress.js';
import { withProgress } from '../../src/operators/withProgress.js';
import { StreamReset } from '../../src/resilience/StreamReset.js';
import { createTestScheduler, expectTerminalPassThrough, expectUnsubscriptionChain } from '../support/marbles.js';
import { expectSynchronousSourceStopped } from '../support/synchronousSource.js';

const hello = new AIMessageChunk('Hello');
const world = new AIMessageChunk(' world');
const R = new StreamReset({ attempt: 2, error: { name: 'APIConnectionError', message: 'connection lost' } });

function progressOf(fields: Partial<StreamProgress> & Pick<StreamProgress, 'chunks' | 'chars' | 'outputTokens' | 'elapsedMs'>): StreamProgress {
  return {
    estimated: true,
    tokensPerSecond: fields.elapsedMs > 0 ? (fields.outputTokens * 1000) / fields.elapsedMs : 0,
    ...fields,
  };
}

describe('withProgress', () => {
  it('pairs each chunk with the progress after it, timed in virtual time', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a--b--|', { a: hello, b: world });
      const subs =        '^------!';
      const expected =    '-x--y--|';
      expectObservable(source.pipe(withProgress())).toBe(expected, {
        x: { chunk: hello, progress: progressOf({ chunks: 1, chars: 5, outputTokens: 2, elapsedMs: 1, tokensPerSecond: 2000 }) },
        y: { chunk: world, progress: progressOf({ chunks: 2, chars: 11, outputTokens: 4, elapsedMs: 4, tokensPerSecond: 1000 }) },
      });
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('measures time from subscription, also for a late subscriber', () => {
    createTestScheduler().run(({ hot, expectObservable }) => {
      const source = hot('-a-^-b----c|', { a: hello, b: world, c: hello });
      const progress = source.pipe(withProgress(), mergeMap(({ progress }) => of(progress.elapsedMs)));
      expectObservable(progress).toBe('--x----y|', { x: 2, y: 7 });
    });
  });

  it('replaces the estimate with reported usage, and estimates again on top of it', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const usage = new AIMessageChunk({ usage: { inputTokens: 9, outputTokens: 3, totalTokens: 12 } });
      const source = cold('ab(cd)|', { a: hello, b: world, c: usage, d: new AIMessageChunk('tail') });
      const tokens = source.pipe(withProgress(), mergeMap(({ progress }) => of(`${progress.outputTokens}${progress.estimated ? '~' : ''}`)));
      expectObservable(tokens).toBe('ab(cd)|', { a: '2~', b: '4~', c: '3', d: '4~' });
    });
  });

  it('counts reasoning and tool-call arguments as generated text', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const thinking = new AIMessageChunk({ reasoning: 'hmm, let me see' });
      const call = new AIMessageChunk({ toolCallChunks: [{ index: 0, id: 'c1', name: 'f', args: '{"q":"x"}' }] });
      const source = cold('ab|', { a: thinking, b: call });
      const chars = source.pipe(withProgress(), mergeMap(({ progress }) => of(progress.chars)));
      expectObservable(chars).toBe('ab|', { a: 15, b: 24 });
    });
  });

  it('reports the fraction of expectedTokens, at most 1', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const source = cold('abc|', { a: hello, b: world, c: world });
      const fractions = source.pipe(withProgress({ expectedTokens: 4 }), mergeMap(({ progress }) => of(progress.fraction)));
      expectObservable(fractions).toBe('abc|', { a: 0.5, b: 1, c: 1 });
    });
  });

  it('takes time from the scheduler it is given', () => {
    const testScheduler = createTestScheduler();
    testScheduler.run(({ cold, expectObservable }) => {
      const source = cold('---a|', { a: 'text' });
      const elapsed = source.pipe(withProgress({ scheduler: testScheduler }), mergeMap(({ progress }) => of(progress.elapsedMs)));
      expectObservable(elapsed).toBe('---a|', { a: 3 });
    });
  });

  it('propagates a source error after the items before it', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-#', { a: 'text' }, new Error('lost'));
      const subs =        '^--!';
      const chunks = source.pipe(withProgress(), mergeMap(({ chunk }) => of(chunk)));
      expectObservable(chunks).toBe('-a-#', { a: 'text' }, new Error('lost'));
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('propagates an error-only source', () => {
    expectTerminalPassThrough(withProgress(), '#');
  });

  it('completes without emitting on an empty source', () => {
    expectTerminalPassThrough(withProgress(), '|');
  });

  it('allows unsubscribing early and explicitly, through a chain', () => {
    expectUnsubscriptionChain(withProgress(), {
      source:        '-a-b-a-|',
      unsub:         '----!   ',
      expected:      '-a-b-   ',
      subscriptions: '^---!   ',
    }, { a: 'x', b: 'y' }, { a: expect.objectContaining({ chunk: 'x' }), b: expect.objectContaining({ chunk: 'y' }) });
  });

  it('stops a synchronous source when unsubscribed', () => {
    expectSynchronousSourceStopped(withProgress(), (i) => String(i), {
      take: 3,
      produced: 3,
      delivers: [1, 2, 3].map((chunks) => expect.objectContaining({ progress: expect.objectContaining({ chunks }) })),
    });
  });

  it('counts in order when the source emits again during delivery', () => {
    const source = new Subject<string>();
    const seen: string[] = [];
    source.pipe(withProgress()).subscribe(({ chunk, progress }) => {
      seen.push(`${chunk}:${progress.chunks}`);
      if (chunk === 'a') source.next('b');
    });
    source.next('a');
    source.next('c');
    expect(seen).toEqual(['a:1', 'b:2', 'c:3']);
  });

  describe('after a StreamReset', () => {
    it('passes the marker on unpaired and counts the next attempt from it', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-a--R--b-|', { a: hello, R, b: world });
        const subs =        '^--------!';
        const expected =    '-x--R--y-|';
        expectObservable(source.pipe(withProgress({ expectedTokens: 4 }))).toBe(expected, {
          x: { chunk: hello, progress: progressOf({ chunks: 1, chars: 5, outputTokens: 2, elapsedMs: 1, fraction: 0.5 }) },
          R,
          // Timed from the marker, at frame 4: the new attempt's request.
          y: { chunk: world, progress: progressOf({ chunks: 1, chars: 6, outputTokens: 2, elapsedMs: 3, fraction: 0.5 }) },
        });
        expectSubscriptions(source.subscriptions).toBe(subs);
      });
    });

    it('forgets a reported usage of the voided attempt', () => {
      createTestScheduler().run(({ cold, expectObservable }) => {
        const usage = new AIMessageChunk({ usage: { inputTokens: 9, outputTokens: 30, totalTokens: 39 } });
        const source = cold('ab-R-c|', { a: hello, b: usage, R, c: world });
        const tokens = source.pipe(withProgress(), mergeMap((item) => of(item instanceof StreamReset ? 'R' : `${item.progress.outputTokens}${item.progress.estimated ? '~' : ''}`)));
        expectObservable(tokens).toBe('ab-R-c|', { a: '2~', b: '30', R: 'R', c: '2~' });
      });
    });

    it('propagates a source error, and allows unsubscribing early, after a marker', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const failing = cold('-a-R-b-#', { a: 'x', R, b: 'y' }, new Error('lost'));
        const chunks = failing.pipe(withProgress(), mergeMap((item) => of(item instanceof StreamReset ? item : item.chunk)));
        expectObservable(chunks).toBe('-a-R-b-#', { a: 'x', R, b: 'y' }, new Error('lost'));
        const source = cold('-a-R-b-c-|', { a: 'x', R, b: 'y', c: 'z' });
        expectObservable(source.pipe(withProgress()), '------!').toBe('-a-R-b-', {
          a: expect.objectContaining({ chunk: 'x' }), R, b: { chunk: 'y', progress: expect.objectContaining({ chunks: 1 }) },
        });
        expectSubscriptions(source.subscriptions).toBe('^-----!');
      });
    });

    it('counts in order when the subscriber pushes a marker during delivery', () => {
      const source = new Subject<string | StreamReset>();
      const seen: string[] = [];
      source.pipe(withProgress()).subscribe((item) => {
        if (item instanceof StreamReset) return seen.push('R');
        seen.push(`${item.chunk}:${item.progress.chunks}`);
        if (item.chunk === 'a') source.next(R);
      });
      source.next('a');
      source.next('b');
      source.next('c');
      expect(seen).toEqual(['a:1', 'R', 'b:1', 'c:2']);
    });
  });

  it('refuses a bad expectedTokens with an RxllmError when created', () => {
    expect(() => withProgress({ expectedTokens: 0 })).toThrow(RxllmError);
  });
});
