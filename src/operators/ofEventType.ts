import { filter, type OperatorFunction } from 'rxjs';
import type { StreamEvent, StreamEventName } from '../events/StreamEvent.js';

/**
 * Keeps the events whose `event` is one of `names`, narrowing their type.
 *
 * ```
 * source: --s--t--e--|     s = on_chat_model_start, t = on_chat_model_stream, e = on_chat_model_end
 * ofEventType('on_chat_model_stream')
 * result: -----t-----|
 * ```
 *
 * @example
 * ```ts
 * import { ofEventType } from 'rxllm';
 * chain.streamEvents(input).pipe(ofEventType('on_chat_model_stream'))
 *   .subscribe((e) => process.stdout.write(e.data.chunk.content));
 * ```
 * @param names The event names to keep.
 * @return An operator emitting only those events.
 */
export function ofEventType<N extends StreamEventName>(...names: N[]): OperatorFunction<StreamEvent, StreamEvent & { event: N }> {
  const wanted = new Set<StreamEventName>(names);
  return filter((event): event is StreamEvent & { event: N } => wanted.has(event.event));
}
