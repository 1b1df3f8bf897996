import type { Observable } from 'rxjs';
import { z } from 'zod';
import { agent, type AgentChunk } from '../../src/agents/Agent.js';
import { AbortError } from '../../src/errors/errors.js';
import type { StreamEvent } from '../../src/events/StreamEvent.js';
import { AIMessageChunk } from '../../src/messages/AIMessageChunk.js';
import { ToolMessage, type AIMessage } from '../../src/messages/messages.js';
import { ChatOpenAI } from '../../src/openai/index.js';
import { SseReplayServer, type SseReplayResponse } from '../../src/testing/node/SseReplayServer.js';
import { tool } from '../../src/tools/StructuredTool.js';
import { describeFixtures, fixturePath } from '../support/fixtures.js';
import { TEST_KEY, sseBody, wireChunk } from '../support/replaySupport.js';

const weather = tool(({ city }) => ({ city, tempC: 18 }), {
  name: 'get_weather', description: 'Weather for a city', schema: z.object({ city: z.string() }),
});

const usage = (prompt: number, completion: number) => ({
  id: 'chatcmpl-own', object: 'chat.completion.chunk', created: 1700000000, model: 'own-model', choices: [],
  usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
});
const finish = (reason: string) => ({ ...wireChunk({}), choices: [{ index: 0, delta: {}, finish_reason: reason }] });

/** Turn 1: a streamed call of get_weather, its arguments in fragments. */
function toolCallTurn(args: readonly string[], id = 'call_w1'): SseReplayResponse {
  return {
    body: sseBody([
      wireChunk({ role: 'assistant', content: null }),
      wireChunk({ tool_calls: [{ index: 0, id, type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
      ...args.map((piece) => wireChunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] })),
      finish('tool_calls'),
      usage(50, 12),
    ]),
    chunking: 23,
  };
}

/** Turn 2: the final answer as text. */
const FINAL_TURN: SseReplayResponse = {
  body: sseBody([
    wireChunk({ role: 'assistant', content: '' }),
    wireChunk({ content: 'It is 18°C' }),
    wireChunk({ content: ' in Paris.' }),
    finish('stop'),
    usage(80, 9),
  ]),
  chunking: 23,
};

const PARIS_CALL = toolCallTurn(['{"ci', 'ty": "Pa', 'ris"}']);

interface Body {
  stream: boolean;
  messages: Array<Record<string, unknown>>;
  tools?: Array<{ type: string; function: { name: string } }>;
}

describe('agent over ChatOpenAI', () => {
  let server: SseReplayServer | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function start(responses: SseReplayResponse[], fields: { streaming?: boolean } = {}): Promise<ChatOpenAI> {
    server = new SseReplayServer({ responses });
    return new ChatOpenAI({ model: 'gpt-test', apiKey: TEST_KEY, baseURL: await server.start(), maxRetries: 0, ...fields });
  }

  const bodies = () => server!.requests.map((request) => request.body as Body);

  it('invoke: model → tool → model, answering with the final text after 2 steps', async () => {
    const model = await start([PARIS_CALL, FINAL_TURN], { streaming: true });
    const result = await agent({ model, tools: [weather] }).invoke('Weather in Paris?');
    expect(result.steps).toBe(2);
    expect(result.stoppedAtMaxSteps).toBe(false);
    expect(result.output.content).toBe('It is 18°C in Paris.');
    expect(result.output.usage).toEqual({ inputTokens: 80, outputTokens: 9, totalTokens: 89 });
    expect(result.messages.map((m) => m.type)).toEqual(['ai', 'tool', 'ai']);
    expect((result.messages[0] as AIMessage).toolCalls).toEqual([{ id: 'call_w1', name: 'get_weather', args: { city: 'Paris' } }]);
    expect(result.messages[1]).toEqual(expect.objectContaining({ toolCallId: 'call_w1', status: 'success', content: '{"city":"Paris","tempC":18}' }));

    const [first, second] = bodies();
    expect(bodies()).toHaveLength(2);
    for (const body of [first, second]) {
      expect(body.stream).toBe(true);
      expect(body.tools).toEqual([{ type: 'function', function: expect.objectContaining({ name: 'get_weather', description: 'Weather for a city' }) }]);
    }
    expect(first.messages).toEqual([{ role: 'user', content: 'Weather in Paris?' }]);
    // The second request carries the assistant's call and the tool's answer, paired by id.
    expect(second.messages).toEqual([
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_w1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
      { role: 'tool', content: '{"city":"Paris","tempC":18}', tool_call_id: 'call_w1' },
    ]);
  });

  it('survives tool arguments nested 10,000 levels deep: the next turn sends them back as they came', async () => {
    const deep = '['.repeat(10_000) + ']'.repeat(10_000);
    const argsText = `{"city":"Paris","extra":${deep}}`;
    const echo = tool((args) => args, { name: 'get_weather', description: 'Weather for a city', schema: z.object({ city: z.string(), extra: z.unknown() }) });
    const model = await start([toolCallTurn([argsText.slice(0, 5000), argsText.slice(5000)]), FINAL_TURN, toolCallTurn([argsText]), FINAL_TURN]);
    const result = await agent({ model, tools: [echo] }).invoke('Weather in Paris?');
    expect(result.output.content).toBe('It is 18°C in Paris.');
    const second = bodies()[1];
    expect(second.messages[1]).toEqual({ role: 'assistant', content: null, tool_calls: [{ id: 'call_w1', type: 'function', function: { name: 'get_weather', arguments: argsText } }] });
    expect(second.messages[2]).toEqual({ role: 'tool', content: argsText, tool_call_id: 'call_w1' });
    const events: StreamEvent[] = [];
    await new Promise<void>((resolve, reject) => agent({ model, tools: [echo] }).streamEvents('Again').subscribe({ next: (e) => events.push(e), error: reject, complete: resolve }));
    expect(events.at(-1)?.event).toBe('on_chain_end');
  });

  it('invoke without streaming sends non-streaming requests and reads whole answers', async () => {
    const completion = (message: Record<string, unknown>, reason: string) => ({
      json: { id: 'chatcmpl-whole', object: 'chat.completion', created: 1700000000, model: 'own-model', choices: [{ index: 0, finish_reason: reason, message: { role: 'assistant', ...message } }] },
    });
    const model = await start([
      completion({ content: null, tool_calls: [{ id: 'call_w1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] }, 'tool_calls'),
      completion({ content: 'It is 18°C in Paris.' }, 'stop'),
    ]);
    const result = await agent({ model, tools: [weather] }).invoke('Weather in Paris?');
    expect(result.output.content).toBe('It is 18°C in Paris.');
    expect(result.steps).toBe(2);
    expect(bodies().map((body) => body.stream)).toEqual([false, false]);
    expect(bodies()[1].messages[2]).toEqual({ role: 'tool', content: '{"city":"Paris","tempC":18}', tool_call_id: 'call_w1' });
  });

  it('stream emits the chunks of both turns and the tool answer between them', async () => {
    const model = await start([PARIS_CALL, FINAL_TURN]);
    const items = await collect(agent({ model, tools: [weather] }).stream('Weather in Paris?'));
    const kinds = items.map((item) => (item instanceof ToolMessage ? 'tool' : (item as AIMessageChunk).toolCallChunks.length ? 'call' : 'text'));
    const firstTool = kinds.indexOf('tool');
    expect(kinds.filter((kind) => kind === 'tool')).toHaveLength(1);
    expect(kinds.slice(0, firstTool)).toContain('call');
    expect(kinds.slice(firstTool + 1)).not.toContain('call');
    expect(items.slice(firstTool + 1).map((item) => item.content).join('')).toBe('It is 18°C in Paris.');
    expect(items.slice(0, firstTool).every((item) => item instanceof AIMessageChunk)).toBe(true);
    expect(bodies().map((body) => body.stream)).toEqual([true, true]);
  });

  it('streamEvents shows both model turns and the tool run, with parsed args, result and parent_ids', async () => {
    const model = await start([PARIS_CALL, FINAL_TURN]);
    const events = await collect(agent({ model, tools: [weather] }).streamEvents('Weather in Paris?'));
    const root = events[0];
    expect(root).toEqual(expect.objectContaining({ event: 'on_chain_start', name: 'Agent', parent_ids: [] }));
    expect(events[events.length - 1]).toEqual(expect.objectContaining({ event: 'on_chain_end', run_id: root.run_id }));

    const modelStarts = events.filter((e) => e.event === 'on_chat_model_start');
    expect(modelStarts.map((e) => [e.name, e.tags, e.parent_ids])).toEqual([
      ['ChatOpenAI', ['agent:step:1'], [root.run_id]],
      ['ChatOpenAI', ['agent:step:2'], [root.run_id]],
    ]);
    expect(modelStarts[1].data.input.messages.map((m: { type: string }) => m.type)).toEqual(['human', 'ai', 'tool']);
    for (const [step, start] of modelStarts.entries()) {
      const own = events.filter((e) => e.run_id === start.run_id);
      expect(own[0]).toBe(start);
      expect(own[own.length - 1].event).toBe('on_chat_model_end');
      const streamed = own.filter((e) => e.event === 'on_chat_model_stream');
      expect(streamed.length).toBeGreaterThan(2);
      for (const e of streamed) expect(e.parent_ids).toEqual([root.run_id]);
      const output = own[own.length - 1].data.output as AIMessageChunk;
      if (step === 0) expect(output.toolCalls).toEqual([{ id: 'call_w1', name: 'get_weather', args: { city: 'Paris' } }]);
      else expect(output.content).toBe('It is 18°C in Paris.');
    }

    const executor = events.find((e) => e.event === 'on_chain_start' && e.name === 'ToolExecutor')!;
    expect(executor.parent_ids).toEqual([root.run_id]);
    const toolStart = events.find((e) => e.event === 'on_tool_start')!;
    const toolEnd = events.find((e) => e.event === 'on_tool_end')!;
    expect(toolStart).toEqual(expect.objectContaining({ name: 'get_weather', parent_ids: [root.run_id, executor.run_id], data: { input: { city: 'Paris' } } }));
    expect(toolEnd).toEqual(expect.objectContaining({ name: 'get_weather', run_id: toolStart.run_id, parent_ids: [root.run_id, executor.run_id] }));
    expect(toolEnd.data.output).toEqual({ city: 'Paris', tempC: 18 });

    // Causal order: turn 1 ends, then the tool runs, then turn 2 starts.
    const at = (e: StreamEvent) => events.indexOf(e);
    const firstEnd = events.find((e) => e.event === 'on_chat_model_end' && e.run_id === modelStarts[0].run_id)!;
    expect(at(firstEnd)).toBeLessThan(at(toolStart));
    expect(at(toolEnd)).toBeLessThan(at(modelStarts[1]));
    expect(events.filter((e) => e.event.endsWith('_error'))).toEqual([]);
  });

  it.each([
    // Valid JSON is sent back re-serialised; text that is not JSON is sent back as it came.
    ['arguments that fail the schema', ['{"city": ', '7}'], '{"city":7}', /^Error: invalid arguments for tool "get_weather": city: /],
    ['arguments that are not JSON', ['{"city": ', '"Par'], '{"city": "Par', /^Error: the arguments for tool "get_weather" are not a valid JSON object/],
  ])('sends a tool call with %s back to the model as an error ToolMessage, not a crash', async (_label, fragments, sent, text) => {
    const model = await start([toolCallTurn(fragments, 'call_bad'), FINAL_TURN]);
    const result = await agent({ model, tools: [weather] }).invoke('Weather?');
    expect(result.steps).toBe(2);
    expect(result.output.content).toBe('It is 18°C in Paris.');
    const answer = result.messages[1] as ToolMessage;
    expect(answer).toEqual(expect.objectContaining({ status: 'error', toolCallId: 'call_bad', name: 'get_weather' }));
    expect(answer.content).toMatch(text);
    const second = bodies()[1];
    expect(second.messages.slice(1)).toEqual([
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_bad', type: 'function', function: { name: 'get_weather', arguments: sent } }] },
      { role: 'tool', content: answer.content, tool_call_id: 'call_bad' },
    ]);
  });

  describeFixtures('on a recorded parallel tool-call answer (OpenAI: add and multiply)', () => {
    it('runs both tools and sends both answers back, each paired with its call', async () => {
      const numbers = z.object({ a: z.number(), b: z.number() });
      const add = tool(({ a, b }) => a + b, { name: 'add', description: 'a + b', schema: numbers });
      const multiply = tool(({ a, b }) => a * b, { name: 'multiply', description: 'a × b', schema: numbers });
      const model = await start([{ file: fixturePath('openai/chat-parallel-tool-calls-2.sse') }, FINAL_TURN], { streaming: true });
      const result = await agent({ model, tools: [add, multiply], parallelToolCalls: true }).invoke('Add and multiply 2 and 3');
      expect(result.steps).toBe(2);
      const [first, second] = bodies();
      expect(first).toEqual(expect.objectContaining({ parallel_tool_calls: true }));
      expect(second.messages[1]).toEqual({
        role: 'assistant', content: null, tool_calls: [
          { id: 'call_ehIWdjL1abZk1h8FWGLQ0Hie', type: 'function', function: { name: 'add', arguments: '{"a":2,"b":3}' } },
          { id: 'call_fBSgA47J5VeONggizTIvl7AH', type: 'function', function: { name: 'multiply', arguments: '{"a":2,"b":3}' } },
        ],
      });
      // Tool answers arrive as each tool completes: compare as a set.
      expect(second.messages.slice(2)).toHaveLength(2);
      expect(second.messages.slice(2)).toEqual(expect.arrayContaining([
        { role: 'tool', content: '5', tool_call_id: 'call_ehIWdjL1abZk1h8FWGLQ0Hie' },
        { role: 'tool', content: '6', tool_call_id: 'call_fBSgA47J5VeONggizTIvl7AH' },
      ]));
    });
  });

  describe('cancelled while the tool runs', () => {
    /** A tool that runs until its signal aborts, and reports when it started. */
    function hangingTool() {
      let started!: (signal: AbortSignal) => void;
      const running = new Promise<AbortSignal>((resolve) => (started = resolve));
      const hanging = tool((_args, { signal }) => {
        started(signal);
        return new Promise<string>((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true }));
      }, { name: 'get_weather', description: 'Weather for a city', schema: z.object({ city: z.string() }) });
      return { hanging, running };
    }

    it('unsubscribing aborts the tool signal and makes no further request', async () => {
      const model = await start([PARIS_CALL, FINAL_TURN]);
      const { hanging, running } = hangingTool();
      const create = jest.spyOn(model.client!.chat.completions, 'create');
      const seen: AgentChunk[] = [];
      const subscription = agent({ model, tools: [hanging] }).stream('Weather in Paris?').subscribe({ next: (item) => seen.push(item) });
      const signal = await running;
      expect(signal.aborted).toBe(false);
      subscription.unsubscribe();
      expect(signal.aborted).toBe(true);
      // The first answer was read to its end; the second request is never sent.
      expect((await server!.responseClosed(0)).closedByClient).toBe(false);
      await new Promise((resolve) => setImmediate(resolve));
      expect(create).toHaveBeenCalledTimes(1);
      expect(server!.requests).toHaveLength(1);
      expect(seen.some((item) => item instanceof ToolMessage)).toBe(false);
    });

    it('aborting config.signal aborts the tool and ends the run with AbortError, no further request', async () => {
      const model = await start([PARIS_CALL, FINAL_TURN]);
      const { hanging, running } = hangingTool();
      const create = jest.spyOn(model.client!.chat.completions, 'create');
      const controller = new AbortController();
      const outcome = collect(agent({ model, tools: [hanging] }).stream('Weather in Paris?', { signal: controller.signal })).catch((error: unknown) => error);
      const signal = await running;
      controller.abort();
      expect(await outcome).toBeInstanceOf(AbortError);
      expect(signal.aborted).toBe(true);
      expect(create).toHaveBeenCalledTimes(1);
      expect(server!.requests).toHaveLength(1);
    });
  });
});

/** Every value of `stream$`, or its error as a rejection. */
function collect<T>(stream$: Observable<T>): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const values: T[] = [];
    stream$.subscribe({ next: (value) => values.push(value), error: reject, complete: () => resolve(values) });
  });
}
