export { RxllmError } from './RxllmError.js';
export { InvalidOptionError } from './InvalidOptionError.js';
export { ContentFilteredError } from './ContentFilteredError.js';
export { maskSecrets, registerSecret, describeError } from './maskSecrets.js';
export * from './errors.js';
