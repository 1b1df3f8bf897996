/**
 * `JSON.stringify(value)` for values of any depth. `JSON.parse` accepts nesting far deeper than
 * `JSON.stringify` can write back (10,000 levels overflow its stack), and a model's tool
 * arguments or a tool's result may be that deep: this writes them with an explicit stack instead.
 * The common case (shallow values) is the native call; the same output either way, for what JSON
 * can hold (objects, arrays, strings, finite numbers, booleans, null, `toJSON`).
 */
export function stringifyJson(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return stringifyDeep(value);
  }
}

type Frame =
  | { kind: 'array'; items: unknown[]; next: number }
  | { kind: 'object'; source: object; entries: Array<[string, unknown]>; next: number; wrote: boolean };

function stringifyDeep(root: unknown): string | undefined {
  const out: string[] = [];
  const stack: Frame[] = [];
  const seen = new Set<object>();
  // Writes a scalar, or opens a container and pushes its frame; false for what JSON leaves out.
  const write = (raw: unknown, key: string, inArray: boolean): boolean => {
    const value = raw !== null && typeof raw === 'object' && typeof (raw as { toJSON?: unknown }).toJSON === 'function'
      ? (raw as { toJSON(key: string): unknown }).toJSON(key)
      : raw;
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol') {
      if (inArray) out.push('null');
      return inArray;
    }
    if (value === null || typeof value !== 'object') {
      if (typeof value === 'bigint') throw new TypeError('Do not know how to serialize a BigInt');
      out.push(JSON.stringify(value));
      return true;
    }
    if (seen.has(value)) throw new TypeError('Converting circular structure to JSON');
    seen.add(value);
    if (Array.isArray(value)) {
      out.push('[');
      stack.push({ kind: 'array', items: value, next: 0 });
    } else {
      out.push('{');
      stack.push({ kind: 'object', source: value, entries: Object.entries(value), next: 0, wrote: false });
    }
    return true;
  };
  if (!write(root, '', false)) return undefined;
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    if (frame.kind === 'array') {
      if (frame.next === frame.items.length) {
        out.push(']');
        seen.delete(frame.items);
        stack.pop();
        continue;
      }
      if (frame.next > 0) out.push(',');
      const index = frame.next++;
      write(frame.items[index], String(index), true);
    } else {
      if (frame.next === frame.entries.length) {
        out.push('}');
        seen.delete(frame.source);
        stack.pop();
        continue;
      }
      const [key, member] = frame.entries[frame.next++];
      const mark = out.length;
      out.push(frame.wrote ? ',' : '', JSON.stringify(key), ':');
      if (write(member, key, false)) frame.wrote = true;
      else out.length = mark;
    }
  }
  return out.join('');
}
