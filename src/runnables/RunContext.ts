import type { CallbackHandler } from '../callbacks/CallbackHandler.js';
import { dispatchToHandler } from '../callbacks/dispatchToHandler.js';
import { describeError } from '../errors/maskSecrets.js';
import { DISPATCHED_BY, type RunPhase, type RunType, type StreamEvent, type StreamEventName } from '../events/StreamEvent.js';
import { PARENT_RUN, type RunnableConfig } from './RunnableConfig.js';
import { aggregateValues } from './aggregateValues.js';
import { newRunId } from './newRunId.js';

/** What every run of one root call shares. */
export interface Tracer {
  /** Receives every event when the root call is `streamEvents`. */
  readonly sink?: (event: StreamEvent) => void;
  readonly signal?: AbortSignal;
  /** True under `stream`/`streamEvents`, false under `invoke`/`batch` (models may skip streaming). */
  readonly streaming: boolean;
}

/** What a run passes down to its children. */
export interface RunScope {
  readonly parentIds: readonly string[];
  readonly tags: readonly string[];
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly callbacks: readonly CallbackHandler[];
  readonly tracer: Tracer;
}

/** How a parent asks for a child run. */
export interface ChildRunOptions {
  /** A tag for this child only, not inherited (`seq:step:2`, `map:key:a`). */
  stepTag?: string;
  runName?: string;
  runId?: string;
  /** Callbacks for this run only (a runnable's constructor callbacks). */
  localCallbacks?: readonly CallbackHandler[];
  /**
   * How the chunks of the input add up to the whole input: the aggregation of the step that
   * produced them (its `invoke` result). Defaults to `aggregateValues`.
   */
  aggregateInput?: (chunks: unknown[]) => unknown;
}

const EMPTY: readonly never[] = Object.freeze([]);

// Event names built once: a template string per event is a measurable share of streamEvents.
const EVENT_NAMES = Object.fromEntries((['chain', 'prompt', 'parser', 'chat_model', 'tool'] as const).map((type) => [type, {
  start: `on_${type}_start`, stream: `on_${type}_stream`, end: `on_${type}_end`, error: `on_${type}_error`,
}])) as Record<RunType, Record<RunPhase, StreamEventName>>;
let currentRun: RunContext | undefined;

/**
 * One execution of a runnable: its identity in the run tree, and the way it reports events.
 * Events are built only when someone listens (`streamEvents` or a callback), so a plain `stream`
 * pays nothing for them.
 */
export class RunContext {
  readonly name: string;
  readonly parentIds: readonly string[];
  readonly tags: readonly string[];
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly observed: boolean;
  /** Turns the input chunks this run received into its whole input. */
  readonly aggregateInput: (chunks: unknown[]) => unknown;
  private readonly handlers: readonly CallbackHandler[];
  private id?: string;
  private childScopeCache?: RunScope;

  constructor(readonly runType: RunType, name: string, readonly scope: RunScope, options: ChildRunOptions = {}) {
    this.name = options.runName ?? name;
    this.parentIds = scope.parentIds;
    this.tags = options.stepTag ? [...scope.tags, options.stepTag] : scope.tags;
    this.metadata = scope.metadata;
    this.handlers = options.localCallbacks?.length ? union(scope.callbacks, options.localCallbacks) : scope.callbacks;
    this.observed = !!scope.tracer.sink || this.handlers.length > 0;
    this.aggregateInput = options.aggregateInput ?? aggregateValues;
    if (options.runId) this.id = options.runId;
  }

  get runId(): string {
    return (this.id ??= newRunId());
  }

  get signal(): AbortSignal | undefined {
    return this.scope.tracer.signal;
  }

  /** True when the root call streams (`stream`, `streamEvents`). */
  get streaming(): boolean {
    return this.scope.tracer.streaming;
  }

  /** The scope for this run's children: its id joins their `parent_ids`. */
  childScope(): RunScope {
    return (this.childScopeCache ??= { ...this.scope, parentIds: Object.freeze([...this.parentIds, this.runId]) });
  }

  /** A config to hand to user functions: calls made with it become children of this run. */
  toConfig(): RunnableConfig {
    return {
      ...(this.signal && { signal: this.signal }),
      tags: [...this.scope.tags],
      metadata: { ...this.metadata },
      callbacks: [...this.scope.callbacks],
      [PARENT_RUN]: this,
    };
  }

  /** Emits `on_<type>_<phase>` for this run. */
  emit(phase: RunPhase, data: Record<string, unknown>): void {
    if (!this.observed) return;
    this.deliver({
      event: EVENT_NAMES[this.runType][phase],
      name: this.name,
      run_id: this.runId,
      parent_ids: this.parentIds,
      tags: this.tags,
      metadata: this.metadata,
      data,
    });
  }

  emitError(error: unknown, input: unknown): void {
    if (this.observed) this.emit('error', { error: describeError(error), input });
  }

  /** Emits `on_custom_event` named `name`, on behalf of this run. */
  emitCustom(name: string, payload: unknown): void {
    if (!this.observed) return;
    const event: StreamEvent = {
      event: 'on_custom_event', name, run_id: this.runId, parent_ids: this.parentIds, tags: this.tags,
      metadata: this.metadata, data: payload,
    };
    Object.defineProperty(event, DISPATCHED_BY, { value: { name: this.name, type: this.runType } });
    this.deliver(event);
  }

  /** Runs `fn` with this run as the current one, for `dispatchCustomEvent` without a config. */
  runWith<T>(fn: () => T): T {
    const previous = currentRun;
    currentRun = this;
    try {
      return fn();
    } finally {
      currentRun = previous;
    }
  }

  private deliver(event: StreamEvent): void {
    const sink = this.scope.tracer.sink;
    if (sink) sink(event);
    const handlers = this.handlers;
    for (let i = 0; i < handlers.length; i++) dispatchToHandler(handlers[i], event);
  }
}

/** The run whose user function is executing right now (synchronously), if any. */
export function getCurrentRun(): RunContext | undefined {
  return currentRun;
}

/** The root scope of a call made with `config`, or the child scope of the run that made it. */
export function scopeFromConfig(config: RunnableConfig | undefined, tracer: Omit<Tracer, 'signal'>): RunScope {
  const parent = config?.[PARENT_RUN];
  if (parent instanceof RunContext) {
    const inherited = parent.childScope();
    return {
      ...inherited,
      tags: config?.tags ? union(inherited.tags, config.tags) : inherited.tags,
      metadata: config?.metadata ? { ...inherited.metadata, ...config.metadata } : inherited.metadata,
      callbacks: config?.callbacks ? union(inherited.callbacks, config.callbacks) : inherited.callbacks,
    };
  }
  return {
    parentIds: EMPTY,
    tags: config?.tags ? Object.freeze([...config.tags]) : EMPTY,
    metadata: config?.metadata ? Object.freeze({ ...config.metadata }) : Object.freeze({}),
    callbacks: config?.callbacks ?? EMPTY,
    tracer: { ...tracer, ...(config?.signal && { signal: config.signal }) },
  };
}

/**
 * `scope` with a binding's inheritable tags, metadata and callbacks (`withConfig`) added. What the
 * scope already sets wins: the caller's config and what a parent passes down take precedence over
 * what was bound, all the way down, as in LangChain.js.
 */
export function extendScope(scope: RunScope, bound: Pick<RunnableConfig, 'tags' | 'metadata' | 'callbacks'>): RunScope {
  return {
    ...scope,
    tags: bound.tags?.length ? union(bound.tags, scope.tags) : scope.tags,
    metadata: bound.metadata ? { ...bound.metadata, ...scope.metadata } : scope.metadata,
    callbacks: bound.callbacks?.length ? union(scope.callbacks, bound.callbacks) : scope.callbacks,
  };
}

function union<T>(a: readonly T[], b: readonly T[]): readonly T[] {
  const merged = [...a];
  for (const item of b) if (!merged.includes(item)) merged.push(item);
  return merged;
}
