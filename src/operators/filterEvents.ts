import { filter, type MonoTypeOperatorFunction } from 'rxjs';
import { eventFilter } from '../events/eventFilter.js';
import type { EventFilter, StreamEvent } from '../events/StreamEvent.js';

/**
 * Keeps the events a filter selects, with the semantics of `streamEvents`' filter argument:
 * include filters are OR'ed (none = all), then every exclude filter removes what it matches.
 *
 * ```
 * source: --a--b--c--|     a: tags ['x'], b: tags ['y'], c: tags ['x', 'y']
 * filterEvents({ includeTags: ['x'], excludeTags: ['y'] })
 * result: --a--------|
 * ```
 *
 * @example
 * ```ts
 * import { filterEvents } from 'rxllm';
 * chain.streamEvents(input).pipe(filterEvents({ includeTypes: ['chat_model', 'tool'], excludeTags: ['internal'] }));
 * ```
 * @param options Include and exclude lists of names, types and tags.
 * @return An operator emitting the selected events.
 */
export function filterEvents(options: EventFilter): MonoTypeOperatorFunction<StreamEvent> {
  return filter(eventFilter(options));
}
