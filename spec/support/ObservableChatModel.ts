import type { Observable } from 'rxjs';
import { AIMessageChunk, BaseChatModel, type BaseMessage } from '../../src/index.js';

/**
 * A chat model answering every call with a given Observable (typically a `cold()` from a
 * TestScheduler), so specs can assert the model's subscription frames.
 */
export class ObservableChatModel extends BaseChatModel {
  readonly received: BaseMessage[][] = [];

  constructor(private readonly answer: (messages: BaseMessage[]) => Observable<AIMessageChunk>) {
    super();
  }

  protected override _streamChunks(messages: BaseMessage[]): Observable<AIMessageChunk> {
    this.received.push(messages);
    return this.answer(messages);
  }
}

/** Chunks with the given texts, keyed like marble values. */
export function textChunks<K extends string>(values: Record<K, string>): Record<K, AIMessageChunk> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, new AIMessageChunk(v as string)])) as Record<K, AIMessageChunk>;
}
