import { inspect } from 'node:util';
import { lastValueFrom, toArray } from 'rxjs';
import type { CallbackHandler } from '../../src/callbacks/CallbackHandler.js';
import { ProviderError } from '../../src/errors/errors.js';
import type { StreamEvent } from '../../src/events/StreamEvent.js';
import { ChatOpenAI } from '../../src/openai/index.js';
import { SseReplayServer } from '../../src/testing/node/SseReplayServer.js';

// A key of its own, so no other spec's registration hides a leak here.
const KEY = 'sk-proj-Qz7Wv2Lm9Xc4Rb8Tn1Ys6Pk3Hd5Fg0Ja';
const KEY_BODY = KEY.slice('sk-proj-'.length);
const GATEWAY_TOKEN = 'gwtok-4f8e2a9c7b1d3e5f6a0b';
const URL_PASSWORD = 'pw-9t8r7e6w5q4z';

/** Every run of 8 or more characters of `secret` found in `text`. */
function fragmentsOf(secret: string, text: string): string[] {
  const found: string[] = [];
  for (let i = 0; i + 8 <= secret.length; i++) if (text.includes(secret.slice(i, i + 8))) found.push(secret.slice(i, i + 8));
  return found;
}

/** Every text surface of an error: message, stack, String, JSON, inspect at any depth, its fields and its causes. */
function surfaces(error: unknown): string {
  const parts: string[] = [String(error), JSON.stringify(error), inspect(error, { depth: Infinity, showHidden: true })];
  const seen = new Set<unknown>();
  for (let current: unknown = error; current instanceof Error && !seen.has(current); current = current.cause) {
    seen.add(current);
    parts.push(current.message, current.stack ?? '', ...Object.values(current).map((value) => inspect(value, { depth: Infinity })));
  }
  return parts.join('\n');
}

function expectNoFragment(text: string): void {
  for (const secret of [KEY, KEY_BODY, GATEWAY_TOKEN, URL_PASSWORD]) expect(fragmentsOf(secret, text)).toEqual([]);
}

describe('no fragment of a credential in any surface (API.md §10)', () => {
  let server: SseReplayServer | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function failingModel(echo: string): Promise<ChatOpenAI> {
    server = new SseReplayServer({
      status: 401,
      json: { error: { message: `Incorrect API key provided: ${echo}. You can find your key at …`, type: `auth ${KEY.slice(10, 22)}`, code: `invalid ${KEY_BODY}`, param: KEY.slice(-12) } },
    });
    return new ChatOpenAI({
      model: 'gpt-test', apiKey: KEY, baseURL: await server.start(), maxRetries: 0,
      defaultHeaders: { 'x-gateway-token': GATEWAY_TOKEN }, secretHeaders: ['X-Gateway-Token'],
    });
  }

  it.each([
    ['the whole key', KEY],
    ['the key without its prefix', KEY_BODY],
    ['an 8-character run of it', KEY.slice(17, 25)],
    ['a header marked secret', GATEWAY_TOKEN],
  ])('a server echoing %s: the error, its fields, events and callbacks', async (_label, echo) => {
    const model = await failingModel(echo);
    const seenByCallbacks: unknown[] = [];
    const handler: CallbackHandler = { handleLLMError: (...args: unknown[]) => void seenByCallbacks.push(args), handleEvent: (event: StreamEvent) => void seenByCallbacks.push(event) };
    const events: StreamEvent[] = [];
    let failure: unknown;
    await new Promise<void>((resolve) => model.streamEvents('Hi', { callbacks: [handler] }).subscribe({
      next: (event) => events.push(event),
      error: (error) => { failure = error; resolve(); },
      complete: resolve,
    }));
    expect(failure).toBeInstanceOf(ProviderError);
    expect((failure as ProviderError).status).toBe(401);
    expect(server!.requests[0].headers['x-gateway-token']).toBe(GATEWAY_TOKEN); // sent to the server, and only there
    expectNoFragment(surfaces(failure));
    expectNoFragment(inspect(events, { depth: Infinity }));
    expectNoFragment(inspect(seenByCallbacks, { depth: Infinity }));
    expect(events.some((event) => event.event === 'on_chat_model_error')).toBe(true);
  });

  it('credentials in a baseURL never appear', async () => {
    server = new SseReplayServer({ body: 'data: [DONE]\n\n' });
    const address = new URL(await server.start());
    const model = new ChatOpenAI({ model: 'gpt-test', apiKey: KEY, baseURL: `http://admin:${URL_PASSWORD}@${address.host}${address.pathname}`, maxRetries: 0 });
    const failure = await lastValueFrom(model.stream('Hi').pipe(toArray())).then(() => undefined, (error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expectNoFragment(surfaces(failure));
    expect(surfaces(failure)).not.toContain(`admin:${URL_PASSWORD}`);
  });
});
