import { tap, type MonoTypeOperatorFunction } from 'rxjs';
import type { StreamEvent, StreamEventName } from '../events/StreamEvent.js';

/** A handler per event name. */
export type EventHandlers = { [N in StreamEventName]?: (event: StreamEvent & { event: N }) => void };

/**
 * Calls the handler registered for each event's name, passing every event through unchanged.
 * A handler that throws errors the stream, as `tap` does.
 *
 * ```
 * source: --s--t--e--|
 * tapEvents({ on_tool_start: log })      log called at s's frame
 * result: --s--t--e--|
 * ```
 *
 * @example
 * ```ts
 * import { tapEvents } from 'rxllm';
 * agent.streamEvents(question).pipe(tapEvents({
 *   on_tool_start: (e) => console.log(`→ ${e.name}`, e.data.input),
 *   on_tool_end: (e) => console.log(`← ${e.name}`, e.data.output),
 * })).subscribe();
 * ```
 * @param handlers Functions keyed by event name.
 * @return An operator that mirrors the source.
 */
export function tapEvents(handlers: EventHandlers): MonoTypeOperatorFunction<StreamEvent> {
  return tap((event) => {
    const handler = handlers[event.event] as ((e: StreamEvent) => void) | undefined;
    handler?.(event);
  });
}
