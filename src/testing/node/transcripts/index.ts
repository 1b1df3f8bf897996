export * from './Transcript.js';
export { whatIsAI } from './whatIsAI.js';
export { streamingWithRxjs } from './streamingWithRxjs.js';
export { weatherToolCall } from './weatherToolCall.js';
export { weatherReport } from './weatherReport.js';
export { fallback } from './fallback.js';
