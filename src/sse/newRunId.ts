/**
 * A fresh run id: a random UUID where the platform has one (Node, browsers, workers), else 128
 * random bits from `Math.random`. Ids name runs in frame ids and URLs, so they are URL-safe.
 */
export function newRunId(): string {
  const crypto = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (typeof crypto?.randomUUID === 'function') return crypto.randomUUID();
  let id = '';
  for (let i = 0; i < 4; i++) id += Math.floor(Math.random() * 0x1_0000_0000).toString(16).padStart(8, '0');
  return id;
}
