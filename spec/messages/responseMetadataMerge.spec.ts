import { mergeResponseMetadataInto } from '../../src/messages/responseMetadataMerge.js';

function merged(...parts: Array<Record<string, unknown>>): Record<string, unknown> {
  const target: Record<string, unknown> = {};
  for (const part of parts) mergeResponseMetadataInto(target, part);
  return target;
}

describe('mergeResponseMetadataInto', () => {
  it('lets a later value replace an earlier one', () => {
    expect(merged({ model: 'a', fingerprint: 'fp' }, { model: 'b' })).toEqual({ model: 'b', fingerprint: 'fp' });
  });

  it('never lets undefined or null erase an earlier value', () => {
    expect(merged({ model: 'a', service_tier: 'default' }, { model: undefined, service_tier: null })).toEqual({ model: 'a', service_tier: 'default' });
  });

  it('keeps a null the server sent when nothing came before', () => {
    expect(merged({ refusal: null })).toEqual({ refusal: null });
  });

  it('replaces whole objects and arrays other than logprobs', () => {
    expect(merged({ citations: ['a'] }, { citations: ['a', 'b'] })).toEqual({ citations: ['a', 'b'] });
    expect(merged({ x_groq: { id: 1 } }, { x_groq: { usage: 2 } })).toEqual({ x_groq: { usage: 2 } });
  });

  it('appends each logprobs array, keeping keys that only one side has', () => {
    expect(merged(
      { logprobs: { content: [1], refusal: null } },
      { logprobs: { content: [2, 3], refusal: null } },
      { logprobs: { refusal: [9] } },
      { logprobs: { content: [4] } },
    )).toEqual({ logprobs: { content: [1, 2, 3, 4], refusal: [9] } });
  });

  it('ignores a null or non-object logprobs once there are some', () => {
    expect(merged({ logprobs: { content: [1] } }, { logprobs: null }, { logprobs: undefined })).toEqual({ logprobs: { content: [1] } });
  });

  it('does not alter the objects it read', () => {
    const first = { logprobs: { content: [1] } };
    const second = { logprobs: { content: [2] } };
    const target = merged(first, second, { logprobs: { content: [3] } });
    expect(first).toEqual({ logprobs: { content: [1] } });
    expect(second).toEqual({ logprobs: { content: [2] } });
    expect(target).toEqual({ logprobs: { content: [1, 2, 3] } });
  });
});
