import { OPEN_ENTRY_ID, endEntryId, frameEntryId, nextIsKept, parseEntry, runKeys, stopChannel, xreadEntries } from '../../src/redis/redisStreamInternals.js';

describe('redisStreamInternals', () => {
  it('names the keys of a run under one hash tag, and the stop channel under the prefix', () => {
    expect(runKeys('app:', 'run:1')).toEqual({ frames: 'app:{run:1}:frames', lease: 'app:{run:1}:lease', stop: 'app:{run:1}:stop' });
    expect(stopChannel('app:')).toBe('app:stop');
  });

  it('orders the open marker before every frame and the end marker after the last one', () => {
    const order = (id: string) => id.split('-').map(Number);
    const ids = [OPEN_ENTRY_ID, frameEntryId(1), frameEntryId(2), endEntryId(2)].map(order);
    expect(ids).toEqual([[0, 1], [1, 0], [2, 0], [2, 2]]);
    // A run without frames ends after its open marker.
    expect(endEntryId(0)).toBe('0-2');
  });

  it('reads frames (their id rebuilt from the run) and markers from entries', () => {
    expect(parseEntry('r', '7-0', ['t', 'id: r:7\ndata: 1\n\n'])).toEqual({ kind: 'frame', frame: { id: 'r:7', seq: 7, text: 'id: r:7\ndata: 1\n\n' } });
    expect(parseEntry('r', '0-1', ['m', 'open'])).toEqual({ kind: 'open' });
    expect(parseEntry('r', '9-2', ['m', 'end'])).toEqual({ kind: 'end', lastSeq: 9 });
  });

  it('tells whether what a reader needs next is still kept', () => {
    const frame = (seq: number) => parseEntry('r', frameEntryId(seq), ['t', '']);
    expect(nextIsKept({ kind: 'open' }, 0)).toBe(true);
    expect(nextIsKept(frame(5), 4)).toBe(true);
    expect(nextIsKept(frame(5), 9)).toBe(true);
    expect(nextIsKept(frame(5), 3)).toBe(false);
    expect(nextIsKept({ kind: 'end', lastSeq: 5 }, 5)).toBe(true);
    expect(nextIsKept({ kind: 'end', lastSeq: 5 }, 4)).toBe(false);
  });

  it("reads an XREAD reply in RESP2's and RESP3's shapes, and a timed-out read as none", () => {
    const entries: Array<[string, string[]]> = [['1-0', ['t', 'a']], ['2-0', ['t', 'b']]];
    expect(xreadEntries([['key', entries]])).toEqual(entries);
    expect(xreadEntries({ key: entries })).toEqual(entries);
    expect(xreadEntries(null)).toEqual([]);
    expect(xreadEntries({})).toEqual([]);
  });
});
