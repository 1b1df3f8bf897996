import { Observable, interval, map, take } from 'rxjs';
import { z } from 'zod';
import { InvalidOptionError, ToolInputError, dispatchCustomEvent, tool, type StreamEvent } from '../../src/index.js';
import { createTestScheduler } from '../support/marbles.js';

const weather = () => tool(({ city, unit }) => `${city}: 21°${unit === 'F' ? 'F' : 'C'}`, {
  name: 'get_weather',
  description: 'Current weather for a city',
  schema: z.object({ city: z.string().describe('City name'), unit: z.enum(['C', 'F']).optional() }),
});

function events(run$: Observable<StreamEvent>): Promise<{ events: StreamEvent[]; error?: unknown }> {
  return new Promise((resolve) => {
    const seen: StreamEvent[] = [];
    run$.subscribe({ next: (e) => seen.push(e), error: (error) => resolve({ events: seen, error }), complete: () => resolve({ events: seen }) });
  });
}

describe('tool', () => {
  it('describes itself to a model as JSON Schema', () => {
    expect(weather().toDefinition()).toEqual({
      name: 'get_weather',
      description: 'Current weather for a city',
      parameters: {
        type: 'object',
        properties: { city: { type: 'string', description: 'City name' }, unit: { type: 'string', enum: ['C', 'F'] } },
        required: ['city'],
        additionalProperties: false,
      },
    });
  });

  it('is built only from a schema with the methods of zod 4.2 and later', () => {
    const schema = { safeParse: z.string().safeParse } as unknown as z.ZodString;
    expect(() => tool(() => 'ok', { name: 'old', description: 'An old schema', schema })).toThrow(InvalidOptionError);
    expect(() => tool(() => 'ok', { name: 'old', description: 'An old schema', schema })).toThrow(/^tool "old": schema must be a zod schema from zod 4\.2 or later/);
  });

  it('validates and runs with plain args or a tool call', async () => {
    expect(await weather().invoke({ city: 'Paris' })).toBe('Paris: 21°C');
    const answer = await weather().invoke({ id: 'call_1', name: 'get_weather', args: { city: 'Oslo', unit: 'F' } });
    expect(answer).toMatchObject({ type: 'tool', content: 'Oslo: 21°F', toolCallId: 'call_1', name: 'get_weather', status: 'success' });
  });

  it('rejects invalid args with a ToolInputError naming each field', async () => {
    const failure = weather().invoke({ city: 42, unit: 'K' } as never);
    await expect(failure).rejects.toBeInstanceOf(ToolInputError);
    const error = (await failure.catch((e: ToolInputError) => e)) as ToolInputError;
    expect(error.tool).toBe('get_weather');
    expect(error.issues.map((i) => i.path.join('.'))).toEqual(['city', 'unit']);
    expect(error.message).toMatch(/^Invalid input for tool "get_weather": city: .+; unit: .+/);
  });

  it('awaits a Promise result', async () => {
    const slow = tool(async ({ n }) => n * 2, { name: 'double', description: 'Doubles', schema: z.object({ n: z.number() }) });
    expect(await slow.invoke({ n: 4 })).toBe(8);
  });

  it('streams Observable progress as on_tool_stream, its last value the result', async () => {
    const countdown = tool(({ from }) => interval(1).pipe(take(from), map((i) => from - i)), {
      name: 'countdown', description: 'Counts down', schema: z.object({ from: z.number() }),
    });
    expect(await countdown.invoke({ from: 3 })).toBe(1);
    const { events: seen } = await events(countdown.streamEvents({ from: 2 }));
    expect(seen.map((e) => [e.event, e.data])).toEqual([
      ['on_tool_start', { input: { from: 2 } }],
      ['on_tool_stream', { chunk: 2 }],
      ['on_tool_stream', { chunk: 1 }],
      ['on_tool_end', { output: 1, input: { from: 2 } }],
    ]);
  });

  it('reports a throwing tool as on_tool_error and errors the run', async () => {
    const broken = tool(() => { throw new Error('backend down'); }, { name: 'broken', description: 'x', schema: z.object({}) });
    const { events: seen, error } = await events(broken.streamEvents({}));
    expect((error as Error).message).toBe('backend down');
    expect(seen.map((e) => e.event)).toEqual(['on_tool_start', 'on_tool_error']);
    expect(seen[1].data.error).toEqual({ name: 'Error', message: 'backend down' });
  });

  it('unsubscribes an Observable tool and aborts its signal when the run is cancelled', () => {
    let signal: AbortSignal | undefined;
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const progress = cold('-a-b-c|', { a: 1, b: 2, c: 3 });
      const watcher = tool((_args, runtime) => {
        signal = runtime.signal;
        return progress;
      }, { name: 'watch', description: 'x', schema: z.object({}) });
      expectObservable(watcher.stream({}), '^--!').toBe('-a-', { a: 1 });
      expectSubscriptions(progress.subscriptions).toBe('^--!');
    });
    expect(signal?.aborted).toBe(true);
  });

  it('aborts the runtime signal when the config signal aborts', async () => {
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    const waiting = tool((_args, { signal }) => {
      seen = signal;
      return new Promise<string>(() => undefined);
    }, { name: 'wait', description: 'x', schema: z.object({}) });
    const run = waiting.invoke({}, { signal: controller.signal });
    controller.abort();
    await expect(run).rejects.toThrow('aborted');
    expect(seen?.aborted).toBe(true);
  });

  it('lets the tool dispatch custom events under its run', async () => {
    const noisy = tool((_args, { config }) => {
      dispatchCustomEvent('tool-progress', 50, config);
      return 'done';
    }, { name: 'noisy', description: 'x', schema: z.object({}) });
    const { events: seen } = await events(noisy.streamEvents({}));
    const custom = seen.find((e) => e.event === 'on_custom_event')!;
    expect([custom.name, custom.data, custom.run_id]).toEqual(['tool-progress', 50, seen[0].run_id]);
  });
});
