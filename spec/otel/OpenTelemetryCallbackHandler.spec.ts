import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { Subject, lastValueFrom, map, toArray } from 'rxjs';
import { z } from 'zod';
import type { CallbackHandler } from '../../src/callbacks/CallbackHandler.js';
import { InvalidOptionError } from '../../src/errors/InvalidOptionError.js';
import { registerSecret } from '../../src/errors/maskSecrets.js';
import type { StreamEvent } from '../../src/events/StreamEvent.js';
import type { ModelDescription } from '../../src/models/ModelDescription.js';
import { agent } from '../../src/agents/Agent.js';
import { OpenTelemetryCallbackHandler } from '../../src/otel/OpenTelemetryCallbackHandler.js';
import { StringOutputParser } from '../../src/parsers/StringOutputParser.js';
import { ChatPromptTemplate } from '../../src/prompts/ChatPromptTemplate.js';
import { dispatchCustomEvent } from '../../src/runnables/dispatchCustomEvent.js';
import { lambda } from '../../src/runnables/Runnable.js';
import { ScriptedChatModel, type ScriptedResponse } from '../../src/testing/ScriptedChatModel.js';
import { tool } from '../../src/tools/StructuredTool.js';
import { createTestScheduler } from '../support/marbles.js';
import { createTelemetry, parentIdOf, seconds, spanTree, type Telemetry } from '../support/telemetry.js';

/** A scripted model that says who it is, as a provider's model does. */
class DescribedModel extends ScriptedChatModel {
  protected override describeModel(): ModelDescription {
    return { provider: 'scripted', model: 'echo-1', temperature: 0.5 };
  }
}

const usage = { inputTokens: 12, outputTokens: 8, totalTokens: 20 };
const answer: ScriptedResponse = [
  { content: 'Otters ' },
  { content: 'hold hands' },
  { content: '.', finishReason: 'stop', usage, id: 'resp-1', responseMetadata: { model_name: 'echo-1-2026' } },
];

const prompt = ChatPromptTemplate.fromMessages([['human', 'Tell me about {topic}']]);

let telemetry: Telemetry;
beforeEach(() => {
  telemetry = createTelemetry();
});
afterEach(() => telemetry.shutdown());

/** Every event of a run, recorded beside the handler. */
function recorder(): { handler: CallbackHandler; events: StreamEvent[] } {
  const events: StreamEvent[] = [];
  return { events, handler: { handleEvent: (event) => void events.push(event) } };
}

/** Each run of `events` has one span, whose parent is the span of the run's parent. */
function expectSpansToMatchRunTree(events: readonly StreamEvent[]): void {
  const spans = telemetry.spans();
  const starts = events.filter((event) => event.event.endsWith('_start'));
  expect(spans).toHaveLength(starts.length);
  const spanOfRun = new Map(spans.map((span) => [span.attributes['rxllm.run.id'], span]));
  for (const start of starts) {
    const span = spanOfRun.get(start.run_id);
    expect(span).toBeDefined();
    const parentRun = start.parent_ids[start.parent_ids.length - 1];
    expect(parentIdOf(span!)).toBe(parentRun === undefined ? undefined : spanOfRun.get(parentRun)!.spanContext().spanId);
    expect(span!.spanContext().traceId).toBe(spans[0].spanContext().traceId);
  }
}

describe('OpenTelemetryCallbackHandler', () => {
  it('gives a chain a span per run, parented as the run tree, with GenAI attributes on the model span', async () => {
    const { handler: record, events } = recorder();
    const handler = new OpenTelemetryCallbackHandler({ tracer: telemetry.tracer, meter: telemetry.meter });
    const chain = prompt.pipe(new DescribedModel({ responses: [answer] })).pipe(new StringOutputParser());

    expect(await chain.invoke({ topic: 'otters' }, { callbacks: [handler, record] })).toBe('Otters hold hands.');

    expectSpansToMatchRunTree(events);
    expect(spanTree(telemetry.spans())).toEqual([['RunnableSequence', 'ChatPromptTemplate', 'chat echo-1', 'StringOutputParser']]);
    const chat = telemetry.span('chat echo-1');
    expect(chat.kind).toBe(SpanKind.CLIENT);
    expect(chat.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'scripted',
      'gen_ai.request.model': 'echo-1',
      'gen_ai.request.temperature': 0.5,
      'gen_ai.response.model': 'echo-1-2026',
      'gen_ai.response.id': 'resp-1',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': 8,
      'rxllm.run.type': 'chat_model',
      'rxllm.run.tags': ['seq:step:2'],
    });
    expect(chat.status.code).toBe(SpanStatusCode.UNSET);
    const root = telemetry.span('RunnableSequence');
    expect(root.kind).toBe(SpanKind.INTERNAL);
    expect(root.attributes).toMatchObject({ 'gen_ai.operation.name': 'chain', 'rxllm.run.type': 'chain' });
    expect(telemetry.span('ChatPromptTemplate').attributes['gen_ai.operation.name']).toBeUndefined();
    expect(handler.openSpans).toBe(0);
  });

  it('times spans and records the chat metrics on the given clock (virtual time)', async () => {
    const scheduler = createTestScheduler();
    const handler = new OpenTelemetryCallbackHandler({ tracer: telemetry.tracer, meter: telemetry.meter, now: () => scheduler.now() });
    scheduler.run(({ expectObservable }) => {
      // Chunks at frames 2, 4 and 6 (the interval after the subscription at frame 0).
      const model = new DescribedModel({ responses: [answer], intervalMs: 2 });
      expectObservable(model.stream('Hi', { callbacks: [handler] }).pipe(map((chunk) => chunk.content)))
        .toBe('--a-b-(c|)', { a: 'Otters ', b: 'hold hands', c: '.' });
    });
    const chat = telemetry.span('chat echo-1');
    expect(seconds(chat.duration)).toBeCloseTo(0.006, 9);
    expect(chat.attributes['gen_ai.response.time_to_first_chunk']).toBeCloseTo(0.002, 9);
    const base = { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'scripted', 'gen_ai.request.model': 'echo-1' };
    expect(await telemetry.histogram('gen_ai.client.operation.time_to_first_chunk')).toEqual([
      { attributes: base, count: 1, sum: expect.closeTo(0.002, 9), min: expect.closeTo(0.002, 9), max: expect.closeTo(0.002, 9) },
    ]);
    expect(await telemetry.histogram('gen_ai.client.operation.time_per_output_chunk')).toEqual([
      { attributes: base, count: 2, sum: expect.closeTo(0.004, 9), min: expect.closeTo(0.002, 9), max: expect.closeTo(0.002, 9) },
    ]);
    const ended = { ...base, 'gen_ai.response.model': 'echo-1-2026' };
    expect(await telemetry.histogram('gen_ai.client.operation.duration')).toEqual([
      { attributes: ended, count: 1, sum: expect.closeTo(0.006, 9), min: expect.closeTo(0.006, 9), max: expect.closeTo(0.006, 9) },
    ]);
    expect(await telemetry.histogram('gen_ai.client.token.usage')).toEqual([
      { attributes: { ...ended, 'gen_ai.token.type': 'input' }, count: 1, sum: 12, min: 12, max: 12 },
      { attributes: { ...ended, 'gen_ai.token.type': 'output' }, count: 1, sum: 8, min: 8, max: 8 },
    ]);
    // 8 output tokens from the first chunk (frame 2) to the end (frame 6): 2000 per second.
    expect(await telemetry.histogram('rxllm.client.output_tokens_per_second')).toEqual([
      { attributes: ended, count: 1, sum: expect.closeTo(2000, 6), min: expect.closeTo(2000, 6), max: expect.closeTo(2000, 6) },
    ]);
  });

  it('rates a call that came in one chunk over its whole duration, and one without usage not at all', async () => {
    const scheduler = createTestScheduler();
    const handler = new OpenTelemetryCallbackHandler({ tracer: telemetry.tracer, meter: telemetry.meter, now: () => scheduler.now() });
    scheduler.run(({ expectObservable }) => {
      const whole = new DescribedModel({ responses: [[{ content: 'All at once', usage }], ['no usage']], intervalMs: 4 });
      expectObservable(whole.stream('Hi', { callbacks: [handler] }).pipe(map((chunk) => chunk.content))).toBe('----(a|)', { a: 'All at once' });
      expectObservable(whole.stream('Hi', { callbacks: [handler] }).pipe(map((chunk) => chunk.content))).toBe('----(a|)', { a: 'no usage' });
    });
    // The one chunk is both first and last: 8 tokens over the call's 4 ms.
    const [rate] = await telemetry.histogram('rxllm.client.output_tokens_per_second');
    expect(rate).toMatchObject({ count: 1, sum: expect.closeTo(2000, 6) });
    expect(await telemetry.histogram('gen_ai.client.operation.time_per_output_chunk')).toEqual([]);
    const [duration] = await telemetry.histogram('gen_ai.client.operation.duration');
    expect(duration.count).toBe(2);
    expect(telemetry.spans().filter((span) => span.attributes['gen_ai.usage.output_tokens'] === undefined)).toHaveLength(1);
  });

  it('maps an agent with tool calls: invoke_agent, a chat span per turn, execute_tool spans with their call ids', async () => {
    const { handler: record, events } = recorder();
    const handler = new OpenTelemetryCallbackHandler({ tracer: telemetry.tracer, meter: telemetry.meter });
    const weather = tool(({ city }) => `Sunny in ${city}`, { name: 'weather', description: 'Weather of a city', schema: z.object({ city: z.string() }) });
    const model = new DescribedModel({
      responses: [
        [{ toolCallChunks: [
          { index: 0, id: 'call_paris', name: 'weather', args: '{"city":"Paris"}' },
          { index: 1, id: 'call_rome', name: 'weather', args: '{"city":"Rome"}' },
        ], finishReason: 'tool_calls', usage }],
        [{ content: 'Sunny in both.', finishReason: 'stop', usage }],
      ],
    });

    const result = await agent({ model, tools: [weather] }).invoke('Weather in Paris and Rome?', { callbacks: [handler, record] });

    expect(result.output.content).toBe('Sunny in both.');
    expectSpansToMatchRunTree(events);
    const executor = events.find((event) => event.event === 'on_chain_start' && event.name !== 'Agent')!.name;
    expect(spanTree(telemetry.spans())).toEqual([
      ['invoke_agent Agent', 'chat echo-1', [executor, 'execute_tool weather', 'execute_tool weather'], 'chat echo-1'],
    ]);
    expect(telemetry.span('invoke_agent Agent').attributes).toMatchObject({ 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'Agent' });
    expect(telemetry.span('chat echo-1', 0).attributes).toMatchObject({ 'gen_ai.response.finish_reasons': ['tool_calls'], 'rxllm.run.tags': ['agent:step:1'] });
    const tools = telemetry.spans().filter((span) => span.name === 'execute_tool weather');
    expect(tools.map((span) => span.attributes)).toEqual(expect.arrayContaining([
      expect.objectContaining({ 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'weather', 'gen_ai.tool.type': 'function', 'gen_ai.tool.call.id': 'call_paris' }),
      expect.objectContaining({ 'gen_ai.tool.call.id': 'call_rome' }),
    ]));
  });

  it('pairs calls of one tool with equal arguments by order, and a tool given a whole call by its ToolMessage', async () => {
    const handler = new OpenTelemetryCallbackHandler({ tracer: telemetry.tracer });
    const echo = tool(({ text }) => text, { name: 'echo', description: 'Echoes', schema: z.object({ text: z.string() }) });
    const model = new ScriptedChatModel({
      responses: [
        [{ toolCallChunks: [
          { index: 0, id: 'call_a', name: 'echo', args: '{"text":"same"}' },
          { index: 1, id: 'call_b', name: 'echo', args: '{"text":"same"}' },
        ] }],
        ['done'],
      ],
    });
    await agent({ model, tools: [echo] }).invoke('Twice', { callbacks: [handler] });
    const ids = telemetry.spans().filter((span) => span.name === 'execute_tool echo').map((span) => span.attributes['gen_ai.tool.call.id']);
    expect(ids.sort()).toEqual(['call_a', 'call_b']);

    await echo.invoke({ id: 'call_direct', name: 'echo', args: { text: 'hi' }, type: 'tool_call' }, { callbacks: [handler] });
    expect(telemetry.spans().at(-1)!.attributes).toMatchObject({ 'gen_ai.tool.name': 'echo', 'gen_ai.tool.call.id': 'call_direct' });
  });

  it('sets the error status and records the exception, masked, on the failing run and each parent it fails', async () => {
    registerSecret('sk-otel-secret-0123456789');
    const { handler: record, events } = recorder();
    const handler = new OpenTelemetryCallbackHandler({ tracer: telemetry.tracer, meter: telemetry.meter });
    const failing = new DescribedModel({ responses: [new Error('upstream refused key sk-otel-secret-0123456789')] });

    await expect(prompt.pipe(failing).invoke({ topic: 'x' }, { callbacks: [handler, record] })).rejects.toThrow('upstream refused');

    expectSpansToMatchRunTree(events);
    for (const name of ['chat echo-1', 'RunnableSequence']) {
      const span = telemetry.span(name);
      expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'upstream refused key ***' });
      expect(span.attributes['error.type']).toBe('Error');
      expect(span.events).toEqual([expect.objectContaining({
        name: 'exception',
        attributes: { 'exception.type': 'Error', 'exception.message': 'upstream refused key ***' },
      })]);
    }
    expect(JSON.stringify(telemetry.spans().map((span) => [span.attributes, span.events, span.status]))).not.toContain('0123456789');
    const [duration] = await telemetry.histogram('gen_ai.client.operation.duration');
    expect(duration.attributes).toMatchObject({ 'error.type': 'Error', 'gen_ai.request.model': 'echo-1' });
  });

  it('marks a failing tool, while the agent that answered with the error goes on', async () => {
    const handler = new OpenTelemetryCallbackHandler({ tracer: telemetry.tracer });
    const broken = tool((): string => {
      throw new TypeError('database offline');
    }, { name: 'lookup', description: 'Looks up', schema: z.object({}) });
    const model = new ScriptedChatModel({ responses: [[{ toolCallChunks: [{ index: 0, id: 'call_1', name: 'lookup', args: '{}' }] }], ['Sorry.']] });
    await agent({ model, tools: [broken] }).invoke('Look it up', { callbacks: [handler] });
    expect(telemetry.span('execute_tool lookup').status).toEqual({ code: SpanStatusCode.ERROR, message: 'database offline' });
    expect(telemetry.span('execute_tool lookup').attributes['error.type']).toBe('TypeError');
    expect(telemetry.span('invoke_agent Agent').status.code).toBe(SpanStatusCode.UNSET);
  });

  it('adds custom events to their run span by name only', async () => {
    const handler = new OpenTelemetryCallbackHandler({ tracer: telemetry.tracer });
    const step = lambda((input: string, config) => {
      dispatchCustomEvent('progress', { secret: 'payload' }, config);
      return input;
    });
    await step.invoke('x', { callbacks: [handler] });
    const [span] = telemetry.spans();
    expect(span.events.map((event) => [event.name, event.attributes])).toEqual([['progress', {}]]);
  });

  it('ends the spans an unsubscribed run left open, as cancelled', async () => {
    const scheduler = createTestScheduler();
    const handler = new OpenTelemetryCallbackHandler({ tracer: telemetry.tracer, meter: telemetry.meter, now: () => scheduler.now() });
    scheduler.run(({ expectObservable }) => {
      const model = new DescribedModel({ responses: [answer], intervalMs: 2 });
      const chain = prompt.pipe(model).pipe(new StringOutputParser());
      expectObservable(chain.stream({ topic: 'x' }, { callbacks: [handler] }), '---!').toBe('--a', { a: 'Otters ' });
    });
    expect(telemetry.spans()).toHaveLength(1); // the prompt ended; the rest are still open
    expect(handler.openSpans).toBe(3);
    scheduler.frame = 10;
    handler.endOpenSpans();
    expect(handler.openSpans).toBe(0);
    for (const name of ['RunnableSequence', 'chat echo-1', 'StringOutputParser']) {
      expect(telemetry.span(name).status).toEqual({ code: SpanStatusCode.ERROR, message: 'The run was cancelled before it ended' });
      expect(telemetry.span(name).attributes['error.type']).toBe('cancelled');
    }
    expect(telemetry.span('ChatPromptTemplate').status.code).toBe(SpanStatusCode.UNSET);
    const [duration] = await telemetry.histogram('gen_ai.client.operation.duration');
    expect(duration.attributes['error.type']).toBe('cancelled');
  });

  it('starts root spans in the given context, under its span', async () => {
    const outer = telemetry.tracer.startSpan('request');
    const handler = new OpenTelemetryCallbackHandler({ tracer: telemetry.tracer, context: trace.setSpan(ROOT_CONTEXT, outer) });
    await new ScriptedChatModel({ responses: ['Hi'] }).invoke('Hi', { callbacks: [handler] });
    outer.end();
    expect(parentIdOf(telemetry.span('chat'))).toBe(outer.spanContext().spanId);
  });

  it('falls back to the run metadata for the model and provider (LangChain keys)', async () => {
    const handler = new OpenTelemetryCallbackHandler({ tracer: telemetry.tracer });
    const model = new ScriptedChatModel({ responses: ['Hi'] }).withConfig({ metadata: { ls_model_name: 'local-7b', ls_provider: 'ollama' } });
    await model.invoke('Hi', { callbacks: [handler] });
    expect(telemetry.span('chat local-7b').attributes).toMatchObject({ 'gen_ai.request.model': 'local-7b', 'gen_ai.provider.name': 'ollama' });
  });

  it('never breaks the stream when the tracer throws', async () => {
    const throwing: Tracer = {
      startSpan: () => {
        throw new Error('exporter down');
      },
      startActiveSpan: (() => undefined) as Tracer['startActiveSpan'],
    };
    const handler = new OpenTelemetryCallbackHandler({ tracer: throwing });
    expect(await prompt.pipe(new ScriptedChatModel({ responses: ['Fine'] })).pipe(new StringOutputParser()).invoke({ topic: 'x' }, { callbacks: [handler] })).toBe('Fine');
  });

  it('keeps concurrent runs of one handler apart', async () => {
    const handler = new OpenTelemetryCallbackHandler({ tracer: telemetry.tracer });
    const gate = new Subject<string>();
    const slow = lambda((input: string) => gate.pipe(map((suffix) => input + suffix)));
    const first = lastValueFrom(slow.stream('a', { callbacks: [handler] }).pipe(toArray()));
    const second = lastValueFrom(slow.stream('b', { callbacks: [handler] }).pipe(toArray()));
    expect(handler.openSpans).toBe(2);
    gate.next('!');
    gate.complete();
    expect(await Promise.all([first, second])).toEqual([['a!'], ['b!']]);
    const traces = new Set(telemetry.spans().map((span) => span.spanContext().traceId));
    expect(traces.size).toBe(2);
  });

  it('refuses a tracer, meter or clock of the wrong shape', () => {
    expect(() => new OpenTelemetryCallbackHandler({ tracer: {} as Tracer })).toThrow(InvalidOptionError);
    expect(() => new OpenTelemetryCallbackHandler({ meter: 5 as never })).toThrow('OpenTelemetryCallbackHandler: meter must be an OpenTelemetry Meter (with createHistogram), got 5');
    expect(() => new OpenTelemetryCallbackHandler({ now: 'soon' as never })).toThrow(InvalidOptionError);
    expect(() => new OpenTelemetryCallbackHandler(null as never)).toThrow(InvalidOptionError);
  });
});
