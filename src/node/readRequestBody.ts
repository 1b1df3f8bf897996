import type { IncomingMessage } from 'node:http';

/** Why a request body was refused: the HTTP status and what to tell the client. */
export class RequestBodyProblem {
  constructor(readonly status: 400 | 413, readonly message: string) {}
}

/**
 * The request's body parsed as JSON (`undefined` when empty), reading at most `maxBytes`. A body
 * that a framework already parsed (Express's `express.json()`, Fastify) is taken as it is.
 */
export async function readRequestBody(request: IncomingMessage, parsed: unknown, maxBytes: number): Promise<unknown> {
  if (parsed !== undefined) return parsed;
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw new RequestBodyProblem(413, `The request body is larger than ${maxBytes} bytes`);
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of request as AsyncIterable<Buffer>) {
    size += part.length;
    if (size > maxBytes) throw new RequestBodyProblem(413, `The request body is larger than ${maxBytes} bytes`);
    parts.push(part);
  }
  const text = Buffer.concat(parts).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new RequestBodyProblem(400, 'The request body is not valid JSON');
  }
}
