import { metrics, ProxyTracerProvider, SpanStatusCode, trace } from '@opentelemetry/api';
import { Subject, lastValueFrom, map, toArray } from 'rxjs';
import { z } from 'zod';
import { agent } from '../../src/agents/Agent.js';
import type { CallbackHandler } from '../../src/callbacks/CallbackHandler.js';
import { AbortError } from '../../src/errors/errors.js';
import type { StreamEvent } from '../../src/events/StreamEvent.js';
import { ToolMessage } from '../../src/messages/messages.js';
import { InstrumentedRunnable } from '../../src/otel/InstrumentedRunnable.js';
import { OpenTelemetryCallbackHandler } from '../../src/otel/OpenTelemetryCallbackHandler.js';
import { StringOutputParser } from '../../src/parsers/StringOutputParser.js';
import { ChatPromptTemplate } from '../../src/prompts/ChatPromptTemplate.js';
import { lambda } from '../../src/runnables/Runnable.js';
import type { RunnableConfig } from '../../src/runnables/RunnableConfig.js';
import { ScriptedChatModel } from '../../src/testing/ScriptedChatModel.js';
import { tool } from '../../src/tools/StructuredTool.js';
import { createTestScheduler } from '../support/marbles.js';
import { createTelemetry, parentIdOf, spanTree, type Telemetry } from '../support/telemetry.js';

const prompt = ChatPromptTemplate.fromMessages([['human', 'About {topic}']]);
const chainOf = (model: ScriptedChatModel) => prompt.pipe(model).pipe(new StringOutputParser());

/** A step that records the callbacks each of its runs was given. */
function callbackSpy(): { step: ReturnType<typeof lambda<string, string>>; seen: Array<readonly CallbackHandler[]> } {
  const seen: Array<readonly CallbackHandler[]> = [];
  const step = lambda((input: string, config: RunnableConfig) => {
    seen.push(config.callbacks ?? []);
    return input.toUpperCase();
  });
  return { step, seen };
}

const handlersIn = (callbacks: readonly CallbackHandler[]) => callbacks.filter((handler) => handler instanceof OpenTelemetryCallbackHandler);

let telemetry: Telemetry;
beforeEach(() => {
  telemetry = createTelemetry();
});
afterEach(async () => {
  trace.disable();
  metrics.disable();
  await telemetry.shutdown();
});

describe('InstrumentedRunnable', () => {
  it('adds no handler when only the API no-op tracer and meter are there', async () => {
    const { step, seen } = callbackSpy();
    const instrumented = new InstrumentedRunnable(step, {});
    expect(await instrumented.invoke('a')).toBe('A');
    expect(await lastValueFrom(instrumented.stream('b').pipe(toArray()))).toEqual(['B']);
    expect(await instrumented.batch(['c'])).toEqual(['C']);
    // The no-op tracer handed out by a provider with no SDK behind it, given explicitly, is the same.
    const noopTracer = new ProxyTracerProvider().getDelegate().getTracer('app');
    expect(await new InstrumentedRunnable(step, { tracer: noopTracer }).invoke('d')).toBe('D');
    const proxyTracer = trace.getTracer('app');
    expect(await new InstrumentedRunnable(step, { tracer: proxyTracer }).invoke('e')).toBe('E');
    expect(seen).toEqual([[], [], [], [], []]);
  });

  it('adds one handler per call when a tracer is given, and its spans', async () => {
    const { step, seen } = callbackSpy();
    const mine: CallbackHandler = { handleEvent: () => undefined };
    const instrumented = new InstrumentedRunnable(step, { tracer: telemetry.tracer });
    await instrumented.invoke('a', { callbacks: [mine] });
    await instrumented.invoke('b');
    expect(seen.map((callbacks) => callbacks.length)).toEqual([2, 1]);
    expect(seen[0][0]).toBe(mine);
    expect(handlersIn(seen[0])[0]).not.toBe(handlersIn(seen[1])[0]);
    expect(telemetry.spans().map((span) => span.name)).toEqual(['RunnableLambda', 'RunnableLambda']);
  });

  it('uses a tracer provider registered after it was made, from the next call on', async () => {
    const chain = new InstrumentedRunnable(chainOf(new ScriptedChatModel({ responses: ['Hi'] })), {});
    await chain.invoke({ topic: 'x' });
    expect(telemetry.spans()).toEqual([]);
    trace.setGlobalTracerProvider(telemetry.tracerProvider);
    await chain.invoke({ topic: 'x' });
    expect(spanTree(telemetry.spans())).toEqual([['RunnableSequence', 'ChatPromptTemplate', 'chat', 'StringOutputParser']]);
    expect(telemetry.spans()[0].instrumentationScope.name).toBe('rxllm');
  });

  it('a proxy tracer taken before registration records once a provider is registered', async () => {
    const early = trace.getTracer('my-app');
    trace.setGlobalTracerProvider(telemetry.tracerProvider);
    await new InstrumentedRunnable(new ScriptedChatModel({ responses: ['Hi'] }), { tracer: early }).invoke('Hi');
    expect(telemetry.spans().map((span) => [span.name, span.instrumentationScope.name])).toEqual([['chat', 'my-app']]);
  });

  it('records metrics with a meter provider registered and no tracer', async () => {
    const { step, seen } = callbackSpy();
    metrics.setGlobalMeterProvider(telemetry.meterProvider);
    const model = new InstrumentedRunnable(new ScriptedChatModel({ responses: ['Hi there'], usage: true }), {});
    await model.invoke('Hi');
    await new InstrumentedRunnable(step, {}).invoke('a');
    expect(handlersIn(seen[0])).toHaveLength(1);
    expect(telemetry.spans()).toEqual([]);
    const [duration] = await telemetry.histogram('gen_ai.client.operation.duration');
    expect(duration).toMatchObject({ count: 1, attributes: { 'gen_ai.operation.name': 'chat' } });
    expect((await telemetry.histogram('gen_ai.client.token.usage')).map((point) => point.attributes['gen_ai.token.type'])).toEqual(['input', 'output']);
  });

  it('streams as the runnable does, and an unsubscription ends the open spans as cancelled', () => {
    const scheduler = createTestScheduler();
    scheduler.run(({ expectObservable }) => {
      const model = new ScriptedChatModel({ responses: [['One ', 'two ', 'three']], intervalMs: 2 });
      const chain = new InstrumentedRunnable(chainOf(model), { tracer: telemetry.tracer, now: () => scheduler.now() });
      expectObservable(chain.stream({ topic: 'x' })).toBe('--a-b-(c|)', { a: 'One ', b: 'two ', c: 'three' });
      expectObservable(chain.stream({ topic: 'y' }), '---!').toBe('--a', { a: 'One ' });
    });
    // Spans are exported as they end: the cancelled run's (frame 3) before the complete one's (frame 6).
    const [cancelled, complete] = [0, 1].map((index) => telemetry.span('RunnableSequence', index));
    expect(complete.status.code).toBe(SpanStatusCode.UNSET);
    expect(cancelled.status).toEqual({ code: SpanStatusCode.ERROR, message: 'The run was cancelled before it ended' });
    const cancelledTrace = telemetry.spans().filter((span) => span.spanContext().traceId === cancelled.spanContext().traceId);
    expect(cancelledTrace.map((span) => [span.name, span.attributes['error.type']])).toEqual([
      ['ChatPromptTemplate', undefined], ['RunnableSequence', 'cancelled'], ['chat', 'cancelled'], ['StringOutputParser', 'cancelled'],
    ]);
    // The cancelled spans end at the unsubscription's frame (3 ms after the start).
    expect(cancelled.duration).toEqual([0, 3_000_000]);
  });

  it('an aborted invoke rejects and ends its spans as cancelled', async () => {
    const gate = new Subject<string>();
    const waiting = lambda((input: string) => gate.pipe(map((text) => input + text)));
    const controller = new AbortController();
    const pending = new InstrumentedRunnable(waiting, { tracer: telemetry.tracer }).invoke('a', { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortError);
    expect(telemetry.span('RunnableLambda').attributes['error.type']).toBe('cancelled');
    expect(gate.observed).toBe(false);
  });

  it('batch gives each input its own trace', async () => {
    const chain = new InstrumentedRunnable(chainOf(new ScriptedChatModel({ responses: ['Hi'] })), { tracer: telemetry.tracer });
    expect(await chain.batch([{ topic: 'a' }, { topic: 'b' }])).toEqual(['Hi', 'Hi']);
    const roots = telemetry.spans().filter((span) => parentIdOf(span) === undefined);
    expect(roots.map((span) => span.name)).toEqual(['RunnableSequence', 'RunnableSequence']);
    expect(new Set(telemetry.spans().map((span) => span.spanContext().traceId)).size).toBe(2);
  });

  it('streamEvents gives the same events as the runnable, and the spans', async () => {
    const chain = chainOf(new ScriptedChatModel({ responses: ['Hi there'] }));
    const strip = (events: StreamEvent[]) => events.map(({ event, name, tags }) => ({ event, name, tags }));
    const plain = await lastValueFrom(chain.streamEvents({ topic: 'x' }).pipe(toArray()));
    const traced = await lastValueFrom(new InstrumentedRunnable(chain, { tracer: telemetry.tracer }).streamEvents({ topic: 'x' }).pipe(toArray()));
    expect(strip(traced)).toEqual(strip(plain));
    expect(telemetry.spans()).toHaveLength(4);
  });

  it('as a step of another chain, reports its own subtree under the active span', async () => {
    const model = new InstrumentedRunnable(new ScriptedChatModel({ responses: ['Hi'] }), { tracer: telemetry.tracer });
    const outer = prompt.pipe(model).pipe(new StringOutputParser());
    expect(await outer.invoke({ topic: 'x' })).toBe('Hi');
    expect(spanTree(telemetry.spans())).toEqual(['chat']);
    expect(parentIdOf(telemetry.span('chat'))).toBeUndefined();
    expect(telemetry.span('chat').attributes['rxllm.run.tags']).toEqual(['seq:step:2']);
  });

  it('as a step, ends its open spans when the outer run is unsubscribed', () => {
    const scheduler = createTestScheduler();
    scheduler.run(({ expectObservable }) => {
      const model = new InstrumentedRunnable(new ScriptedChatModel({ responses: [['a', 'b']], intervalMs: 2 }), { tracer: telemetry.tracer });
      expectObservable(prompt.pipe(model).pipe(new StringOutputParser()).stream({ topic: 'x' }), '---!').toBe('--a', { a: 'a' });
    });
    expect(telemetry.span('chat').attributes['error.type']).toBe('cancelled');
  });

  it("goes through an agent's own methods, so its per-call settings hold", async () => {
    const weather = tool(({ city }) => `Sunny in ${city}`, { name: 'weather', description: 'Weather', schema: z.object({ city: z.string() }) });
    const model = new ScriptedChatModel({ responses: [[{ toolCallChunks: [{ index: 0, id: 'call_1', name: 'weather', args: '{"city":"Oslo"}' }] }], ['Done']] });
    const traced = new InstrumentedRunnable(agent({ model, tools: [weather] }), { tracer: telemetry.tracer });
    const result = await traced.invoke('Weather?', { allowedTools: [] });
    const refused = result.messages.find((message): message is ToolMessage => message instanceof ToolMessage);
    expect(refused?.status).toBe('error');
    expect(telemetry.spans().some((span) => span.name === 'execute_tool weather')).toBe(false);
    expect(telemetry.span('invoke_agent Agent')).toBeDefined();
  });

  it('keeps a call started synchronously inside another one apart', async () => {
    const chain = new InstrumentedRunnable(chainOf(new ScriptedChatModel({ responses: ['outer', 'inner'] })), { tracer: telemetry.tracer });
    const inner: Promise<string[]>[] = [];
    const outer = await lastValueFrom(chain.stream({ topic: 'a' }).pipe(
      map((text) => {
        inner.push(lastValueFrom(chain.stream({ topic: 'b' }).pipe(toArray())));
        return text;
      }),
      toArray(),
    ));
    expect(outer).toEqual(['outer']);
    expect(await Promise.all(inner)).toEqual([['inner']]);
    const traces = new Set(telemetry.spans().map((span) => span.spanContext().traceId));
    expect(traces.size).toBe(2);
    expect(telemetry.spans().filter((span) => parentIdOf(span) === undefined)).toHaveLength(2);
  });

  it('stands in for the runnable: name, type, input kind, composition', async () => {
    const parser = new StringOutputParser();
    const instrumented = new InstrumentedRunnable(parser, { tracer: telemetry.tracer });
    expect([instrumented.getName(), instrumented.runType, instrumented.wholeInput]).toEqual([parser.getName(), parser.runType, parser.wholeInput]);
    const piped = new ScriptedChatModel({ responses: [['Hel', 'lo']] }).pipe(instrumented);
    expect(await lastValueFrom(piped.stream('Hi').pipe(toArray()))).toEqual(['Hel', 'lo']);
    expect(await piped.invoke('Hi')).toBe('Hello');
  });
});
