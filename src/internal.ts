// Run machinery for authors of their own runnables and models: the run tree, its scopes and the
// event sink. Not covered by semver the way the root entry is.
export { RunContext, scopeFromConfig, extendScope, type RunScope, type Tracer, type ChildRunOptions } from './runnables/RunContext.js';
