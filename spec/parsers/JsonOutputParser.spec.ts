import { map } from 'rxjs';
import { JsonOutputParser, OutputParserError, type StreamEvent } from '../../src/index.js';
import { ScriptedChatModel } from '../../src/testing/index.js';
import { createTestScheduler } from '../support/marbles.js';
import { ObservableChatModel, textChunks } from '../support/ObservableChatModel.js';

function collect<T>(run$: { subscribe(o: object): unknown }): Promise<{ values: T[]; error?: unknown }> {
  return new Promise((resolve) => {
    const values: T[] = [];
    run$.subscribe({ next: (v: T) => values.push(v), error: (error: unknown) => resolve({ values, error }), complete: () => resolve({ values }) });
  });
}

describe('JsonOutputParser', () => {
  it('emits the partial object each time it changes, at the frames the model emits', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const answer = cold('-a-b-c-d|', textChunks({ a: '{"title": "Pan', b: 'cakes", "ste', c: 'ps": ["mix"', d: ']}' }));
      const chain = new ObservableChatModel(() => answer).pipe(new JsonOutputParser());
      expectObservable(chain.stream('q')).toBe('-a-b-c--|', {
        a: { title: 'Pan' },
        b: { title: 'Pancakes' },
        c: { title: 'Pancakes', steps: ['mix'] },
      });
      expectSubscriptions(answer.subscriptions).toBe('^-------!');
    });
  });

  it('skips prose and a ```json fence around the JSON', async () => {
    const model = new ScriptedChatModel({ responses: ['Sure! Here it is:\n```json\n{"ok": true, "n": [1, 2]}\n```\nAnything else?'], chunkBy: 3 });
    expect(await model.pipe(new JsonOutputParser()).invoke('q')).toEqual({ ok: true, n: [1, 2] });
  });

  it('never changes a value it already emitted', async () => {
    const model = new ScriptedChatModel({ responses: ['{"a": {"b": "x"}, "c": [1, 2, 3]}'], chunkBy: 'char' });
    const { values } = await collect<Record<string, unknown>>(model.pipe(new JsonOutputParser()).stream('q'));
    const frozen = values.map((v) => JSON.stringify(v));
    expect(values.map((v) => JSON.stringify(v))).toEqual(frozen);
    expect(values[values.length - 1]).toEqual({ a: { b: 'x' }, c: [1, 2, 3] });
    expect(new Set(frozen).size).toBe(frozen.length);
  });

  it('emits JSON Patch operations with { diff: true }, and invoke rebuilds the value', async () => {
    const model = new ScriptedChatModel({ responses: [['{"name": "A', 'da", "tags": ["x"', ']}']] });
    const { values } = await collect(model.pipe(new JsonOutputParser({ diff: true })).stream('q'));
    expect(values).toEqual([
      [{ op: 'add', path: '', value: {} }, { op: 'add', path: '/name', value: 'A' }],
      [{ op: 'replace', path: '/name', value: 'Ada' }, { op: 'add', path: '/tags', value: [] }, { op: 'add', path: '/tags/0', value: 'x' }],
    ]);
    expect(await model.pipe(new JsonOutputParser({ diff: true })).invoke('q')).toEqual({ name: 'Ada', tags: ['x'] });
  });

  it('errors with the offset on malformed JSON, after what was emitted', async () => {
    const model = new ScriptedChatModel({ responses: [['{"a": 1, ', '"b": tru', 'x}']] });
    const { values, error } = await collect(model.pipe(new JsonOutputParser()).stream('q'));
    expect(values).toEqual([{ a: 1 }]);
    expect(error).toBeInstanceOf(OutputParserError);
    expect((error as OutputParserError).offset).toBe(17);
  });

  it('errors when the answer ends inside the JSON', async () => {
    const { error } = await collect(new ScriptedChatModel({ responses: ['{"a": [1, 2'] }).pipe(new JsonOutputParser()).stream('q'));
    expect(error).toBeInstanceOf(OutputParserError);
  });

  it('reports parser events, its end output the complete value', async () => {
    const model = new ScriptedChatModel({ responses: ['{"x": 1}'] });
    const { values } = await collect<StreamEvent>(model.pipe(new JsonOutputParser()).streamEvents('q', undefined, { includeTypes: ['parser'] }));
    expect(values.map((e) => e.event)).toEqual(['on_parser_start', 'on_parser_stream', 'on_parser_stream', 'on_parser_end']);
    expect(values[3].data.output).toEqual({ x: 1 });
  });

  it('stops the model on unsubscribe', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const answer = cold('-a-b|', textChunks({ a: '[1,', b: '2]' }));
      expectObservable(new ObservableChatModel(() => answer).pipe(new JsonOutputParser()).stream('q').pipe(map(String)), '^-!').toBe('-a-', { a: '1' });
      expectSubscriptions(answer.subscriptions).toBe('^-!');
    });
  });
});
