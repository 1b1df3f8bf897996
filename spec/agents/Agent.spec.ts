import { Subject, map, of, timer } from 'rxjs';
import { z } from 'zod';
import { AIMessageChunk, APIConnectionError, InvalidOptionError, ToolMessage, agent, dispatchCustomEvent, hasToolCall, stepCountIs, tool, type AgentChunk, type StreamEvent, HumanMessage, type ApprovalDecision, type ApprovalRequest, type BaseMessage } from '../../src/index.js';
import { ScriptedChatModel } from '../../src/testing/index.js';
import { createTestScheduler } from '../support/marbles.js';
import { parseRxllmJson, stringifyRxllmJson } from '../../src/sse/rxllmJson.js';

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

describe('agent loop control', () => {
  const callTool = (id: string, name: string, args = '{}') => [{ toolCallChunks: [{ index: 0, id, name, args }] }];
  const submit = tool(({ answer }) => `submitted ${answer}`, { name: 'submit', description: 'The final answer', schema: z.object({ answer: z.string() }) });

  it('stopWhen stepCountIs(n): the n-th turn\'s tools run, then the loop stops', () => {
    createTestScheduler().run(({ expectObservable }) => {
      const model = new ScriptedChatModel({ responses: [callWeather('c1', 'Oslo')], intervalMs: 4 });
      const labels = agent({ model, tools: [weather], stopWhen: stepCountIs(2) }).stream('q').pipe(map(label));
      // turn 1 at 4 and 8, its tool answers at once; turn 2 at 12 and 16, its tool, then the end.
      expectObservable(labels).toBe('----a---(bt)c---(dt|)', { a: 'call', b: 'call', c: 'call', d: 'call', t: 'tool:{"city":"Oslo","tempC":5}' });
    });
  });

  it('stopWhen hasToolCall(name): the named tool runs and the model is not asked again', async () => {
    const model = new ScriptedChatModel({ responses: [callWeather('c1', 'Paris'), callTool('c2', 'submit', '{"answer":"21"}'), 'never asked'] });
    const result = await agent({ model, tools: [weather, submit], stopWhen: hasToolCall('submit') }).invoke('q');
    expect(model.calls).toHaveLength(2);
    expect(result.messages.map((m) => m.type)).toEqual(['ai', 'tool', 'ai', 'tool']);
    expect(result.messages[3].content).toBe('submitted 21');
    expect([result.steps, result.stoppedByCondition, result.stoppedAtMaxSteps]).toEqual([2, true, false]);
  });

  it('stopWhen takes any function of the steps, or an array of which any stops', async () => {
    const model = new ScriptedChatModel({ responses: [callTool('c1', 'missing'), callWeather('c2', 'Rome'), 'Sunny.'] });
    const seen: number[][] = [];
    const result = await agent({
      model,
      tools: [weather],
      stopWhen: [
        ({ steps }) => (seen.push(steps.map((s) => s.stepNumber)), false),
        ({ steps }) => steps[steps.length - 1].toolMessages.some((m) => m.content.includes('"Rome"')),
      ],
    }).invoke('q');
    expect(seen).toEqual([[1], [1, 2]]);
    expect(result.messages.map((m) => m.type)).toEqual(['ai', 'tool', 'ai', 'tool']);
    expect((result.messages[1] as ToolMessage).status).toBe('error');
    expect(result.stoppedByCondition).toBe(true);
  });

  it('a stop condition does not hold back a final answer, and maxSteps still applies', async () => {
    const answered = await agent({ model: new ScriptedChatModel({ responses: ['Done.'] }), tools: [weather], stopWhen: stepCountIs(5) }).invoke('q');
    expect([answered.output.content, answered.stoppedByCondition]).toEqual(['Done.', false]);
    const capped = await agent({ model: new ScriptedChatModel({ responses: [callWeather('c1', 'Paris')] }), tools: [weather], maxSteps: 2, stopWhen: stepCountIs(5) }).invoke('q');
    expect([capped.steps, capped.stoppedAtMaxSteps, capped.stoppedByCondition]).toEqual([2, true, false]);
  });

  it('prepareStep changes the model, tools, messages and options of one turn', async () => {
    const first = new ScriptedChatModel({ responses: [callWeather('c1', 'Paris')] });
    const second = new ScriptedChatModel({ responses: ['Submitted nothing.'] });
    const contexts: Array<[number, number, string[]]> = [];
    const result = await agent({
      model: first,
      tools: [weather, submit],
      prepareStep: ({ stepNumber, steps, messages }) => {
        contexts.push([stepNumber, steps.length, messages.map((m) => m.type)]);
        if (stepNumber === 1) return undefined;
        return { model: second, tools: [submit], messages: [...messages.slice(-1)], options: { toolChoice: 'required' } };
      },
    }).invoke('q');
    expect(contexts).toEqual([[1, 0, ['human']], [2, 1, ['human', 'ai', 'tool']]]);
    expect(first.calls[0].options.tools?.map((t) => t.name)).toEqual(['get_weather', 'submit']);
    expect(second.calls[0].options.tools?.map((t) => t.name)).toEqual(['submit']);
    expect(second.calls[0].options.toolChoice).toBe('required');
    expect(second.calls[0].messages.map((m) => m.type)).toEqual(['tool']);
    expect(result.messages.map((m) => m.type)).toEqual(['ai', 'tool', 'ai']);
    expect(result.output.content).toBe('Submitted nothing.');
  });

  it('a turn with prepareStep\'s tools runs only those tools', async () => {
    const model = new ScriptedChatModel({ responses: [callWeather('c1', 'Paris'), 'ok'] });
    const result = await agent({ model, tools: [weather], prepareStep: () => ({ tools: [submit] }) }).invoke('q');
    expect(result.messages[1].content).toMatch(/there is no tool named "get_weather". Available tools: submit/);
  });

  it('errors from prepareStep and from a stop condition end the stream after the chunks before them', () => {
    createTestScheduler().run(({ expectObservable }) => {
      const model = () => new ScriptedChatModel({ responses: [callWeather('c1', 'Oslo')], intervalMs: 2 });
      const failingPrepare = agent({ model: model(), tools: [weather], prepareStep: ({ stepNumber }) => {
        if (stepNumber === 2) throw new Error('no plan');
        return undefined;
      } });
      const failingStop = agent({ model: model(), tools: [weather], stopWhen: () => {
        throw new Error('no judge');
      } });
      const values = { a: 'call', b: 'call', t: 'tool:{"city":"Oslo","tempC":5}' };
      expectObservable(failingPrepare.stream('q').pipe(map(label))).toBe('--a-(bt#)', values, new Error('no plan'));
      expectObservable(failingStop.stream('q').pipe(map(label))).toBe('--a-(bt#)', values, new Error('no judge'));
    });
  });

  it('toolTimeoutMs answers a slow tool with an error ToolMessage and aborts its signal', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions, flush }) => {
      const work = cold('----------a|', { a: 'late' });
      let signal: AbortSignal | undefined;
      const slow = tool((_args, runtime) => ((signal = runtime.signal), work), { name: 'get_weather', description: 'x', schema: z.object({ city: z.string() }) });
      const model = new ScriptedChatModel({ responses: [callWeather('c1', 'Oslo'), 'Too slow.'] });
      const result = agent({ model, tools: [slow], toolTimeoutMs: 5 }).stream('q');
      expectObservable(result.pipe(map(label))).toBe('(ab)-(tcd|)', {
        a: 'call', b: 'call', t: 'tool:Error: tool "get_weather" failed: Stream timed out: no completion within 5 ms (total limit)', c: 'Too', d: ' slow.',
      });
      expectSubscriptions(work.subscriptions).toBe('^----!');
      flush();
      expect(signal?.aborted).toBe(true);
      expect(model.calls[1].messages[2]).toMatchObject({ status: 'error', toolCallId: 'c1' });
    });
  });

  it('toolTimeoutMs per tool overrides the default, and toolConcurrency runs the calls one at a time', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const fastWork = cold('---a|', { a: 'fast done' });
      const slowWork = cold('--------a|', { a: 'slow done' });
      const fast = tool(() => fastWork, { name: 'fast', description: 'x', schema: z.object({}) });
      const slow = tool(() => slowWork, { name: 'slow', description: 'x', schema: z.object({}) });
      const model = new ScriptedChatModel({ responses: [callBoth(), 'ok'] });
      const result = agent({ model, tools: [fast, slow], toolConcurrency: 1, toolTimeoutMs: { default: 2, perTool: { fast: 10, slow: 20 } } }).stream('q');
      // fast runs 0–4, then slow 4–13 (within its 20): neither is cut, and they never overlap.
      expectObservable(result.pipe(map(label))).toBe('a---f--------(so|)', { a: 'call', f: 'tool:fast done', s: 'tool:slow done', o: 'ok' });
      expectSubscriptions(fastWork.subscriptions).toBe('^---!');
      expectSubscriptions(slowWork.subscriptions).toBe('----^--------!');
    });
  });

  it('the default limit applies to a tool without its own', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const slowWork = cold('--------a|', { a: 'slow done' });
      const fast = tool(() => 'fast done', { name: 'fast', description: 'x', schema: z.object({}) });
      const slow = tool(() => slowWork, { name: 'slow', description: 'x', schema: z.object({}) });
      const model = new ScriptedChatModel({ responses: [callBoth(), 'ok'] });
      const result = agent({ model, tools: [fast, slow], toolTimeoutMs: { default: 5, perTool: { fast: 1 } } }).stream('q');
      expectObservable(result.pipe(map(label))).toBe('(af)-(so|)', { a: 'call', f: 'tool:fast done', s: 'tool:Error: tool "slow" failed: Stream timed out: no completion within 5 ms (total limit)', o: 'ok' });
      expectSubscriptions(slowWork.subscriptions).toBe('^----!');
    });
  });

  it('unsubscribing while a tool runs under a limit cancels it without an answer', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const work = cold('----------a|', { a: 'late' });
      const slow = tool(() => work, { name: 'get_weather', description: 'x', schema: z.object({ city: z.string() }) });
      const model = new ScriptedChatModel({ responses: [callWeather('c1', 'Oslo'), 'never'] });
      expectObservable(agent({ model, tools: [slow], toolTimeoutMs: 5 }).stream('q').pipe(map(label)), '^--!').toBe('(ab)', { a: 'call', b: 'call' });
      expectSubscriptions(work.subscriptions).toBe('^--!');
    });
  });

  it('rejects tool limits that are not durations above 0', () => {
    const model = new ScriptedChatModel({ responses: ['x'] });
    expect(() => agent({ model, tools: [], toolTimeoutMs: 0 })).toThrow(InvalidOptionError);
    expect(() => agent({ model, tools: [], toolTimeoutMs: { perTool: { slow: -1 } } })).toThrow('executeTools: timeoutMs.perTool.slow must be a number of milliseconds above 0');
    expect(() => agent({ model, tools: [], toolConcurrency: 0 })).toThrow(InvalidOptionError);
  });
});

function callBoth(): Array<Partial<AIMessageChunk>> {
  return [{ toolCallChunks: [{ index: 0, id: 'c1', name: 'fast', args: '{}' }, { index: 1, id: 'c2', name: 'slow', args: '{}' }] }];
}

describe('agent: tool access control', () => {
  const deleteFile = (ran: string[] = []) => tool(({ path }) => { ran.push(path); return `deleted ${path}`; }, {
    name: 'delete_file', description: 'Deletes a file', schema: z.object({ path: z.string() }), needsApproval: true,
  });
  const callDelete = (id: string, path: string) => [{ toolCallChunks: [{ index: 0, id, name: 'delete_file', args: JSON.stringify({ path }) }] }];
  const callBoth = [{ toolCallChunks: [
    { index: 0, id: 'd1', name: 'delete_file', args: '{"path":"a.txt"}' },
    { index: 1, id: 'w1', name: 'get_weather', args: '{"city":"Paris"}' },
  ] }];
  // A history as it comes back from storage or over the wire: the rxllm JSON of its messages.
  const revive = (messages: readonly BaseMessage[]): BaseMessage[] => parseRxllmJson(stringifyRxllmJson(messages)) as BaseMessage[];

  it('limits the bound tools to config.allowedTools and refuses calls of the others, per run', async () => {
    const ran: string[] = [];
    const model = new ScriptedChatModel({ responses: [callDelete('d1', 'x'), 'Could not.'] });
    const assistant = agent({ model, tools: [weather, tool(({ path }) => { ran.push(path); return 'gone'; }, { name: 'delete_file', description: 'x', schema: z.object({ path: z.string() }) })] });
    const result = await assistant.invoke('Delete x', { allowedTools: ['get_weather'] });
    expect(model.calls[0].options.tools?.map((t) => t.name)).toEqual(['get_weather']);
    expect(result.messages[1].content).toBe('Error: tool "delete_file" is not allowed in this run. Answer without it.');
    expect((result.messages[1] as ToolMessage).status).toBe('error');
    expect(ran).toEqual([]);
    // The next run without the restriction offers both.
    await assistant.invoke('Delete x');
    expect(model.calls[2].options.tools?.map((t) => t.name)).toEqual(['get_weather', 'delete_file']);
  });

  it('takes allowedTools as an agent option too, and applies it to the tools prepareStep gives', async () => {
    const model = new ScriptedChatModel({ responses: ['Hi.'] });
    const other = tool(() => 1, { name: 'other', description: 'x', schema: z.object({}) });
    await agent({ model, tools: [weather], allowedTools: ['other'], prepareStep: () => ({ tools: [weather, other] }) }).invoke('Hi');
    expect(model.calls[0].options.tools?.map((t) => t.name)).toEqual(['other']);
  });

  it('counts maxCalls over the whole run, across turns', async () => {
    const once = tool(({ city }) => city, { name: 'get_weather', description: 'x', schema: z.object({ city: z.string() }), maxCalls: 1 });
    const model = new ScriptedChatModel({ responses: [callWeather('c1', 'Paris'), callWeather('c2', 'Rome'), 'Done.'] });
    const result = await agent({ model, tools: [once] }).invoke('Weather?');
    expect(result.messages.filter((m): m is ToolMessage => m.type === 'tool').map((m) => [m.status, m.content])).toEqual([
      ['success', 'Paris'],
      ['error', 'Error: tool "get_weather" may be called at most 1 times in this run; the limit is reached. Answer with what you have.'],
    ]);
  });

  it('waits for an approval while the turn\'s other calls run, then runs the approved call and goes on, in virtual time', () => {
    createTestScheduler().run(({ hot, expectObservable }) => {
      const ran: string[] = [];
      const model = new ScriptedChatModel({ responses: [callBoth, 'Done.'], intervalMs: 1 });
      const approvals = hot<ApprovalDecision>('------d', { d: { approvalId: 'd1', approved: true } });
      const labels = agent({ model, tools: [deleteFile(ran), weather], approvals }).stream('Clean up').pipe(map(label));
      // The call chunk at 1, the weather answer at once, the approved delete at 6, the final turn at 7.
      expectObservable(labels).toBe('-(aw)-d(f|)', { a: 'call', w: 'tool:{"city":"Paris","tempC":21}', d: 'tool:deleted a.txt', f: 'Done.' });
    });
  });

  it('sends the request as an on_custom_event and passes a denial\'s reason to the model', async () => {
    const model = new ScriptedChatModel({ responses: [callDelete('d1', 'a.txt'), 'Understood.'] });
    const approvals = new Subject<ApprovalDecision>();
    const events: StreamEvent[] = [];
    const ran: string[] = [];
    await new Promise<void>((resolve, reject) => agent({ model, tools: [deleteFile(ran)] }).streamEvents('Clean up', { approvals }).subscribe({
      next: (e) => {
        events.push(e);
        // Decided synchronously inside the request's handler.
        if (e.event === 'on_custom_event') approvals.next({ approvalId: (e.data as ApprovalRequest).approvalId, approved: false, reason: 'keep it' });
      },
      error: reject,
      complete: resolve,
    }));
    const requests = events.filter((e) => e.event === 'on_custom_event');
    expect(requests.map((e) => [e.name, e.data])).toEqual([['tool_approval_request', { approvalId: 'd1', toolCall: { id: 'd1', name: 'delete_file', args: { path: 'a.txt' } } }]]);
    // As a client of the SSE 'rxllm' format reads it.
    expect(parseRxllmJson(stringifyRxllmJson(requests[0]))).toEqual(requests[0]);
    expect(ran).toEqual([]);
    const toModel = model.calls[1].messages[2] as ToolMessage;
    expect([toModel.status, toModel.content]).toEqual(['error', 'Error: the call of tool "delete_file" was denied: keep it. Do not call it again with the same arguments.']);
    expect(approvals.observed).toBe(false);
  });

  it('without a source of decisions, ends after the turn with pendingApprovals, and resumes on the stored history', async () => {
    const ran: string[] = [];
    const model = new ScriptedChatModel({ responses: [callBoth, 'Both done.'] });
    const assistant = agent({ model, tools: [deleteFile(ran), weather] });
    const first = await assistant.invoke('Clean up');
    expect(first.pendingApprovals).toEqual([{ approvalId: 'd1', toolCall: { id: 'd1', name: 'delete_file', args: { path: 'a.txt' } } }]);
    expect([first.stoppedAtMaxSteps, first.stoppedByCondition, first.steps]).toEqual([false, false, 1]);
    expect(first.messages.map((m) => m.type)).toEqual(['ai', 'tool']);
    expect(ran).toEqual([]);
    expect(model.calls).toHaveLength(1);

    const history = revive([new HumanMessage('Clean up'), ...first.messages]);
    const resumed = await assistant.invoke(history, { approvals: of({ approvalId: 'd1', approved: true }) });
    expect(ran).toEqual(['a.txt']);
    expect(resumed.messages.map((m) => m.type)).toEqual(['tool', 'ai']);
    expect(resumed.pendingApprovals).toEqual([]);
    expect(resumed.output.content).toBe('Both done.');
    // The pending call was answered before the model was called again, which saw every answer.
    expect(model.calls).toHaveLength(2);
    expect(model.calls[1].messages.map((m) => (m.type === 'tool' ? `tool:${(m as ToolMessage).toolCallId}` : m.type))).toEqual(['human', 'ai', 'tool:w1', 'tool:d1']);
  });

  it('a resumed run still without the decision waits again, without calling the model', async () => {
    const model = new ScriptedChatModel({ responses: [callDelete('d1', 'a.txt')] });
    const assistant = agent({ model, tools: [deleteFile()] });
    const first = await assistant.invoke('Clean up');
    const again = await assistant.invoke(revive([new HumanMessage('Clean up'), ...first.messages]), { approvals: of({ approvalId: 'other', approved: true }) });
    expect(again.pendingApprovals.map((r) => r.approvalId)).toEqual(['d1']);
    expect(again.messages).toEqual([]);
    expect(again.steps).toBe(0);
    expect(again.output.toolCalls.map((c) => c.id)).toEqual(['d1']);
    expect(model.calls).toHaveLength(1);
  });

  it('completes the stream after the turn when a request gets no decision', () => {
    createTestScheduler().run(({ expectObservable }) => {
      const model = new ScriptedChatModel({ responses: [callDelete('d1', 'a.txt'), 'never'], intervalMs: 1 });
      expectObservable(agent({ model, tools: [deleteFile()] }).stream('Clean up').pipe(map(label))).toBe('-(a|)', { a: 'call' });
    });
  });

  it('lets go of the decisions when unsubscribed while waiting: no tool, no model turn', () => {
    const ran: string[] = [];
    const model = new ScriptedChatModel({ responses: [callDelete('d1', 'a.txt'), 'never'], intervalMs: 1 });
    const approvals = new Subject<ApprovalDecision>();
    createTestScheduler().run(({ expectObservable }) => {
      const out = agent({ model, tools: [deleteFile(ran)], approvals }).stream('Clean up').pipe(map(label));
      expectObservable(out, '^----!').toBe('-a', { a: 'call' });
    });
    expect(approvals.observed).toBe(false);
    approvals.next({ approvalId: 'd1', approved: true });
    expect(ran).toEqual([]);
    expect(model.calls).toHaveLength(1);
  });

  it('fails the run when the source of decisions errors', () => {
    createTestScheduler().run(({ hot, expectObservable }) => {
      const model = new ScriptedChatModel({ responses: [callDelete('d1', 'a.txt')], intervalMs: 1 });
      const approvals = hot<ApprovalDecision>('---#', undefined, new Error('approvals lost'));
      expectObservable(agent({ model, tools: [deleteFile()], approvals }).stream('Clean up').pipe(map(label))).toBe('-a-#', { a: 'call' }, new Error('approvals lost'));
    });
  });

  it('lets config.approvals replace the agent\'s for one run', async () => {
    const ran: string[] = [];
    const model = new ScriptedChatModel({ responses: [callDelete('d1', 'a.txt'), 'Ok.'] });
    const assistant = agent({ model, tools: [deleteFile(ran)], approvals: of({ approvalId: 'd1', approved: false }) });
    await assistant.invoke('Clean up', { approvals: of({ approvalId: 'd1', approved: true }) });
    expect(ran).toEqual(['a.txt']);
    await assistant.invoke('Clean up');
    expect(ran).toEqual(['a.txt']);
  });
});
