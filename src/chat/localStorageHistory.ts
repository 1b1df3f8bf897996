import { InvalidOptionError } from '../errors/InvalidOptionError.js';
import type { ChatHistory, StoredChat } from './ChatHistory.js';

/** The part of the Web Storage API a history needs (`localStorage`, `sessionStorage`, or your own). */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/**
 * A chat history kept under `key` in `localStorage` (or any `Storage`-like object), as JSON, so a
 * conversation and a running answer survive a page reload. A value that is not a stored chat (an
 * older format, hand edits) is read as an empty chat rather than failing the session.
 *
 * @example
 * ```ts
 * import { ChatSession, localStorageHistory } from 'rxllm';
 * const chat = new ChatSession({ transport, history: localStorageHistory('support-chat') });
 * ```
 *
 * @param key The storage key.
 * @param storage Where to keep it. Default `globalThis.localStorage`.
 * @return A history store for `ChatSession`.
 */
export function localStorageHistory(key: string, storage?: StorageLike): ChatHistory {
  if (typeof key !== 'string' || key === '') throw new InvalidOptionError('localStorageHistory', 'key', 'a non-empty string', key);
  const store = storage ?? (globalThis as { localStorage?: StorageLike }).localStorage;
  if (!store || typeof store.getItem !== 'function' || typeof store.setItem !== 'function') {
    throw new InvalidOptionError('localStorageHistory', 'storage', 'a Storage-like object (getItem, setItem); this platform has no localStorage', storage);
  }
  return {
    load: () => {
      const text = store.getItem(key);
      if (text === null) return undefined;
      try {
        const value: unknown = JSON.parse(text);
        return isStoredChat(value) ? value : undefined;
      } catch {
        return undefined;
      }
    },
    save: (chat: StoredChat) => store.setItem(key, JSON.stringify(chat)),
  };
}

function isStoredChat(value: unknown): value is StoredChat {
  if (typeof value !== 'object' || value === null || !Array.isArray((value as StoredChat).messages)) return false;
  return (value as StoredChat).messages.every((m) => typeof m === 'object' && m !== null && typeof m.id === 'string' && typeof m.text === 'string'
    && (m.role === 'user' || m.role === 'assistant' || m.role === 'tool'));
}
