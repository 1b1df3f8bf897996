import { RunContext, scopeFromConfig, extendScope } from '../../src/runnables/RunContext.js';
import type { StreamEvent } from '../../src/index.js';

describe('RunContext', () => {
  const rootScope = (sink?: (e: StreamEvent) => void) => scopeFromConfig({ tags: ['t'], metadata: { m: 1 } }, { streaming: true, ...(sink && { sink }) });

  it('builds events only when observed', () => {
    const silent = new RunContext('chain', 'quiet', rootScope());
    expect(silent.observed).toBe(false);
    silent.emit('start', { input: 1 });
    const seen: StreamEvent[] = [];
    const loud = new RunContext('chain', 'loud', rootScope((e) => seen.push(e)), { stepTag: 'seq:step:1' });
    loud.emit('start', { input: 1 });
    expect(seen).toEqual([{ event: 'on_chain_start', name: 'loud', run_id: loud.runId, parent_ids: [], tags: ['t', 'seq:step:1'], metadata: { m: 1 }, data: { input: 1 } }]);
  });

  it('gives children its id in parent_ids and its inheritable tags only', () => {
    const parent = new RunContext('chain', 'p', rootScope(), { stepTag: 'seq:step:3' });
    const child = new RunContext('tool', 'c', parent.childScope());
    expect(child.parentIds).toEqual([parent.runId]);
    expect(child.tags).toEqual(['t']);
    expect(parent.childScope()).toBe(parent.childScope());
  });

  it('masks secrets in error events', () => {
    const seen: StreamEvent[] = [];
    const run = new RunContext('chat_model', 'm', rootScope((e) => seen.push(e)));
    run.emitError(new Error('401: key sk-abcdefghijklmnopqrstu rejected'), { messages: [] });
    expect(seen[0].data.error).toEqual({ name: 'Error', message: '401: key *** rejected' });
  });

  it('extends a scope with tags, metadata and callbacks without duplicates', () => {
    const handler = {};
    const scope = extendScope(scopeFromConfig({ tags: ['a'], callbacks: [handler] }, { streaming: false }), { tags: ['a', 'b'], metadata: { k: 'v' }, callbacks: [handler] });
    expect([scope.tags, scope.metadata, scope.callbacks.length]).toEqual([['a', 'b'], { k: 'v' }, 1]);
  });

  it('uses a given run id', () => {
    expect(new RunContext('chain', 'x', rootScope(), { runId: 'fixed' }).runId).toBe('fixed');
    expect(new RunContext('chain', 'x', rootScope()).runId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('RunContext handlers', () => {
  it('calls a handler given both in config and to the constructor once per event', () => {
    const seen: string[] = [];
    const handler = { handleEvent: (e: StreamEvent) => void seen.push(e.event) };
    const run = new RunContext('chain', 'x', scopeFromConfig({ callbacks: [handler] }, { streaming: false }), { localCallbacks: [handler] });
    run.emit('start', {});
    expect(seen).toEqual(['on_chain_start']);
  });
});
