// The public home of `Runnable`. Loading the composites here (after the base class) fills the
// constructors that `pipe` and `withConfig` use, whatever module a program imports first.
import './RunnableSequence.js';
import './RunnableBinding.js';

export { Runnable } from './RunnableBase.js';
export type { RunnableLike, RunnableMap, BatchOptions, RunnableBindingConfig } from './RunnableBase.js';
