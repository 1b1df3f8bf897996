import fc from 'fast-check';
import { from, lastValueFrom, Subject, toArray } from 'rxjs';
import { RxllmError } from '../../src/errors/RxllmError.js';
import { AIMessageChunk, concatChunks, type AIMessageChunkFields, type ToolCallChunk } from '../../src/messages/AIMessageChunk.js';
import { smoothText } from '../../src/operators/smoothText.js';
import { StreamReset } from '../../src/resilience/StreamReset.js';
import { createTestScheduler, expectTerminalPassThrough, expectUnsubscriptionChain } from '../support/marbles.js';
import { expectOrderKeptUnderReentrancy, valuesOf } from '../support/reentrancy.js';
import { expectSynchronousSourceStopped } from '../support/synchronousSource.js';

const R = new StreamReset({ attempt: 2, error: { name: 'APIConnectionError', message: 'connection lost' } });
const lost = new Error('lost');

function piecesOf(chunks: string[], options?: Parameters<typeof smoothText>[0]): string[] {
  const pieces: string[] = [];
  from(chunks).pipe(smoothText<string>(options)).subscribe((piece) => pieces.push(piece));
  return pieces;
}

describe('smoothText', () => {
  describe('by word (default)', () => {
    it('re-cuts fragments into whole words and flushes the last one at completion', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-a--b---c-|', { a: 'Hel', b: 'lo wor', c: 'ld. Bye' });
        const subs =        '^---------!';
        const expected =    '----x---y-(z|)';
        expectObservable(source.pipe(smoothText())).toBe(expected, { x: 'Hello ', y: 'world. ', z: 'Bye' });
        expectSubscriptions(source.subscriptions).toBe(subs);
      });
    });

    it('emits each word of a chunk separately, whitespace leading the next word', () => {
      expect(piecesOf(['The quick  brown', ' ', ' fox\tjumps\n'])).toEqual(['The ', 'quick  ', 'brown ', ' fox\t', 'jumps\n']);
      expect(piecesOf(['  ', 'Hi there'])).toEqual(['  Hi ', 'there']);
    });

    it('never loses, duplicates or reorders text, and cuts only after whitespace', () => {
      fc.assert(fc.property(fc.array(fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\n', 'é') })), (chunks) => {
        const pieces = piecesOf(chunks);
        expect(pieces.join('')).toBe(chunks.join(''));
        pieces.slice(0, -1).forEach((piece) => expect(piece).toMatch(/^\s*\S+\s+$/));
        if (pieces.length) expect(pieces[pieces.length - 1]).toMatch(/^\s*\S*\s*$/);
      }));
    });
  });

  it('cuts by line, a blank line being a piece of its own', () => {
    expect(piecesOf(['one\ntw', 'o\r', '\n\nthree'], { by: 'line' })).toEqual(['one\n', 'two\r\n', '\n', 'three']);
  });

  it('cuts after each match of a RegExp, also when the match spans two chunks', () => {
    expect(piecesOf(['One. Two', '!', ' Three? ', 'Fo', 'ur'], { by: /[.!?]\s+/ })).toEqual(['One. ', 'Two! ', 'Three? ', 'Four']);
    // An empty match cuts nothing (and does not loop).
    expect(piecesOf(['ab', 'c'], { by: /x*/ })).toEqual(['abc']);
  });

  it('cuts text written without spaces with an Intl.Segmenter', () => {
    const segmenter = new Intl.Segmenter('ja', { granularity: 'word' });
    const text = '今日は良い天気です。明日も晴れ。';
    const pieces = piecesOf(Array.from(text), { by: segmenter });
    expect(pieces.join('')).toBe(text);
    expect(pieces).toEqual(['今日', 'は', '良い', '天気', 'です。', '明日', 'も', '晴れ。']);
  });

  it('cuts sentences with a sentence segmenter', () => {
    const pieces = piecesOf(['Hello there. How', ' are you? Fine', '.'], { by: new Intl.Segmenter('en', { granularity: 'sentence' }) });
    expect(pieces).toEqual(['Hello there. ', 'How are you? ', 'Fine.']);
  });

  describe('AIMessageChunks', () => {
    it('re-cuts plain text chunks, carrying the id and each metadata once', () => {
      const chunks = [
        new AIMessageChunk({ id: 'run-1', content: 'Hel', responseMetadata: { model: 'm' } }),
        new AIMessageChunk({ id: 'run-1', content: 'lo big wor', responseMetadata: { model: 'm' } }),
        new AIMessageChunk({ id: 'run-1', content: 'ld' }),
      ];
      const out: AIMessageChunk[] = [];
      from(chunks).pipe(smoothText()).subscribe((chunk) => out.push(chunk));
      expect(out.map((c) => c.toJSON())).toEqual([
        new AIMessageChunk({ id: 'run-1', content: 'Hello ', responseMetadata: { model: 'm' } }).toJSON(),
        new AIMessageChunk({ id: 'run-1', content: 'big ' }).toJSON(),
        new AIMessageChunk({ id: 'run-1', content: 'world' }).toJSON(),
      ]);
    });

    it('emits the pending text before a tool-call or usage chunk, which passes unchanged', () => {
      createTestScheduler().run(({ cold, expectObservable }) => {
        const toolCall = new AIMessageChunk({ toolCallChunks: [{ index: 0, id: 'call_1', name: 'search', args: '{}' }] });
        const usage = new AIMessageChunk({ content: 'end', usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 }, finishReason: 'stop' });
        const source = cold('-a-------t-------u-|', { a: new AIMessageChunk('Let me look'), t: toolCall, u: usage });
        const expected =    '-(xy)----(zt)----u-|';
        expectObservable(source.pipe(smoothText())).toBe(expected, {
          x: new AIMessageChunk('Let '),
          y: new AIMessageChunk('me '),
          z: new AIMessageChunk('look'),
          t: toolCall,
          u: usage,
        });
      });
    });

    it('passes an empty leading chunk through at once', () => {
      const first = new AIMessageChunk({ id: 'run-1', responseMetadata: { model: 'm' } });
      const out: AIMessageChunk[] = [];
      from([first, new AIMessageChunk('Hi there')]).pipe(smoothText()).subscribe((c) => out.push(c));
      expect(out[0]).toBe(first);
      expect(out.slice(1).map((c) => c.content)).toEqual(['Hi ', 'there']);
    });

    it('keeps concatChunks of the output equal to concatChunks of the input', () => {
      const chunk: fc.Arbitrary<AIMessageChunkFields> = fc.record({
        id: fc.constant('run-1'),
        content: fc.string({ unit: fc.constantFrom('a', ' ', '\n'), maxLength: 6 }),
        responseMetadata: fc.option(fc.record({ model: fc.constantFrom('m1', 'm2') }), { nil: undefined }),
        toolCallChunks: fc.option(fc.constant<ToolCallChunk[]>([{ index: 0, id: 'call_1', args: '{}' }]), { nil: undefined }),
        usage: fc.option(fc.constant({ inputTokens: 1, outputTokens: 1, totalTokens: 2 }), { nil: undefined }),
        finishReason: fc.option(fc.constant('stop'), { nil: undefined }),
      }, { requiredKeys: ['content'] });
      fc.assert(fc.property(fc.array(chunk, { maxLength: 10 }), fc.constantFrom('word' as const, 'line' as const), (fields, by) => {
        const chunks = fields.map((f) => new AIMessageChunk(f));
        const out: AIMessageChunk[] = [];
        from(chunks).pipe(smoothText({ by })).subscribe((c) => out.push(c));
        expect(concatChunks(out).toJSON()).toEqual(concatChunks(chunks).toJSON());
      }));
    });
  });

  describe('with delayMs', () => {
    it('spaces pieces on the scheduler and completes after the last one', () => {
      createTestScheduler().run(({ cold, expectObservable }) => {
        const source = cold('-a--b---c-|', { a: 'Hel', b: 'lo wor', c: 'ld. Bye now' });
        const expected =    '----x---y-z-(w|)';
        expectObservable(source.pipe(smoothText({ delayMs: 2 }))).toBe(expected, { x: 'Hello ', y: 'world. ', z: 'Bye ', w: 'now' });
      });
    });

    it('emits the first piece after a quiet spell at once', () => {
      createTestScheduler().run(({ cold, expectObservable }) => {
        const words = cold('(a|)', { a: 'one two three four ' });
        expectObservable(words.pipe(smoothText({ delayMs: 3 }))).toBe('a--b--c--(d|)', { a: 'one ', b: 'two ', c: 'three ', d: 'four ' });
        const later = cold('a------b|', { a: 'one ', b: 'two ' });
        expectObservable(later.pipe(smoothText({ delayMs: 3 }))).toBe('a------b|', { a: 'one ', b: 'two ' });
      });
    });

    it('delivers the queued and pending text before a source error', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('a-#', { a: 'one two thr' }, new Error('lost'));
        const subs =        '^-!';
        const expected =    'a-b-(c#)';
        expectObservable(source.pipe(smoothText({ delayMs: 2 }))).toBe(expected, { a: 'one ', b: 'two ', c: 'thr' }, new Error('lost'));
        expectSubscriptions(source.subscriptions).toBe(subs);
      });
    });

    it('drops the queue and stops the timer when unsubscribed', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('a-------|', { a: 'one two three four' });
        const unsub =       '---!';
        const subs =        '^--!';
        const expected =    'a-b-';
        expectObservable(source.pipe(smoothText({ delayMs: 2 })), unsub).toBe(expected, { a: 'one ', b: 'two ' });
        expectSubscriptions(source.subscriptions).toBe(subs);
      });
    });

    it('uses the scheduler it is given', () => {
      const testScheduler = createTestScheduler();
      testScheduler.run(({ cold, expectObservable }) => {
        const source = cold('(a|)', { a: 'a b c' });
        expectObservable(source.pipe(smoothText({ delayMs: 5, scheduler: testScheduler }))).toBe('a----b----(c|)', { a: 'a ', b: 'b ', c: 'c' });
      });
    });
  });

  it('emits the pending text, then the error, on a source error', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-#', { a: 'Hello wor' }, new Error('lost'));
      const subs =        '^--!';
      const expected =    '-x-(y#)';
      expectObservable(source.pipe(smoothText())).toBe(expected, { x: 'Hello ', y: 'wor' }, new Error('lost'));
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('propagates an error-only source', () => {
    expectTerminalPassThrough(smoothText(), '#');
  });

  it('completes without emitting on an empty source', () => {
    expectTerminalPassThrough(smoothText(), '|');
  });

  it('allows unsubscribing early and explicitly', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-c-|', { a: 'one ', b: 'tw', c: 'o ' });
      const unsub =       '----!   ';
      const subs =        '^---!   ';
      const expected =    '-a---   ';
      expectObservable(source.pipe(smoothText()), unsub).toBe(expected, { a: 'one ' });
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('does not break the unsubscription chain', () => {
    expectUnsubscriptionChain(smoothText(), {
      source:        '-a-b-c-|',
      unsub:         '----!   ',
      expected:      '-a---   ',
      subscriptions: '^---!   ',
    }, { a: 'one ', b: 'tw', c: 'o ' }, { a: 'one ' });
  });

  it('stops a synchronous source when unsubscribed', () => {
    expectSynchronousSourceStopped(smoothText(), (i) => `w${i} `, { take: 3, produced: 3, delivers: ['w0 ', 'w1 ', 'w2 '] });
  });

  it('handles a source that emits again while a piece is being delivered', () => {
    const source = new Subject<string>();
    const seen: string[] = [];
    source.pipe(smoothText()).subscribe((word) => {
      seen.push(word);
      if (word === 'a ') source.next('b ');
    });
    source.next('a c');
    // 'b ' arrived after 'a c', so the text is 'a cb ': order is the source's, even when reentrant.
    expect(seen).toEqual(['a ', 'cb ']);
  });

  describe('reentrancy', () => {
    it('keeps the order when the subscriber pushes text while the pieces of a chunk are delivered', () => {
      const seen = expectOrderKeptUnderReentrancy(smoothText<string>(), ['a b c', 'd'], (word, source) => {
        if (word === 'a ') source.next('x ');
      });
      // Pushed after 'a b c': it joins the pending 'c' once 'b ' is out.
      expect(valuesOf(seen)).toEqual(['a ', 'b ', 'cx ', 'd']);
    });

    it('keeps the text before an error pushed while a piece is delivered', () => {
      const seen = expectOrderKeptUnderReentrancy(smoothText<string>(), ['a b c'], (word, source) => {
        if (word === 'a ') source.error(lost);
      });
      expect(seen).toEqual([
        { kind: 'N', value: 'a ' }, { kind: 'N', value: 'b ' }, { kind: 'N', value: 'c' }, { kind: 'E', error: lost },
      ]);
    });

    it('keeps the order of chunks pushed while a piece is delivered', () => {
      const toolCall = new AIMessageChunk({ toolCallChunks: [{ index: 0, id: 'call_1', name: 'search', args: '{}' }] });
      const seen = expectOrderKeptUnderReentrancy(smoothText<AIMessageChunk>(), [new AIMessageChunk('a b c')], (piece, source) => {
        if (piece.content === 'a ') source.next(toolCall);
      });
      expect(valuesOf(seen).map((piece) => piece.content)).toEqual(['a ', 'b ', 'c', '']);
      expect(valuesOf(seen)[3]).toBe(toolCall);
    });

    it('keeps the order under reentrancy with delayMs', () => {
      createTestScheduler().run(({ flush }) => {
        const source = new Subject<string>();
        const seen: string[] = [];
        source.pipe(smoothText({ delayMs: 2 })).subscribe((word) => {
          seen.push(word);
          if (word === 'a ') source.next('x ');
        });
        source.next('a b c');
        source.complete();
        flush();
        expect(seen).toEqual(['a ', 'b ', 'cx ']);
      });
    });
  });

  describe('after a StreamReset', () => {
    it('drops the pending text and starts over, the marker passing on in its frame', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-a--R--b-|', { a: 'Hello wor', R, b: 'Bye now' });
        const subs =        '^--------!';
        const expected =    '-x--R--y-(z|)';
        expectObservable(source.pipe(smoothText())).toBe(expected, { x: 'Hello ', R, y: 'Bye ', z: 'now' });
        expectSubscriptions(source.subscriptions).toBe(subs);
      });
    });

    it('starts chunks over too: the new pieces carry the new attempt\'s id and metadata only', () => {
      const out: Array<AIMessageChunk | StreamReset> = [];
      const chunks = [new AIMessageChunk({ id: 'run-1', content: 'Hel', responseMetadata: { model: 'm1' } }), R, new AIMessageChunk({ id: 'run-2', content: 'Hi there' })];
      from(chunks).pipe(smoothText()).subscribe((item) => out.push(item));
      expect(out).toEqual([R, new AIMessageChunk({ id: 'run-2', content: 'Hi ' }), new AIMessageChunk({ id: 'run-2', content: 'there' })]);
    });

    it('with delayMs, drops the pieces still waiting and passes the marker at once', () => {
      createTestScheduler().run(({ cold, expectObservable }) => {
        const source = cold('a--R---b|', { a: 'one two three four', R, b: 'hi there' });
        const expected =    'a-bR---c-(d|)';
        expectObservable(source.pipe(smoothText({ delayMs: 2 }))).toBe(expected, { a: 'one ', b: 'two ', R, c: 'hi ', d: 'there' });
      });
    });

    it('propagates a source error after a marker, with the new attempt\'s pending text', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-a-R-b-#', { a: 'voided text', R, b: 'kept tex' }, lost);
        const subs =        '^------!';
        const expected =    '-x-R-y-(z#)';
        expectObservable(source.pipe(smoothText())).toBe(expected, { x: 'voided ', R, y: 'kept ', z: 'tex' }, lost);
        expectSubscriptions(source.subscriptions).toBe(subs);
      });
    });

    it('allows unsubscribing early after a marker, also while pieces wait', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-a-R-b-|', { a: 'one ', R, b: 'two three four ' });
        const unsub =       '-------!';
        const subs =        '^------!';
        const expected =    '-a-R-b-';
        expectObservable(source.pipe(smoothText({ delayMs: 3 })), unsub).toBe(expected, { a: 'one ', R, b: 'two ' });
        expectSubscriptions(source.subscriptions).toBe(subs);
      });
    });

    it('keeps the order when the subscriber pushes a marker while the pieces of a chunk are delivered', () => {
      const seen = expectOrderKeptUnderReentrancy(smoothText<string | StreamReset>(), ['a b c', 'd'], (word, source) => {
        if (word === 'a ') source.next(R);
      });
      // 'b ' was cut before the marker arrived; the pending 'c' is voided with its attempt.
      expect(valuesOf(seen)).toEqual(['a ', 'b ', R, 'd']);
    });
  });

  it('keeps separate state per subscription', async () => {
    const smoothed = from(['Hel', 'lo wo', 'rld']).pipe(smoothText());
    expect(await lastValueFrom(smoothed.pipe(toArray()))).toEqual(['Hello ', 'world']);
    expect(await lastValueFrom(smoothed.pipe(toArray()))).toEqual(['Hello ', 'world']);
  });

  it('refuses bad options with an RxllmError when created', () => {
    expect(() => smoothText({ by: 'sentence' as never })).toThrow(RxllmError);
    expect(() => smoothText({ delayMs: -1 })).toThrow(/delayMs must be a number of milliseconds/);
  });
});
