import { Observable, Subject, filter, of, timer, map } from 'rxjs';
import { z } from 'zod';
import { AIMessage, AIMessageChunk, ToolMessage, InvalidOptionError, executeTools, tool, type StreamEvent, type ApprovalDecision, type ApprovalRequest } from '../../src/index.js';
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

describe('executeTools: tool access control', () => {
  const approvalEvents = (events: StreamEvent[]) => events.filter((e) => e.event === 'on_custom_event' && e.name === 'tool_approval_request').map((e) => e.data);

  it('answers a call of a tool outside allowedTools with an error message and never runs it', async () => {
    const ran: string[] = [];
    const spy = tool(({ a }) => { ran.push(String(a)); return a; }, { name: 'spy', description: 'x', schema: z.object({ a: z.number() }) });
    const answers = await run(executeTools([add, spy], { allowedTools: ['add'] }), callsMessage(['c1', 'spy', '{"a":1}'], ['c2', 'add', '{"a":1,"b":2}']));
    expect(answers.map((m) => [m.toolCallId, m.status, m.content])).toEqual([
      ['c1', 'error', 'Error: tool "spy" is not allowed in this run. Answer without it.'],
      ['c2', 'success', '3'],
    ]);
    expect(ran).toEqual([]);
  });

  it('answers calls over a tool\'s maxCalls with an error message, counting afresh in each run', async () => {
    const limited = tool(({ a, b }) => a + b, { name: 'add', description: 'x', schema: z.object({ a: z.number(), b: z.number() }), maxCalls: 2 });
    const executor = executeTools([limited], { concurrency: 1 });
    const message = callsMessage(['c1', 'add', '{"a":1,"b":1}'], ['c2', 'add', '{"a":1,"b":2}'], ['c3', 'add', '{"a":1,"b":3}']);
    const answers = await run(executor, message);
    expect(answers.map((m) => [m.toolCallId, m.status])).toEqual([['c1', 'success'], ['c2', 'success'], ['c3', 'error']]);
    expect(answers[2].content).toBe('Error: tool "add" may be called at most 2 times in this run; the limit is reached. Answer with what you have.');
    expect((await run(executor, message)).map((m) => m.status)).toEqual(['success', 'success', 'error']);
  });

  it('makes calls of a rate-limited tool wait for the limiter, in virtual time', () => {
    createTestScheduler().run(({ expectObservable }) => {
      const slow = tool(({ ms }) => timer(ms).pipe(map(() => ms)), { name: 'wait', description: 'x', schema: z.object({ ms: z.number() }), rateLimit: { maxConcurrent: 1 } });
      const message = callsMessage(['a', 'wait', '{"ms":3}'], ['b', 'wait', '{"ms":1}'], ['c', 'wait', '{"ms":2}']);
      // One at a time, in call order: a ends at 3, b at 4, c at 6.
      expectObservable(executeTools([slow]).stream(message).pipe(map((m) => m.toolCallId))).toBe('---ab-(c|)', { a: 'a', b: 'b', c: 'c' });
    });
  });

  it('holds calls over requestsPerMinute until the window frees up', () => {
    createTestScheduler().run(({ expectObservable }) => {
      const quick = tool(() => 'ok', { name: 'ping', description: 'x', schema: z.object({}), rateLimit: { requestsPerMinute: 2 } });
      const message = callsMessage(['a', 'ping', '{}'], ['b', 'ping', '{}'], ['c', 'ping', '{}']);
      expectObservable(executeTools([quick]).stream(message).pipe(map((m) => m.toolCallId))).toBe('(ab) 59996ms (c|)', { a: 'a', b: 'b', c: 'c' });
    });
  });

  it('cancels a call over the tool\'s own timeoutMs; the executor\'s perTool limit wins over it', () => {
    let aborted = false;
    createTestScheduler().run(({ expectObservable }) => {
      const slow = tool((_args, { signal }) => {
        signal.addEventListener('abort', () => (aborted = true));
        return timer(10).pipe(map(() => 'late'));
      }, { name: 'slow', description: 'x', schema: z.object({}), timeoutMs: 4 });
      const message = callsMessage(['a', 'slow', '{}']);
      expectObservable(executeTools([slow]).stream(message).pipe(map((m) => `${m.status}:${m.content}`))).toBe('----(a|)', { a: 'error:Error: tool "slow" failed: Stream timed out: no completion within 4 ms (total limit)' });
      expectObservable(executeTools([slow], { timeoutMs: { perTool: { slow: 2 } } }).stream(message).pipe(map((m) => m.status))).toBe('--(e|)', { e: 'error' });
    });
    // The timed-out call was cancelled: its signal aborted.
    expect(aborted).toBe(true);
  });

  it('refuses a bad maxCalls or timeoutMs where the tool is made', () => {
    const make = (fields: { maxCalls?: number; timeoutMs?: number }) => () => tool(() => 1, { name: 't', description: 'x', schema: z.object({}), ...fields });
    expect(make({ maxCalls: 0 })).toThrow(InvalidOptionError);
    expect(make({ maxCalls: 1.5 })).toThrow(InvalidOptionError);
    expect(make({ timeoutMs: 0 })).toThrow(InvalidOptionError);
    expect(make({ timeoutMs: Number.NaN })).toThrow(InvalidOptionError);
  });

  it('asks with a tool_approval_request event and runs the call once approved; other calls run meanwhile', () => {
    createTestScheduler().run(({ hot, expectObservable }) => {
      const guarded = tool(() => 'deleted', { name: 'delete', description: 'x', schema: z.object({ id: z.string() }), needsApproval: true });
      const slow = tool(() => timer(2).pipe(map(() => 'done')), { name: 'slow', description: 'x', schema: z.object({}) });
      const approvals = hot<ApprovalDecision>('-----d', { d: { approvalId: 'c1', approved: true } });
      const message = callsMessage(['c1', 'delete', '{"id":"7"}'], ['c2', 'slow', '{}']);
      const events = executeTools([guarded, slow], { approvals }).streamEvents(message).pipe(filter((e) => e.name !== 'ToolExecutor' || e.event !== 'on_chain_end'));
      const seen = events.pipe(map((e) => (e.event === 'on_custom_event' ? `ask:${(e.data as ApprovalRequest).approvalId}` : e.event === 'on_chain_stream' ? `msg:${(e.data.chunk as ToolMessage).toolCallId}` : '')));
      const interesting = seen.pipe(filter((label) => label !== ''));
      expectObservable(interesting).toBe('a-b--(c|)', { a: 'ask:c1', b: 'msg:c2', c: 'msg:c1' });
    });
  });

  it('reports the request with the call, approvalId being the call id', async () => {
    const guarded = tool(() => 'x', { name: 'delete', description: 'x', schema: z.object({ id: z.string() }), needsApproval: true });
    const events: StreamEvent[] = [];
    await new Promise<void>((resolve) => executeTools([guarded]).streamEvents(callsMessage(['c9', 'delete', '{"id":"7"}'])).subscribe({ next: (e) => events.push(e), complete: resolve }));
    expect(approvalEvents(events)).toEqual([{ approvalId: 'c9', toolCall: { id: 'c9', name: 'delete', args: { id: '7' } } }]);
    // No source of decisions: the call stays unanswered.
    expect(events.filter((e) => e.event === 'on_tool_start')).toEqual([]);
    expect(events.filter((e) => e.event === 'on_chain_stream')).toEqual([]);
  });

  it('answers a denied call with an error message carrying the reason, without running it', async () => {
    let ran = false;
    const guarded = tool(() => { ran = true; return 'x'; }, { name: 'delete', description: 'x', schema: z.object({}), needsApproval: true });
    const approvals = of<ApprovalDecision>({ approvalId: 'c1', approved: false, reason: 'not on Fridays' });
    const [answer] = await run(executeTools([guarded], { approvals }), callsMessage(['c1', 'delete', '{}']));
    expect([answer.status, answer.content]).toEqual(['error', 'Error: the call of tool "delete" was denied: not on Fridays. Do not call it again with the same arguments.']);
    expect(ran).toBe(false);
  });

  it('asks needsApproval per call (sync or Promise), and turns its failure into an error message', async () => {
    const seen: unknown[] = [];
    const byAmount = tool(({ amount }) => `paid ${amount}`, {
      name: 'pay', description: 'x', schema: z.object({ amount: z.number() }),
      needsApproval: (call) => { seen.push(call); return (call.args.amount as number) > 100; },
    });
    const answers = await run(executeTools([byAmount]), callsMessage(['c1', 'pay', '{"amount":5}'], ['c2', 'pay', '{"amount":500}']));
    expect(answers.map((m) => m.content)).toEqual(['paid 5']);
    expect(seen).toEqual([{ id: 'c1', name: 'pay', args: { amount: 5 } }, { id: 'c2', name: 'pay', args: { amount: 500 } }]);
    const asyncCheck = tool(() => 'ok', { name: 'a', description: 'x', schema: z.object({}), needsApproval: async () => false });
    expect((await run(executeTools([asyncCheck]), callsMessage(['c1', 'a', '{}'])))[0].content).toBe('ok');
    const broken = tool(() => 'ok', { name: 'b', description: 'x', schema: z.object({}), needsApproval: () => { throw new Error('policy store down'); } });
    const [failed] = await run(executeTools([broken]), callsMessage(['c1', 'b', '{}']));
    expect([failed.status, failed.content]).toEqual(['error', 'Error: tool "b" failed: policy store down']);
  });

  it('takes a decision given synchronously inside the request event\'s handler', async () => {
    const guarded = tool(() => 'ran', { name: 'delete', description: 'x', schema: z.object({}), needsApproval: true });
    const approvals = new Subject<ApprovalDecision>();
    const outputs: unknown[] = [];
    await new Promise<void>((resolve, reject) => executeTools([guarded], { approvals }).streamEvents(callsMessage(['c1', 'delete', '{}'])).subscribe({
      next: (e) => {
        if (e.event === 'on_custom_event') approvals.next({ approvalId: (e.data as ApprovalRequest).approvalId, approved: true });
        if (e.event === 'on_chain_stream') outputs.push((e.data.chunk as ToolMessage).content);
      },
      error: reject,
      complete: resolve,
    }));
    expect(outputs).toEqual(['ran']);
    expect(approvals.observed).toBe(false);
  });

  it('lets go of the decisions and the waiting call when unsubscribed while waiting', () => {
    createTestScheduler().run(({ expectObservable }) => {
      let ran = false;
      const guarded = tool(() => { ran = true; return 'x'; }, { name: 'delete', description: 'x', schema: z.object({}), needsApproval: true });
      const approvals = new Subject<ApprovalDecision>();
      const out = executeTools([guarded], { approvals }).stream(callsMessage(['c1', 'delete', '{}']));
      expectObservable(out, '^--!').toBe('');
      // After the unsubscription a decision finds nobody listening.
      expectObservable(timer(5).pipe(map(() => { approvals.next({ approvalId: 'c1', approved: true }); return [approvals.observed, ran]; }))).toBe('-----(a|)', { a: [false, false] });
    });
  });

  it('fails the stream when the source of decisions errors', () => {
    createTestScheduler().run(({ hot, expectObservable }) => {
      const guarded = tool(() => 'x', { name: 'delete', description: 'x', schema: z.object({}), needsApproval: true });
      const approvals = hot<ApprovalDecision>('--#', undefined, new Error('approvals lost'));
      expectObservable(executeTools([guarded], { approvals }).stream(callsMessage(['c1', 'delete', '{}']))).toBe('--#', undefined, new Error('approvals lost'));
    });
  });

  it('leaves a call unanswered when the source completes without its decision', () => {
    createTestScheduler().run(({ hot, expectObservable }) => {
      const guarded = tool(() => 'x', { name: 'delete', description: 'x', schema: z.object({}), needsApproval: true });
      const approvals = hot<ApprovalDecision>('--a-|', { a: { approvalId: 'other', approved: true } });
      expectObservable(executeTools([guarded], { approvals }).stream(callsMessage(['c1', 'delete', '{}']))).toBe('----|');
    });
  });
});
