import { RxllmError } from '../errors/RxllmError.js';

/**
 * The first module of `rxllm/otel`: under CommonJS `require('rxllm/otel')` runs it before any
 * `require('@opentelemetry/api')`, so a missing API package fails with a message that says how to
 * install it instead of a bare "Cannot find module". As `rxllm/openai` does for `openai`: only where
 * this folder holds rxllm's published files (a bundle has nothing to check, and drops this module);
 * an ES module gets Node's own `ERR_MODULE_NOT_FOUND`, naming the package, before any code runs.
 *
 * @param resolve how a module name is resolved from here (the spec passes its own).
 */
export function requireOpenTelemetry(resolve: ((specifier: string) => string) | undefined = typeof require === 'function' ? require.resolve : undefined): void {
  if (typeof resolve !== 'function' || !resolves(resolve, './requireOpenTelemetry.js')) return;
  try {
    resolve('@opentelemetry/api');
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'MODULE_NOT_FOUND') return;
    throw new RxllmError('rxllm/otel needs the @opentelemetry/api package (version 1.9 or later 1.x), which is not installed: npm install @opentelemetry/api', { cause: error });
  }
}

function resolves(resolve: (specifier: string) => string, specifier: string): boolean {
  try {
    resolve(specifier);
    return true;
  } catch {
    return false;
  }
}

requireOpenTelemetry();
