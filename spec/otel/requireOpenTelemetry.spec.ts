import { RxllmError } from '../../src/errors/RxllmError.js';
import { requireOpenTelemetry } from '../../src/otel/requireOpenTelemetry.js';

/** A resolver that finds rxllm's own files and, unless `installed`, not the API package. */
function resolver(installed: boolean, failure: { code?: string } = { code: 'MODULE_NOT_FOUND' }) {
  return (specifier: string): string => {
    if (specifier.startsWith('./')) return `/app/node_modules/rxllm/dist/cjs/otel/${specifier.slice(2)}`;
    if (installed) return '/app/node_modules/@opentelemetry/api/build/src/index.js';
    throw Object.assign(new Error(`Cannot find module '${specifier}'`), failure);
  };
}

describe('requireOpenTelemetry', () => {
  it('passes when @opentelemetry/api resolves', () => {
    expect(() => requireOpenTelemetry(resolver(true))).not.toThrow();
  });

  it('says how to install a missing @opentelemetry/api, keeping the resolution error as the cause', () => {
    let thrown: unknown;
    try {
      requireOpenTelemetry(resolver(false));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(RxllmError);
    expect((thrown as Error).message).toBe('rxllm/otel needs the @opentelemetry/api package (version 1.9 or later 1.x), which is not installed: npm install @opentelemetry/api');
    expect(((thrown as Error).cause as Error).message).toBe("Cannot find module '@opentelemetry/api'");
  });

  it('leaves other resolution failures, and places where its own files do not resolve (a bundle), to the require itself', () => {
    expect(() => requireOpenTelemetry(resolver(false, { code: 'ERR_REQUIRE_ESM' }))).not.toThrow();
    const bundled = (specifier: string): string => {
      throw Object.assign(new Error(`Cannot find module '${specifier}'`), { code: 'MODULE_NOT_FOUND' });
    };
    expect(() => requireOpenTelemetry(bundled)).not.toThrow();
    expect(() => requireOpenTelemetry(undefined)).not.toThrow();
  });

  it('passes in this repository, where the package is installed', () => {
    expect(() => requireOpenTelemetry()).not.toThrow();
  });
});
