// The one entry to `Runnable` and the composites it builds. `Runnable.pipe`, `withConfig`,
// `withRetry` and `withFallbacks` construct these classes, and they extend `Runnable`, so the
// modules refer to one another. Loading them from here, base class first, is what makes every
// import order work: no other module imports a member of this family directly (the layering
// spec checks it).
export { Runnable } from './RunnableBase.js';
export type { RunnableLike, RunnableMap, BatchOptions, RunnableBindingConfig, WithRetryOptions, WithFallbacksOptions } from './RunnableBase.js';
export { RunnableOperator } from './RunnableOperator.js';
export { RunnableLambda, lambda, type LambdaResult } from './RunnableLambda.js';
export { RunnableParallel, parallel, type ParallelOutput } from './RunnableParallel.js';
export { coerceStep } from './coerceStep.js';
export { RunnableSequence, sequence } from './RunnableSequence.js';
export { RunnableBinding } from './RunnableBinding.js';
export { RunnableRetry, type RunnableRetryOptions } from './RunnableRetry.js';
export { RunnableWithFallbacks, type RunnableWithFallbacksOptions } from './RunnableWithFallbacks.js';
