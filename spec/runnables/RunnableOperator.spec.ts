import { map, filter, scan } from 'rxjs';
import { RunnableOperator, StringOutputParser, type StreamEvent } from '../../src/index.js';
import { createTestScheduler } from '../support/marbles.js';
import { ObservableChatModel, textChunks } from '../support/ObservableChatModel.js';

describe('RunnableOperator (an RxJS operator as a step)', () => {
  it('transforms chunk by chunk at the frames they arrive', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const answer = cold('-a-b-c|', textChunks({ a: 'x', b: 'yy', c: 'zzz' }));
      const lengths = new ObservableChatModel(() => answer).pipe(new StringOutputParser()).pipe(scan((n: number, t: string) => n + t.length, 0));
      expectObservable(lengths.stream('q')).toBe('-a-b-c|', { a: 1, b: 3, c: 6 });
      expectObservable(lengths.stream('q'), '^--!').toBe('-a-', { a: 1 });
      expectSubscriptions(answer.subscriptions).toBe(['^-----!', '^--!']);
    });
  });

  it('errors when the operator throws', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const answer = cold('-a-b|', textChunks({ a: 'ok', b: 'no' }));
      const strict = new ObservableChatModel(() => answer).pipe(new StringOutputParser()).pipe(map((t: string) => {
        if (t === 'no') throw new Error('refused');
        return t;
      }));
      expectObservable(strict.stream('q')).toBe('-a-#', { a: 'ok' }, new Error('refused'));
    });
  });

  it('reports chain events under the operator name', async () => {
    const keepLong = new RunnableOperator(filter((t: string) => t.length > 1), 'keepLong');
    const events: StreamEvent[] = [];
    await new Promise<void>((resolve) => keepLong.streamEvents('abc').subscribe({ next: (e) => events.push(e), complete: resolve }));
    expect(events.map((e) => `${e.event}:${e.name}`)).toEqual(['on_chain_start:keepLong', 'on_chain_stream:keepLong', 'on_chain_end:keepLong']);
  });
});
