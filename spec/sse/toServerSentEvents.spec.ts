import { Observable, of, take } from 'rxjs';
import { ProviderError } from '../../src/errors/errors.js';
import { AIMessageChunk } from '../../src/messages/AIMessageChunk.js';
import { encodeSseFrame } from '../../src/sse/encodeSseFrame.js';
import { HEARTBEAT_FRAME, toServerSentEvents } from '../../src/sse/toServerSentEvents.js';
import { InvalidOptionError } from '../../src/errors/InvalidOptionError.js';
import { createTestScheduler } from '../support/marbles.js';

/** The frame the 'rxllm' format makes for value `data` as frame `seq` of run `r`. */
const frame = (seq: number, data: string, event?: string) => ({ id: `r:${seq}`, text: encodeSseFrame({ id: `r:${seq}`, event, data }) });
const retry = { text: 'retry: 3000\n\n' };
const end = (seq: number) => frame(seq, '{}', 'end');

describe('toServerSentEvents', () => {
  it('numbers the frames of a run one by one, after one retry frame, and ends with the end frame', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a--b--|', { a: 1, b: 2 });
      const subs =        '^------!';
      expectObservable(source.pipe(toServerSentEvents({ runId: 'r', heartbeatMs: Infinity })))
        .toBe(            'xa--b--(e|)', { x: retry, a: frame(1, '1'), b: frame(2, '2'), e: end(3) });
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('starts the sequence at firstSeq and leaves out retry when it is Infinity', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const source = cold('-a-|', { a: 'x' });
      expectObservable(source.pipe(toServerSentEvents({ runId: 'r', firstSeq: 7, retryMs: Infinity, heartbeatMs: Infinity })))
        .toBe(            '-a-(e|)', { a: frame(7, '"x"'), e: end(8) });
    });
  });

  it('sends a heartbeat comment after each heartbeatMs of silence, on the scheduler', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const source = cold('-a 9ms b 2ms |', { a: 1, b: 2 });
      // a at 1, silence until 5 (h), 9 (h), b at 11, end at 14.
      expectObservable(source.pipe(toServerSentEvents({ runId: 'r', heartbeatMs: 4, retryMs: Infinity })))
        .toBe(            '-a 3ms h 3ms h - b 2ms (e|)', { a: frame(1, '1'), h: HEARTBEAT_FRAME, b: frame(2, '2'), e: end(3) });
    });
  });

  it('turns an error into the format\'s error frame, masked, and completes', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const error = new ProviderError('Incorrect API key provided: sk-proj-abcdefghijklmnop', { status: 401, code: 'invalid_api_key' });
      const source = cold('-a-#', { a: 1 }, error);
      const wire = JSON.stringify({ name: 'ProviderError', message: 'Incorrect API key provided: ***', fields: { status: 401, code: 'invalid_api_key' } });
      expectObservable(source.pipe(toServerSentEvents({ runId: 'r', heartbeatMs: Infinity, retryMs: Infinity })))
        .toBe(            '-a-(e|)', { a: frame(1, '1'), e: frame(2, wire, 'error') });
    });
  });

  it('encodes the value with the format: chunks travel tagged in rxllm', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const source = cold('a|', { a: new AIMessageChunk('Hi') });
      const data = '{"$rxllm":"AIMessageChunk","content":"Hi","toolCallChunks":[],"responseMetadata":{}}';
      expectObservable(source.pipe(toServerSentEvents({ runId: 'r', heartbeatMs: Infinity, retryMs: Infinity })))
        .toBe(            'a(e|)', { a: frame(1, data), e: end(2) });
    });
  });

  it('sends nothing but the closing frames for an empty source', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('---|').pipe(toServerSentEvents({ runId: 'r', heartbeatMs: Infinity, retryMs: Infinity }))).toBe('---(e|)', { e: end(1) });
    });
  });

  it('unsubscribes the source and stops the heartbeat on early unsubscribe', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a------b-|', { a: 1, b: 2 });
      const unsub =       '-----!';
      expectObservable(source.pipe(toServerSentEvents({ runId: 'r', heartbeatMs: 3, retryMs: Infinity })), unsub)
        .toBe(            '-a--h-', { a: frame(1, '1'), h: HEARTBEAT_FRAME });
      expectSubscriptions(source.subscriptions).toBe('^----!');
    });
  });

  it('stops a synchronous source when the consumer takes only some frames', () => {
    let emitted = 0;
    const source = new Observable<number>((subscriber) => {
      for (let value = 1; value <= 4 && !subscriber.closed; value++) {
        emitted++;
        subscriber.next(value);
      }
      subscriber.complete();
    });
    const frames: unknown[] = [];
    source.pipe(toServerSentEvents({ runId: 'r', heartbeatMs: Infinity }), take(2)).subscribe((f) => frames.push(f));
    expect(frames).toEqual([retry, frame(1, '1')]);
    expect(emitted).toBe(1);
  });

  it('gives each subscription its own run id when none is given', () => {
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) of(1).pipe(toServerSentEvents({ heartbeatMs: Infinity, retryMs: Infinity }), take(1)).subscribe((f) => ids.push(f.id!));
    expect(ids[0]).toMatch(/^[\w-]+:1$/);
    expect(ids[0]).not.toBe(ids[1]);
  });

  it('checks its options where they are given', () => {
    expect(() => toServerSentEvents({ heartbeatMs: 0 })).toThrow(InvalidOptionError);
    expect(() => toServerSentEvents({ format: 'xml' as never })).toThrow(InvalidOptionError);
    expect(() => toServerSentEvents({ firstSeq: -1 })).toThrow(InvalidOptionError);
  });
});
