import { SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import { lastValueFrom, toArray } from 'rxjs';
import { InvalidOptionError } from '../../src/errors/InvalidOptionError.js';
import { concatChunks, type AIMessageChunk } from '../../src/messages/AIMessageChunk.js';
import { ChatOpenAI } from '../../src/openai/ChatOpenAI.js';
import { InstrumentedRunnable } from '../../src/otel/InstrumentedRunnable.js';
import { instrument } from '../../src/otel/instrument.js';
import { ScriptedChatModel } from '../../src/testing/ScriptedChatModel.js';
import { SseReplayServer, type SseReplayServerOptions } from '../../src/testing/node/SseReplayServer.js';
import { describeFixtures, fixturePath } from '../support/fixtures.js';
import { TEST_KEY } from '../support/replaySupport.js';
import { createTelemetry, type Telemetry } from '../support/telemetry.js';

let telemetry: Telemetry;
beforeEach(() => {
  telemetry = createTelemetry();
});
afterEach(() => telemetry.shutdown());

/** One instrumented `ChatOpenAI` call against a loopback server replaying `options`. */
async function tracedCall(options: SseReplayServerOptions, api: 'chat-completions' | 'responses' = 'chat-completions'): Promise<{ chunks: AIMessageChunk[]; error?: unknown }> {
  const server = new SseReplayServer(options);
  const baseURL = await server.start();
  try {
    const model = instrument(new ChatOpenAI({ model: 'test-model', apiKey: TEST_KEY, baseURL, maxRetries: 0, api, temperature: 0 }), { tracer: telemetry.tracer, meter: telemetry.meter });
    const chunks: AIMessageChunk[] = [];
    const error = await new Promise<unknown>((resolve) => {
      model.stream('Hi').subscribe({ next: (chunk) => chunks.push(chunk), error: resolve, complete: () => resolve(undefined) });
    });
    return { chunks, ...(error !== undefined && { error }) };
  } finally {
    await server.close();
  }
}

describe('instrument', () => {
  it('wraps any runnable in an InstrumentedRunnable with the same output', async () => {
    const model = new ScriptedChatModel({ responses: [['Hel', 'lo']] });
    const traced = instrument(model, { tracer: telemetry.tracer });
    expect(traced).toBeInstanceOf(InstrumentedRunnable);
    expect((await lastValueFrom(traced.stream('Hi').pipe(toArray()))).map((chunk) => chunk.content)).toEqual(['Hel', 'lo']);
    expect((await traced.invoke('Hi')).content).toBe('Hello');
  });

  it('refuses bad options where it is called, and what is not a runnable', () => {
    const model = new ScriptedChatModel({ responses: ['Hi'] });
    expect(() => instrument(model, { tracer: { startSpan: 1 } as unknown as Tracer })).toThrow(InvalidOptionError);
    expect(() => instrument(model, { tracer: 'tracer' as never })).toThrow("instrument: tracer must be an OpenTelemetry Tracer (with startSpan), got 'tracer'");
    expect(() => instrument(model, { meter: {} as never })).toThrow(InvalidOptionError);
    expect(() => instrument(model, { now: 3 as never })).toThrow(InvalidOptionError);
    expect(() => instrument({} as never)).toThrow(new TypeError('instrument: the first argument must be a runnable'));
    expect(() => instrument(undefined as never)).toThrow(TypeError);
  });
});

describeFixtures('instrument with ChatOpenAI over a loopback server', () => {
  it('reports a chat.completions call: provider, model, usage and finish reason as the stream delivered them', async () => {
    const { chunks, error } = await tracedCall({ file: fixturePath('openai/chat-text-usage.sse') });
    expect(error).toBeUndefined();
    const message = concatChunks(chunks);
    const span = telemetry.span('chat test-model');
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(span.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'test-model',
      'gen_ai.request.temperature': 0,
      'gen_ai.usage.input_tokens': message.usage!.inputTokens,
      'gen_ai.usage.output_tokens': message.usage!.outputTokens,
      'gen_ai.response.finish_reasons': [message.finishReason],
    });
    expect(message.usage!.outputTokens).toBeGreaterThan(0);
    const [perChunk] = await telemetry.histogram('gen_ai.client.operation.time_per_output_chunk');
    expect(perChunk.count).toBe(chunks.length - 1);
    const [firstChunk] = await telemetry.histogram('gen_ai.client.operation.time_to_first_chunk');
    expect(firstChunk.count).toBe(1);
  });

  it('reports the response model of a Responses API call', async () => {
    const { chunks, error } = await tracedCall({ file: fixturePath('openai-responses/text.sse') }, 'responses');
    expect(error).toBeUndefined();
    const responseModel = concatChunks(chunks).responseMetadata.model_name;
    expect(typeof responseModel).toBe('string');
    expect(telemetry.span('chat test-model').attributes['gen_ai.response.model']).toBe(responseModel);
  });

  it('reports a failed request with its status and a masked message: the key never reaches a span', async () => {
    const { error } = await tracedCall({ status: 401, json: { error: { message: `Incorrect API key provided: ${TEST_KEY}`, code: 'invalid_api_key' } } });
    expect(error).toBeDefined();
    const span = telemetry.span('chat test-model');
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.status.message).toContain('Incorrect API key provided');
    const exported = JSON.stringify([span.attributes, span.events, span.status]);
    expect(exported).not.toContain(TEST_KEY);
    expect(exported).not.toContain(TEST_KEY.slice(-12));
  });
});
