export type { CallbackHandler, CallbackRunInfo, CallbackError } from './CallbackHandler.js';
export { ConsoleCallbackHandler, type ConsoleCallbackHandlerOptions } from './ConsoleCallbackHandler.js';
