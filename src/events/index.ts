export type { StreamEvent, StreamEventName, EventFilter, EventType, RunType, RunPhase } from './StreamEvent.js';
export { eventTypeOf, dispatcherOf, type EventSource } from './StreamEvent.js';
export { eventFilter } from './eventFilter.js';
