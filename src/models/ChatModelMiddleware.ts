import { defer, type Observable } from 'rxjs';
import type { AIMessageChunk } from '../messages/AIMessageChunk.js';
import type { BaseMessage } from '../messages/messages.js';
import type { ChatModelCallOptions } from './ChatModelCallOptions.js';

/** One request of a chat model: the messages it sends and the options it sends them with. */
export interface ChatModelRequest {
  messages: BaseMessage[];
  options: ChatModelCallOptions;
}

/**
 * A layer around a chat model's calls, added with `model.withMiddleware(...)`. Both hooks are
 * optional and synchronous in what they return, so a wrapped model still streams in virtual time.
 */
export interface ChatModelMiddleware {
  /**
   * The request to send instead of `request` (redact, trim, add a system message, change tools).
   * Called once per call, before the model's start event, which shows its result; keep it free
   * of side effects.
   */
  transformRequest?(request: ChatModelRequest): ChatModelRequest;
  /**
   * The chunks the caller receives instead of those `next()` produces (subscribe to it, or don't:
   * a cache answers without calling the model). `request` is the request as this layer and the
   * layers outside it have transformed it. Whatever this returns is what the model's stream
   * events report; nothing is buffered unless the middleware buffers itself.
   */
  wrapStream?(next: () => Observable<AIMessageChunk>, request: ChatModelRequest): Observable<AIMessageChunk>;
}

/**
 * The request as each layer sees it, outermost first: `requests[i]` has passed the transforms of
 * `middlewares[0..i]`; the last one is what the model receives.
 */
export function transformRequests(middlewares: readonly ChatModelMiddleware[], request: ChatModelRequest): ChatModelRequest[] {
  const requests: ChatModelRequest[] = [];
  let current = request;
  for (const middleware of middlewares) {
    current = middleware.transformRequest ? middleware.transformRequest(current) : current;
    requests.push(current);
  }
  return requests;
}

/** `call(final request)` wrapped by each layer's `wrapStream`, the first layer outermost. */
export function wrapStreams(middlewares: readonly ChatModelMiddleware[], requests: readonly ChatModelRequest[], call: (request: ChatModelRequest) => Observable<AIMessageChunk>): Observable<AIMessageChunk> {
  let stream = (): Observable<AIMessageChunk> => call(requests[requests.length - 1]);
  for (let i = middlewares.length - 1; i >= 0; i--) {
    const { wrapStream } = middlewares[i];
    if (!wrapStream) continue;
    const inner = stream;
    // `defer`: a layer that throws fails the stream, and nothing runs before it is subscribed.
    stream = () => defer(() => wrapStream.call(middlewares[i], inner, requests[i]));
  }
  return stream();
}
