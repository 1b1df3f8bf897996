export { redactPII, type RedactableValue } from './redactPII.js';
export type { RedactPIIOptions, RedactionMode } from './redactPIIInternals.js';
export type { BuiltInDetectorName, PIIDetector, PIIEntity } from './PIIDetector.js';
export { builtInDetectors } from './builtInDetectors.js';
export { maskErrors, type MaskErrorsOptions } from './maskErrors.js';
export { toMaskedError } from './toMaskedError.js';
export { redactInput, type RedactInputOptions } from './redactInput.js';
export { contentFilter } from './contentFilter.js';
export type { ContentFilterAction, ContentFilterOptions, ContentFlag, ContentVerdict } from './ContentFilterOptions.js';
