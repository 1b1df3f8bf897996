import { Subject } from 'rxjs';
import { documentStatus } from '../../src/documents/documentStatus.js';
import { InvalidOptionError } from '../../src/errors/InvalidOptionError.js';
import { AIMessageChunk } from '../../src/messages/AIMessageChunk.js';
import { StreamReset } from '../../src/resilience/StreamReset.js';
import { createTestScheduler, expectTerminalPassThrough, expectUnsubscriptionChain } from '../support/marbles.js';
import { expectSynchronousSourceStopped } from '../support/synchronousSource.js';

const chunks = { a: '# Report\n\n## Intro\nHel', b: 'lo\n\n## Res', c: 'ults\n\nDone.' };
const statuses = {
  x: { section: 'Intro', sectionsStarted: 1, sectionsDone: 0, fraction: 0, chars: 22, done: false },
  y: { section: 'Intro', sectionsStarted: 1, sectionsDone: 0, fraction: 0, chars: 32, done: false },
  z: { section: 'Results', sectionsStarted: 2, sectionsDone: 1, fraction: 0.25, chars: 43, done: false },
  w: { section: 'Results', sectionsStarted: 2, sectionsDone: 2, fraction: 0.5, chars: 43, done: true },
};

describe('documentStatus', () => {
  it('reports the section being written, the sections done and the fraction, then the end', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a---b---c---|', chunks);
      const subs =        '^------------!';
      const expected =    '-x---y---z---(w|)';
      expectObservable(source.pipe(documentStatus({ expectedSections: 4 }))).toBe(expected, statuses);
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('counts sections at the level asked for: a higher-rank heading ends one, deeper ones belong to it', () => {
    const seen: Array<[string | undefined, number, number]> = [];
    const source = new Subject<string>();
    source.pipe(documentStatus({ sectionLevel: 1 })).subscribe((s) => seen.push([s.section, s.sectionsStarted, s.sectionsDone]));
    source.next('# One\n## deeper\n');
    source.next('Two\n===\n');
    source.next('- # not a section\n\n```\n# nor this\n```\n');
    source.complete();
    expect(seen).toEqual([['One', 1, 0], ['Two', 2, 1], ['Two', 2, 1], ['Two', 2, 2]]);
  });

  it('leaves out fraction without expectedSections, reads chat-model chunks and skips those without text', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const usage = new AIMessageChunk({ usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 } });
      const source = cold('-a-u-|', { a: new AIMessageChunk({ content: '## A\n' }), u: usage });
      expectObservable(source.pipe(documentStatus())).toBe('-x---(y|)', {
        x: { section: 'A', sectionsStarted: 1, sectionsDone: 0, chars: 5, done: false },
        y: { section: 'A', sectionsStarted: 1, sectionsDone: 1, chars: 5, done: true },
      });
    });
  });

  it('passes a StreamReset through and counts the new attempt from the start', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const R = new StreamReset({ attempt: 2, error: { name: 'APIConnectionError', message: 'connection lost' } });
      const source = cold<string | StreamReset>('-a-b-R-a---b---c---|', { ...chunks, R });
      expectObservable(source.pipe(documentStatus({ expectedSections: 4 }))).toBe('-x-y-R-x---y---z---(w|)', { ...statuses, R });
    });
  });

  it('checks its options where it is created', () => {
    expect(() => documentStatus({ expectedSections: 0 })).toThrow(InvalidOptionError);
    expect(() => documentStatus({ sectionLevel: 7 })).toThrow(InvalidOptionError);
  });

  it('propagates a source error after the statuses before it', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a--#', chunks, new Error('boom'));
      expectObservable(source.pipe(documentStatus({ expectedSections: 4 }))).toBe('-x--#', statuses, new Error('boom'));
      expectSubscriptions(source.subscriptions).toBe('^---!');
    });
  });

  it('propagates an error-only source', () => {
    expectTerminalPassThrough(documentStatus(), '#');
  });

  it('reports an empty document as done at once', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('|');
      expectObservable(source.pipe(documentStatus())).toBe('(x|)', { x: { section: undefined, sectionsStarted: 0, sectionsDone: 0, chars: 0, done: true } });
      expectSubscriptions(source.subscriptions).toBe('(^!)');
    });
  });

  it('allows unsubscribing early and explicitly', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a---b---c---|', chunks);
      const unsub =       '-------!      ';
      const subs =        '^------!      ';
      const expected =    '-x---y--      ';
      expectObservable(source.pipe(documentStatus({ expectedSections: 4 })), unsub).toBe(expected, statuses);
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('does not break the unsubscription chain', () => {
    expectUnsubscriptionChain(documentStatus({ expectedSections: 4 }), {
      source:        '-a---b---c---|',
      unsub:         '-------!      ',
      expected:      '-x---y--      ',
      subscriptions: '^------!      ',
    }, chunks, statuses);
  });

  it('stops a synchronous source when unsubscribed', () => {
    expectSynchronousSourceStopped(documentStatus(), (i) => `## Section ${i}\n`, { take: 3, produced: 3 });
  });

  it('handles a source that emits again while a status is being delivered', () => {
    const source = new Subject<string>();
    const seen: number[] = [];
    source.pipe(documentStatus()).subscribe((status) => {
      seen.push(status.sectionsStarted);
      if (status.sectionsStarted === 1 && !status.done && seen.length === 1) source.next('## Two\n');
    });
    source.next('## One\n');
    source.complete();
    expect(seen).toEqual([1, 2, 2]);
  });
});
