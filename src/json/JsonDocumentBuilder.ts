import type { JsonObject, JsonPatchOperation, JsonValue } from './jsonTypes.js';
import { pointerToken } from './pointerToken.js';

/** Options of {@link JsonDocumentBuilder}; the parser's options of the same names. */
export interface JsonDocumentBuilderOptions {
  /** Record RFC 6902 operations for `takePatches`. Default `false`. */
  patches?: boolean;
  /** The most members an open container may have and still be copied for a new snapshot. Default 256. */
  snapshotCopyLimit?: number;
}

/** An open array or object: the container being filled and how it hangs in its parent. */
interface Frame {
  readonly isArray: boolean;
  /** The container; mutated in place only while `epoch` equals the builder's epoch. */
  container: JsonValue[] | JsonObject;
  epoch: number;
  /** Objects: the key whose value is being read (the slot of an open child). */
  key: string;
  /** Members so far (array length, or object keys), without counting them again. */
  size: number;
  /** JSON Pointer of this container (kept only when patches are recorded). */
  readonly pointer: string;
}

/** An `add` or `replace`: the operations that carry a value. */
type ValueOperation = Extract<JsonPatchOperation, { value: JsonValue }>;

/**
 * Builds a JSON document from the values a parser reads, in document order, and hands it out as
 * persistent snapshots: a snapshot never changes once taken, a change copies only the open
 * containers on the path from the root to it (each once per snapshot), and everything else is
 * shared, so unchanged members keep their identity from one snapshot to the next.
 *
 * An open container with more than `snapshotCopyLimit` members is updated in place instead of
 * copied, which keeps the work per change bounded by the depth, not by the document's size.
 * With `patches`, every change is also recorded as the RFC 6902 operation that makes it; a string
 * that grows several times between two `takePatches` is one `replace` with its latest text.
 *
 * The caller keeps to the grammar: a value goes into the open array, under the key set last in
 * the open object, or at the root.
 */
export class JsonDocumentBuilder {
  private readonly recordPatches: boolean;
  private readonly snapshotCopyLimit: number;
  private readonly frames: Frame[] = [];
  private root: JsonValue | undefined = undefined;
  /** Containers created or copied in the current epoch are private; older ones were handed out. */
  private epoch = 0;
  private changes = 0;
  private snapshotVersion = 0;
  private patches: JsonPatchOperation[] = [];
  /** The operation of the open string in the current batch, updated in place as the string grows. */
  private stringOp: ValueOperation | undefined = undefined;
  private stringPath = '';

  constructor(options: JsonDocumentBuilderOptions = {}) {
    this.recordPatches = options.patches ?? false;
    this.snapshotCopyLimit = options.snapshotCopyLimit ?? 256;
  }

  /** Increments with every visible change. */
  get version(): number {
    return this.changes;
  }

  /** How many containers are open. */
  get depth(): number {
    return this.frames.length;
  }

  /** Whether the innermost open container is an array (false when it is an object, or none is open). */
  get inArray(): boolean {
    const frames = this.frames;
    return frames.length > 0 && frames[frames.length - 1].isArray;
  }

  /** The document so far, or `undefined` before its first value; the same object until it changes. */
  snapshot(): JsonValue | undefined {
    if (this.snapshotVersion !== this.changes) {
      // Hand out the current containers: from now on a change copies them instead of mutating.
      this.snapshotVersion = this.changes;
      this.epoch++;
    }
    return this.root;
  }

  /** The operations recorded since the last call, in order; empties the list. */
  takePatches(): JsonPatchOperation[] {
    const taken = this.patches;
    this.patches = [];
    this.stringOp = undefined;
    return taken;
  }

  /** Adds a complete number, boolean or null. */
  add(value: JsonValue): void {
    this.place(value);
  }

  /** Adds an empty array or object and opens it: the next values go into it until `close`. */
  open(isArray: boolean): void {
    const container: JsonValue[] | JsonObject = isArray ? [] : {};
    // The patch carries its own empty container: the live one fills up before the patch is read.
    const pointer = this.place(container, isArray ? [] : {});
    this.frames.push({ isArray, container, epoch: this.epoch, key: '', pointer, size: 0 });
  }

  /** Closes the innermost open container. */
  close(): void {
    this.frames.pop();
  }

  /** Sets the key under which the open object's next value goes. */
  setKey(key: string): void {
    this.frames[this.frames.length - 1].key = key;
  }

  /** Adds an empty string that `growString` will fill: a string shows from its opening quote. */
  beginString(): void {
    const path = this.place('');
    if (this.recordPatches) {
      this.stringPath = path;
      this.stringOp = this.patches[this.patches.length - 1] as ValueOperation;
    }
  }

  /** Replaces the open string's text with `text` (once per chunk, not once per piece). */
  growString(text: string): void {
    this.changes++;
    const frames = this.frames;
    if (frames.length === 0) {
      this.root = text;
    } else {
      this.ownOpenPath();
      const top = frames[frames.length - 1];
      if (top.isArray) {
        const array = top.container as JsonValue[];
        array[array.length - 1] = text;
      } else {
        setMember(top.container as JsonObject, top.key, text);
      }
    }
    if (!this.recordPatches) return;
    if (this.stringOp) {
      this.stringOp.value = text;
    } else {
      this.stringOp = { op: 'replace', path: this.stringPath, value: text };
      this.patches.push(this.stringOp);
    }
  }

  /** The open string is complete: a later change to the document is a new operation. */
  endString(): void {
    this.stringOp = undefined;
  }

  /**
   * Makes `value` visible as the next element of the open array, the value of the current key,
   * or the root. Returns the JSON Pointer of the new value when patches are recorded.
   */
  private place(value: JsonValue, patchValue: JsonValue = value): string {
    this.changes++;
    const frames = this.frames;
    let path = '';
    if (frames.length === 0) {
      this.root = value;
      if (this.recordPatches) this.patches.push({ op: 'add', path, value: patchValue });
      return path;
    }
    this.ownOpenPath();
    const top = frames[frames.length - 1];
    if (top.isArray) {
      const array = top.container as JsonValue[];
      if (this.recordPatches) {
        path = `${top.pointer}/${array.length}`;
        this.patches.push({ op: 'add', path, value: patchValue });
      }
      array.push(value);
      top.size++;
    } else {
      const object = top.container as JsonObject;
      const known = Object.prototype.hasOwnProperty.call(object, top.key);
      if (this.recordPatches) {
        path = `${top.pointer}/${pointerToken(top.key)}`;
        this.patches.push({ op: known ? 'replace' : 'add', path, value: patchValue });
      }
      setMember(object, top.key, value);
      if (!known) top.size++;
    }
    return path;
  }

  /**
   * Copy-on-write: makes every open container private to the current epoch, copying those that
   * were handed out in a snapshot and relinking each copy into its (already private) parent.
   * Ownership always covers a prefix of the stack, so this costs nothing when the top is owned.
   */
  private ownOpenPath(): void {
    const frames = this.frames;
    const epoch = this.epoch;
    let i = frames.length - 1;
    if (frames[i].epoch === epoch) return;
    while (i > 0 && frames[i - 1].epoch !== epoch) i--;
    for (; i < frames.length; i++) {
      const frame = frames[i];
      frame.epoch = epoch;
      // Past the limit the container is shared with earlier snapshots and updated in place.
      if (frame.size > this.snapshotCopyLimit) continue;
      const copy: JsonValue[] | JsonObject = frame.isArray ? (frame.container as JsonValue[]).slice() : { ...frame.container };
      frame.container = copy;
      if (i === 0) {
        this.root = copy;
      } else {
        const parent = frames[i - 1];
        if (parent.isArray) {
          const siblings = parent.container as JsonValue[];
          siblings[siblings.length - 1] = copy;
        } else {
          setMember(parent.container as JsonObject, parent.key, copy);
        }
      }
    }
  }
}

/**
 * Sets an own property the way `JSON.parse` does. A plain assignment of `__proto__` would replace
 * the prototype instead of creating the member a JSON document can legitimately contain.
 */
function setMember(target: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    target[key] = value;
  }
}
