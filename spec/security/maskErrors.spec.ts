import OpenAI from 'openai';
import { Observable, Subject, from, throwError } from 'rxjs';
import { APIConnectionError, MaskedError, ProviderError } from '../../src/errors/errors.js';
import { InvalidOptionError } from '../../src/errors/InvalidOptionError.js';
import { DISPATCHED_BY, dispatcherOf, type StreamEvent } from '../../src/events/StreamEvent.js';
import { mapOpenAIError } from '../../src/openai/mapOpenAIError.js';
import { StreamReset } from '../../src/resilience/StreamReset.js';
import { maskErrors } from '../../src/security/maskErrors.js';
import { toMaskedError } from '../../src/security/toMaskedError.js';
import { fromWireError } from '../../src/sse/fromWireError.js';
import { toWireError } from '../../src/sse/toWireError.js';
import { createTestScheduler, expectTerminalPassThrough, expectUnsubscriptionChain } from '../support/marbles.js';
import { expectSynchronousSourceStopped } from '../support/synchronousSource.js';

// Never registered as secrets: what stops them is that nothing of the original error passes.
const KEY = 'sk-proj-Zq81mWx40pLr7TnB2cVd';
const PASSWORD = 'Hunter2-Gateway-Pw';
const GATEWAY_TOKEN = 'gw_tok_58HqLmP0vXz3';
const SERVER_BODY = 'organisation org-Acme-7781 exceeded its budget of 412.50';
const FRAGMENTS = [KEY, 'Zq81mWx4', PASSWORD, GATEWAY_TOKEN, 'org-Acme-7781', '412.50', '/home/deploy/app'];

/** Everything a client could be shown of an error: its text, its JSON, its wire form and its stack. */
function everythingShown(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const cause = (error as Error).cause as Error | undefined;
  return [
    String(error), JSON.stringify(error), JSON.stringify(toWireError(error)), (error as Error).stack ?? '',
    cause ? `${String(cause)} ${JSON.stringify(cause)}` : '',
  ].join('\n');
}

function expectNoFragment(error: unknown): void {
  const shown = everythingShown(error);
  for (const fragment of FRAGMENTS) expect(shown).not.toContain(fragment);
}

/** Errors that carry secrets and server details in every place an error can. */
function leakyErrors(): Record<string, unknown> {
  const inMessage = new ProviderError(`Incorrect API key provided: ${KEY} (${SERVER_BODY})`, { status: 401, code: 'invalid_api_key' });
  const fromClient = mapOpenAIError(new OpenAI.RateLimitError(
    429,
    { message: `Rate limit reached for ${SERVER_BODY}`, code: 'rate_limit_exceeded', type: 'requests' },
    undefined,
    new Headers({ 'retry-after': '7', 'x-gateway-token': GATEWAY_TOKEN }),
  ));
  const withUrl = Object.assign(new TypeError(`fetch failed: https://admin:${PASSWORD}@llm.internal.example/v1/chat`), {
    url: `https://admin:${PASSWORD}@llm.internal.example/v1/chat`,
  });
  const withHeaders = Object.assign(new Error('upstream refused the request'), {
    headers: { authorization: `Bearer ${KEY}`, 'x-gateway-token': GATEWAY_TOKEN },
    body: { error: { message: SERVER_BODY } },
  });
  const withStack = new Error('boom');
  withStack.stack = `Error: boom (key ${KEY})\n    at handler (/home/deploy/app/server.js:12:7)`;
  const withCause = new APIConnectionError('The request failed', { cause: Object.assign(new Error(SERVER_BODY), { config: { apiKey: KEY } }) });
  return { inMessage, fromClient, withUrl, withHeaders, withStack, withCause, thrownString: `failed with ${KEY} for ${SERVER_BODY}` };
}

describe('maskErrors', () => {
  it('passes values through in their frames and ends with the masked error', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const original = new ProviderError(`Incorrect API key provided: ${KEY}`, { status: 401 });
      const source = cold('--a--b--#', { a: 'Hel', b: 'lo' }, original);
      const subs =        '^-------!';
      const expected =    '--a--b--#';
      const masked = new MaskedError('provider', false, 'The model provider could not answer the request');
      expectObservable(source.pipe(maskErrors())).toBe(expected, { a: 'Hel', b: 'lo' }, masked);
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it.each(Object.entries(leakyErrors()))('lets nothing of an error %s through, and reports the original', (_label, original) => {
    const reported: unknown[] = [];
    let received: unknown;
    throwError(() => original).pipe(maskErrors({ report: (error) => reported.push(error) })).subscribe({ error: (error: unknown) => (received = error) });
    // The fixture does leak without masking.
    expect(FRAGMENTS.some((fragment) => everythingShown(original).includes(fragment))).toBe(true);
    expect(received).toBeInstanceOf(MaskedError);
    expectNoFragment(received);
    // The client's copy, rebuilt from the frame, is as clean.
    expectNoFragment(fromWireError(toWireError(received)));
    expect(reported).toEqual([original]);
    expect(reported[0]).toBe(original);
  });

  it('passes a MaskedError on as it is, without reporting it as a new failure twice over', () => {
    const inner = toMaskedError(new APIConnectionError('reset'));
    let received: unknown;
    throwError(() => inner).pipe(maskErrors()).subscribe({ error: (error: unknown) => (received = error) });
    expect(received).toBe(inner);
  });

  it('masks the error descriptions values carry: error events, fallback events and StreamResets', () => {
    const errorEvent: StreamEvent = {
      event: 'on_chat_model_error', name: 'ChatOpenAI', run_id: 'r1', parent_ids: [], tags: [], metadata: {},
      data: { error: { name: 'ProviderError', message: `Incorrect API key provided: ${KEY}` }, input: { messages: [] } },
    };
    const fallback: StreamEvent = {
      event: 'on_custom_event', name: 'fallback', run_id: 'r2', parent_ids: [], tags: [], metadata: {},
      data: { error: { name: 'RateLimitError', message: SERVER_BODY }, fallback: 'backup', index: 1 },
    };
    Object.defineProperty(fallback, DISPATCHED_BY, { value: { name: 'main', type: 'chain' } });
    const reset = new StreamReset({ attempt: 2, error: { name: 'APIConnectionError', message: `socket to https://admin:${PASSWORD}@llm.internal` } });
    const resetEvent: StreamEvent = { event: 'on_chain_stream', name: 'seq', run_id: 'r3', parent_ids: [], tags: [], metadata: {}, data: { chunk: reset } };
    const plain: StreamEvent = { event: 'on_chain_stream', name: 'seq', run_id: 'r3', parent_ids: [], tags: [], metadata: {}, data: { chunk: 'hi' } };

    const seen: unknown[] = [];
    from([errorEvent, fallback, reset, resetEvent, plain, 'text']).pipe(maskErrors()).subscribe((value) => seen.push(value));

    expect(seen[0]).toEqual({ ...errorEvent, data: { ...errorEvent.data, error: { name: 'MaskedError', kind: 'provider', retryable: false, message: 'The model provider could not answer the request' } } });
    expect((seen[1] as StreamEvent).data).toEqual({ error: { name: 'MaskedError', kind: 'rate_limit', retryable: true, message: 'The model provider is receiving too many requests; try again later' }, fallback: 'backup', index: 1 });
    expect(dispatcherOf(seen[1] as StreamEvent)).toEqual({ name: 'main', type: 'chain' });
    expect(seen[2]).toBeInstanceOf(StreamReset);
    expect(seen[2]).toMatchObject({ attempt: 2, error: { name: 'MaskedError', kind: 'connection', retryable: true } });
    expect((seen[3] as StreamEvent).data.chunk).toMatchObject({ attempt: 2, error: { kind: 'connection' } });
    expect(seen[4]).toBe(plain);
    expect(seen[5]).toBe('text');
    expect(JSON.stringify(seen)).not.toMatch(/Zq81mWx4|Acme|Hunter2/);
    // The originals are left as they were.
    expect(errorEvent.data.error.message).toContain(KEY);
  });

  it('still delivers the masked error when report throws', () => {
    let received: unknown;
    throwError(() => new Error(SERVER_BODY)).pipe(maskErrors({ report: () => { throw new Error('logger down'); } }))
      .subscribe({ error: (error: unknown) => (received = error) });
    expect(received).toMatchObject({ kind: 'internal', message: 'Something went wrong on the server' });
  });

  it('does not call report for a stream that completes or is unsubscribed', () => {
    const reported: unknown[] = [];
    createTestScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-a-|').pipe(maskErrors({ report: (e) => reported.push(e) }))).toBe('-a-|');
      expectObservable(cold('-a-#').pipe(maskErrors({ report: (e) => reported.push(e) })), '--!').toBe('-a-');
    });
    expect(reported).toEqual([]);
  });

  it('refuses options it cannot use with an InvalidOptionError', () => {
    expect(() => maskErrors({ report: 'console' as never })).toThrow(InvalidOptionError);
    expect(() => maskErrors({ report: 'console' as never })).toThrow('maskErrors: report must be a function of the original error');
    expect(() => maskErrors(null as never)).toThrow(InvalidOptionError);
  });

  it('masks an error-only source at once', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('#', undefined, new Error(SERVER_BODY));
      expectObservable(source.pipe(maskErrors())).toBe('#', undefined, new MaskedError('internal', false, 'Something went wrong on the server'));
      expectSubscriptions(source.subscriptions).toBe('(^!)');
    });
  });

  it('completes on an empty source', () => {
    expectTerminalPassThrough(maskErrors(), '|');
  });

  it('allows unsubscribing early and explicitly', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('--a--b--#', { a: 1, b: 2 });
      const unsub =       '-----!   ';
      const subs =        '^----!   ';
      const expected =    '--a---   ';
      expectObservable(source.pipe(maskErrors()), unsub).toBe(expected, { a: 1 });
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('does not break the unsubscription chain', () => {
    expectUnsubscriptionChain(maskErrors(), {
      source:        '--a--b--a--|',
      unsub:         '------!     ',
      expected:      '--a--b-     ',
      subscriptions: '^-----!     ',
    }, { a: 1, b: 2 }, { a: 1, b: 2 });
  });

  it('stops a synchronous source when unsubscribed', () => {
    expectSynchronousSourceStopped(maskErrors<number>(), (i) => i, { take: 3, produced: 3, delivers: [0, 1, 2] });
  });

  it('handles a source that emits again, or fails, while a value is being delivered', () => {
    const source = new Subject<string>();
    const seen: string[] = [];
    let received: unknown;
    source.pipe(maskErrors()).subscribe({
      next: (text) => {
        seen.push(text);
        if (text === 'a') source.next('b');
        if (text === 'b') source.error(new Error(SERVER_BODY));
      },
      error: (error: unknown) => (received = error),
    });
    source.next('a');
    expect(seen).toEqual(['a', 'b']);
    expect(received).toMatchObject({ kind: 'internal' });
  });

  it('masks an error thrown synchronously by the source itself', () => {
    let received: unknown;
    new Observable(() => {
      throw new Error(`constructor failed for ${KEY}`);
    }).pipe(maskErrors()).subscribe({ error: (error: unknown) => (received = error) });
    expectNoFragment(received);
  });
});
