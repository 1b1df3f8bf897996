import { maskSecrets } from './maskSecrets.js';

/**
 * Base class of every error rxllm raises. Its message is masked: key-shaped secrets are replaced
 * before the error is constructed, so logging it can never print an API key.
 */
export class RxllmError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(maskSecrets(message), options);
    this.name = new.target.name;
  }
}
