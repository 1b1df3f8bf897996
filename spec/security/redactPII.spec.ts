import { Subject, from, of } from 'rxjs';
import { PIIDetectedError } from '../../src/errors/errors.js';
import type { StreamEvent } from '../../src/events/StreamEvent.js';
import { AIMessageChunk, concatChunks } from '../../src/messages/index.js';
import { StreamReset } from '../../src/resilience/StreamReset.js';
import { redactPII } from '../../src/security/redactPII.js';
import { createTestScheduler, expectTerminalPassThrough, expectUnsubscriptionChain } from '../support/marbles.js';
import { expectSynchronousSourceStopped } from '../support/synchronousSource.js';

function collect<T>(values: readonly T[], operator = redactPII<any>()): { values: T[]; error?: unknown } {
  const seen: T[] = [];
  let error: unknown;
  from(values).pipe(operator).subscribe({ next: (value) => seen.push(value as T), error: (e: unknown) => (error = e) });
  return { values: seen, error };
}

function streamEvent(runId: string, chunk: unknown): StreamEvent {
  return { event: 'on_chat_model_stream', name: 'model', run_id: runId, parent_ids: [], tags: [], metadata: {}, data: { chunk } };
}

describe('redactPII', () => {
  it('releases text at once and holds back only what could still begin an entity', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-c-d-|', { a: 'Hello there, ', b: 'mail bob@exa', c: 'mple.com now', d: '!' });
      const subs =        '^--------!';
      const expected =    '-w-x-y-z-|';
      expectObservable(source.pipe(redactPII())).toBe(expected, { w: 'Hello there, ', x: 'mail ', y: '[EMAIL] ', z: 'now!' });
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('releases the held text when the source completes', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const source = cold('-a-b-|', { a: 'call 020 7946', b: ' 0958' });
      expectObservable(source.pipe(redactPII())).toBe('-x---(y|)', { x: 'call ', y: '[PHONE]' });
    });
  });

  it('releases the held text, redacted, before a source error', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-#', { a: 'ip 10.0.0.1' }, new Error('boom'));
      expectObservable(source.pipe(redactPII())).toBe('-x-(y#)', { x: 'ip ', y: '[IP]' }, new Error('boom'));
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  it('passes a StreamReset through, dropping what the voided attempt held, and searches the new attempt afresh', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const R = new StreamReset({ attempt: 2, error: { name: 'APIConnectionError', message: 'connection lost' } });
      const source = cold<string | StreamReset>('-a-R-b-c-|', { a: 'mail bob@exa', R, b: 'mail ann@exa', c: 'mple.com now' });
      // 'bob@exa' was held when the attempt was voided: it is neither released nor joined to the new text.
      expectObservable(source.pipe(redactPII())).toBe('-x-R-x-y-(z|)', { x: 'mail ', R, y: '[EMAIL] ', z: 'now' });
    });
  });

  it('passes an empty and an error-only source through', () => {
    expectTerminalPassThrough(redactPII(), '|');
    expectTerminalPassThrough(redactPII(), '#');
  });

  it('passes unsubscription up the chain', () => {
    expectUnsubscriptionChain(redactPII(), {
      source:        '-a-b-c-|',
      unsub:         '----!   ',
      expected:      '-a-b-   ',
      subscriptions: '^---!   ',
    }, { a: 'one. ', b: 'two. ', c: 'three.' }, { a: 'one. ', b: 'two. ' });
  });

  it('stops a synchronous source when unsubscribed', () => {
    expectSynchronousSourceStopped(redactPII<string>(), (i) => `line ${i}.\n`, { take: 3, produced: 3, delivers: ['line 0.\n', 'line 1.\n', 'line 2.\n'] });
  });

  it('keeps its state per subscription and survives reentrant emissions', () => {
    const subject = new Subject<string>();
    const seen: string[] = [];
    const redacted = subject.pipe(redactPII<string>());
    redacted.subscribe((text) => {
      seen.push(text);
      if (text === 'first ') subject.next('x@y.org done.');
    });
    subject.next('first ');
    subject.complete();
    expect(seen.join('')).toBe('first [EMAIL] done.');
    expect(collect(['a@b.co', 'm']).values.join('')).toBe('[EMAIL]');
  });

  it("mode 'error' delivers the clean text, then fails with PIIDetectedError and stops the source", () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-c-|', { a: 'Card: 4111 1111', b: ' 1111 1111 ok', c: 'more' });
      expectObservable(source.pipe(redactPII({ mode: 'error' }))).toBe('-x-#', { x: 'Card: ' }, new PIIDetectedError('creditCard'));
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
    const { values, error } = collect(['Write to ', 'bob@example.com please'], redactPII({ mode: 'error' }));
    expect(values).toEqual(['Write to ']);
    expect(error).toBeInstanceOf(PIIDetectedError);
    expect((error as PIIDetectedError).kind).toBe('email');
    expect((error as Error).message).not.toContain('bob@');
  });

  it("mode 'remove' drops entities and 'hash' writes the same token for the same entity in one run", () => {
    expect(collect(['mail a@b.org, then a@b.org'], redactPII({ mode: 'remove' })).values.join('')).toBe('mail , then ');
    const hashed = collect(['a@b.org c@d.org a@b.org'], redactPII({ mode: 'hash' })).values.join('');
    const tokens = hashed.split(' ');
    expect(tokens[0]).toMatch(/^\[EMAIL:[0-9a-f]{8}\]$/);
    expect(tokens[2]).toBe(tokens[0]);
    expect(tokens[1]).not.toBe(tokens[0]);
  });

  it('uses a replacement function and user detectors with a validator', () => {
    const order = { kind: 'order', pattern: /\bORD-\d{6}\b/g, maxLength: 10, validate: (match: string) => !match.endsWith('000000') };
    const redact = redactPII({ detectors: [order], replacement: (entity) => `<${entity.kind}>` });
    expect(collect([...'see ORD-123456 and ORD-000000.'], redact).values.join('')).toBe('see <order> and ORD-000000.');
    expect(() => redactPII({ detectors: [{ kind: 'x', pattern: /x/, maxLength: Infinity }] })).toThrow(/maxLength/);
  });

  it('redacts the content, reasoning and tool-call arguments of message chunks, keeping arguments valid JSON', () => {
    const args = JSON.stringify({ to: 'bob@example.com', note: 'line\nbob@example.com', card: '4111 1111 1111 1111' });
    const pieces = args.match(/.{1,3}/gs)!;
    const chunks = [
      new AIMessageChunk({ id: 'm1', content: 'Mail bob@ex', reasoning: 'user gave +44 20' }),
      new AIMessageChunk({ content: 'ample.com', reasoning: ' 7946 0958 ok' }),
      ...pieces.map((piece, i) => new AIMessageChunk({ toolCallChunks: [{ index: 0, ...(i === 0 && { id: 'call_1', name: 'send' }), args: piece }] })),
      new AIMessageChunk({ finishReason: 'tool_calls', usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 } }),
    ];
    const { values } = collect(chunks);
    expect(values).toHaveLength(chunks.length);
    const whole = concatChunks(values as AIMessageChunk[]);
    expect(whole.content).toBe('Mail [EMAIL]');
    expect(whole.reasoning).toBe('user gave [PHONE] ok');
    expect(whole.finishReason).toBe('tool_calls');
    expect(whole.id).toBe('m1');
    expect(whole.toolCalls).toEqual([{ id: 'call_1', name: 'send', args: { to: '[EMAIL]', note: 'line\nbob@example.com', card: '[CARD]' } }]);
    expect(values[0]).toMatchObject({ content: 'Mail ' });
  });

  it('redacts the chunks of stream events per run and releases held text before the run ends', () => {
    const end: StreamEvent = { event: 'on_chat_model_end', name: 'model', run_id: 'r1', parent_ids: [], tags: [], metadata: {}, data: { output: new AIMessageChunk('Mail bob@example.com') } };
    const events = [streamEvent('r1', new AIMessageChunk('Mail bob@')), streamEvent('r2', 'ip 8.8.'), streamEvent('r1', new AIMessageChunk('example.com')), end, streamEvent('r2', '8.8')];
    const { values } = collect(events) as { values: StreamEvent[] };
    const text = (runId: string) => values.filter((e) => e.run_id === runId && e.event.endsWith('_stream'))
      .map((e) => (typeof e.data.chunk === 'string' ? e.data.chunk : e.data.chunk.content)).join('');
    expect(text('r1')).toBe('Mail [EMAIL]');
    expect(text('r2')).toBe('ip [IP]');
    const ended = values.find((e) => e.event === 'on_chat_model_end')!;
    expect(ended.data.output.content).toBe('Mail [EMAIL]');
    expect(values.indexOf(ended)).toBeGreaterThan(values.findIndex((e) => e.run_id === 'r1' && e.data.chunk?.content === '[EMAIL]'));
    expect(collect([{ ...end, run_id: 'r3', event: 'on_chain_start', data: {} }]).values).toHaveLength(1);
  });

  it('is synchronous end to end', () => {
    const seen: string[] = [];
    of('a@b.org ok').pipe(redactPII<string>()).subscribe((text) => seen.push(text));
    expect(seen.join('')).toBe('[EMAIL] ok');
  });
});
