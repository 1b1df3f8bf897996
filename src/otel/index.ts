// rxllm/otel: OpenTelemetry spans and metrics from the run tree. Loads @opentelemetry/api.
// First: a missing @opentelemetry/api fails with a message that says how to install it.
import './requireOpenTelemetry.js';
export { instrument } from './instrument.js';
export { InstrumentedRunnable } from './InstrumentedRunnable.js';
export { OpenTelemetryCallbackHandler } from './OpenTelemetryCallbackHandler.js';
export type { OpenTelemetryOptions, OpenTelemetryCallbackHandlerOptions } from './OpenTelemetryOptions.js';
