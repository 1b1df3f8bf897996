/** Counts the elements written into the arrays it makes and into every array derived from them. */
export interface ElementWriteCounter {
  /** A counting array holding `items` (writing them is not counted). */
  of<T>(...items: T[]): T[];
  /** Elements written so far into the counting arrays. */
  readonly written: number;
}

/**
 * Makes input arrays that count how many elements code copies out of them. `slice`, `concat`,
 * `map`, `filter` and `splice` build their result with the constructor of the array they are
 * called on (`Symbol.species`), so a copy of a counting array, and a copy of that copy, counts
 * too, as does every `push` into them. A copy made another way (a spread, `Array.from`) is a plain
 * array and escapes the count; `expectLinearGrowth` fails then, as the count stops growing.
 */
export function countElementWrites(): ElementWriteCounter {
  let written = 0;
  let seeding = false;
  class CountingArray<T> extends Array<T> {
    constructor(...args: any[]) {
      super(...args);
      return new Proxy(this, {
        defineProperty(target, key, descriptor) {
          if (!seeding && typeof key === 'string' && /^\d+$/.test(key)) written++;
          return Reflect.defineProperty(target, key, descriptor);
        },
      });
    }
  }
  return {
    of<T>(...items: T[]): T[] {
      const array = new CountingArray<T>();
      seeding = true;
      array.push(...items);
      seeding = false;
      return array;
    },
    get written() {
      return written;
    },
  };
}
