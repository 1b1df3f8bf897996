import { frameId, parseFrameId } from '../../src/sse/frameId.js';

describe('frameId / parseFrameId', () => {
  it('joins and splits run id and sequence', () => {
    expect(frameId('run-1', 7)).toBe('run-1:7');
    expect(parseFrameId('run-1:7')).toEqual({ runId: 'run-1', seq: 7 });
  });

  it('takes the sequence after the last colon, so run ids may contain colons', () => {
    expect(parseFrameId('tenant:run:12')).toEqual({ runId: 'tenant:run', seq: 12 });
  });

  it('rejects what is not one of its ids', () => {
    for (const id of [undefined, null, '', 'plain', ':3', 'r:', 'r:x', 'r:1.5', 'r:-1', 'r:01']) expect(parseFrameId(id)).toBeUndefined();
  });
});
