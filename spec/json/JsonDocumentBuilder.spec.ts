import { JsonDocumentBuilder } from '../../src/json/JsonDocumentBuilder.js';
import type { JsonValue } from '../../src/json/jsonTypes.js';
import { applyJsonPatch } from './jsonTestHelpers.js';

/** `{"items": [` then `items` objects `{ n: i }`, as a parser would build them. */
function openList(builder: JsonDocumentBuilder, items: number): void {
  builder.open(false);
  builder.setKey('items');
  builder.open(true);
  for (let i = 0; i < items; i++) addItem(builder, i);
}

function addItem(builder: JsonDocumentBuilder, n: number): void {
  builder.open(false);
  builder.setKey('n');
  builder.add(n);
  builder.close();
}

describe('JsonDocumentBuilder', () => {
  it('builds values into the open array, under the last key of the open object, or at the root', () => {
    const builder = new JsonDocumentBuilder();
    expect(builder.snapshot()).toBeUndefined();
    builder.open(false);
    builder.setKey('tags');
    builder.open(true);
    expect([builder.depth, builder.inArray]).toEqual([2, true]);
    builder.add(true);
    builder.add(null);
    builder.close();
    expect([builder.depth, builder.inArray]).toEqual([1, false]);
    builder.setKey('n');
    builder.add(-1.5);
    builder.close();
    expect(builder.snapshot()).toEqual({ tags: [true, null], n: -1.5 });
    expect(builder.depth).toBe(0);

    const scalar = new JsonDocumentBuilder();
    scalar.add(42);
    expect(scalar.snapshot()).toBe(42);
  });

  it('shows a string from its start and replaces its text as it grows', () => {
    const builder = new JsonDocumentBuilder();
    builder.open(true);
    builder.beginString();
    expect(builder.snapshot()).toEqual(['']);
    builder.growString('Str');
    expect(builder.snapshot()).toEqual(['Str']);
    builder.growString('Stream');
    builder.endString();
    builder.beginString();
    builder.growString('x');
    expect(builder.snapshot()).toEqual(['Stream', 'x']);
  });

  it('counts a version per change and returns the same snapshot while nothing changes', () => {
    const builder = new JsonDocumentBuilder();
    builder.open(false);
    builder.setKey('a');
    builder.beginString();
    builder.growString('x');
    expect(builder.version).toBe(3);
    const snapshot = builder.snapshot();
    builder.setKey('b'); // a key alone is no change
    expect(builder.version).toBe(3);
    expect(builder.snapshot()).toBe(snapshot);
  });

  it('never changes a snapshot it has handed out, and shares what did not change', () => {
    const builder = new JsonDocumentBuilder();
    openList(builder, 2);
    const before = builder.snapshot() as { items: Array<{ n: number }> };
    const frozen = JSON.stringify(before);
    addItem(builder, 2);
    builder.close();
    builder.setKey('done');
    builder.add(true);
    const after = builder.snapshot() as { items: Array<{ n: number }>; done: boolean };
    expect(JSON.stringify(before)).toBe(frozen);
    expect(after).toEqual({ items: [{ n: 0 }, { n: 1 }, { n: 2 }], done: true });
    expect(after).not.toBe(before);
    expect(after.items).not.toBe(before.items);
    expect(after.items[0]).toBe(before.items[0]);
    expect(after.items[1]).toBe(before.items[1]);
  });

  it('keeps a snapshot as it was through several changes before the next one', () => {
    const builder = new JsonDocumentBuilder();
    openList(builder, 1);
    const first = builder.snapshot() as { items: unknown[] };
    addItem(builder, 1);
    addItem(builder, 2);
    const second = builder.snapshot() as { items: unknown[] };
    expect(first.items).toHaveLength(1);
    expect(second.items).toHaveLength(3);
    expect(second.items[0]).toBe(first.items[0]);
  });

  describe('snapshot copy limit', () => {
    it('updates an open container past the limit in place, still renewing the path above it', () => {
      const builder = new JsonDocumentBuilder({ snapshotCopyLimit: 3 });
      openList(builder, 4);
      const before = builder.snapshot() as { items: unknown[] };
      addItem(builder, 4);
      const after = builder.snapshot() as { items: unknown[] };
      expect(after).not.toBe(before);
      expect(after.items).toBe(before.items);
      expect(before.items).toHaveLength(5);
    });

    it('copies always with Infinity and never with 0', () => {
      const always = new JsonDocumentBuilder({ snapshotCopyLimit: Infinity });
      openList(always, 500);
      const first = always.snapshot() as { items: unknown[] };
      addItem(always, 500);
      expect(first.items).toHaveLength(500);

      const live = new JsonDocumentBuilder({ snapshotCopyLimit: 0 });
      openList(live, 1);
      const root = live.snapshot();
      addItem(live, 1);
      expect(live.snapshot()).toBe(root);
    });
  });

  describe('objects as JSON.parse builds them', () => {
    it('creates an own __proto__ member instead of changing the prototype, also in copies', () => {
      const builder = new JsonDocumentBuilder();
      builder.open(false);
      builder.setKey('__proto__');
      builder.open(false);
      const first = builder.snapshot() as object;
      builder.setKey('polluted');
      builder.add(true);
      const second = builder.snapshot() as Record<string, unknown>;
      for (const value of [first, second]) {
        expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
        expect(Object.keys(value)).toEqual(['__proto__']);
      }
      expect(Object.getOwnPropertyDescriptor(second, '__proto__')?.value).toEqual({ polluted: true });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('replaces a duplicate key at the place of the first', () => {
      const builder = new JsonDocumentBuilder();
      builder.open(false);
      for (const [key, value] of [['a', 1], ['b', 2], ['a', 3]] as const) {
        builder.setKey(key);
        builder.add(value);
      }
      expect(Object.entries(builder.snapshot() as object)).toEqual([['a', 3], ['b', 2]]);
    });
  });

  describe('patches', () => {
    it('records nothing unless asked', () => {
      const builder = new JsonDocumentBuilder();
      builder.open(true);
      builder.add(1);
      expect(builder.takePatches()).toEqual([]);
    });

    it('records an add per value, with containers empty as they opened, and escapes keys in paths', () => {
      const builder = new JsonDocumentBuilder({ patches: true });
      builder.open(false);
      builder.setKey('a/b~c');
      builder.open(true);
      builder.add(1);
      builder.close();
      builder.setKey('a/b~c');
      builder.add(null);
      expect(builder.takePatches()).toEqual([
        { op: 'add', path: '', value: {} },
        { op: 'add', path: '/a~1b~0c', value: [] },
        { op: 'add', path: '/a~1b~0c/0', value: 1 },
        { op: 'replace', path: '/a~1b~0c', value: null },
      ]);
      expect(builder.takePatches()).toEqual([]);
    });

    it('writes a growing string as one operation per batch carrying its whole text', () => {
      const builder = new JsonDocumentBuilder({ patches: true });
      builder.open(true);
      builder.beginString();
      builder.growString('a');
      builder.growString('ab');
      expect(builder.takePatches()).toEqual([
        { op: 'add', path: '', value: [] },
        { op: 'add', path: '/0', value: 'ab' },
      ]);
      builder.growString('abc');
      builder.growString('abcd');
      expect(builder.takePatches()).toEqual([{ op: 'replace', path: '/0', value: 'abcd' }]);
      builder.endString();
      builder.beginString();
      builder.growString('z');
      expect(builder.takePatches()).toEqual([{ op: 'add', path: '/1', value: 'z' }]);
    });

    it('rebuilds every snapshot when the batches are applied in order', () => {
      const builder = new JsonDocumentBuilder({ patches: true, snapshotCopyLimit: 1 });
      let document: JsonValue | undefined;
      const check = () => {
        document = applyJsonPatch(document, builder.takePatches());
        expect(document).toEqual(builder.snapshot());
      };
      openList(builder, 3);
      check();
      builder.open(false);
      builder.setKey('s');
      builder.beginString();
      check();
      builder.growString('hé');
      check();
      builder.endString();
      builder.close();
      builder.close();
      builder.close();
      check();
    });
  });
});
