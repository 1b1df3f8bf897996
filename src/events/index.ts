export type { StreamEvent, StreamEventName, EventFilter, EventType, RunType, RunPhase } from './StreamEvent.js';
export { eventTypeOf } from './StreamEvent.js';
export { eventFilter } from './eventFilter.js';
