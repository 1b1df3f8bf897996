import { RxllmError } from '../errors/RxllmError.js';

/**
 * The first module `ChatOpenAI` imports: under CommonJS `require('rxllm/openai')` runs it before
 * `ChatOpenAI`'s own `require('openai')`, so a missing `openai` fails with a message that says how
 * to install it instead of a bare "Cannot find module 'openai'".
 *
 * It resolves `openai` from this folder, as that `require` will, and only when this folder holds
 * rxllm's files as published: a bundle has `openai` inlined and nothing to check (bundlers drop this
 * module anyway, the package having no side effects). An ES module gets no such message: Node
 * links every import of the graph before any of its code runs, so a missing `openai` is Node's own
 * `ERR_MODULE_NOT_FOUND` naming `openai` (docs/performance.md, "Bundle size").
 */
function requireOpenAI(): void {
  if (typeof require !== 'function' || typeof require.resolve !== 'function' || !resolves('./requireOpenAI.js')) return;
  try {
    require.resolve('openai');
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'MODULE_NOT_FOUND') return;
    throw new RxllmError('rxllm/openai needs the openai package (version 6 or 7), which is not installed: npm install openai', { cause: error });
  }
}

function resolves(specifier: string): boolean {
  try {
    require.resolve(specifier);
    return true;
  } catch {
    return false;
  }
}

requireOpenAI();
