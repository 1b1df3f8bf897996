import { mergeMap, of, share } from 'rxjs';
import { InvalidOptionError } from '../../src/errors/InvalidOptionError.js';
import { AIMessageChunk } from '../../src/messages/AIMessageChunk.js';
import { progress } from '../../src/operators/progress.js';
import { textDeltas } from '../../src/operators/textDeltas.js';
import { StreamReset } from '../../src/resilience/StreamReset.js';
import { createTestScheduler, expectTerminalPassThrough, expectUnsubscriptionChain } from '../support/marbles.js';
import { expectSynchronousSourceStopped } from '../support/synchronousSource.js';

describe('progress', () => {
  it('emits the progress alone after each chunk', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const usage = new AIMessageChunk({ usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 } });
      const source = cold('-a--b---c|', { a: new AIMessageChunk('Hello'), b: new AIMessageChunk(' world'), c: usage });
      const subs =        '^--------!';
      const expected =    '-x--y---z|';
      expectObservable(source.pipe(progress({ expectedTokens: 4 }))).toBe(expected, {
        x: { chunks: 1, chars: 5, outputTokens: 2, estimated: true, elapsedMs: 1, tokensPerSecond: 2000, fraction: 0.5 },
        y: { chunks: 2, chars: 11, outputTokens: 4, estimated: true, elapsedMs: 4, tokensPerSecond: 1000, fraction: 1 },
        z: { chunks: 3, chars: 11, outputTokens: 2, estimated: false, elapsedMs: 8, tokensPerSecond: 250, fraction: 0.5 },
      });
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('reports a shared stream beside its text, with one subscription to the source', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b|', { a: 'one', b: ' two' });
      const shared = source.pipe(share());
      expectObservable(shared.pipe(textDeltas())).toBe('-a-b|', { a: 'one', b: ' two' });
      expectObservable(shared.pipe(progress(), mergeMap((p) => of(p.chars)))).toBe('-a-b|', { a: 3, b: 7 });
      expectSubscriptions(source.subscriptions).toBe('^---!');
    });
  });

  it('propagates a source error', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-#', { a: 'x' }, new Error('lost'));
      expectObservable(source.pipe(progress(), mergeMap((p) => of(p.chunks)))).toBe('-a-#', { a: 1 }, new Error('lost'));
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  it('completes without emitting on an empty source', () => {
    expectTerminalPassThrough(progress(), '|');
  });

  it('allows unsubscribing early and explicitly, through a chain', () => {
    expectUnsubscriptionChain(progress(), {
      source:        '-a-a-a-|',
      unsub:         '----!   ',
      expected:      '-x-y-   ',
      subscriptions: '^---!   ',
    }, { a: 'x' }, { x: expect.objectContaining({ chunks: 1 }), y: expect.objectContaining({ chunks: 2 }) });
  });

  it('stops a synchronous source when unsubscribed', () => {
    expectSynchronousSourceStopped(progress(), () => 'x', { take: 2, produced: 2 });
  });

  it('passes a StreamReset on and starts over after it, timed from the marker', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const R = new StreamReset({ attempt: 2, error: { name: 'APIConnectionError', message: 'connection lost' } });
      const source = cold('-a-R--b-#', { a: new AIMessageChunk('Hello'), R, b: new AIMessageChunk(' world') }, new Error('lost'));
      const subs =        '^-------!';
      const expected =    '-x-R--y-#';
      expectObservable(source.pipe(progress({ expectedTokens: 4 }))).toBe(expected, {
        x: { chunks: 1, chars: 5, outputTokens: 2, estimated: true, elapsedMs: 1, tokensPerSecond: 2000, fraction: 0.5 },
        R,
        y: { chunks: 1, chars: 6, outputTokens: 2, estimated: true, elapsedMs: 3, tokensPerSecond: 2000 / 3, fraction: 0.5 },
      }, new Error('lost'));
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('counts the sections of a Markdown answer with expectedSections, the last one at the finish chunk', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const finish = new AIMessageChunk({ finishReason: 'stop' });
      const source = cold('-a-b-c-f|', { a: new AIMessageChunk('# Report\n## One\n'), b: new AIMessageChunk('Text\n\n```\n## code\n```\n'), c: new AIMessageChunk('## Two\n'), f: finish });
      const sections = (count: number, fraction: number) => expect.objectContaining({ sections: count, fraction });
      expectObservable(source.pipe(progress({ expectedSections: 4, expectedTokens: 1000 }))).toBe('-w-x-y-z|', {
        w: sections(0, 0), x: sections(0, 0), y: sections(1, 0.25), z: sections(2, 0.5),
      });
    });
  });

  it('counts sections at sectionLevel and checks both options', () => {
    const seen: Array<number | undefined> = [];
    of('# A\n## a\n', '# B\n').pipe(progress({ expectedSections: 2, sectionLevel: 1 })).subscribe((p) => seen.push(p.sections));
    expect(seen).toEqual([0, 1]);
    expect(() => progress({ expectedSections: 0 })).toThrow(InvalidOptionError);
    expect(() => progress({ expectedSections: 2, sectionLevel: 0 })).toThrow(InvalidOptionError);
  });
});
