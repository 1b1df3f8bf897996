import type { IncomingMessage, ServerResponse } from 'node:http';

/** One request and its response as `node:http` sees them, whichever framework delivered them. */
export interface NodeExchange {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  /** The body a framework already parsed, if it did. */
  readonly parsedBody: unknown;
  /** Route parameters a framework matched (`runId` in `/chat/:runId`). */
  readonly params: Readonly<Record<string, string>>;
}

/** What Fastify hands a route handler: a request and a reply around the `node:http` pair. */
interface FastifyLike {
  request: { raw: IncomingMessage; body?: unknown; params?: unknown };
  reply: { raw: ServerResponse; hijack(): unknown };
}

/**
 * The `node:http` pair behind a handler's arguments: `(request, response)` from `node:http` or
 * Express, or `(request, reply)` from Fastify, whose reply is hijacked so that Fastify leaves the
 * stream to us.
 */
export function toNodeExchange(first: unknown, second: unknown): NodeExchange {
  if (isFastify(first, second)) {
    second.hijack();
    const request = first as FastifyLike['request'];
    return { request: request.raw, response: second.raw, parsedBody: request.body, params: recordOf(request.params) };
  }
  const request = first as IncomingMessage & { body?: unknown; params?: unknown };
  return { request, response: second as ServerResponse, parsedBody: request.body, params: recordOf(request.params) };
}

function isFastify(first: unknown, second: unknown): second is FastifyLike['reply'] & object {
  return typeof first === 'object' && first !== null && 'raw' in first
    && typeof second === 'object' && second !== null && 'raw' in second && typeof (second as FastifyLike['reply']).hijack === 'function';
}

function recordOf(value: unknown): Readonly<Record<string, string>> {
  return typeof value === 'object' && value !== null ? (value as Record<string, string>) : {};
}
