import { map, timer } from 'rxjs';
import { z } from 'zod';
import { AIMessageChunk, APIConnectionError, InvalidOptionError, ToolMessage, agent, dispatchCustomEvent, tool, type AgentChunk, type StreamEvent } from '../../src/index.js';
import { ScriptedChatModel } from '../../src/testing/index.js';
import { createTestScheduler } from '../support/marbles.js';

const weather = tool(({ city }) => ({ city, tempC: city === 'Paris' ? 21 : 5 }), {
  name: 'get_weather', description: 'Weather for a city', schema: z.object({ city: z.string() }),
});

const callWeather = (id: string, city: string) => [
  { toolCallChunks: [{ index: 0, id, name: 'get_weather', args: '{"ci' }] },
  { toolCallChunks: [{ index: 0, args: `ty":"${city}"}` }] },
];

describe('agent', () => {
  it('loops model → tools → model until a final answer', async () => {
    const model = new ScriptedChatModel({ responses: [callWeather('c1', 'Paris'), 'It is 21 degrees in Paris.'] });
    const result = await agent({ model, tools: [weather] }).invoke('Weather in Paris?');
    expect(result.steps).toBe(2);
    expect(result.stoppedAtMaxSteps).toBe(false);
    expect(result.output.content).toBe('It is 21 degrees in Paris.');
    expect(result.messages.map((m) => m.type)).toEqual(['ai', 'tool', 'ai']);
    const second = model.calls[1].messages;
    expect(second.map((m) => m.type)).toEqual(['human', 'ai', 'tool']);
    expect((second[2] as ToolMessage).toolCallId).toBe('c1');
    expect(second[2].content).toBe('{"city":"Paris","tempC":21}');
    expect(model.calls[0].options.tools?.map((t) => t.name)).toEqual(['get_weather']);
  });

  it('streams every model chunk and each tool message in order, in virtual time', () => {
    createTestScheduler().run(({ expectObservable }) => {
      const model = new ScriptedChatModel({ responses: [callWeather('c1', 'Oslo'), 'Cold.'], intervalMs: 2 });
      const slowWeather = tool(({ city }) => timer(3).pipe(map(() => `${city}: 5`)), { name: 'get_weather', description: 'x', schema: z.object({ city: z.string() }) });
      const labels = agent({ model, tools: [slowWeather] }).stream('Weather in Oslo?').pipe(map(label));
      // turn 1 chunks at 2 and 4; the tool answers 3 frames later (7); turn 2 chunk at 9.
      expectObservable(labels).toBe('--a-b--t-(c|)', { a: 'call', b: 'call', t: 'tool:Oslo: 5', c: 'Cold.' });
    });
  });

  it('stops at maxSteps with a documented result, not an error', async () => {
    const model = new ScriptedChatModel({ responses: [callWeather('c1', 'Paris')] });
    const result = await agent({ model, tools: [weather], maxSteps: 2 }).invoke('Loop forever');
    expect(result.steps).toBe(2);
    expect(result.stoppedAtMaxSteps).toBe(true);
    expect(result.messages.map((m) => m.type)).toEqual(['ai', 'tool', 'ai']);
    expect(model.calls).toHaveLength(2);
  });

  it('feeds a bad tool input back to the model instead of crashing', async () => {
    const model = new ScriptedChatModel({ responses: [[{ toolCallChunks: [{ index: 0, id: 'c1', name: 'get_weather', args: '{"city": 7}' }] }], 'Sorry.'] });
    const result = await agent({ model, tools: [weather] }).invoke('Weather?');
    const toolAnswer = result.messages[1] as ToolMessage;
    expect(toolAnswer.status).toBe('error');
    expect(toolAnswer.content).toMatch(/invalid arguments for tool "get_weather": city:/);
    expect(result.output.content).toBe('Sorry.');
  });

  it('shows model, tool and custom events of every step with correct parent_ids', async () => {
    const noisy = tool(({ city }, { config }) => {
      dispatchCustomEvent('looking-up', city, config);
      return 'sunny';
    }, { name: 'get_weather', description: 'x', schema: z.object({ city: z.string() }) });
    const model = new ScriptedChatModel({ responses: [callWeather('c1', 'Rome'), 'Sunny.'] });
    const events: StreamEvent[] = [];
    await new Promise<void>((resolve) => agent({ model, tools: [noisy] }).streamEvents('Rome?').subscribe({ next: (e) => events.push(e), complete: resolve }));
    const root = events[0];
    const first = (name: string) => events.find((e) => e.event === name)!;
    expect(root.event).toBe('on_chain_start');
    expect(events.filter((e) => e.event === 'on_chat_model_start').map((e) => [e.tags, e.parent_ids])).toEqual([
      [['agent:step:1'], [root.run_id]],
      [['agent:step:2'], [root.run_id]],
    ]);
    const executor = events.find((e) => e.name === 'ToolExecutor')!;
    expect(first('on_tool_start').parent_ids).toEqual([root.run_id, executor.run_id]);
    expect(first('on_custom_event').data).toBe('Rome');
    expect(first('on_custom_event').run_id).toBe(first('on_tool_start').run_id);
    expect(first('on_tool_end').data.output).toBe('sunny');
    expect(events[events.length - 1].event).toBe('on_chain_end');
  });

  it('cancels the tool when the agent is unsubscribed', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const work = cold('-----a|', { a: 'late' });
      const model = new ScriptedChatModel({ responses: [callWeather('c1', 'Paris'), 'never'] });
      const busy = tool(() => work, { name: 'get_weather', description: 'x', schema: z.object({ city: z.string() }) });
      expectObservable(agent({ model, tools: [busy] }).stream('q').pipe(map(label)), '^--!').toBe('(ab)', { a: 'call', b: 'call' });
      expectSubscriptions(work.subscriptions).toBe('^--!');
    });
  });

  it('rejects a maxSteps that is not a positive integer', () => {
    expect(() => agent({ model: new ScriptedChatModel({ responses: ['x'] }), tools: [], maxSteps: 0 })).toThrow(InvalidOptionError);
    expect(() => agent({ model: new ScriptedChatModel({ responses: ['x'] }), tools: [], maxSteps: Infinity })).toThrow('agent: maxSteps must be a positive integer, got Infinity');
  });
});

function label(item: AgentChunk): string {
  if (item instanceof ToolMessage) return `tool:${item.content}`;
  return (item as AIMessageChunk).toolCallChunks.length ? 'call' : item.content;
}

describe('agent with recovery', () => {
  it('keeps the agent result through withRetry and withFallbacks', async () => {
    const flaky = new ScriptedChatModel({ responses: [new Error('ECONNRESET'), 'Recovered.'] });
    const retried = await agent({ model: new ScriptedChatModel({ responses: [[new APIConnectionError('dropped')], 'Second try.'] }), tools: [weather] })
      .withRetry({ maxAttempts: 2, backoff: { initialMs: 1, maxMs: 1, jitter: 0 } })
      .invoke('q');
    expect([retried.output.content, retried.steps]).toEqual(['Second try.', 1]);
    const broken = agent({ model: flaky, tools: [weather] });
    const backup = agent({ model: new ScriptedChatModel({ responses: ['From the backup.'] }), tools: [weather] });
    const result = await broken.withFallbacks([backup]).invoke('q');
    expect([result.output.content, result.steps, result.stoppedAtMaxSteps]).toEqual(['From the backup.', 1, false]);
  });
});
