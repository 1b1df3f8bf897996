/**
 * A fresh run id: a random UUID where the platform has one (Node, browsers, workers), else a
 * UUID-shaped id of `Math.random` digits. Ids name runs in events, frame ids and URLs, so they are
 * URL-safe.
 */
export function newRunId(): string {
  const crypto = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (typeof crypto?.randomUUID === 'function') return crypto.randomUUID();
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 16).toString(16)).join('');
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${hex(4)}-${hex(12)}`;
}
