/** The kinds of runs that emit events; `custom` is for `dispatchCustomEvent`. */
export type RunType = 'chain' | 'prompt' | 'parser' | 'chat_model' | 'tool';

/** Every type an event filter can name. */
export type EventType = RunType | 'custom';

/** The phase of a run an event reports. */
export type RunPhase = 'start' | 'stream' | 'end' | 'error';

/** `on_<type>_<phase>` for runs, `on_custom_event` for custom events. */
export type StreamEventName = `on_${RunType}_${RunPhase}` | 'on_custom_event';

/**
 * One event of `streamEvents`: the envelope of LangChain's `streamEvents` v2, plus `parent_ids`
 * (the run ids from the root down to the parent of this run).
 */
export interface StreamEvent<TData = any> {
  event: StreamEventName;
  name: string;
  run_id: string;
  parent_ids: readonly string[];
  tags: readonly string[];
  metadata: Readonly<Record<string, unknown>>;
  data: TData;
}

/**
 * Which events to keep. Include filters are OR'ed (none given = every event), then each exclude
 * filter removes what it matches — LangChain's semantics, also in that an include list given
 * empty matches nothing.
 */
export interface EventFilter {
  includeNames?: readonly string[];
  includeTypes?: readonly EventType[];
  includeTags?: readonly string[];
  excludeNames?: readonly string[];
  excludeTypes?: readonly EventType[];
  excludeTags?: readonly string[];
}

/**
 * On a custom event, the run that dispatched it: filters match a custom event by that run's name,
 * type and tags, as LangChain's do. A symbol and not enumerable, so the envelope stays LangChain's
 * (it does not show in JSON, equality or spreads).
 */
export const DISPATCHED_BY: unique symbol = Symbol.for('rxllm.dispatchedBy');

/** The run a custom event came from. */
export interface EventSource {
  readonly name: string;
  readonly type: RunType;
}

/** The run that dispatched a custom event, when the event carries it. */
export function dispatcherOf(event: StreamEvent): EventSource | undefined {
  return (event as { [DISPATCHED_BY]?: EventSource })[DISPATCHED_BY];
}

/** The run type an event belongs to (`custom` for custom events). */
export function eventTypeOf(event: Pick<StreamEvent, 'event'>): EventType {
  if (event.event === 'on_custom_event') return 'custom';
  const body = event.event.slice(3);
  return body.slice(0, body.lastIndexOf('_')) as RunType;
}
