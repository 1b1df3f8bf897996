import fc from 'fast-check';
import { Observable, Subject, from, of, throwError } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { ContentFilteredError } from '../../src/errors/ContentFilteredError.js';
import { InvalidOptionError } from '../../src/errors/InvalidOptionError.js';
import { RxllmError } from '../../src/errors/RxllmError.js';
import { DISPATCHED_BY, type StreamEvent } from '../../src/events/StreamEvent.js';
import { AIMessageChunk, concatChunks } from '../../src/messages/index.js';
import { StreamReset } from '../../src/resilience/StreamReset.js';
import { contentFilter } from '../../src/security/contentFilter.js';
import type { ContentFilterOptions, ContentFlag, ContentVerdict } from '../../src/security/ContentFilterOptions.js';
import { createTestScheduler, expectTerminalPassThrough, expectUnsubscriptionChain } from '../support/marbles.js';
import { expectOrderKeptUnderReentrancy, valuesOf } from '../support/reentrancy.js';
import { expectSynchronousSourceStopped } from '../support/synchronousSource.js';

const ok: ContentVerdict = { flagged: false };
const spam: ContentVerdict = { flagged: true, category: 'spam' };

/** The three texts of the classifier marbles and the three windows they make with `windowChars: 16`. */
const texts = { a: 'One two. ', b: 'Three four. ', c: 'Five.' };

/**
 * A classifier whose verdict for each window is the cold marble `marbles[window]` (`v` = `verdicts[window]`,
 * ok by default, `#` an error), made before the run so that its subscriptions can be expected;
 * `calls` lists the windows it was asked about.
 */
function marbleClassifier(cold: TestScheduler['createColdObservable'], marbles: Record<string, string>, verdicts: Record<string, ContentVerdict> = {}) {
  const calls: string[] = [];
  const verdictOf = new Map(Object.entries(marbles).map(([text, marble]) => [text, cold(marble, { v: verdicts[text] ?? ok }, new Error(`classifier down for ${text}`))]));
  const classify = (text: string): Observable<ContentVerdict> => {
    calls.push(text);
    return verdictOf.get(text)!;
  };
  return { classify, calls, verdict: (text: string) => verdictOf.get(text)! };
}

function collect<T>(values: readonly T[], options: ContentFilterOptions): { values: T[]; error?: unknown } {
  const seen: T[] = [];
  let error: unknown;
  from(values).pipe(contentFilter<any>(options)).subscribe({ next: (value) => seen.push(value as T), error: (e: unknown) => (error = e) });
  return { values: seen, ...(error !== undefined && { error }) };
}

function streamEvent(runId: string, chunk: unknown): StreamEvent {
  return { event: 'on_chat_model_stream', name: 'model', run_id: runId, parent_ids: ['root'], tags: ['t'], metadata: {}, data: { chunk } };
}

describe('contentFilter', () => {
  describe('with a blocklist', () => {
    it('releases text at once, holds only a phrase that could still be growing, and replaces it across chunks', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-a-b-c-d-|', { a: 'Hello there, ', b: 'oh da', c: 'rn it', d: '!' });
        const subs =        '^--------!';
        const expected =    '-w-x-y-z-|';
        expectObservable(source.pipe(contentFilter({ block: ['darn'], action: 'replace' }))).toBe(expected, { w: 'Hello there, ', x: 'oh ', y: '[FILTERED] it', z: '!' });
        expectSubscriptions(source.subscriptions).toBe(subs);
      });
    });

    it("'stop' delivers the text before the phrase, then fails with ContentFilteredError and stops the source", () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-a-b-c-|', { a: 'You are a da', b: 'rn fool', c: 'more' });
        const subs =        '^--!    ';
        const expected =    '-x-#    ';
        expectObservable(source.pipe(contentFilter({ block: ['Darn'], action: 'stop' }))).toBe(expected, { x: 'You are a ' }, new ContentFilteredError('block', { phrase: 'Darn' }));
        expectSubscriptions(source.subscriptions).toBe(subs);
      });
      const { error } = collect(['a darn'], { block: ['darn'], action: 'stop' });
      expect(error).toBeInstanceOf(ContentFilteredError);
      expect(error).toMatchObject({ source: 'block', phrase: 'darn' });
      // The message may reach a user: it names no phrase.
      expect((error as Error).message).not.toContain('darn');
    });

    it('releases the held text before the source completes or fails', () => {
      createTestScheduler().run(({ cold, expectObservable }) => {
        expectObservable(cold('-a-|', { a: 'say he' }).pipe(contentFilter({ block: ['heck'], action: 'replace' }))).toBe('-x-(y|)', { x: 'say ', y: 'he' });
        expectObservable(cold('-a-#', { a: 'say heck' }).pipe(contentFilter({ block: ['heck'], action: 'replace' }))).toBe('-x-(y#)', { x: 'say ', y: '[FILTERED]' });
      });
    });

    it('filters the content, reasoning and tool-call arguments of message chunks, keeping arguments valid JSON', () => {
      const args = JSON.stringify({ note: 'you darn thing', quote: 'say "darn"' });
      const chunks = [
        new AIMessageChunk({ id: 'm1', content: 'A da', reasoning: 'thinking: he' }),
        new AIMessageChunk({ content: 'rn day', reasoning: 'ck no' }),
        ...args.match(/.{1,3}/gs)!.map((piece, i) => new AIMessageChunk({ toolCallChunks: [{ index: 0, ...(i === 0 && { id: 'call_1', name: 'note' }), args: piece }] })),
        new AIMessageChunk({ finishReason: 'tool_calls' }),
      ];
      const { values } = collect(chunks, { block: ['darn', 'heck'], action: 'replace', replacement: 'a "nice" \\ word' });
      expect(values).toHaveLength(chunks.length);
      const whole = concatChunks(values as AIMessageChunk[]);
      expect(whole.content).toBe('A a "nice" \\ word day');
      expect(whole.reasoning).toBe('thinking: a "nice" \\ word no');
      expect(whole.toolCalls).toEqual([{ id: 'call_1', name: 'note', args: { note: 'you a "nice" \\ word thing', quote: 'say "a "nice" \\ word"' } }]);
    });

    it("'flag' passes event text unchanged and follows the event carrying it with a content_flagged custom event of its run", () => {
      const flags: ContentFlag[] = [];
      const events = [streamEvent('r1', 'oh da'), streamEvent('r2', new AIMessageChunk('fine')), streamEvent('r1', 'rn it'), streamEvent('r1', '!')];
      const { values } = collect(events, { block: ['darn'], action: 'flag', onFlag: (flag) => flags.push(flag) }) as { values: StreamEvent[] };
      expect(values.map((event) => [event.event, event.run_id, event.data.chunk ?? event.data])).toEqual([
        ['on_chat_model_stream', 'r1', 'oh '],
        ['on_chat_model_stream', 'r2', new AIMessageChunk('fine')],
        ['on_chat_model_stream', 'r1', 'darn it'],
        ['on_custom_event', 'r1', { source: 'block', phrase: 'darn', text: 'darn' }],
        ['on_chat_model_stream', 'r1', '!'],
      ]);
      expect(values[3]).toMatchObject({ name: 'content_flagged', parent_ids: ['root'], tags: ['t'] });
      expect((values[3] as { [DISPATCHED_BY]?: unknown })[DISPATCHED_BY]).toEqual({ name: 'model', type: 'chat_model' });
      expect(flags).toEqual([{ source: 'block', phrase: 'darn', text: 'darn' }]);
    });

    it('passes a StreamReset through and starts over after it', () => {
      createTestScheduler().run(({ cold, expectObservable }) => {
        const R = new StreamReset({ attempt: 2, error: { name: 'APIConnectionError', message: 'connection lost' } });
        const source = cold<string | StreamReset>('-a-R-b-c-|', { a: 'oh da', R, b: 'no da', c: 'rn' });
        // 'darn' at the very end waits for the next character (it could become 'darned'): here the completion.
        expectObservable(source.pipe(contentFilter({ block: ['darn'], action: 'replace' }))).toBe('-x-R-y---(z|)', { x: 'oh ', R, y: 'no ', z: '[FILTERED]' });
      });
    });
  });

  describe('with a classifier', () => {
    it('holds each window until its verdict, classifies windows as soon as they are complete, and releases values in order', () => {
      let calls: string[] = [];
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const classifier = marbleClassifier(cold, { 'One two. ': '----v', 'Three four. ': '-v', 'Five.': '----v' });
        calls = classifier.calls;
        // Windows close at b (sentence end at 9), at c (at 21) and at the completion; the second
        // verdict comes first, but b waits for a.
        const source = cold('-a-b-c-|', texts);
        const expected =    '-------(ab)(c|)';
        expectObservable(source.pipe(contentFilter({ classify: classifier.classify, action: 'stop', windowChars: 16 }))).toBe(expected, texts);
        expectSubscriptions(classifier.verdict('One two. ').subscriptions).toBe('---^---!');
        expectSubscriptions(classifier.verdict('Three four. ').subscriptions).toBe('-----^!');
        expectSubscriptions(classifier.verdict('Five.').subscriptions).toBe('-------^---!');
      });
      expect(calls).toEqual(['One two. ', 'Three four. ', 'Five.']);
    });

    it('unsubscribing cancels the classifications still running', () => {
      let calls: string[] = [];
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const classifier = marbleClassifier(cold, { 'One two. ': '------v', 'Three four. ': '------v', 'Five.': '-v' });
        calls = classifier.calls;
        const source = cold('-a-b-c-|', texts);
        const unsub =       '------!';
        expectObservable(source.pipe(contentFilter({ classify: classifier.classify, action: 'stop', windowChars: 16 })), unsub).toBe('-------');
        expectSubscriptions(source.subscriptions).toBe('^-----!');
        expectSubscriptions(classifier.verdict('One two. ').subscriptions).toBe('---^--!');
        expectSubscriptions(classifier.verdict('Three four. ').subscriptions).toBe('-----^!');
        expectSubscriptions(classifier.verdict('Five.').subscriptions).toBe([]);
      });
      expect(calls).toEqual(['One two. ', 'Three four. ']);
    });

    it('a classifier that fails ends the stream after the text judged before it, and cancels the others', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const classifier = marbleClassifier(cold, { 'One two. ': '----v', 'Three four. ': '-#', 'Five.': '------v' });
        const source = cold('-a-b-c-|', texts);
        expectObservable(source.pipe(contentFilter({ classify: classifier.classify, action: 'replace', windowChars: 16 }))).toBe('-------(a#)', texts, new Error('classifier down for Three four. '));
        expectSubscriptions(source.subscriptions).toBe('^------!');
        expectSubscriptions(classifier.verdict('Five.').subscriptions).toBe('-------(^!)');
      });
    });

    it("'stop' fails with ContentFilteredError naming the category after the windows before the refused one", () => {
      createTestScheduler().run(({ cold, expectObservable }) => {
        const { classify } = marbleClassifier(cold, { 'One two. ': '-v', 'Three four. ': '--v', 'Five.': '-v' }, { 'Three four. ': spam });
        const source = cold('-a-b-c-|', texts);
        expectObservable(source.pipe(contentFilter({ classify, action: 'stop', windowChars: 16 }))).toBe('----a--#', texts, new ContentFilteredError('classify', { category: 'spam' }));
      });
    });

    it("'replace' writes the replacement once, in the value where the refused window begins; 'flag' passes it and reports it", () => {
      const classify = (text: string) => of(text.includes('four') ? spam : ok);
      const chunks = ['One two. Th', 'ree fo', 'ur. Fi', 've.'];
      expect(collect(chunks, { classify, action: 'replace', windowChars: 16, replacement: (flag) => `<${flag.category}> ` }).values)
        .toEqual(['One two. <spam> ', 'Fi', 've.']);
      const flags: ContentFlag[] = [];
      expect(collect(chunks, { classify, action: 'flag', windowChars: 16, onFlag: (flag) => flags.push(flag) }).values).toEqual(chunks);
      expect(flags).toEqual([{ source: 'classify', category: 'spam', text: 'Three four. ' }]);
    });

    it('cuts windows at the same places however the text is chunked, at sentence ends or spaces, never over windowChars', () => {
      const text = 'The first sentence is here. A second one follows it, rather long without a stop and then some more words '
        + 'and an unbroken 0123456789012345678901234567890123456789 run. End.';
      const windowsOf = (chunks: readonly string[]): string[] => {
        const seen: string[] = [];
        collect(chunks, { classify: (window) => (seen.push(window), of(ok)), action: 'stop', windowChars: 30 });
        return seen;
      };
      const whole = windowsOf([text]);
      expect(whole.join('')).toBe(text);
      expect(whole.slice(0, 2)).toEqual(['The first sentence is here. ', 'A second one follows it, ']);
      expect(Math.max(...whole.map((window) => window.length))).toBeLessThanOrEqual(30);
      fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: text.length }), { maxLength: 30 }), (positions) => {
        const sorted = [...new Set(positions)].sort((a, b) => a - b);
        const chunks = [0, ...sorted].map((start, i) => text.slice(start, [...sorted, text.length][i]));
        expect(windowsOf(chunks)).toEqual(whole);
      }), { numRuns: 100 });
    });

    it('judges each tool call\'s arguments whole, and a refused call\'s arguments become the replacement as a JSON string', () => {
      const judged: string[] = [];
      const classify = (text: string) => (judged.push(text), of(text.includes('rm -rf') ? spam : ok));
      const chunks = [
        new AIMessageChunk({ content: 'Running it.' }),
        new AIMessageChunk({ toolCallChunks: [{ index: 0, id: 'call_1', name: 'shell', args: '{"cmd":"rm' }] }),
        new AIMessageChunk({ toolCallChunks: [{ index: 0, args: ' -rf /"}' }, { index: 1, id: 'call_2', name: 'shell', args: '{"cmd":"ls"}' }] }),
        new AIMessageChunk({ finishReason: 'tool_calls' }),
      ];
      const { values } = collect(chunks, { classify, action: 'replace' });
      expect(judged).toEqual(['Running it.', '{"cmd":"rm -rf /"}', '{"cmd":"ls"}']);
      expect(values).toHaveLength(4);
      const whole = concatChunks(values as AIMessageChunk[]);
      expect(whole.content).toBe('Running it.');
      expect(whole.toolCallChunks.map((call) => call.args)).toEqual(['"[FILTERED]"', '{"cmd":"ls"}']);
    });

    it('on events, judges a window whose text it has just judged (the end output repeats the chunks) once, and replaces it in both', () => {
      const judged: string[] = [];
      const classify = (text: string) => (judged.push(text), of(text.includes('pills') ? spam : ok));
      const end: StreamEvent = { ...streamEvent('r1', undefined), event: 'on_chat_model_end', data: { output: new AIMessageChunk('Buy now. Cheap pills.') } };
      const { values } = collect([streamEvent('r1', new AIMessageChunk('Buy now. ')), streamEvent('r1', new AIMessageChunk('Cheap pills.')), end], { classify, action: 'replace', windowChars: 10 }) as { values: StreamEvent[] };
      expect(judged).toEqual(['Buy now. ', 'Cheap ', 'pills.']);
      expect(values.map((event) => event.data.chunk?.content ?? event.data.output.content)).toEqual(['Buy now. ', 'Cheap [FILTERED]', 'Buy now. Cheap [FILTERED]']);
    });

    it('runs the blocklist first and the classifier on what it lets through', () => {
      const judged: string[] = [];
      const { values } = collect(['oh da', 'rn it'], { block: ['darn'], classify: (text) => (judged.push(text), of(ok)), action: 'replace' });
      expect(values.join('')).toBe('oh [FILTERED] it');
      expect(judged).toEqual(['oh [FILTERED] it']);
    });

    it('refuses a classifier that completes without a verdict or emits something else, with an RxllmError', () => {
      const empty = collect(['text'], { classify: () => new Observable<ContentVerdict>((s) => s.complete()), action: 'flag' });
      expect(empty.values).toEqual([]);
      expect(empty.error).toBeInstanceOf(RxllmError);
      expect((empty.error as Error).message).toBe('contentFilter: classify completed without a verdict');
      const wrong = collect(['text'], { classify: () => of(true as unknown as ContentVerdict), action: 'flag' });
      expect((wrong.error as Error).message).toMatch(/classify must emit \{ flagged: boolean/);
      const thrown = collect(['text'], { classify: () => { throw new Error('no model'); }, action: 'flag' });
      expect((thrown.error as Error).message).toBe('no model');
      expect(collect(['text'], { classify: () => throwError(() => new Error('down')), action: 'flag' }).error).toEqual(new Error('down'));
    });
  });

  it('passes an empty and an error-only source through', () => {
    expectTerminalPassThrough(contentFilter({ block: ['darn'], action: 'stop' }), '|');
    expectTerminalPassThrough(contentFilter({ block: ['darn'], action: 'stop' }), '#');
    expectTerminalPassThrough(contentFilter({ classify: () => of(ok), action: 'stop' }), '|');
  });

  it('passes unsubscription up the chain', () => {
    expectUnsubscriptionChain(contentFilter({ block: ['darn'], action: 'replace' }), {
      source:        '-a-b-c-|',
      unsub:         '----!   ',
      expected:      '-a-b-   ',
      subscriptions: '^---!   ',
    }, { a: 'one. ', b: 'two. ', c: 'three.' }, { a: 'one. ', b: 'two. ' });
  });

  it('stops a synchronous source when unsubscribed', () => {
    expectSynchronousSourceStopped(contentFilter<string>({ block: ['darn'], action: 'replace' }), (i) => `line ${i}.\n`, { take: 3, produced: 3, delivers: ['line 0.\n', 'line 1.\n', 'line 2.\n'] });
    expectSynchronousSourceStopped(contentFilter<string>({ classify: () => of(ok), action: 'replace', windowChars: 8 }), (i) => `line ${i}.\n`, { take: 3, produced: 3, delivers: ['line 0.\n', 'line 1.\n', 'line 2.\n'] });
  });

  it('keeps the order of its input under reentrancy, with a synchronous classifier', () => {
    const filter = contentFilter<string>({ block: ['darn'], classify: (text) => of(text.includes('spam') ? spam : ok), action: 'replace', windowChars: 8 });
    const seen = expectOrderKeptUnderReentrancy(filter, ['one da', 'rn. ', 'two spam. ', 'end.'], (value, source) => {
      if (value === 'one ') source.next('inner da');
    });
    // 'one ' is delivered once its window is judged, after 'rn. ': the reentrant push comes after that.
    expect(valuesOf(seen).join('')).toBe('one [FILTERED]. inner datwo [FILTERED]end.');
  });

  it('checks its options where it is created', () => {
    const bad: Array<[Partial<ContentFilterOptions>, RegExp]> = [
      [{ action: 'stop' }, /block must be a non-empty list of words or phrases when there is no classify, got undefined/],
      [{ block: [], action: 'stop' }, /block must be a non-empty list/],
      [{ block: ['ok', ' '], action: 'stop' }, /block must be an array of words or phrases \(each with a non-space character\), got an array of 2/],
      [{ block: ['darn'], action: 'drop' as never }, /action must be 'stop', 'replace' or 'flag', got 'drop'/],
      [{ block: ['darn'] }, /action must be 'stop', 'replace' or 'flag', got undefined/],
      [{ classify: 'yes' as never, action: 'stop' }, /classify must be a function/],
      [{ block: ['darn'], action: 'replace', replacement: 3 as never }, /replacement must be a string or a function/],
      [{ classify: () => of(ok), action: 'stop', windowChars: 0 }, /windowChars must be a positive integer or Infinity, got 0/],
      [{ block: ['darn'], action: 'flag', onFlag: 'log' as never }, /onFlag must be a function/],
    ];
    for (const [options, message] of bad) {
      expect(() => contentFilter(options as ContentFilterOptions)).toThrow(InvalidOptionError);
      expect(() => contentFilter(options as ContentFilterOptions)).toThrow(message);
    }
  });

  it('is synchronous end to end without a classifier or with a synchronous one', () => {
    const seen: string[] = [];
    of('a darn thing').pipe(contentFilter<string>({ block: ['darn'], classify: () => of(ok), action: 'replace' })).subscribe((text) => seen.push(text));
    expect(seen).toEqual(['a [FILTERED] thing']);
    const subject = new Subject<string>();
    const direct: string[] = [];
    subject.pipe(contentFilter<string>({ block: ['darn'], action: 'replace' })).subscribe((text) => direct.push(text));
    subject.next('fine words ');
    expect(direct).toEqual(['fine words ']);
  });
});
