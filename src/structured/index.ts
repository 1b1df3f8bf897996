export { StructuredOutputRunnable, type StructuredOutputOptions, type StructuredOutputMethod, type StructuredOutputWithRaw } from './StructuredOutputRunnable.js';
export type { DeepPartial } from './DeepPartial.js';
