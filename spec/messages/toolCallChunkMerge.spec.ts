import { mergeToolCallChunksInto } from '../../src/messages/toolCallChunkMerge.js';
import type { ToolCallChunk } from '../../src/index.js';

/** The calls after merging each batch in turn into an empty list. */
function merged(...batches: ToolCallChunk[][]): ToolCallChunk[] {
  const target: ToolCallChunk[] = [];
  for (const batch of batches) mergeToolCallChunksInto(target, batch);
  return target;
}

describe('mergeToolCallChunksInto', () => {
  it('adds a chunk for a new index as a new call, copied', () => {
    const incoming: ToolCallChunk = { index: 0, id: 'a', name: 'f', args: '{' };
    const target = merged([incoming]);
    expect(target).toEqual([{ index: 0, id: 'a', name: 'f', args: '{' }]);
    expect(target[0]).not.toBe(incoming);
  });

  it('appends args of a chunk with the same index and no id', () => {
    expect(merged([{ index: 0, id: 'a', name: 'f', args: '{"x":' }], [{ index: 0, args: '1}' }]))
      .toEqual([{ index: 0, id: 'a', name: 'f', args: '{"x":1}' }]);
  });

  it('appends args of a chunk repeating the id of its call', () => {
    expect(merged([{ index: 0, id: 'a', name: 'f', args: '{' }], [{ index: 0, id: 'a', args: '}' }]))
      .toEqual([{ index: 0, id: 'a', name: 'f', args: '{}' }]);
  });

  it('finds the call by id even at another index', () => {
    expect(merged([{ index: 0, id: 'a', name: 'f', args: '[' }, { index: 1, id: 'b', name: 'g', args: '(' }], [{ index: 7, id: 'a', args: ']' }]))
      .toEqual([{ index: 0, id: 'a', name: 'f', args: '[]' }, { index: 1, id: 'b', name: 'g', args: '(' }]);
  });

  it('starts a new call for a new id at a used index, and id-less chunks then join the newest call there', () => {
    expect(merged([{ index: 0, id: 'a', name: 'f', args: '1' }], [{ index: 0, id: 'b', name: 'g', args: '2' }], [{ index: 0, args: '3' }]))
      .toEqual([{ index: 0, id: 'a', name: 'f', args: '1' }, { index: 0, id: 'b', name: 'g', args: '23' }]);
  });

  it('lets an id arrive after the first chunk of a call', () => {
    expect(merged([{ index: 0, name: 'f' }], [{ index: 0, id: 'late', args: '{}' }]))
      .toEqual([{ index: 0, id: 'late', name: 'f', args: '{}' }]);
  });

  it('treats an empty id as no id', () => {
    expect(merged([{ index: 0, id: '', name: 'f', args: '{' }], [{ index: 0, id: 'x', args: '}' }]))
      .toEqual([{ index: 0, id: 'x', name: 'f', args: '{}' }]);
    expect(merged([{ index: 0, id: 'x', name: 'f', args: '{' }], [{ index: 0, id: '', args: '}' }]))
      .toEqual([{ index: 0, id: 'x', name: 'f', args: '{}' }]);
  });

  it('keeps the first name, taking a later one only when there was none', () => {
    expect(merged([{ index: 0, id: 'a', name: 'f' }], [{ index: 0, name: 'f' }])[0].name).toBe('f');
    expect(merged([{ index: 0, id: 'a' }], [{ index: 0, name: 'g' }])[0].name).toBe('g');
  });

  it('leaves id and name out when no chunk had them', () => {
    const [call] = merged([{ index: 3, args: '{' }], [{ index: 3, args: '}' }]);
    expect(call).toEqual({ index: 3, args: '{}' });
    expect(Object.keys(call).sort()).toEqual(['args', 'index']);
  });

  it('merges every chunk of one batch (several calls in one delta)', () => {
    expect(merged([{ index: 0, id: 'a', name: 'f', args: '{' }, { index: 1, id: 'b', name: 'g', args: '[' }, { index: 0, args: '}' }]))
      .toEqual([{ index: 0, id: 'a', name: 'f', args: '{}' }, { index: 1, id: 'b', name: 'g', args: '[' }]);
  });

  it('does not change the incoming chunks', () => {
    const first: ToolCallChunk = { index: 0, id: 'a', name: 'f', args: '{' };
    const second: ToolCallChunk = { index: 0, args: '}' };
    merged([first], [second]);
    expect(first).toEqual({ index: 0, id: 'a', name: 'f', args: '{' });
    expect(second).toEqual({ index: 0, args: '}' });
  });
});
