import { RxllmError } from '../errors/RxllmError.js';
import { RunContext, getCurrentRun } from './RunContext.js';
import { PARENT_RUN, type RunnableConfig } from './RunnableConfig.js';

/**
 * Emits `on_custom_event` named `name` with `payload` as its data, on behalf of the run that is
 * executing: pass the `config` your function received (needed after an `await`); called
 * synchronously inside a lambda or tool, it finds the run by itself.
 *
 * @example
 * ```ts
 * import { dispatchCustomEvent, lambda } from 'rxllm';
 * const step = lambda(async (input: string, config) => {
 *   dispatchCustomEvent('progress', { stage: 'fetching' }, config);
 *   return fetchSomething(input);
 * });
 * ```
 */
export function dispatchCustomEvent(name: string, payload: unknown, config?: RunnableConfig): void {
  const fromConfig = config?.[PARENT_RUN];
  const run = fromConfig instanceof RunContext ? fromConfig : getCurrentRun();
  if (!run) {
    throw new RxllmError(`dispatchCustomEvent("${name}") was called outside a run: pass the config your function received`);
  }
  run.emitCustom(name, payload);
}
