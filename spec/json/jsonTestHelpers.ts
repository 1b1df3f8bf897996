import { IncrementalJsonParser, type IncrementalJsonParserOptions } from '../../src/json/IncrementalJsonParser.js';
import type { JsonObject, JsonPatchOperation, JsonValue } from '../../src/json/jsonTypes.js';

/** Cuts `text` at the given offsets (any order, duplicates allowed) into consecutive chunks. */
export function splitAt(text: string, cuts: readonly number[]): string[] {
  const points = [...new Set(cuts.map((cut) => Math.max(0, Math.min(text.length, cut))))].sort((a, b) => a - b);
  const chunks: string[] = [];
  let start = 0;
  for (const point of points) {
    if (point > start) chunks.push(text.slice(start, point));
    start = point;
  }
  if (start < text.length || chunks.length === 0) chunks.push(text.slice(start));
  return chunks;
}


/** Cuts `text` into chunks of 1..maxChunk characters chosen by `random`. */
export function randomChunks(text: string, random: () => number, maxChunk: number): string[] {
  const chunks: string[] = [];
  for (let i = 0; i < text.length; ) {
    const size = 1 + Math.floor(random() * maxChunk);
    chunks.push(text.slice(i, i + size));
    i += size;
  }
  return chunks.length > 0 ? chunks : [''];
}

export interface FeedResult {
  /** `value` after each write that reported a change, then after `end()` if it changed. */
  snapshots: Array<JsonValue | undefined>;
  final: JsonValue | undefined;
  parser: IncrementalJsonParser;
}

/** Writes the chunks one by one, collecting the value after every reported change. */
export function feed(chunks: readonly string[], options?: IncrementalJsonParserOptions): FeedResult {
  const parser = new IncrementalJsonParser(options);
  const snapshots: Array<JsonValue | undefined> = [];
  for (const chunk of chunks) {
    if (parser.write(chunk)) snapshots.push(parser.value);
  }
  if (parser.end()) snapshots.push(parser.value);
  return { snapshots, final: parser.value, parser };
}

/** A deep copy that keeps -0 and own `__proto__` members (JSON round trips lose the first). */
export function cloneJson<T extends JsonValue | undefined>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => cloneJson(item)) as T;
  if (value !== null && typeof value === 'object') {
    const copy: JsonObject = {};
    for (const key of Object.keys(value)) setOwn(copy, key, cloneJson((value as JsonObject)[key]));
    return copy as T;
  }
  return value;
}

function setOwn(target: JsonObject, key: string, value: JsonValue): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

function parsePointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new Error(`Bad JSON Pointer ${JSON.stringify(path)}`);
  return path.slice(1).split('/').map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** A strict RFC 6902 applier for add / replace / remove, written independently of the parser. */
export function applyJsonPatch(document: JsonValue | undefined, operations: readonly JsonPatchOperation[]): JsonValue | undefined {
  return applyJsonPatchInPlace(cloneJson(document), operations);
}

/** {@link applyJsonPatch} on a document the caller owns: mutates it and returns the new root. */
export function applyJsonPatchInPlace(document: JsonValue | undefined, operations: readonly JsonPatchOperation[]): JsonValue | undefined {
  let root = document;
  for (const operation of operations) {
    const tokens = parsePointer(operation.path);
    if (tokens.length === 0) {
      if (operation.op === 'replace' && root === undefined) throw new Error('replace of a missing root');
      root = operation.op === 'remove' ? undefined : cloneJson(operation.value);
      continue;
    }
    let parent: JsonValue | undefined = root;
    for (const token of tokens.slice(0, -1)) {
      if (Array.isArray(parent)) parent = parent[Number(token)];
      else if (parent !== null && typeof parent === 'object' && Object.prototype.hasOwnProperty.call(parent, token)) parent = parent[token];
      else throw new Error(`Missing parent for ${operation.path}`);
    }
    const last = tokens[tokens.length - 1];
    if (Array.isArray(parent)) {
      const index = last === '-' ? parent.length : Number(last);
      if (!Number.isInteger(index) || index < 0 || index > parent.length) throw new Error(`Bad index in ${operation.path}`);
      if (operation.op === 'add') parent.splice(index, 0, cloneJson(operation.value));
      else if (index === parent.length) throw new Error(`No element at ${operation.path}`);
      else if (operation.op === 'replace') parent[index] = cloneJson(operation.value);
      else parent.splice(index, 1);
    } else if (parent !== null && typeof parent === 'object') {
      const exists = Object.prototype.hasOwnProperty.call(parent, last);
      if (operation.op !== 'add' && !exists) throw new Error(`No member at ${operation.path}`);
      if (operation.op === 'remove') delete parent[last];
      else setOwn(parent, last, cloneJson(operation.value));
    } else {
      throw new Error(`Parent of ${operation.path} is not a container`);
    }
  }
  return root;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * Why `partial` is not an honest partial view of `final`, or undefined when it is: strings are
 * prefixes that do not end in half a surrogate pair (unless the final string keeps a lone one
 * there), arrays are prefixes whose elements before the last are complete, objects hold a subset
 * of the final keys in the final order, and primitives other than strings are final.
 */
export function partialMismatch(partial: JsonValue | undefined, final: JsonValue | undefined, path = '$'): string | undefined {
  if (partial === undefined) return undefined;
  if (typeof partial === 'string') {
    if (typeof final !== 'string' || !final.startsWith(partial)) return `${path}: ${JSON.stringify(partial)} is not a prefix of ${JSON.stringify(final)}`;
    const splitsPair = partial.length < final.length && partial.length > 0 && isHighSurrogate(partial.charCodeAt(partial.length - 1))
      && !isHighSurrogate(final.charCodeAt(partial.length)) && final.charCodeAt(partial.length) >= 0xdc00 && final.charCodeAt(partial.length) <= 0xdfff;
    return splitsPair ? `${path}: ends in half a surrogate pair` : undefined;
  }
  if (Array.isArray(partial)) {
    if (!Array.isArray(final) || partial.length > final.length) return `${path}: array is not a prefix of the final array`;
    for (let i = 0; i < partial.length; i++) {
      const mismatch = i < partial.length - 1 ? completeMismatch(partial[i], final[i], `${path}[${i}]`) : partialMismatch(partial[i], final[i], `${path}[${i}]`);
      if (mismatch) return mismatch;
    }
    return undefined;
  }
  if (partial !== null && typeof partial === 'object') {
    if (final === null || typeof final !== 'object' || Array.isArray(final)) return `${path}: object where the final value is ${JSON.stringify(final)}`;
    const finalKeys = Object.keys(final);
    let cursor = 0;
    for (const key of Object.keys(partial)) {
      while (cursor < finalKeys.length && finalKeys[cursor] !== key) cursor++;
      if (cursor === finalKeys.length) return `${path}: key ${JSON.stringify(key)} missing from the final value or out of order`;
      const mismatch = partialMismatch(partial[key], final[key], `${path}.${key}`);
      if (mismatch) return mismatch;
    }
    return undefined;
  }
  return Object.is(partial, final) ? undefined : `${path}: ${String(partial)} shown but the final value is ${JSON.stringify(final)}`;
}

/** Deep equality of JSON values, telling -0 from 0; key order counts unless `ordered` is false. */
export function sameJson(a: JsonValue | undefined, b: JsonValue | undefined, ordered = true): boolean {
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => sameJson(item, b[i], ordered));
  if (a !== null && typeof a === 'object') {
    if (b === null || typeof b !== 'object' || Array.isArray(b)) return false;
    const keys = Object.keys(a);
    const otherKeys = Object.keys(b);
    const sameKeys = ordered ? keys.every((key, i) => key === otherKeys[i]) : keys.every((key) => Object.prototype.hasOwnProperty.call(b, key));
    return keys.length === otherKeys.length && sameKeys && keys.every((key) => sameJson(a[key], b[key], ordered));
  }
  return Object.is(a, b);
}

function completeMismatch(partial: JsonValue, final: JsonValue, path: string): string | undefined {
  return sameJson(partial, final) ? undefined : `${path}: a completed element differs from the final one`;
}
