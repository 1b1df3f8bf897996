import { map, take } from 'rxjs';
import { AIMessageChunk } from '../../src/messages/AIMessageChunk.js';
import { chunkMarbles } from '../../src/testing/chunkMarbles.js';
import { createTestScheduler } from '../../src/testing/createTestScheduler.js';

describe('chunkMarbles', () => {
  it('emits text, fields and chunks as AIMessageChunks at their frames', () => {
    createTestScheduler().run(({ expectObservable }) => {
      const chunk = new AIMessageChunk({ content: 'c' });
      const source = chunkMarbles('-a-b-(c|)', { a: 'Hel', b: { content: 'lo', reasoning: 'r' }, c: chunk });
      expectObservable(source.pipe(map((c) => [c instanceof AIMessageChunk, c.content, c.reasoning]))).toBe('-a-b-(c|)', {
        a: [true, 'Hel', undefined],
        b: [true, 'lo', 'r'],
        c: [true, 'c', undefined],
      });
    });
  });

  it('fails at an Error value or at #', () => {
    createTestScheduler().run(({ expectObservable }) => {
      const boom = new Error('boom');
      expectObservable(chunkMarbles('-a-e', { a: 'x', e: boom }).pipe(map((c) => c.content))).toBe('-a-#', { a: 'x' }, boom);
      expectObservable(chunkMarbles('-#', {}, boom)).toBe('-#', {}, boom);
    });
  });

  it('replays the diagram for each subscription and stops when released', () => {
    createTestScheduler().run(({ expectObservable }) => {
      const source = chunkMarbles('-a-b-c|', { a: 'a', b: 'b', c: 'c' }).pipe(map((c) => c.content));
      expectObservable(source.pipe(take(2))).toBe('-a-(b|)');
      expectObservable(source, '---!').toBe('-a-');
    });
  });

  it('rejects a malformed diagram when built', () => {
    expect(() => chunkMarbles('-a-!')).toThrow(/unsubscription marker/);
  });
});
