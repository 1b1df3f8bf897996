import { Observable, Subject, animationFrameScheduler, asyncScheduler, map, of, throwError, timer } from 'rxjs';
import { z } from 'zod';
import {
  APIConnectionError, AIMessage, AIMessageChunk, ChatSession, InvalidOptionError, ProviderError, RxllmError, agent, dispatchCustomEvent, tool,
  type ChatHistory, type ChatMessage, type ChatState, type StoredChat, type StreamEvent, type BaseMessage, type ChatTransport, type StructuredTool,
} from '../../src/index.js';
import { ScriptedChatModel, createTestScheduler } from '../../src/testing/index.js';

/** Message ids m1, m2, … so snapshots can be compared whole. */
const counter = (prefix = 'm') => {
  let n = 0;
  return () => `${prefix}${++n}`;
};

/** A snapshot in a few characters: the status, then each message as role initial and text. */
const brief = (state: ChatState) => `${state.status}:${state.messages.map((m) => `${m.role[0]}=${m.text}${m.stopped ? '(stopped)' : ''}`).join('|')}`;

const weather = tool(({ city }) => ({ city, tempC: 21 }), { name: 'get_weather', description: 'Weather', schema: z.object({ city: z.string() }) });
const callWeather = (id: string, city: string) => [
  { toolCallChunks: [{ index: 0, id, name: 'get_weather', args: '{"ci' }] },
  { toolCallChunks: [{ index: 0, args: `ty":"${city}"}` }] },
];

const deleteFile = (ran: string[] = []) => tool(({ path }) => {
  ran.push(path);
  return `deleted ${path}`;
}, { name: 'delete_file', description: 'Deletes a file', schema: z.object({ path: z.string() }), needsApproval: true });
const callDelete = (id: string, path: string) => [{ toolCallChunks: [{ index: 0, id, name: 'delete_file', args: JSON.stringify({ path }) }] }];

/** A session over an agent on `model`, unthrottled, with counted ids. */
const sessionOver = (model: ScriptedChatModel, extra: Partial<ConstructorParameters<typeof ChatSession>[0]> = {}, tools: ReadonlyArray<StructuredTool<any, any>> = [weather]) =>
  new ChatSession({ runnable: agent({ model, tools }), throttle: false, generateId: counter(), ...extra } as ConstructorParameters<typeof ChatSession>[0]);

describe('ChatSession over a runnable', () => {
  it('goes ready → submitted → streaming → ready for one answer, in virtual time', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const model = ScriptedChatModel.fromMarbles('-a-(b|)', { a: 'Hel', b: 'lo' });
      const chat = sessionOver(model);
      cold('-s').subscribe(() => chat.send('Hi'));
      cold('---------d').subscribe(() => chat.dispose());
      expectObservable(chat.state$.pipe(map(brief))).toBe('ast-(ur)-|', {
        a: 'ready:', s: 'submitted:u=Hi', t: 'streaming:u=Hi|a=Hel', u: 'streaming:u=Hi|a=Hello', r: 'ready:u=Hi|a=Hello',
      });
    });
  });

  it('gives the current snapshot to a late subscriber at once, and state is the same object', () => {
    const chat = sessionOver(new ScriptedChatModel({ responses: ['Hello there'] }));
    chat.send('Hi');
    const seen: ChatState[] = [];
    chat.state$.subscribe((state) => seen.push(state)).unsubscribe();
    expect(seen).toEqual([chat.state]);
    expect(seen[0]).toBe(chat.state);
    expect(brief(chat.state)).toBe('ready:u=Hi|a=Hello there');
    expect(chat.state.usage).toEqual([{ messageId: 'm2', inputTokens: 1, outputTokens: 3, totalTokens: 4, stopped: false, estimated: true }]);
  });

  it('stops mid-answer: the request is unsubscribed, the partial answer kept as stopped, one estimated usage record', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<AIMessageChunk>('-a-b-c-d|', { a: new AIMessageChunk('One '), b: new AIMessageChunk('two '), c: new AIMessageChunk('three '), d: new AIMessageChunk('four') });
      const model = new ScriptedChatModel({ responses: [''] });
      (model as unknown as { _streamChunks: () => Observable<AIMessageChunk> })._streamChunks = () => source;
      const chat = sessionOver(model);
      chat.send('Count');
      cold('----x').subscribe(() => chat.stop());
      cold('------d').subscribe(() => chat.dispose());
      expectObservable(chat.state$.pipe(map(brief))).toBe('st-ur-|', {
        s: 'submitted:u=Count', t: 'streaming:u=Count|a=One ', u: 'streaming:u=Count|a=One two ', r: 'ready:u=Count|a=One two (stopped)',
      });
      expectSubscriptions(source.subscriptions).toBe('^---!');
    });
  });

  it('records the server\'s usage on stop when it arrived (estimated: false)', () => {
    createTestScheduler().run(({ cold, flush }) => {
      const usage = { inputTokens: 12, outputTokens: 3, totalTokens: 15 };
      const model = ScriptedChatModel.fromMarbles('-a-b-c|', { a: 'Par', b: { content: 'tial', usage }, c: 'never' });
      const chat = sessionOver(model);
      chat.send('Go');
      cold('----x').subscribe(() => chat.stop());
      flush();
      expect(chat.state.usage).toEqual([{ messageId: 'm2', inputTokens: 12, outputTokens: 3, totalTokens: 15, stopped: true, estimated: false }]);
      expect(chat.state.messages[1]).toEqual({ id: 'm2', role: 'assistant', text: 'Partial', stopped: true });
    });
  });

  it('stopped before the first token: an empty stopped answer, and the request\'s input counted', () => {
    createTestScheduler().run(({ cold, flush }) => {
      const chat = sessionOver(ScriptedChatModel.fromMarbles('-----a|', { a: 'late' }));
      chat.send('Twelve chars');
      cold('--x').subscribe(() => chat.stop());
      flush();
      expect(chat.state.messages.map((m) => [m.role, m.text, m.stopped])).toEqual([['user', 'Twelve chars', undefined], ['assistant', '', true]]);
      expect(chat.state.usage).toEqual([{ messageId: 'm2', inputTokens: 3, outputTokens: 0, totalTokens: 3, stopped: true, estimated: true }]);
      expect(chat.state.status).toBe('ready');
    });
  });

  it('keeps the identity of unchanged messages while another streams', () => {
    createTestScheduler().run(({ cold, flush }) => {
      const model = new ScriptedChatModel({ responses: ['First answer', 'Second one here'], intervalMs: 1 });
      const chat = sessionOver(model);
      const snapshots: ChatState[] = [];
      chat.state$.subscribe((state) => snapshots.push(state));
      chat.send('One');
      cold('----------x').subscribe(() => chat.send('Two'));
      flush();
      const finalFirst = snapshots.find((s) => s.messages.length === 3)!.messages;
      const streaming = snapshots.filter((s) => s.messages.length === 4);
      expect(streaming.length).toBeGreaterThan(2);
      for (const state of streaming) {
        expect(state.messages[0]).toBe(finalFirst[0]);
        expect(state.messages[1]).toBe(finalFirst[1]);
        expect(state.messages[2]).toBe(finalFirst[2]);
      }
      // Each change gives the streaming message a new object.
      expect(new Set(streaming.map((s) => s.messages[3])).size).toBe(streaming.length - 1);
    });
  });

  it('send during an answer stops it first (kept, marked stopped, its usage recorded), then asks', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const model = new ScriptedChatModel({ responses: ['one two three four', 'Next'], chunkBy: 'word', intervalMs: 2 });
      const chat = sessionOver(model);
      chat.send('Count');
      cold('---n').subscribe(() => chat.send('Stop and answer this'));
      cold('----------d').subscribe(() => chat.dispose());
      expectObservable(chat.state$.pipe(map(brief))).toBe('s-tu-(ar)-|', {
        s: 'submitted:u=Count', t: 'streaming:u=Count|a=one',
        u: 'submitted:u=Count|a=one(stopped)|u=Stop and answer this', a: 'streaming:u=Count|a=one(stopped)|u=Stop and answer this|a=Next',
        r: 'ready:u=Count|a=one(stopped)|u=Stop and answer this|a=Next',
      });
    });
  });

  it('saves a running answer\'s cursor with the conversation, and forgets it once the answer is over', () => {
    const store = memoryStore();
    const events = new Subject<unknown>();
    const transport: ChatTransport = { send: () => events as never, resume: () => of(), stop: () => Promise.resolve() };
    const chat = new ChatSession({ transport, history: store, throttle: false, generateId: counter() });
    chat.send('Hi');
    events.next({ kind: 'event', event: modelChunk('r1', 'Hel'), cursor: { runId: 'run1', lastEventId: 'run1:1' } });
    expect(store.saved!.running).toMatchObject({ cursor: { runId: 'run1', lastEventId: 'run1:1' }, start: 1, modelRuns: { r1: 'm2' } });
    expect(store.saved!.messages.map((m) => m.text)).toEqual(['Hi', 'Hel']);
    events.complete();
    expect(store.saved!.running).toBeUndefined();
    expect(store.saved!.usage).toHaveLength(1);
  });

  it('regenerates the last answer (or a given one): what followed its question is replaced', async () => {
    const model = new ScriptedChatModel({ responses: ['A1', 'A2', 'B1', 'A3'] });
    const chat = sessionOver(model);
    chat.send('Q1');
    chat.regenerate();
    expect(brief(chat.state)).toBe('ready:u=Q1|a=A2');
    chat.send('Q2');
    expect(brief(chat.state)).toBe('ready:u=Q1|a=A2|u=Q2|a=B1');
    chat.regenerate(chat.state.messages[1].id);
    expect(brief(chat.state)).toBe('ready:u=Q1|a=A3');
    expect(model.calls[3].messages.map((m) => m.content)).toEqual(['Q1']);
    expect(chat.state.usage).toHaveLength(4);
  });

  it('edits a user message and answers it again', () => {
    const model = new ScriptedChatModel({ responses: ['A1', 'B1', 'A2'] });
    const chat = sessionOver(model);
    chat.send('Q1');
    chat.send('Q2');
    const first = chat.state.messages[0];
    chat.edit(first.id, 'Q1 edited');
    expect(brief(chat.state)).toBe('ready:u=Q1 edited|a=A2');
    expect(chat.state.messages[0]).toEqual({ ...first, text: 'Q1 edited' });
    expect(model.calls[2].messages.map((m) => m.content)).toEqual(['Q1 edited']);
  });

  it('shows a typed, masked error with retryable, and retry() resends the same request', () => {
    const model = new ScriptedChatModel({ responses: [new ProviderError('Upstream down, key sk-abcdefghijklmnop', { status: 503 }), 'Recovered'] });
    const chat = sessionOver(model);
    chat.send('Hi');
    expect(chat.state.status).toBe('error');
    expect(chat.state.error).toEqual({ kind: 'provider', message: 'The model provider could not answer the request', retryable: true });
    chat.retry();
    expect(brief(chat.state)).toBe('ready:u=Hi|a=Recovered');
    expect(chat.state.error).toBeUndefined();
    expect(model.calls.map((c) => c.messages.map((m) => m.content))).toEqual([['Hi'], ['Hi']]);
  });

  it('never shows the text of an error it does not know', () => {
    const chat = new ChatSession({ runnable: { streamEvents: () => throwError(() => new Error('ENOENT /home/me/secret.txt')) }, throttle: false });
    chat.send('Hi');
    expect(chat.state.error).toEqual({ kind: 'internal', message: 'Something went wrong on the server', retryable: false });
  });

  it('drops a failed answer\'s partial text on retry, and retry does nothing while an answer runs', () => {
    createTestScheduler().run(({ cold, flush }) => {
      const first = cold<AIMessageChunk>('-a-#', { a: new AIMessageChunk('Half') }, new APIConnectionError('cut'));
      const second = cold<AIMessageChunk>('-a---b|', { a: new AIMessageChunk('Whole '), b: new AIMessageChunk('answer') });
      const streams = [first, second];
      const model = new ScriptedChatModel({ responses: [''] });
      (model as unknown as { _streamChunks: () => Observable<AIMessageChunk> })._streamChunks = () => streams.shift()!;
      const chat = sessionOver(model);
      chat.send('Hi');
      cold('----r-r').subscribe(() => chat.retry());
      flush();
      expect(brief(chat.state)).toBe('ready:u=Hi|a=Whole answer');
      expect(chat.state.usage.map((u) => u.stopped)).toEqual([false, false]);
    });
  });

  it('streams live tool-call arguments, then the tool\'s result, then the next turn', () => {
    createTestScheduler().run(({ flush }) => {
      const model = new ScriptedChatModel({ responses: [callWeather('c1', 'Paris'), 'It is 21.'], intervalMs: 1 });
      const chat = sessionOver(model);
      const states: ChatState[] = [];
      chat.state$.subscribe((s) => states.push(s));
      chat.send('Weather?');
      flush();
      const calls = states.map((s) => s.messages[1]?.toolCalls?.[0]).filter(Boolean);
      expect(calls[0]).toEqual({ id: 'c1', name: 'get_weather', argsText: '{"ci', args: {}, state: 'streaming-args' });
      expect(calls.map((c) => c!.state)).toEqual(expect.arrayContaining(['streaming-args', 'running', 'done']));
      expect(calls[calls.length - 1]).toEqual({ id: 'c1', name: 'get_weather', argsText: '{"city":"Paris"}', args: { city: 'Paris' }, state: 'done', result: { city: 'Paris', tempC: 21 } });
      expect(chat.state.messages.map((m) => [m.role, m.text, m.toolCallId])).toEqual([
        ['user', 'Weather?', undefined], ['assistant', '', undefined], ['tool', '{"city":"Paris","tempC":21}', 'c1'], ['assistant', 'It is 21.', undefined],
      ]);
      expect(chat.state.usage).toHaveLength(1);
    });
  });

  it('shows reasoning and a tool\'s progress', () => {
    createTestScheduler().run(({ flush }) => {
      const slow = tool(({ city }, { config }) => {
        dispatchCustomEvent('progress', { stage: 'fetching' }, config);
        return timer(2).pipe(map(() => `${city}: sunny`));
      }, { name: 'get_weather', description: 'x', schema: z.object({ city: z.string() }) });
      const model = new ScriptedChatModel({ responses: [[{ reasoning: 'Need weather.' }, ...callWeather('c1', 'Rome')], 'Sunny.'], intervalMs: 1 });
      const chat = sessionOver(model, {}, [slow]);
      const progress: unknown[] = [];
      chat.state$.subscribe((s) => progress.push(s.messages[1]?.toolCalls?.[0]?.progress));
      chat.send('Weather?');
      flush();
      expect(chat.state.messages[1].reasoning).toBe('Need weather.');
      expect(progress).toContainEqual({ stage: 'fetching' });
      expect(chat.state.messages[1].toolCalls![0]).toEqual(expect.objectContaining({ state: 'done', result: 'Rome: sunny' }));
      // The value that turned out to be the result is no progress.
      expect(chat.state.messages[1].toolCalls![0].progress).toBeUndefined();
    });
  });

  it('puts an approval request into pendingApprovals; approve lets the waiting run go on', () => {
    const ran: string[] = [];
    const chat = sessionOver(new ScriptedChatModel({ responses: [callDelete('d1', 'a.txt'), 'Deleted.'] }), {}, [deleteFile(ran)]);
    chat.send('Clean up');
    expect(chat.state.pendingApprovals).toEqual([{ approvalId: 'd1', toolCall: { id: 'd1', name: 'delete_file', args: { path: 'a.txt' } } }]);
    expect(chat.state.messages[1].toolCalls![0].state).toBe('pending-approval');
    expect(chat.state.status).toBe('streaming');
    chat.approve('d1');
    expect(ran).toEqual(['a.txt']);
    expect(brief(chat.state)).toBe('ready:u=Clean up|a=|t=deleted a.txt|a=Deleted.');
    expect(chat.state.pendingApprovals).toEqual([]);
    expect(chat.state.messages[1].toolCalls![0].state).toBe('done');
  });

  it('deny: the call does not run and the model reads the reason', () => {
    const ran: string[] = [];
    const model = new ScriptedChatModel({ responses: [callDelete('d1', 'a.txt'), 'Kept it.'] });
    const chat = sessionOver(model, {}, [deleteFile(ran)]);
    chat.send('Clean up');
    chat.deny('d1', 'keep it');
    expect(ran).toEqual([]);
    expect(chat.state.messages[1].toolCalls![0].state).toBe('denied');
    expect(model.calls[1].messages[2].content).toMatch(/keep it/);
    expect(brief(chat.state)).toMatch(/\|a=Kept it\.$/);
    expect(() => chat.approve('d1')).toThrow(InvalidOptionError);
  });

  it('approve after a reload (no run waiting): the stored conversation is sent again with the decision', () => {
    const ran: string[] = [];
    const store = memoryStore();
    const first = sessionOver(new ScriptedChatModel({ responses: [callDelete('d1', 'a.txt')] }), { history: store }, [deleteFile(ran)]);
    first.send('Clean up');
    // The page reloads while the run waits: a new session reads what was saved.
    expect(store.saved!.pendingApprovals).toHaveLength(1);
    const model = new ScriptedChatModel({ responses: ['Deleted.'] });
    const second = sessionOver(model, { history: store, generateId: counter('n') }, [deleteFile(ran)]);
    expect(second.state.pendingApprovals.map((r) => r.approvalId)).toEqual(['d1']);
    second.approve('d1');
    expect(ran).toEqual(['a.txt']);
    expect(model.calls[0].messages.map((m) => m.type)).toEqual(['human', 'ai', 'tool']);
    expect(brief(second.state)).toBe('ready:u=Clean up|a=|t=deleted a.txt|a=Deleted.');
    first.dispose();
  });

  it('addToolResult answers a call the runnable left open, and the answer goes on', () => {
    const model = new ScriptedChatModel({ responses: [callWeather('c1', 'Oslo'), 'Cold in Oslo.'] });
    // A bare model: it streams the call and ends; the client runs the tool.
    const chat = new ChatSession({ runnable: model.bindTools([weather]), throttle: false, generateId: counter() });
    chat.send('Weather?');
    expect(chat.state.messages[1].toolCalls![0]).toMatchObject({ id: 'c1', state: 'running', args: { city: 'Oslo' } });
    chat.addToolResult('c1', { tempC: -3 });
    expect(chat.state.messages[1].toolCalls![0]).toMatchObject({ state: 'done', result: { tempC: -3 } });
    expect(model.calls[1].messages.map((m) => [m.type, m.content])).toEqual([['human', 'Weather?'], ['ai', ''], ['tool', '{"tempC":-3}']]);
    expect(brief(chat.state)).toBe('ready:u=Weather?|a=|t={"tempC":-3}|a=Cold in Oslo.');
    expect(() => chat.addToolResult('c1', 1)).toThrow(InvalidOptionError);
  });

  it('refuses bad input with typed errors where the call is made', () => {
    const chat = sessionOver(new ScriptedChatModel({ responses: ['x'] }));
    expect(() => chat.send('  ')).toThrow(InvalidOptionError);
    expect(() => chat.edit('nope', 'x')).toThrow('ChatSession.edit: messageId must be the id of a user message');
    expect(() => chat.regenerate('nope')).toThrow(InvalidOptionError);
    expect(() => chat.deny('nope')).toThrow(InvalidOptionError);
    expect(() => new ChatSession({} as never)).toThrow(InvalidOptionError);
    expect(() => new ChatSession({ runnable: agent({ model: new ScriptedChatModel({ responses: ['x'] }), tools: [] }), maxHistoryTokens: 0 })).toThrow('maxHistoryTokens');
    expect(() => new ChatSession({ runnable: { streamEvents: () => of() }, throttle: 5 as never })).toThrow('throttle');
  });

  it('while an answer runs, addToolResult refuses calls that are not waiting for approval', () => {
    const running = new ChatSession({ runnable: { streamEvents: () => new Observable<StreamEvent>() }, throttle: false, initialMessages: [{ id: 'a', role: 'assistant', text: '', toolCalls: [{ id: 'c9', name: 't', argsText: '{}', args: {}, state: 'running' }] }] });
    running.send('go');
    expect(() => running.addToolResult('c9', 1)).toThrow(RxllmError);
    running.dispose();
  });
});

describe('ChatSession: throttle', () => {
  it('emits at most once per tick, always the last state', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const model = ScriptedChatModel.fromMarbles('-(abc)-(de|)', { a: 'a', b: 'b', c: 'c', d: 'd', e: 'e' });
      const chat = new ChatSession({ runnable: agent({ model, tools: [] }), throttle: asyncScheduler, generateId: counter() });
      chat.send('Hi');
      cold('----------x').subscribe(() => chat.dispose());
      expectObservable(chat.state$.pipe(map(brief))).toBe('ab-----c--|', { a: 'submitted:u=Hi', b: 'streaming:u=Hi|a=abc', c: 'ready:u=Hi|a=abcde' });
    });
  });

  it('on animation frames, emits once a frame', () => {
    createTestScheduler().run(({ animate, cold, expectObservable }) => {
      animate('---x---x---x');
      const model = ScriptedChatModel.fromMarbles('-a---(b|)', { a: '1', b: '2' });
      const chat = new ChatSession({ runnable: model, throttle: animationFrameScheduler, generateId: counter() });
      chat.send('Hi');
      cold('-----------x').subscribe(() => chat.dispose());
      expectObservable(chat.state$.pipe(map(brief))).toBe('a--b---c---|', { a: 'submitted:u=Hi', b: 'streaming:u=Hi|a=1', c: 'ready:u=Hi|a=12' });
    });
  });
});

describe('ChatSession: reentrancy and teardown', () => {
  it('runs a method called from inside a state$ subscriber after the snapshot is delivered, in order', () => {
    const model = new ScriptedChatModel({ responses: ['Hello', 'Again'] });
    const chat = sessionOver(model);
    const seen: string[] = [];
    let asked = false;
    chat.state$.subscribe((state) => {
      seen.push(brief(state));
      if (state.status === 'ready' && state.messages.length === 2 && !asked) {
        asked = true;
        chat.send('More');
        seen.push('after send');
      }
    });
    chat.send('Hi');
    expect(seen).toEqual([
      'ready:', 'submitted:u=Hi', 'streaming:u=Hi|a=Hello', 'ready:u=Hi|a=Hello', 'after send',
      'submitted:u=Hi|a=Hello|u=More', 'streaming:u=Hi|a=Hello|u=More|a=Again', 'ready:u=Hi|a=Hello|u=More|a=Again',
    ]);
  });

  it('calls made from the first snapshot a subscriber gets run after it', () => {
    const chat = sessionOver(new ScriptedChatModel({ responses: ['Yes'] }));
    const seen: string[] = [];
    chat.state$.subscribe((state) => {
      if (!seen.length) chat.send('Hi');
      seen.push(brief(state));
    });
    expect(seen).toEqual(['ready:', 'submitted:u=Hi', 'streaming:u=Hi|a=Yes', 'ready:u=Hi|a=Yes']);
  });

  it('dispose cancels the running answer, completes state$ and releases the approvals channel', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<AIMessageChunk>('-a-b-c|', { a: new AIMessageChunk('x'), b: new AIMessageChunk('y'), c: new AIMessageChunk('z') });
      const model = new ScriptedChatModel({ responses: [''] });
      (model as unknown as { _streamChunks: () => Observable<AIMessageChunk> })._streamChunks = () => source;
      const chat = sessionOver(model);
      chat.send('Hi');
      cold('--d').subscribe(() => chat.dispose());
      expectObservable(chat.state$.pipe(map(brief))).toBe('ab(c|)', { a: 'submitted:u=Hi', b: 'streaming:u=Hi|a=x', c: 'ready:u=Hi|a=x(stopped)' });
      expectSubscriptions(source.subscriptions).toBe('^-!');
    });
  });

  it('dispose while a run waits for an approval unsubscribes the run', () => {
    const chat = sessionOver(new ScriptedChatModel({ responses: [callDelete('d1', 'a.txt'), 'never'] }), {}, [deleteFile()]);
    chat.send('Clean up');
    expect(chat.state.status).toBe('streaming');
    let completed = false;
    chat.state$.subscribe({ complete: () => (completed = true) });
    chat.dispose();
    expect(completed).toBe(true);
    expect(chat.state.status).toBe('ready');
    expect(chat.state.pendingApprovals).toEqual([]);
    chat.send('ignored after dispose');
    expect(chat.state.messages).toHaveLength(2);
  });

  it('an unsubscribed state$ subscriber gets nothing more', () => {
    const chat = sessionOver(new ScriptedChatModel({ responses: ['Hi there'] }));
    const seen: ChatState[] = [];
    chat.state$.subscribe((s) => seen.push(s)).unsubscribe();
    chat.send('Hi');
    expect(seen).toHaveLength(1);
  });
});

describe('ChatSession: history', () => {
  it('loads a stored conversation and saves each settled answer', () => {
    const store = memoryStore({ messages: [{ id: 'old1', role: 'user', text: 'Before' }, { id: 'old2', role: 'assistant', text: 'Earlier answer' }] });
    const model = new ScriptedChatModel({ responses: ['Now'] });
    const chat = sessionOver(model, { history: store });
    expect(brief(chat.state)).toBe('ready:u=Before|a=Earlier answer');
    chat.send('Again');
    expect(model.calls[0].messages.map((m) => m.content)).toEqual(['Before', 'Earlier answer', 'Again']);
    expect(store.saved!.messages.map((m) => m.text)).toEqual(['Before', 'Earlier answer', 'Again', 'Now']);
    expect(store.saved!.usage).toHaveLength(1);
  });

  it('waits for an asynchronous load before it acts', async () => {
    let resolve!: (chat: StoredChat) => void;
    const history: ChatHistory = { load: () => new Promise<StoredChat>((r) => (resolve = r)), save: () => undefined };
    const model = new ScriptedChatModel({ responses: ['Answer'] });
    const chat = sessionOver(model, { history });
    chat.send('Queued');
    expect(chat.state.messages).toEqual([]);
    resolve({ messages: [{ id: 'x', role: 'user', text: 'Stored' }, { id: 'y', role: 'assistant', text: 'Old' }] });
    await Promise.resolve();
    await Promise.resolve();
    expect(brief(chat.state)).toBe('ready:u=Stored|a=Old|u=Queued|a=Answer');
  });

  it('shows a failing load as an error and starts from initialMessages', () => {
    const chat = sessionOver(new ScriptedChatModel({ responses: ['x'] }), {
      history: { load: () => { throw new Error('disk on fire /var/x'); }, save: () => undefined },
      initialMessages: [{ id: 'i', role: 'assistant', text: 'Welcome' }],
    });
    expect(chat.state.status).toBe('error');
    expect(chat.state.error!.message).not.toMatch(/disk/);
    expect(chat.state.messages.map((m) => m.text)).toEqual(['Welcome']);
  });

  it('trims what it sends to maxHistoryTokens, keeping a tool call with its result', () => {
    const model = new ScriptedChatModel({ responses: ['ok'] });
    const long = 'x'.repeat(400); // 100 tokens
    const initialMessages: ChatMessage[] = [
      { id: '1', role: 'user', text: long },
      { id: '2', role: 'assistant', text: '', toolCalls: [{ id: 'c1', name: 'get_weather', argsText: '{"city":"Oslo"}', args: { city: 'Oslo' }, state: 'done' }] },
      { id: '3', role: 'tool', text: long, toolCallId: 'c1' },
      { id: '4', role: 'assistant', text: 'short' },
    ];
    const chat = sessionOver(model, { initialMessages, maxHistoryTokens: 60 });
    chat.send('Q');
    expect(model.calls[0].messages.map((m) => m.type)).toEqual(['ai', 'human']);
    const wide = sessionOver(new ScriptedChatModel({ responses: ['ok'] }), { initialMessages, maxHistoryTokens: 120 });
    wide.send('Q');
    const sent = (wide as unknown as { runnable: { options: { model: ScriptedChatModel } } }).runnable.options.model.calls[0].messages;
    expect(sent.map((m: BaseMessage) => m.type)).toEqual(['ai', 'tool', 'ai', 'human']);
  });

  it('leaves out calls without results (a stopped answer\'s) from what it sends', () => {
    const model = new ScriptedChatModel({ responses: ['ok'] });
    const initialMessages: ChatMessage[] = [
      { id: '1', role: 'user', text: 'Q1' },
      { id: '2', role: 'assistant', text: 'Part', stopped: true, toolCalls: [{ id: 'c1', name: 'get_weather', argsText: '{"ci', state: 'error' }] },
    ];
    const chat = sessionOver(model, { initialMessages });
    chat.send('Q2');
    const sent = model.calls[0].messages;
    expect(sent.map((m) => m.type)).toEqual(['human', 'ai', 'human']);
    expect((sent[1] as AIMessage).toolCalls).toEqual([]);
  });
});

describe('ChatSession over a transport', () => {
  /** A transport whose runs are Subjects the test drives. */
  const scriptedTransport = () => {
    const runs: Array<{ request: unknown; events: Subject<never> }> = [];
    const stopped: string[] = [];
    const transport: ChatTransport = {
      send: (request) => new Observable((subscriber) => {
        const events = new Subject<never>();
        runs.push({ request, events });
        return events.subscribe(subscriber);
      }),
      resume: () => of(),
      stop: (runId) => {
        stopped.push(runId);
        return Promise.resolve();
      },
    };
    return { transport, runs, stopped };
  };

  it('shows reconnecting while the transport reconnects', () => {
    const { transport, runs } = scriptedTransport();
    const chat = new ChatSession({ transport, throttle: false });
    chat.send('Hi');
    const run = runs[0].events as unknown as Subject<unknown>;
    run.next({ kind: 'reconnecting', reconnecting: true });
    expect(chat.state.reconnecting).toBe(true);
    run.next({ kind: 'event', event: modelChunk('r1', 'Hello'), cursor: { runId: 'run1', lastEventId: 'run1:1' } });
    expect(chat.state.reconnecting).toBe(false);
    expect(chat.state.messages[1].text).toBe('Hello');
    chat.stop();
  });

  it('a stop before the first event still reaches the server, by the run id the transport reported', () => {
    const { transport, runs, stopped } = scriptedTransport();
    const chat = new ChatSession({ transport, throttle: false });
    chat.send('Hi');
    (runs[0].events as unknown as Subject<unknown>).next({ kind: 'started', cursor: { runId: 'run7' } });
    expect(chat.state.status).toBe('submitted');
    chat.stop();
    expect(stopped).toEqual(['run7']);
    expect(runs[0].events.observed).toBe(false);
    expect(chat.state.messages.map((m) => [m.role, m.stopped])).toEqual([['user', undefined], ['assistant', true]]);
  });

  it('after a connection lost for good, resume() re-attaches at the last event; retry() would resend instead', () => {
    const { transport, runs } = scriptedTransport();
    const resumed: unknown[] = [];
    const tail = new Subject<unknown>();
    transport.resume = (cursor) => {
      resumed.push(cursor);
      return tail as never;
    };
    const chat = new ChatSession({ transport, throttle: false, generateId: counter() });
    chat.send('Hi');
    const run = runs[0].events as unknown as Subject<unknown>;
    run.next({ kind: 'event', event: modelChunk('r1', 'Hel'), cursor: { runId: 'run1', lastEventId: 'run1:1' } });
    run.error(new APIConnectionError('The stream broke'));
    expect(chat.state.error).toEqual({ kind: 'connection', message: 'The model provider could not be reached', retryable: true });
    chat.resume();
    expect(resumed).toEqual([{ runId: 'run1', lastEventId: 'run1:1' }]);
    tail.next({ kind: 'event', event: modelChunk('r1', 'lo'), cursor: { runId: 'run1', lastEventId: 'run1:2' } });
    tail.complete();
    expect(brief(chat.state)).toBe('ready:u=Hi|a=Hello');
    // Nothing left to re-attach to.
    chat.resume();
    expect(resumed).toHaveLength(1);
    expect(runs).toHaveLength(1);
  });

  it('over a transport the run ends with the approval pending; the decisions go out with the next request', () => {
    const { transport, runs } = scriptedTransport();
    const chat = new ChatSession({ transport, throttle: false, generateId: counter() });
    chat.send('Clean up');
    const run = runs[0].events as unknown as Subject<unknown>;
    const calls = new AIMessageChunk({ toolCallChunks: [{ index: 0, id: 'd1', name: 'delete_file', args: '{"path":"a"}' }, { index: 1, id: 'd2', name: 'delete_file', args: '{"path":"b"}' }] });
    run.next({ kind: 'event', event: { ...modelChunk('r1', ''), data: { chunk: calls } } });
    for (const id of ['d1', 'd2']) {
      run.next({ kind: 'event', event: { event: 'on_custom_event', name: 'tool_approval_request', run_id: 'x', parent_ids: [], tags: [], metadata: {}, data: { approvalId: id, toolCall: { id, name: 'delete_file', args: {} } } } });
    }
    run.complete();
    expect(chat.state.status).toBe('ready');
    expect(chat.state.pendingApprovals.map((r) => r.approvalId)).toEqual(['d1', 'd2']);
    chat.approve('d1');
    expect(runs).toHaveLength(1);
    chat.deny('d2', 'not b');
    expect(runs).toHaveLength(2);
    expect(runs[1].request).toEqual({
      messages: [{ role: 'user', text: 'Clean up' }, { role: 'assistant', text: '', toolCalls: [{ id: 'd1', name: 'delete_file', args: { path: 'a' } }, { id: 'd2', name: 'delete_file', args: { path: 'b' } }] }],
      approvals: [{ approvalId: 'd1', approved: true }, { approvalId: 'd2', approved: false, reason: 'not b' }],
    });
    chat.dispose();
  });
});

/** An `on_chat_model_stream` event of model run `runId`. */
function modelChunk(runId: string, text: string): StreamEvent {
  return { event: 'on_chat_model_stream', name: 'Model', run_id: runId, parent_ids: [], tags: [], metadata: {}, data: { chunk: new AIMessageChunk(text) } };
}

function memoryStore(initial?: StoredChat): ChatHistory & { saved?: StoredChat } {
  const store: ChatHistory & { saved?: StoredChat } = {
    load: () => store.saved,
    save: (chat) => void (store.saved = chat),
  };
  store.saved = initial;
  return store;
}
