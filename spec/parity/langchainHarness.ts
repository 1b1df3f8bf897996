import { RunnableLambda, RunnableSequence, type Runnable as LcRunnable } from '@langchain/core/runnables';
import { dispatchCustomEvent as lcDispatchCustomEvent } from '@langchain/core/callbacks/dispatch';
import { lastValueFrom, toArray } from 'rxjs';
import { dispatchCustomEvent, lambda, sequence, type EventFilter, type Runnable, type RunnableConfig, type StreamEvent } from '../../src/index.js';

/**
 * One scenario written once and built twice, with rxllm and with `@langchain/core`, so a parity
 * spec compares what each library does with the same chain.
 */
export interface Builder {
  /** A named step that applies `fn` and, when asked, dispatches custom events first. */
  step(name: string, fn: (input: string) => string, customEvents?: string[]): unknown;
  /** Steps one after another, each kept as its own step (`sequence` / `RunnableSequence.from`). */
  sequence(...steps: unknown[]): unknown;
  /** `left.pipe(right)`. */
  pipe(left: unknown, right: unknown): unknown;
  /** `runnable.withConfig(config)`. */
  withConfig(runnable: unknown, config: { runName?: string; tags?: string[]; metadata?: Record<string, unknown> }): unknown;
}

/** What a parity spec compares of an event: the LangChain envelope without ids. */
export interface EventView {
  event: string;
  name: string;
  tags: string[];
  metadata: Record<string, unknown>;
}

export const rxllmBuilder: Builder = {
  step: (name, fn, customEvents = []) => lambda((input: string, config: RunnableConfig) => {
    for (const event of customEvents) dispatchCustomEvent(event, { from: name }, config);
    return fn(input);
  }).withConfig({ runName: name }),
  sequence: (...steps) => sequence(...(steps as Runnable[])),
  pipe: (left, right) => (left as Runnable).pipe(right as Runnable),
  withConfig: (runnable, config) => (runnable as Runnable).withConfig(config),
};

export const langchainBuilder: Builder = {
  step: (name, fn, customEvents = []) => RunnableLambda.from(async (input: string, config) => {
    for (const event of customEvents) await lcDispatchCustomEvent(event, { from: name }, config);
    return fn(input);
  }).withConfig({ runName: name }),
  sequence: (...steps) => RunnableSequence.from(steps as [LcRunnable, LcRunnable]),
  pipe: (left, right) => (left as LcRunnable).pipe(right as LcRunnable),
  withConfig: (runnable, config) => (runnable as LcRunnable).withConfig(config),
};

function view(event: { event: string; name: string; tags?: readonly string[]; metadata?: Record<string, unknown> }): EventView {
  return { event: event.event, name: event.name, tags: [...(event.tags ?? [])].sort(), metadata: { ...event.metadata } };
}

/** The events of rxllm's `streamEvents`, as views. */
export async function rxllmEvents(runnable: unknown, input: string, config: RunnableConfig = {}, filter?: EventFilter): Promise<EventView[]> {
  const events: StreamEvent[] = await lastValueFrom((runnable as Runnable).streamEvents(input, config, filter).pipe(toArray()));
  return events.map(view);
}

/** The events of LangChain's `streamEvents` v2, as views. */
export async function langchainEvents(runnable: unknown, input: string, config: Record<string, unknown> = {}, filter: EventFilter = {}): Promise<EventView[]> {
  const events: EventView[] = [];
  const stream = (runnable as LcRunnable).streamEvents(input, { ...config, version: 'v2' } as never, filter as never);
  for await (const event of stream) events.push(view(event));
  return events;
}

/**
 * The events grouped by run (name and tags), each run's events in order. The libraries agree on
 * each run's events and their order; across runs LangChain's async generators may start a step
 * before the previous one ends, where rxllm reports in causal order, so the interleaving differs.
 */
export function byRun(events: readonly EventView[]): Array<[string, EventView[]]> {
  const runs = new Map<string, EventView[]>();
  for (const event of events) {
    const key = `${event.name} [${event.tags.join(',')}]`;
    runs.set(key, [...(runs.get(key) ?? []), event]);
  }
  return [...runs].sort(([a], [b]) => a.localeCompare(b));
}

/** The same scenario's events from both libraries. */
export async function bothEvents(
  build: (builder: Builder) => unknown,
  input: string,
  config: { runName?: string; tags?: string[]; metadata?: Record<string, unknown> } = {},
  filter?: EventFilter,
): Promise<{ rxllm: EventView[]; langchain: EventView[] }> {
  return {
    rxllm: await rxllmEvents(build(rxllmBuilder), input, config, filter),
    langchain: await langchainEvents(build(langchainBuilder), input, config, filter),
  };
}
