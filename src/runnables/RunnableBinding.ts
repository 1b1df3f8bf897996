import type { Observable } from 'rxjs';
import { extendScope, type ChildRunOptions, type RunScope } from './RunContext.js';
import { Runnable, type RunnableBindingConfig } from './Runnable.js';

/**
 * A runnable with configuration attached (`withConfig`): tags, metadata and callbacks that its
 * run and every child inherit, and a run name. It adds no run of its own. What the caller passes
 * at call time (run name, tags, metadata keys) wins over what was bound.
 */
export class RunnableBinding<I, O, W = O> extends Runnable<I, O, W> {
  readonly runType: Runnable['runType'];
  override readonly wholeInput: boolean;

  constructor(readonly bound: Runnable<I, O, W>, readonly config: RunnableBindingConfig) {
    super();
    this.runType = bound.runType;
    this.wholeInput = bound.wholeInput;
  }

  override getName(): string {
    return this.config.runName ?? this.bound.getName();
  }

  override withConfig(config: RunnableBindingConfig): Runnable<I, O, W> {
    return new RunnableBinding(this.bound, {
      ...this.config,
      ...config,
      tags: [...(this.config.tags ?? []), ...(config.tags ?? [])],
      metadata: { ...this.config.metadata, ...config.metadata },
      callbacks: [...(this.config.callbacks ?? []), ...(config.callbacks ?? [])],
    });
  }

  protected override aggregateOutput(outputs: O[]): W {
    return this.bound._aggregate(outputs);
  }

  override _call(input$: Observable<I>, scope: RunScope, options: ChildRunOptions & { knownInput?: { value: I } } = {}): Observable<O> {
    // A run name given at call time wins over the bound one.
    const runName = options.runName ?? this.config.runName;
    return this.bound._call(input$, extendScope(scope, this.config), { ...options, ...(runName && { runName }) });
  }
}

