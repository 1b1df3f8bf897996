import { Observable, filter, from } from 'rxjs';
import { z } from 'zod';
import { toBaseMessages } from '../../src/chat/chatMessagesInternals.js';
import {
  ChatSession, InvalidOptionError, agent, localStorageHistory, tool, type ChatState, type ChatTransportRequest, type StorageLike, type StreamEvent,
} from '../../src/index.js';
import { sseEndpoint, type SseEndpointOptions } from '../../src/node/sseEndpoint.js';
import { sseTransport } from '../../src/sse/sseTransport.js';
import { ScriptedChatModel } from '../../src/testing/index.js';
import { startEndpointServer, type EndpointServer } from '../node/support/startEndpointServer.js';
import { waitFor } from '../node/support/requests.js';

const ANSWER = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');

const chatBody = z.object({
  messages: z.array(z.object({ role: z.enum(['user', 'assistant', 'tool']), text: z.string() }).loose()),
  approvals: z.array(z.object({ approvalId: z.string(), approved: z.boolean(), reason: z.string().optional() })).optional(),
});

/** What the server saw of its runs: each request's body, and when each model stream was let go. */
interface ServerRecord {
  bodies: ChatTransportRequest[];
  released: number;
  signals: AbortSignal[];
}

/**
 * An endpoint on loopback whose handler runs an agent over the posted conversation (as the Angular
 * example's server does); the model's stream is watched so a spec sees when it is released.
 */
async function serveAgent(
  model: ScriptedChatModel,
  tools: Parameters<typeof agent>[0]['tools'] = [],
  options: Partial<SseEndpointOptions<z.infer<typeof chatBody>>> = {},
  keep: (event: StreamEvent) => boolean = () => true,
) {
  const record: ServerRecord = { bodies: [], released: 0, signals: [] };
  const assistant = agent({ model, tools });
  const endpoint = sseEndpoint((body, { signal }) => {
    record.bodies.push(body as ChatTransportRequest);
    record.signals.push(signal);
    const events$ = assistant.streamEvents(toBaseMessages((body as ChatTransportRequest).messages), { signal, approvals: from(body.approvals ?? []) }).pipe(filter(keep));
    return new Observable<StreamEvent>((subscriber) => {
      const subscription = events$.subscribe(subscriber);
      return () => {
        subscription.unsubscribe();
        record.released++;
      };
    });
  }, { format: 'rxllm', schema: chatBody, heartbeatMs: 1_000, ...options });
  const server = await startEndpointServer(endpoint);
  return { server, record, endpoint };
}

/** Resolves with the session's state once `condition` holds for it. */
function stateWhere(chat: ChatSession, condition: (state: ChatState) => boolean, timeoutMs = 5_000): Promise<ChatState> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.unsubscribe();
      reject(new Error(`No state matched within ${timeoutMs} ms; last: ${JSON.stringify({ status: chat.state.status, messages: chat.state.messages.map((m) => m.text) })}`));
    }, timeoutMs);
    const subscription = chat.state$.subscribe((state) => {
      if (!condition(state)) return;
      clearTimeout(timer);
      queueMicrotask(() => subscription.unsubscribe());
      resolve(state);
    });
  });
}

const answerText = (state: ChatState) => state.messages.filter((m) => m.role === 'assistant').map((m) => m.text).join('');

function fakeStorage(): StorageLike {
  const items = new Map<string, string>();
  return { getItem: (key) => items.get(key) ?? null, setItem: (key, value) => void items.set(key, value) };
}

describe('sseTransport with a ChatSession, against a real sseEndpoint on loopback', () => {
  let served: EndpointServer | undefined;
  const sessions: ChatSession[] = [];
  const session = (options: ConstructorParameters<typeof ChatSession>[0]) => {
    const chat = new ChatSession({ throttle: false, ...options } as ConstructorParameters<typeof ChatSession>[0]);
    sessions.push(chat);
    return chat;
  };
  afterEach(async () => {
    sessions.splice(0).forEach((chat) => chat.dispose());
    await served?.close();
    served = undefined;
  });

  it('posts the conversation as { messages } and streams the answer, with the server\'s usage', async () => {
    const model = new ScriptedChatModel({ responses: ['Hello over the wire', 'Second answer'], usage: true });
    const { server, record } = await serveAgent(model);
    served = server;
    const chat = session({ transport: sseTransport(server.url) });
    chat.send('Hi');
    const first = await stateWhere(chat, (s) => s.status === 'ready' && s.messages.length === 2);
    expect(first.messages[1].text).toBe('Hello over the wire');
    expect(first.usage).toEqual([expect.objectContaining({ messageId: first.messages[1].id, estimated: false, stopped: false })]);
    chat.send('Again');
    await stateWhere(chat, (s) => s.status === 'ready' && s.messages.length === 4);
    expect(record.bodies[1]).toEqual({ messages: [{ role: 'user', text: 'Hi' }, { role: 'assistant', text: 'Hello over the wire' }, { role: 'user', text: 'Again' }] });
  });

  it('a dropped connection reconnects with Last-Event-ID: reconnecting shows, the text arrives once', async () => {
    const model = new ScriptedChatModel({ responses: [ANSWER], chunkBy: 'word', intervalMs: 10 });
    const { server } = await serveAgent(model, [], { replay: true });
    served = server;
    const chat = session({ transport: sseTransport(server.url, { reconnect: { initialDelayMs: 20 } }) });
    const flags: boolean[] = [];
    chat.state$.subscribe((s) => flags.push(s.reconnecting));
    chat.send('Count');
    await stateWhere(chat, (s) => answerText(s).split(' ').length > 8);
    for (const socket of server.sockets) socket.destroy();
    const done = await stateWhere(chat, (s) => s.status === 'ready');
    expect(answerText(done)).toBe(ANSWER);
    expect(flags).toContain(true);
    expect(done.reconnecting).toBe(false);
    expect(done.error).toBeUndefined();
  });

  it('reconnecting shows from the drop, through the backoff, until the next event', async () => {
    const model = new ScriptedChatModel({ responses: [ANSWER], chunkBy: 'word', intervalMs: 10 });
    const { server } = await serveAgent(model, [], { replay: true });
    served = server;
    let requests = 0;
    const counting: typeof fetch = (input, init) => {
      requests++;
      return fetch(input, init);
    };
    const chat = session({ transport: sseTransport(server.url, { reconnect: { initialDelayMs: 300 }, fetch: counting }) });
    chat.send('Count');
    await stateWhere(chat, (s) => answerText(s).split(' ').length > 8);
    for (const socket of server.sockets) socket.destroy();
    // Well before the 300 ms backoff ends, with the second request not yet made.
    const dropped = await stateWhere(chat, (s) => s.reconnecting);
    expect(requests).toBe(1);
    expect(dropped.status).toBe('streaming');
    const done = await stateWhere(chat, (s) => s.status === 'ready');
    expect(requests).toBe(2);
    expect(answerText(done)).toBe(ANSWER);
    expect(done.reconnecting).toBe(false);
  });

  it('stop() cancels the request and reaches the server (DELETE), whose run is released', async () => {
    // 40 words 25 ms apart: the run would go on for about a second after the stop.
    const model = new ScriptedChatModel({ responses: [ANSWER], chunkBy: 'word', intervalMs: 25 });
    const { server, record, endpoint } = await serveAgent(model, [], { replay: true });
    served = server;
    const chat = session({ transport: sseTransport(server.url) });
    chat.send('Count');
    await stateWhere(chat, (s) => answerText(s).length > 20);
    chat.stop();
    expect(chat.state.status).toBe('ready');
    const stopped = chat.state.messages[1];
    expect(stopped.stopped).toBe(true);
    expect(chat.state.usage).toEqual([expect.objectContaining({ stopped: true, estimated: true, messageId: stopped.id })]);
    // With replay, leaving alone would not stop the run: the DELETE does.
    await waitFor(() => record.released === 1 && endpoint.activeRuns === 0, 300);
    expect(record.signals[0].aborted).toBe(true);
    expect(ANSWER.startsWith(stopped.text)).toBe(true);
    expect(stopped.text.length).toBeLessThan(ANSWER.length);
  });

  it('an approval round trip: the run ends waiting, the decision is posted with the conversation, the agent goes on', async () => {
    const ran: string[] = [];
    const deleteFile = tool(({ path }) => {
      ran.push(path);
      return `deleted ${path}`;
    }, { name: 'delete_file', description: 'Deletes a file', schema: z.object({ path: z.string() }), needsApproval: true });
    const model = new ScriptedChatModel({ responses: [[{ toolCallChunks: [{ index: 0, id: 'd1', name: 'delete_file', args: '{"path":"a.txt"}' }] }], 'Deleted it.'] });
    const { server, record } = await serveAgent(model, [deleteFile]);
    served = server;
    const chat = session({ transport: sseTransport(server.url) });
    chat.send('Clean up');
    const waiting = await stateWhere(chat, (s) => s.status === 'ready' && s.pendingApprovals.length === 1);
    expect(waiting.pendingApprovals).toEqual([{ approvalId: 'd1', toolCall: { id: 'd1', name: 'delete_file', args: { path: 'a.txt' } } }]);
    expect(ran).toEqual([]);
    chat.approve('d1');
    const done = await stateWhere(chat, (s) => s.status === 'ready' && s.messages.length === 4);
    expect(ran).toEqual(['a.txt']);
    expect(record.bodies[1]).toEqual({
      messages: [{ role: 'user', text: 'Clean up' }, { role: 'assistant', text: '', toolCalls: [{ id: 'd1', name: 'delete_file', args: { path: 'a.txt' } }] }],
      approvals: [{ approvalId: 'd1', approved: true }],
    });
    expect(done.messages.map((m) => [m.role, m.text])).toEqual([['user', 'Clean up'], ['assistant', ''], ['tool', 'deleted a.txt'], ['assistant', 'Deleted it.']]);
    expect(done.messages[1].toolCalls![0].state).toBe('done');
  });

  it('resume() after a reload re-attaches with GET <url>/<runId> and Last-Event-ID: nothing twice, nothing missing', async () => {
    const model = new ScriptedChatModel({ responses: [ANSWER], chunkBy: 'word', intervalMs: 10 });
    // Only the text events go over the wire here, so an event received twice would show twice in the text.
    const { server } = await serveAgent(model, [], { replay: true }, (event) => event.event === 'on_chat_model_stream');
    served = server;
    const storage = fakeStorage();
    const requests: string[] = [];
    const watching = (async (input: string, init: RequestInit) => {
      requests.push(`${init.method} ${new URL(input).pathname} ${(init.headers as Record<string, string>)['last-event-id'] ?? '-'}`);
      return fetch(input, init);
    }) as typeof fetch;
    // The first page: its connection dies with it (no reconnection, no stop).
    const before = session({ transport: sseTransport(server.url, { reconnect: false, fetch: watching }), history: localStorageHistory('chat', storage) });
    before.send('Count');
    await stateWhere(before, (s) => answerText(s).split(' ').length > 8);
    for (const socket of server.sockets) socket.destroy();
    await stateWhere(before, (s) => s.status === 'error');
    // The reloaded page: the partial answer is there, and resume() goes on from its last event.
    const after = session({ transport: sseTransport(server.url, { fetch: watching }), history: localStorageHistory('chat', storage) });
    const partial = answerText(after.state);
    expect(partial.length).toBeGreaterThan(0);
    expect(ANSWER.startsWith(partial)).toBe(true);
    after.resume();
    const done = await stateWhere(after, (s) => s.status === 'ready');
    expect(answerText(done)).toBe(ANSWER);
    const resumeRequest = requests[requests.length - 1];
    expect(resumeRequest).toMatch(/^GET \/chat\/[\w-]+ [\w-]+:\d+$/);
  });

  it('refuses a format other than rxllm and an empty URL', () => {
    expect(() => sseTransport('/chat', { format: 'ai-sdk-ui' as never })).toThrow(InvalidOptionError);
    expect(() => sseTransport('')).toThrow(InvalidOptionError);
  });
});
