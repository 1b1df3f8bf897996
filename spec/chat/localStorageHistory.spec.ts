import { ChatSession, InvalidOptionError, localStorageHistory, type StorageLike } from '../../src/index.js';
import { ScriptedChatModel } from '../../src/testing/index.js';

/** A Storage-like map, as a browser's localStorage behaves. */
function fakeStorage(): StorageLike & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return { items, getItem: (key) => items.get(key) ?? null, setItem: (key, value) => void items.set(key, String(value)) };
}

describe('localStorageHistory', () => {
  it('keeps a conversation as JSON under its key, so a new session (a reload) starts from it', () => {
    const storage = fakeStorage();
    const first = new ChatSession({ runnable: new ScriptedChatModel({ responses: ['Hello'] }), history: localStorageHistory('chat', storage), throttle: false });
    first.send('Hi');
    expect(JSON.parse(storage.items.get('chat')!).messages.map((m: { text: string }) => m.text)).toEqual(['Hi', 'Hello']);
    const second = new ChatSession({ runnable: new ScriptedChatModel({ responses: ['x'] }), history: localStorageHistory('chat', storage), throttle: false });
    expect(second.state.messages).toEqual(first.state.messages);
    expect(second.state.usage).toEqual(first.state.usage);
  });

  it('reads a value that is not a stored chat as an empty chat', () => {
    const storage = fakeStorage();
    storage.setItem('a', '{not json');
    storage.setItem('b', JSON.stringify({ messages: [{ role: 'robot', text: 1 }] }));
    expect(localStorageHistory('a', storage).load()).toBeUndefined();
    expect(localStorageHistory('b', storage).load()).toBeUndefined();
    expect(localStorageHistory('c', storage).load()).toBeUndefined();
  });

  it('refuses a missing key or a platform without storage', () => {
    expect(() => localStorageHistory('', fakeStorage())).toThrow(InvalidOptionError);
    // Node has no localStorage: the message says what to pass.
    expect(() => localStorageHistory('chat')).toThrow(/Storage-like object/);
  });
});
