import fc from 'fast-check';
import { jsonPatchDiff } from '../../src/json/jsonPatchDiff.js';
import type { JsonValue } from '../../src/json/jsonTypes.js';
import { applyJsonPatch, cloneJson, sameJson } from './jsonTestHelpers.js';

describe('jsonPatchDiff', () => {
  it('replaces a grown string with the whole new string and adds new members', () => {
    expect(jsonPatchDiff({ title: 'Str' }, { title: 'Stream', tags: [] })).toEqual([
      { op: 'replace', path: '/title', value: 'Stream' },
      { op: 'add', path: '/tags', value: [] },
    ]);
  });

  it('grows arrays with add and shrinks them from the end with remove', () => {
    expect(jsonPatchDiff([1, 2], [1, 3, 4, 5])).toEqual([
      { op: 'replace', path: '/1', value: 3 },
      { op: 'add', path: '/2', value: 4 },
      { op: 'add', path: '/3', value: 5 },
    ]);
    expect(jsonPatchDiff([1, 2, 3], [1])).toEqual([
      { op: 'remove', path: '/2' },
      { op: 'remove', path: '/1' },
    ]);
  });

  it('removes members, replaces values of another type and escapes keys', () => {
    expect(jsonPatchDiff({ 'a/b': 1, '~': [1], gone: null }, { 'a/b': '1', '~': { x: 1 } })).toEqual([
      { op: 'remove', path: '/gone' },
      { op: 'replace', path: '/a~1b', value: '1' },
      { op: 'replace', path: '/~0', value: { x: 1 } },
    ]);
  });

  it('adds or removes the whole document from and to undefined', () => {
    expect(jsonPatchDiff(undefined, { a: 1 })).toEqual([{ op: 'add', path: '', value: { a: 1 } }]);
    expect(jsonPatchDiff([1], undefined)).toEqual([{ op: 'remove', path: '' }]);
    expect(jsonPatchDiff(undefined, undefined)).toEqual([]);
    expect(jsonPatchDiff('a', 'ab')).toEqual([{ op: 'replace', path: '', value: 'ab' }]);
  });

  it('skips shared members without visiting them', () => {
    const shared = { deep: [1, 2, 3] };
    const visits: string[] = [];
    const spy = new Proxy(shared, { ownKeys: (target) => { visits.push('keys'); return Reflect.ownKeys(target); } });
    expect(jsonPatchDiff({ shared: spy, n: 1 }, { shared: spy, n: 2 })).toEqual([{ op: 'replace', path: '/n', value: 2 }]);
    expect(visits).toEqual([]);
  });

  it('handles documents nested far deeper than the call stack', () => {
    let prev: JsonValue = 'a';
    let next: JsonValue = 'b';
    for (let i = 0; i < 50_000; i++) {
      prev = [prev];
      next = [next];
    }
    expect(jsonPatchDiff(prev, next)).toEqual([{ op: 'replace', path: '/0'.repeat(50_000), value: 'b' }]);
  });

  it('produces operations that turn any value into any other', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.jsonValue({ maxDepth: 4 }), (prev, next) => {
        const a = prev as JsonValue;
        const b = next as JsonValue;
        // RFC 6902 cannot reorder existing members, so key order is not compared.
        if (!sameJson(applyJsonPatch(a, jsonPatchDiff(a, b)), b, false)) throw new Error('the operations do not rebuild the next value');
        if (jsonPatchDiff(a, cloneJson(a)).length !== 0) throw new Error('equal values gave operations');
      }),
      { numRuns: 1000 },
    );
  });
});
