import { assign, lambda, passthrough, StringOutputParser } from '../../src/index.js';
import { createTestScheduler } from '../support/marbles.js';
import { ObservableChatModel, textChunks } from '../support/ObservableChatModel.js';

describe('passthrough', () => {
  it('passes chunks through as they stream', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const answer = cold('-a-b|', textChunks({ a: 'x', b: 'y' }));
      const chain = new ObservableChatModel(() => answer).pipe(new StringOutputParser()).pipe(passthrough<string>());
      expectObservable(chain.stream('q')).toBe('-a-b|', { a: 'x', b: 'y' });
      expectObservable(chain.stream('q'), '^-!').toBe('-a-', { a: 'x' });
      expectSubscriptions(answer.subscriptions).toBe(['^---!', '^-!']);
    });
  });

  it('returns its input', async () => {
    expect(await passthrough().invoke({ a: 1 })).toEqual({ a: 1 });
  });
});

describe('assign', () => {
  it('emits the input first, then the new keys as they stream', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const answer = cold('-a-b|', textChunks({ a: 'A1', b: 'A2' }));
      const ask = lambda((x: { question: string }) => x.question);
      const withAnswer = assign({ answer: ask.pipe(new ObservableChatModel(() => answer)).pipe(new StringOutputParser()) });
      expectObservable(withAnswer.stream({ question: 'q' })).toBe('qa-b|', { q: { question: 'q' }, a: { answer: 'A1' }, b: { answer: 'A2' } });
    });
  });

  it('invoke merges the input with the computed keys', async () => {
    const withLength = assign({ length: lambda((x: { text: string }) => x.text.length) });
    expect(await withLength.invoke({ text: 'four' })).toEqual({ text: 'four', length: 4 });
  });

  it('errors when a computed key fails', async () => {
    const broken = assign({ bad: lambda(() => { throw new Error('no'); }) });
    await expect(broken.invoke({ a: 1 })).rejects.toThrow('no');
  });
});
