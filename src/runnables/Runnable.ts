// The public home of `Runnable`. The composites extend the base class, and the base class needs
// them for `pipe`, `withConfig`, `withRetry` and `withFallbacks`: they are connected here, in a
// module every runnable imports, so the connection exists whatever a program imports first.
import { composition } from './RunnableBase.js';
import { RunnableBinding } from './RunnableBinding.js';
import { RunnableRetry } from './RunnableRetry.js';
import { RunnableSequence } from './RunnableSequence.js';
import { RunnableWithFallbacks } from './RunnableWithFallbacks.js';

composition.sequence = (steps) => new RunnableSequence(steps);
composition.binding = (bound, config) => new RunnableBinding(bound, config);
composition.retry = (bound, options) => new RunnableRetry(bound, options);
composition.fallbacks = (primary, fallbacks, options) => new RunnableWithFallbacks(primary, fallbacks, options);

export { Runnable } from './RunnableBase.js';
export type { RunnableLike, RunnableMap, BatchOptions, RunnableBindingConfig, WithRetryOptions, WithFallbacksOptions } from './RunnableBase.js';
