import { maskSecrets } from './maskSecrets.js';

/**
 * Base class of every error rxllm raises. Its message is masked: key-shaped secrets are replaced
 * before the error is constructed, so its message, `String(error)` and its stack never show an
 * API key. The same goes for the errors in its `cause` chain (a client error that echoed the key),
 * which are masked in place so that logging the whole error is safe too.
 *
 * @example
 * ```ts
 * import { RxllmError } from 'rxllm';
 * try { await chain.invoke(input); } catch (error) {
 *   if (error instanceof RxllmError) console.error(error); // no key in the output
 * }
 * ```
 */
export class RxllmError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(maskSecrets(message), options);
    this.name = new.target.name;
    if (options && 'cause' in options) maskCauseChain(options.cause);
  }
}

/** Masks the message and stack of each error in a cause chain, in place (identity and class are kept). */
function maskCauseChain(cause: unknown): void {
  const seen = new Set<unknown>();
  let current = cause;
  while (current instanceof Error && !seen.has(current)) {
    seen.add(current);
    const masked = maskSecrets(current.message);
    if (masked !== current.message) trySet(current, 'message', masked);
    if (typeof current.stack === 'string') {
      const stack = maskSecrets(current.stack);
      if (stack !== current.stack) trySet(current, 'stack', stack);
    }
    current = current.cause;
  }
}

function trySet(error: Error, key: 'message' | 'stack', value: string): void {
  try {
    Object.defineProperty(error, key, { value, writable: true, configurable: true, enumerable: false });
  } catch {
    // A frozen error keeps its text; there is nothing more we can do with it.
  }
}
