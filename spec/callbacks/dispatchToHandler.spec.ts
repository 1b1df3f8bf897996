import { z } from 'zod';
import { dispatchToHandler } from '../../src/callbacks/dispatchToHandler.js';
import {
  AIMessageChunk, ChatPromptTemplate, HumanMessage, StringOutputParser, dispatchCustomEvent, lambda, tool, type CallbackHandler,
  type CallbackRunInfo, type StreamEvent, type StreamEventName,
} from '../../src/index.js';
import { ScriptedChatModel } from '../../src/testing/index.js';

const methods = [
  'handleEvent', 'handleChatModelStart', 'handleLLMNewToken', 'handleLLMEnd', 'handleLLMError', 'handleChainStart', 'handleChainEnd',
  'handleChainError', 'handleToolStart', 'handleToolEnd', 'handleToolError', 'handleCustomEvent',
] as const;

type Method = (typeof methods)[number];
type Recorder = { [M in Method]: jest.Mock };

function recorder(): Recorder {
  return Object.fromEntries(methods.map((m) => [m, jest.fn()])) as unknown as Recorder;
}

/** The specific methods called (handleEvent left out), in order, with their arguments. */
function specificCalls(handler: Recorder): Array<[Method, ...unknown[]]> {
  const all: Array<[number, Method, unknown[]]> = [];
  for (const m of methods) {
    if (m === 'handleEvent') continue;
    handler[m].mock.calls.forEach((args, i) => all.push([handler[m].mock.invocationCallOrder[i], m, args]));
  }
  return all.sort((a, b) => a[0] - b[0]).map(([, m, args]) => [m, ...args]);
}

const methodNames = (handler: Recorder) => specificCalls(handler).map(([m]) => m);

function event(name: StreamEventName, data: unknown, fields: Partial<StreamEvent> = {}): StreamEvent {
  return { event: name, name: 'Runner', run_id: 'run-2', parent_ids: ['run-0', 'run-1'], tags: ['t'], metadata: { user: 'u' }, data, ...fields };
}

const run: CallbackRunInfo = { runId: 'run-2', parentRunId: 'run-1', name: 'Runner', tags: ['t'], metadata: { user: 'u' } };

describe('dispatchToHandler', () => {
  describe('maps each event to its method', () => {
    it.each<[StreamEventName, unknown, Method, unknown[]]>([
      ['on_chat_model_start', { input: { messages: ['m'] } }, 'handleChatModelStart', [['m'], run]],
      ['on_chat_model_end', { output: 'whole' }, 'handleLLMEnd', ['whole', run]],
      ['on_chat_model_error', { error: { name: 'E', message: 'm' }, input: 'i' }, 'handleLLMError', [{ name: 'E', message: 'm' }, run]],
      ['on_chain_start', { input: 'in' }, 'handleChainStart', ['in', { ...run, runType: 'chain' }]],
      ['on_prompt_start', { input: 'in' }, 'handleChainStart', ['in', { ...run, runType: 'prompt' }]],
      ['on_parser_start', { input: 'in' }, 'handleChainStart', ['in', { ...run, runType: 'parser' }]],
      ['on_chain_end', { output: 'out', input: 'in' }, 'handleChainEnd', ['out', run]],
      ['on_prompt_end', { output: 'out', input: 'in' }, 'handleChainEnd', ['out', run]],
      ['on_parser_end', { output: 'out', input: 'in' }, 'handleChainEnd', ['out', run]],
      ['on_chain_error', { error: { name: 'E', message: 'm' } }, 'handleChainError', [{ name: 'E', message: 'm' }, run]],
      ['on_prompt_error', { error: { name: 'E', message: 'm' } }, 'handleChainError', [{ name: 'E', message: 'm' }, run]],
      ['on_parser_error', { error: { name: 'E', message: 'm' } }, 'handleChainError', [{ name: 'E', message: 'm' }, run]],
      ['on_tool_start', { input: { city: 'Paris' } }, 'handleToolStart', [{ city: 'Paris' }, run]],
      ['on_tool_end', { output: '21°C', input: {} }, 'handleToolEnd', ['21°C', run]],
      ['on_tool_error', { error: { name: 'E', message: 'm' } }, 'handleToolError', [{ name: 'E', message: 'm' }, run]],
    ])('%s → %s', (name, data, method, args) => {
      const handler = recorder();
      dispatchToHandler(handler, event(name, data));
      expect(specificCalls(handler)).toEqual([[method, ...args]]);
    });

    it('on_chat_model_stream → handleLLMNewToken(text, { chunk, runId })', () => {
      const handler = recorder();
      const chunk = new AIMessageChunk('Hel');
      dispatchToHandler(handler, event('on_chat_model_stream', { chunk }));
      expect(specificCalls(handler)).toEqual([['handleLLMNewToken', 'Hel', { chunk, runId: 'run-2' }]]);
      expect(handler.handleLLMNewToken.mock.calls[0][1].chunk).toBe(chunk);
    });

    it('on_custom_event → handleCustomEvent(name, payload, run)', () => {
      const handler = recorder();
      dispatchToHandler(handler, event('on_custom_event', { stage: 'fetch' }, { name: 'progress' }));
      expect(specificCalls(handler)).toEqual([['handleCustomEvent', 'progress', { stage: 'fetch' }, { ...run, name: 'progress' }]]);
    });

    it.each<StreamEventName>(['on_chain_stream', 'on_prompt_stream', 'on_parser_stream', 'on_tool_stream'])('%s calls no specific method', (name) => {
      const handler = recorder();
      dispatchToHandler(handler, event(name, { chunk: 'x' }));
      expect(specificCalls(handler)).toEqual([]);
    });

    it('gives handleEvent every event, before the specific method', () => {
      const handler = recorder();
      const e = event('on_chat_model_end', { output: 'o' });
      dispatchToHandler(handler, e);
      expect(handler.handleEvent).toHaveBeenCalledWith(e);
      expect(handler.handleEvent.mock.invocationCallOrder[0]).toBeLessThan(handler.handleLLMEnd.mock.invocationCallOrder[0]);
    });

    it('leaves parentRunId out for a root run', () => {
      const handler = recorder();
      dispatchToHandler(handler, event('on_chain_end', { output: 1 }, { parent_ids: [] }));
      expect(handler.handleChainEnd.mock.calls[0][1]).toEqual({ runId: 'run-2', name: 'Runner', tags: ['t'], metadata: { user: 'u' } });
      expect('parentRunId' in handler.handleChainEnd.mock.calls[0][1]).toBe(false);
    });

    it('is fine with a handler that implements nothing', () => {
      expect(() => dispatchToHandler({}, event('on_chain_start', { input: 1 }))).not.toThrow();
    });
  });

  describe('faulty handlers', () => {
    it('swallows a throw from any method', () => {
      const throwing: CallbackHandler = { handleChainStart: () => { throw new Error('handler bug'); } };
      expect(() => dispatchToHandler(throwing, event('on_chain_start', { input: 1 }))).not.toThrow();
    });

    it('still calls the specific method when handleEvent throws', () => {
      const handleLLMEnd = jest.fn();
      dispatchToHandler({ handleEvent: () => { throw new Error('bug'); }, handleLLMEnd }, event('on_chat_model_end', { output: 'o' }));
      expect(handleLLMEnd).toHaveBeenCalledTimes(1);
    });

    it('handles a rejected promise, so nothing is left unhandled', async () => {
      const unhandled = jest.fn();
      process.on('unhandledRejection', unhandled);
      try {
        dispatchToHandler({ handleEvent: () => Promise.reject(new Error('async bug')), handleLLMEnd: async () => { throw new Error('async bug'); } },
          event('on_chat_model_end', { output: 'o' }));
        await new Promise((resolve) => setImmediate(resolve));
        await new Promise((resolve) => setImmediate(resolve));
      } finally {
        process.off('unhandledRejection', unhandled);
      }
      expect(unhandled).not.toHaveBeenCalled();
    });
  });
});

describe('callbacks on runs', () => {
  const prompt = () => ChatPromptTemplate.fromMessages([['system', 'Be terse.'], ['human', '{input}']]);

  it('config callbacks see every run of a chain: prompt, model and parser', async () => {
    const handler = recorder();
    const chain = prompt().pipe(new ScriptedChatModel({ responses: ['Hello world'] })).pipe(new StringOutputParser());
    expect(await chain.invoke({ input: 'Hi' }, { callbacks: [handler] })).toBe('Hello world');
    expect(methodNames(handler)).toEqual([
      'handleChainStart', 'handleChainStart', 'handleChainEnd', 'handleChatModelStart', 'handleLLMNewToken', 'handleChainStart',
      'handleLLMNewToken', 'handleLLMEnd', 'handleChainEnd', 'handleChainEnd',
    ]);
    const starts = handler.handleChainStart.mock.calls.map(([input, info]) => [info.name, info.runType, input]);
    expect(starts).toEqual([
      ['RunnableSequence', 'chain', { input: 'Hi' }],
      ['ChatPromptTemplate', 'prompt', { input: 'Hi' }],
      ['StringOutputParser', 'parser', undefined],
    ]);
    const [messages, modelRun] = handler.handleChatModelStart.mock.calls[0];
    expect(messages.map((m: HumanMessage) => [m.type, m.content])).toEqual([['system', 'Be terse.'], ['human', 'Hi']]);
    expect(handler.handleLLMNewToken.mock.calls.map(([token]) => token)).toEqual(['Hello', ' world']);
    expect(handler.handleLLMNewToken.mock.calls[0][1]).toEqual({ chunk: expect.any(AIMessageChunk), runId: modelRun.runId });
    expect(handler.handleLLMEnd.mock.calls[0][0].content).toBe('Hello world');
    const chainRun = handler.handleChainStart.mock.calls[0][1];
    expect(modelRun.parentRunId).toBe(chainRun.runId);
    expect(modelRun.tags).toEqual(['seq:step:2']);
    expect(handler.handleChainEnd.mock.calls.map(([output, info]) => [info.name, typeof output === 'string' ? output : output.constructor.name])).toEqual([
      ['ChatPromptTemplate', 'ChatPromptValue'], ['StringOutputParser', 'Hello world'], ['RunnableSequence', 'Hello world'],
    ]);
  });

  it("constructor callbacks see only that model's runs; config callbacks see all", async () => {
    const own = recorder();
    const everything = recorder();
    const model = new ScriptedChatModel({ responses: ['Hi there'], callbacks: [own] });
    await prompt().pipe(model).pipe(new StringOutputParser()).invoke({ input: 'Hi' }, { callbacks: [everything] });
    expect(methodNames(own)).toEqual(['handleChatModelStart', 'handleLLMNewToken', 'handleLLMNewToken', 'handleLLMEnd']);
    expect(everything.handleChainStart).toHaveBeenCalledTimes(3);
    expect(everything.handleLLMNewToken).toHaveBeenCalledTimes(2);
  });

  it('constructor callbacks work on a plain stream with no config', async () => {
    const own = recorder();
    const model = new ScriptedChatModel({ responses: ['a b'], callbacks: [own] });
    await new Promise((resolve) => model.stream('Hi').subscribe({ complete: () => resolve(undefined) }));
    expect(methodNames(own)).toEqual(['handleChatModelStart', 'handleLLMNewToken', 'handleLLMNewToken', 'handleLLMEnd']);
  });

  it('reports a model failure to handleLLMError and the chain failure to handleChainError, masked', async () => {
    const handler = recorder();
    const chain = prompt().pipe(new ScriptedChatModel({ responses: [['part', new Error('bad key sk-abcdefghijklmnopqrstuv')]] }));
    await expect(chain.invoke({ input: 'Hi' }, { callbacks: [handler] })).rejects.toThrow('bad key');
    expect(handler.handleLLMError).toHaveBeenCalledWith({ name: 'Error', message: 'bad key ***' }, expect.objectContaining({ name: 'ScriptedChatModel' }));
    expect(handler.handleChainError).toHaveBeenCalledWith({ name: 'Error', message: 'bad key ***' }, expect.objectContaining({ name: 'RunnableSequence' }));
    expect(methodNames(handler).slice(-2)).toEqual(['handleLLMError', 'handleChainError']);
  });

  it('reports a prompt failure to handleChainError', async () => {
    const handler = recorder();
    await expect(prompt().invoke({} as never, { callbacks: [handler] })).rejects.toThrow();
    expect(methodNames(handler)).toEqual(['handleChainStart', 'handleChainError']);
    expect(handler.handleChainError.mock.calls[0][0].name).toBe('PromptInputError');
  });

  it('reports tool runs to the tool methods', async () => {
    const weather = tool(({ city }: { city: string }) => `21°C in ${city}`, { name: 'get_weather', description: 'Weather', schema: z.object({ city: z.string() }) });
    const handler = recorder();
    expect(await weather.invoke({ city: 'Paris' }, { callbacks: [handler] })).toBe('21°C in Paris');
    expect(specificCalls(handler)).toEqual([
      ['handleToolStart', { city: 'Paris' }, expect.objectContaining({ name: 'get_weather' })],
      ['handleToolEnd', '21°C in Paris', expect.objectContaining({ name: 'get_weather' })],
    ]);
    const failing = recorder();
    await expect(weather.invoke({ city: 7 } as never, { callbacks: [failing] })).rejects.toThrow();
    expect(methodNames(failing)).toEqual(['handleToolStart', 'handleToolError']);
    expect(failing.handleToolError.mock.calls[0][0].name).toBe('ToolInputError');
  });

  it('reports custom events to handleCustomEvent, from the run that dispatched them', async () => {
    const handler = recorder();
    const step = lambda((input: string) => {
      dispatchCustomEvent('progress', { stage: 'half' });
      return input.toUpperCase();
    }, { name: 'shout' });
    expect(await step.invoke('hi', { callbacks: [handler] })).toBe('HI');
    expect(handler.handleCustomEvent).toHaveBeenCalledWith('progress', { stage: 'half' }, expect.objectContaining({ name: 'progress' }));
    const [, , customRun] = handler.handleCustomEvent.mock.calls[0];
    expect(customRun.runId).toBe(handler.handleChainStart.mock.calls[0][1].runId);
  });

  it('a throwing or rejecting handler never breaks the stream, and the other handlers still get every call', async () => {
    const faulty: CallbackHandler = Object.fromEntries(methods.map((m, i) => [m, i % 2
      ? () => { throw new Error(`sync ${m}`); }
      : () => Promise.reject(new Error(`async ${m}`))]));
    const healthy = recorder();
    const unhandled = jest.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const chain = prompt().pipe(new ScriptedChatModel({ responses: ['Hello world'] })).pipe(new StringOutputParser());
      const texts: string[] = [];
      await new Promise((resolve, reject) => chain.stream({ input: 'Hi' }, { callbacks: [faulty, healthy] }).subscribe({
        next: (t) => texts.push(t), error: reject, complete: () => resolve(undefined),
      }));
      expect(texts).toEqual(['Hello', ' world']);
      expect(healthy.handleEvent).toHaveBeenCalledTimes(14);
      expect(healthy.handleLLMNewToken).toHaveBeenCalledTimes(2);
      expect(healthy.handleChainEnd).toHaveBeenCalledTimes(3);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('unhandledRejection', unhandled);
    }
    expect(unhandled).not.toHaveBeenCalled();
  });
});
