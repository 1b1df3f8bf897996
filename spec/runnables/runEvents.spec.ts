import { Observable, map, of } from 'rxjs';
import type { StreamEvent } from '../../src/events/StreamEvent.js';
import { StreamReset } from '../../src/resilience/StreamReset.js';
import { RunContext, scopeFromConfig } from '../../src/runnables/RunContext.js';
import { transformRun, wholeInputRun, type RunReporter } from '../../src/runnables/runEvents.js';
import { createTestScheduler } from '../support/marbles.js';

const reporter: RunReporter<any, any> = {
  emitsStreamEvents: true,
  eventInput: (input) => ({ reported: input }),
  aggregateOutput: (outputs) => outputs.join(''),
};

function runWith(events?: StreamEvent[]): RunContext {
  return new RunContext('chain', 'r', scopeFromConfig(undefined, { streaming: true, ...(events && { sink: (e: StreamEvent) => void events.push(e) }) }));
}

const phases = (events: StreamEvent[]) => events.map((e) => [e.event, e.data]);

describe('wholeInputRun', () => {
  it('starts once the input is complete and reports stream and end events', () => {
    createTestScheduler().run(({ cold, expectObservable, flush }) => {
      const events: StreamEvent[] = [];
      const output = wholeInputRun(cold('-a-b|', { a: 'x', b: 'y' }), runWith(events), (input: string) => of(`${input}!`, '?'), reporter);
      expectObservable(output).toBe('----(cd|)', { c: 'xy!', d: '?' });
      flush();
      expect(phases(events)).toEqual([
        ['on_chain_start', { input: { reported: 'xy' } }],
        ['on_chain_stream', { chunk: 'xy!' }],
        ['on_chain_stream', { chunk: '?' }],
        ['on_chain_end', { output: 'xy!?', input: { reported: 'xy' } }],
      ]);
    });
  });

  it('returns the output bare when nobody listens', () => {
    const output$ = of('o');
    expect(wholeInputRun(of('i'), runWith(), () => output$, reporter)).not.toBe(output$);
    let streamed: Observable<string> | undefined;
    wholeInputRun(of('i'), runWith(), () => (streamed = output$), reporter).subscribe();
    expect(streamed).toBe(output$);
  });

  it('reports an error with the input, then errors', () => {
    const events: StreamEvent[] = [];
    const failing = new Observable<string>((subscriber) => subscriber.error(new Error('boom')));
    let error: unknown;
    wholeInputRun(of('i'), runWith(events), () => failing, reporter).subscribe({ error: (e) => (error = e) });
    expect(error).toEqual(new Error('boom'));
    expect(phases(events).map(([name]) => name)).toEqual(['on_chain_start', 'on_chain_error']);
  });
});

describe('transformRun', () => {
  it('starts at the first input chunk and streams chunk by chunk', () => {
    createTestScheduler().run(({ cold, expectObservable, flush }) => {
      const events: StreamEvent[] = [];
      const output = transformRun(cold('--a-b|', { a: 'x', b: 'y' }), runWith(events), (input$) => input$.pipe(map((c: string) => c.toUpperCase())), undefined, reporter);
      expectObservable(output).toBe('--a-b|', { a: 'X', b: 'Y' });
      flush();
      expect(phases(events)).toEqual([
        ['on_chain_start', {}],
        ['on_chain_stream', { chunk: 'X' }],
        ['on_chain_stream', { chunk: 'Y' }],
        ['on_chain_end', { output: 'XY', input: 'xy' }],
      ]);
    });
  });

  it('reports a known input at once, and starts the end output over after a reset', () => {
    const events: StreamEvent[] = [];
    transformRun(of('a', new StreamReset({ attempt: 1, error: { name: 'Error', message: 'x' } }), 'b'), runWith(events), (input$) => input$, { value: 'known' }, reporter).subscribe();
    expect(phases(events)[0]).toEqual(['on_chain_start', { input: { reported: 'known' } }]);
    expect(phases(events).at(-1)).toEqual(['on_chain_end', { output: 'b', input: expect.anything() }]);
    expect(events.filter((e) => e.event === 'on_chain_stream')).toHaveLength(2);
  });

  it('reports no error for a run that never started', () => {
    const events: StreamEvent[] = [];
    const failingInput = new Observable<string>((subscriber) => subscriber.error(new Error('upstream')));
    transformRun(failingInput, runWith(events), (input$) => input$, undefined, reporter).subscribe({ error: () => undefined });
    expect(events).toEqual([]);
  });
});
