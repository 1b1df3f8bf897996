// Angular ships ES modules only; Jest on Node 20 reads them through this CommonJS bundle.
jest.mock('@angular/core', () => jest.requireActual('./angularCore').loadAngularCore());

// @ts-ignore TS1479: an ES module imported from CommonJS, which the mock above makes true
import { computed, createEnvironmentInjector, Injector, runInInjectionContext, type EnvironmentInjector } from '@angular/core';
import { asyncScheduler, map, Observable } from 'rxjs';
import { z } from 'zod';
import { injectChat, type InjectedChat } from '../../src/angular/index';
import { agent, AIMessageChunk, InvalidOptionError, ProviderError, tool, type ChatMessage, type ChatSessionOptions } from '../../src/index';
import { createTestScheduler, ScriptedChatModel } from '../../src/testing/index';

/** An injector standing in for a component's: destroying it is the component going away. */
function environment(): EnvironmentInjector {
  return createEnvironmentInjector([], Injector.create({ providers: [] }) as EnvironmentInjector);
}

/** Message ids m1, m2, … so messages can be compared whole. */
function counter(): () => string {
  let n = 0;
  return () => `m${++n}`;
}

/** `injectChat` in a fresh injection context, unthrottled unless said otherwise, with counted ids. */
function chatIn(injector: EnvironmentInjector, options: ChatSessionOptions): InjectedChat {
  return runInInjectionContext(injector, () => injectChat({ throttle: false, generateId: counter(), ...options }));
}

/** What the signals read, in a few characters: the status (`*` while streaming), then each message. */
function brief(chat: InjectedChat): string {
  const messages = chat.messages().map((m) => `${m.role[0]}=${m.text}${m.stopped ? '(stopped)' : ''}`).join('|');
  return `${chat.status()}${chat.isStreaming() ? '*' : ''}:${messages}`;
}

/**
 * The signals as a marble stream: read on every snapshot of the session. injectChat subscribed
 * first, so each read sees what a template would after that snapshot.
 */
function signalsOver(chat: InjectedChat): Observable<string> {
  return chat.session.state$.pipe(map(() => brief(chat)));
}

/** A model whose one answer is the marble source `source` (its subscriptions recorded by the scheduler). */
function modelOver(source: Observable<AIMessageChunk>): ScriptedChatModel {
  const model = new ScriptedChatModel({ responses: [''] });
  (model as unknown as { _streamChunks: () => Observable<AIMessageChunk> })._streamChunks = () => source;
  return model;
}

const chunks = (...texts: string[]) => Object.fromEntries(texts.map((text, i) => [String.fromCharCode(97 + i), new AIMessageChunk(text)]));

describe('injectChat: the injection context', () => {
  it('refuses to run outside an injection context, naming itself', () => {
    expect(() => injectChat({ runnable: new ScriptedChatModel({ responses: ['Hi'] }), throttle: false })).toThrow(/NG0203.*injectChat/s);
  });

  it('passes bad options on as the session\'s typed error, and registers nothing', () => {
    const injector = environment();
    expect(() => chatIn(injector, {} as ChatSessionOptions)).toThrow(InvalidOptionError);
    expect(() => chatIn(injector, { runnable: {} } as unknown as ChatSessionOptions)).toThrow(/ChatSession.*runnable/);
    injector.destroy();
  });

  it('gives each injection context its own session', () => {
    const first = environment();
    const second = environment();
    const model = new ScriptedChatModel({ responses: ['Hi'] });
    const a = chatIn(first, { runnable: model });
    const b = chatIn(second, { runnable: model });
    expect(a.session).not.toBe(b.session);
    a.send('Hello');
    expect(a.messages().map((m) => m.text)).toEqual(['Hello', 'Hi']);
    expect(b.messages()).toEqual([]);
    first.destroy();
    expect(b.status()).toBe('ready');
    b.send('Still here');
    expect(b.messages().map((m) => m.text)).toEqual(['Still here', 'Hi']);
    second.destroy();
  });
});

describe('injectChat: the signals', () => {
  it('follow every snapshot: ready → submitted → streaming → ready, isStreaming while a request is in flight', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const source = cold('-a-b-(c|)', chunks('One ', 'two ', 'three'));
      const injector = environment();
      const chat = chatIn(injector, { runnable: modelOver(source) });
      cold('-s').subscribe(() => chat.send('Count'));
      cold('----------d').subscribe(() => injector.destroy());
      expectObservable(signalsOver(chat)).toBe('ast-u-(vr)|', {
        a: 'ready:',
        s: 'submitted*:u=Count',
        t: 'streaming*:u=Count|a=One ',
        u: 'streaming*:u=Count|a=One two ',
        v: 'streaming*:u=Count|a=One two three',
        r: 'ready:u=Count|a=One two three',
      });
    });
  });

  it('are read-only, start from the session\'s state, and state() is the session\'s snapshot', () => {
    const injector = environment();
    const chat = chatIn(injector, { runnable: new ScriptedChatModel({ responses: ['Hello brave new world'] }) });
    expect([chat.status(), chat.messages(), chat.isStreaming(), chat.usage(), chat.pendingApprovals(), chat.error(), chat.reconnecting()])
      .toEqual(['ready', [], false, [], [], undefined, false]);
    for (const signal of [chat.state, chat.messages, chat.status, chat.error, chat.usage, chat.pendingApprovals, chat.isStreaming, chat.reconnecting]) {
      expect('set' in signal || 'update' in signal).toBe(false);
    }
    chat.send('Hi');
    expect(chat.state()).toBe(chat.session.state);
    expect(chat.messages()).toBe(chat.session.state.messages);
    expect(chat.usage()).toEqual([expect.objectContaining({ messageId: 'm2', stopped: false, estimated: true })]);
    injector.destroy();
  });

  it('start with a restored history at once (a synchronous store), or once an asynchronous one has loaded', async () => {
    const stored: ChatMessage[] = [{ id: 'u1', role: 'user', text: 'Earlier' }, { id: 'a1', role: 'assistant', text: 'Answer' }];
    const injector = environment();
    const sync = chatIn(injector, { runnable: new ScriptedChatModel({ responses: ['x'] }), history: { load: () => stored, save: () => undefined } });
    expect(sync.messages()).toEqual(stored);

    let loaded!: (messages: ChatMessage[]) => void;
    const later = chatIn(injector, {
      runnable: new ScriptedChatModel({ responses: ['x'] }),
      history: { load: () => new Promise<ChatMessage[]>((resolve) => (loaded = resolve)), save: () => undefined },
    });
    expect(later.messages()).toEqual([]);
    loaded(stored);
    await Promise.resolve();
    await Promise.resolve();
    expect(later.messages()).toEqual(stored);
    injector.destroy();
  });

  it('throttled, change at most once per tick of the scheduler and always end on the final state', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const source = cold('-(abc)-(de|)', chunks('a', 'b', 'c', 'd', 'e'));
      const injector = environment();
      const chat = chatIn(injector, { runnable: modelOver(source), throttle: asyncScheduler });
      chat.send('Hi');
      cold('----------x').subscribe(() => injector.destroy());
      // The signals are set as the session publishes, so they are read here as a template would be.
      expectObservable(signalsOver(chat)).toBe('ab-----c--|', {
        a: 'submitted*:u=Hi', b: 'streaming*:u=Hi|a=abc', c: 'ready:u=Hi|a=abcde',
      });
    });
  });

  it('notify only the parts that changed: an unchanged message keeps its identity, a computed over usage does not rerun while text streams', () => {
    createTestScheduler().run(({ cold, flush }) => {
      const source = cold('-a-b-c-(d|)', chunks('1', '2', '3', '4'));
      const injector = environment();
      const chat = chatIn(injector, { runnable: modelOver(source) });
      let usageRuns = 0;
      const answers = computed(() => {
        usageRuns += 1;
        return chat.usage().length;
      });
      chat.send('Go');
      const question = chat.messages()[0];
      const seen: Array<[ChatMessage, number]> = [];
      chat.session.state$.subscribe(() => seen.push([chat.messages()[0], answers()]));
      flush();
      expect(seen.length).toBeGreaterThanOrEqual(5);
      expect(seen.every(([first]) => first === question)).toBe(true);
      // Once before the usage record arrived, once when it did.
      expect(seen.map(([, count]) => count)).toEqual([...seen.slice(0, -1).map(() => 0), 1]);
      expect(usageRuns).toBe(2);
      injector.destroy();
    });
  });
});

describe('injectChat: the methods', () => {
  it('are bound: they work destructured, as template handlers use them', () => {
    createTestScheduler().run(({ cold, expectSubscriptions, flush }) => {
      const source = cold('-a-b-c-d|', chunks('a ', 'b ', 'c ', 'd'));
      const injector = environment();
      const { send, stop, regenerate, status, messages, usage } = chatIn(injector, { runnable: modelOver(source) });
      send('Go');
      cold('----x').subscribe(() => stop());
      cold('------r').subscribe(() => regenerate());
      flush();
      expect(status()).toBe('ready');
      expect(messages().map((m) => [m.role, m.text, m.stopped ?? false])).toEqual([['user', 'Go', false], ['assistant', 'a b c d', false]]);
      expect(usage().map((u) => u.stopped)).toEqual([true, false]);
      expectSubscriptions(source.subscriptions).toBe(['^---!', '------^-------!']);
      injector.destroy();
    });
  });

  it('stop: the request is cancelled, the answer kept as stopped with an estimated usage record, status ready', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-c-d|', chunks('One ', 'two ', 'three ', 'four'));
      const injector = environment();
      const chat = chatIn(injector, { runnable: modelOver(source) });
      chat.send('Count');
      cold('----x').subscribe(() => chat.stop());
      cold('------d').subscribe(() => injector.destroy());
      expectObservable(signalsOver(chat)).toBe('st-ur-|', {
        s: 'submitted*:u=Count', t: 'streaming*:u=Count|a=One ', u: 'streaming*:u=Count|a=One two ', r: 'ready:u=Count|a=One two (stopped)',
      });
      expectSubscriptions(source.subscriptions).toBe('^---!');
      cold('-----x').subscribe(() => expect(chat.usage()).toEqual([
        { messageId: 'm2', inputTokens: expect.any(Number), outputTokens: expect.any(Number), totalTokens: expect.any(Number), stopped: true, estimated: true },
      ]));
    });
  });

  it('an error shows in error() masked, with retryable; retry() resends and clears it', () => {
    const injector = environment();
    const model = new ScriptedChatModel({ responses: [new ProviderError('Upstream down, key sk-abcdefghijklmnop', { status: 503 }), 'Recovered'] });
    const chat = chatIn(injector, { runnable: agent({ model, tools: [] }) });
    chat.send('Hi');
    expect([chat.status(), chat.isStreaming()]).toEqual(['error', false]);
    expect(chat.error()).toEqual({ kind: 'provider', message: 'The model provider could not answer the request', retryable: true });
    expect(JSON.stringify(chat.state())).not.toContain('abcdefghijklmnop');
    chat.retry();
    expect(brief(chat)).toBe('ready:u=Hi|a=Recovered');
    expect(chat.error()).toBeUndefined();
    injector.destroy();
  });

  it('approvals: a tool that needs one shows in pendingApprovals; approve runs it, deny reaches the model', () => {
    const ran: string[] = [];
    const remove = tool(({ path }) => {
      ran.push(path);
      return `deleted ${path}`;
    }, { name: 'delete_file', description: 'Deletes a file', schema: z.object({ path: z.string() }), needsApproval: true });
    const call = (id: string, path: string) => [{ toolCallChunks: [{ index: 0, id, name: 'delete_file', args: JSON.stringify({ path }) }] }];
    const model = new ScriptedChatModel({ responses: [call('d1', 'a.txt'), 'Deleted.', call('d2', 'b.txt'), 'Kept it.'] });
    const injector = environment();
    const chat = chatIn(injector, { runnable: agent({ model, tools: [remove] }) });

    chat.send('Delete a.txt');
    expect(chat.pendingApprovals()).toEqual([{ approvalId: 'd1', toolCall: { id: 'd1', name: 'delete_file', args: { path: 'a.txt' } } }]);
    expect(chat.messages()[1].toolCalls?.[0].state).toBe('pending-approval');
    expect(ran).toEqual([]);
    chat.approve('d1');
    expect(chat.pendingApprovals()).toEqual([]);
    expect(ran).toEqual(['a.txt']);
    expect(chat.messages().map((m) => m.text).slice(-1)).toEqual(['Deleted.']);

    chat.send('Delete b.txt');
    expect(chat.pendingApprovals().map((r) => r.approvalId)).toEqual(['d2']);
    chat.deny('d2', 'Not that one');
    expect(ran).toEqual(['a.txt']);
    expect(chat.status()).toBe('ready');
    expect(model.calls[model.calls.length - 1].messages.map((m) => String(m.content)).join(' ')).toContain('Not that one');
    expect(() => chat.approve('d2')).toThrow(InvalidOptionError);
    injector.destroy();
  });
});

describe('injectChat: teardown', () => {
  it('destroying the injection context cancels the running request; the signals end on the stopped answer', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-c-d|', chunks('a ', 'b ', 'c ', 'd'));
      const injector = environment();
      const chat = chatIn(injector, { runnable: modelOver(source) });
      chat.send('Go');
      cold('----x').subscribe(() => injector.destroy());
      // The session's last snapshot is the stopped answer; then its stream completes with the injector.
      expectObservable(signalsOver(chat)).toBe('st-u(r|)', {
        s: 'submitted*:u=Go', t: 'streaming*:u=Go|a=a ', u: 'streaming*:u=Go|a=a b ', r: 'ready:u=Go|a=a b (stopped)',
      });
      expectSubscriptions(source.subscriptions).toBe('^---!');
      cold('--------x').subscribe(() => {
        expect(chat.usage().map((u) => u.stopped)).toEqual([true]);
        // A method called after the component went away does nothing.
        chat.send('Anyone?');
        chat.stop();
        expect(brief(chat)).toBe('ready:u=Go|a=a b (stopped)');
      });
    });
  });

  it('the context may be destroyed from inside a snapshot\'s delivery (a component removed by what it shows)', () => {
    createTestScheduler().run(({ cold, expectSubscriptions, flush }) => {
      const source = cold('-a-b-c|', chunks('x', 'y', 'z'));
      const injector = environment();
      const chat = chatIn(injector, { runnable: modelOver(source) });
      const seen: string[] = [];
      let destroyed = false;
      chat.session.state$.subscribe((state) => {
        seen.push(`${state.status}:${state.messages[1]?.text ?? ''}`);
        if (state.messages[1]?.text === 'xy' && !destroyed) {
          destroyed = true;
          injector.destroy();
        }
      });
      chat.send('Go');
      flush();
      expect(seen).toEqual(['ready:', 'submitted:', 'streaming:x', 'streaming:xy', 'ready:xy']);
      expectSubscriptions(source.subscriptions).toBe('^--!');
      expect(brief(chat)).toBe('ready:u=Go|a=xy(stopped)');
    });
  });

  it('a session with no request running is disposed too: its state$ completes', () => {
    const injector = environment();
    const chat = chatIn(injector, { runnable: new ScriptedChatModel({ responses: ['Hi'] }) });
    let completed = false;
    chat.session.state$.subscribe({ complete: () => (completed = true) });
    injector.destroy();
    expect(completed).toBe(true);
  });
});
