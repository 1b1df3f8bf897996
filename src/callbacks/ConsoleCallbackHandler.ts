import type { CallbackHandler } from './CallbackHandler.js';

/** Where `ConsoleCallbackHandler` writes; defaults to `process.stdout` (or `console.log` in a browser). */
export interface ConsoleCallbackHandlerOptions {
  write?: (text: string) => void;
}

/**
 * Prints each model token as it arrives, and a newline when the model finishes: the streaming
 * console output of a chat model, without subscribing to its stream.
 *
 * @example
 * ```ts
 * import { ConsoleCallbackHandler } from 'rxllm';
 * await chain.invoke({ input: 'Hi' }, { callbacks: [new ConsoleCallbackHandler()] });
 * ```
 */
export class ConsoleCallbackHandler implements CallbackHandler {
  private readonly write: (text: string) => void;

  constructor(options: ConsoleCallbackHandlerOptions = {}) {
    this.write = options.write ?? defaultWrite();
  }

  handleLLMNewToken(token: string): void {
    if (token) this.write(token);
  }

  handleLLMEnd(): void {
    this.write('\n');
  }
}

function defaultWrite(): (text: string) => void {
  const stdout = (globalThis as { process?: { stdout?: { write(text: string): unknown } } }).process?.stdout;
  if (stdout) return (text) => void stdout.write(text);
  return (text) => console.log(text);
}
