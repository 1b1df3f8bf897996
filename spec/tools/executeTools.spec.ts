import { Observable, of, timer, map } from 'rxjs';
import { z } from 'zod';
import { AIMessage, AIMessageChunk, ToolMessage, InvalidOptionError, executeTools, tool, type StreamEvent } from '../../src/index.js';
import { createTestScheduler } from '../support/marbles.js';

const add = tool(({ a, b }) => a + b, { name: 'add', description: 'Adds', schema: z.object({ a: z.number(), b: z.number() }) });
const fail = tool(() => { throw new Error('database unreachable'); }, { name: 'lookup', description: 'Looks up', schema: z.object({}) });

function run(executor: ReturnType<typeof executeTools>, message: AIMessage | AIMessageChunk): Promise<ToolMessage[]> {
  return new Promise((resolve, reject) => {
    const out: ToolMessage[] = [];
    executor.stream(message).subscribe({ next: (m) => out.push(m), error: reject, complete: () => resolve(out) });
  });
}

const callsMessage = (...calls: Array<[string, string, string]>) =>
  new AIMessageChunk({ toolCallChunks: calls.map(([id, name, args], index) => ({ index, id, name, args })) });

describe('executeTools', () => {
  it('answers each call with a ToolMessage carrying the call id', async () => {
    const [answer] = await run(executeTools([add]), callsMessage(['c1', 'add', '{"a":2,"b":3}']));
    expect(answer).toBeInstanceOf(ToolMessage);
    expect([answer.content, answer.toolCallId, answer.name, answer.status, answer.artifact]).toEqual(['5', 'c1', 'add', 'success', 5]);
  });

  it('turns an unknown tool into an error message listing the tools', async () => {
    const [answer] = await run(executeTools([add]), callsMessage(['c1', 'multiply', '{}']));
    expect(answer.status).toBe('error');
    expect(answer.content).toBe('Error: there is no tool named "multiply". Available tools: add.');
  });

  it('turns args failing the schema into an error message naming the field', async () => {
    const [answer] = await run(executeTools([add]), callsMessage(['c1', 'add', '{"a":"two","b":3}']));
    expect(answer.status).toBe('error');
    expect(answer.content).toMatch(/^Error: invalid arguments for tool "add": a: .*expected number.*Fix these fields and call the tool again\.$/);
  });

  it('turns args that are not JSON into an error message', async () => {
    const [answer] = await run(executeTools([add]), callsMessage(['c1', 'add', '{"a":2,']));
    expect(answer.status).toBe('error');
    expect(answer.content).toMatch(/^Error: the arguments for tool "add" are not a valid JSON object/);
  });

  it('turns a throwing tool into an error message, and keeps running the others', async () => {
    const answers = await run(executeTools([add, fail]), callsMessage(['c1', 'lookup', '{}'], ['c2', 'add', '{"a":1,"b":1}']));
    expect(answers.map((m) => [m.toolCallId, m.status, m.content])).toEqual([
      ['c1', 'error', 'Error: tool "lookup" failed: database unreachable'],
      ['c2', 'success', '2'],
    ]);
  });

  it('emits each answer as its tool completes, at most `concurrency` at once', () => {
    createTestScheduler().run(({ expectObservable }) => {
      const slow = tool(({ ms }) => timer(ms).pipe(map(() => `waited ${ms}`)), { name: 'wait', description: 'Waits', schema: z.object({ ms: z.number() }) });
      const message = callsMessage(['a', 'wait', '{"ms":5}'], ['b', 'wait', '{"ms":2}'], ['c', 'wait', '{"ms":1}']);
      const all = executeTools([slow]).stream(message).pipe(map((m) => m.toolCallId));
      expectObservable(all).toBe('-cb--(a|)', { a: 'a', b: 'b', c: 'c' });
      const paired = executeTools([slow], { concurrency: 2 }).stream(message).pipe(map((m) => m.toolCallId));
      expectObservable(paired).toBe('--bc-(a|)', { a: 'a', b: 'b', c: 'c' });
    });
  });

  it('cancels running tools when unsubscribed', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const progress = cold('----a|', { a: 'done' });
      const watch = tool(() => progress, { name: 'watch', description: 'x', schema: z.object({}) });
      expectObservable(executeTools([watch]).stream(callsMessage(['a', 'watch', '{}'], ['b', 'watch', '{}'])), '^-!').toBe('---');
      expectSubscriptions(progress.subscriptions).toBe(['^-!', '^-!']);
    });
  });

  it('runs each tool as a child run with on_tool events', async () => {
    const events: StreamEvent[] = [];
    await new Promise<void>((resolve) => executeTools([add]).streamEvents(callsMessage(['c1', 'add', '{"a":1,"b":2}'])).subscribe({ next: (e) => events.push(e), complete: resolve }));
    expect(events.map((e) => `${e.event}:${e.name}`)).toEqual([
      'on_chain_start:ToolExecutor', 'on_tool_start:add', 'on_tool_stream:add', 'on_tool_end:add', 'on_chain_stream:ToolExecutor', 'on_chain_end:ToolExecutor',
    ]);
    expect(events[1].parent_ids).toEqual([events[0].run_id]);
    expect(events[1].data.input).toEqual({ a: 1, b: 2 });
  });

  it('emits nothing for a message without tool calls', async () => {
    expect(await run(executeTools([add]), new AIMessage('just text'))).toEqual([]);
  });

  it('works with a whole AIMessage too', async () => {
    const message = new AIMessage({ content: '', toolCalls: [{ id: 'x', name: 'add', args: { a: 4, b: 4 } }] });
    expect((await run(executeTools([add]), message)).map((m) => m.content)).toEqual(['8']);
  });

  it('never lets a synchronous Observable tool error escape', async () => {
    const bad = tool(() => new Observable<string>((s) => s.error(new Error('nope'))), { name: 'bad', description: 'x', schema: z.object({}) });
    expect((await run(executeTools([bad]), callsMessage(['z', 'bad', '{}'])))[0].content).toBe('Error: tool "bad" failed: nope');
    expect(await run(executeTools([tool(() => of(1, 2, 3), { name: 'many', description: 'x', schema: z.object({}) })]), callsMessage(['m', 'many', '{}']))).toHaveLength(1);
  });
});

describe('executeTools options', () => {
  it.each([0, -1, 1.5, Number.NaN])('rejects concurrency %p with an InvalidOptionError instead of hanging', (concurrency) => {
    expect(() => executeTools([], { concurrency })).toThrow(InvalidOptionError);
  });
});
