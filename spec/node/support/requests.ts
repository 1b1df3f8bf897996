import { request as httpRequest, type IncomingMessage } from 'node:http';

/** A raw HTTP answer: status, headers and the whole body text. */
export interface RawAnswer {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
}

/** Sends one request with `node:http` and reads the whole answer. */
export function rawRequest(url: string, options: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'POST', headers: { ...(options.body !== undefined && { 'content-type': 'application/json' }), ...options.headers } }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The data frame ids in a body, in order. */
export function frameIds(body: string): string[] {
  return [...body.matchAll(/^id: (.+)$/gm)].map((match) => match[1]);
}

/** Resolves after `ms` milliseconds. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves once `condition()` holds, checking every few milliseconds; rejects after `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`Condition not met within ${timeoutMs} ms`);
    await delay(2);
  }
}
