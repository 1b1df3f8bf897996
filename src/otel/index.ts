// rxllm/otel: OpenTelemetry spans and metrics from the run tree. Loads @opentelemetry/api.
export { instrument } from './instrument.js';
export { InstrumentedRunnable } from './InstrumentedRunnable.js';
export { OpenTelemetryCallbackHandler } from './OpenTelemetryCallbackHandler.js';
export type { OpenTelemetryOptions, OpenTelemetryCallbackHandlerOptions } from './OpenTelemetryOptions.js';
