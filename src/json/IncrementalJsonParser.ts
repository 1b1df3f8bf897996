import type { OutputParserError } from '../errors/index.js';
import {
  EXCERPT_RADIUS,
  hexDigitValue,
  isJsonWhitespace,
  jsonSyntaxError,
  pointerToken,
  setMember,
  simpleEscape,
} from './jsonParserInternals.js';
import type { JsonObject, JsonPatchOperation, JsonValue } from './jsonTypes.js';

/** Options of {@link IncrementalJsonParser}; every field is optional. */
export interface IncrementalJsonParserOptions {
  /**
   * Read JSON out of model prose: skip text before the value, read it from a Markdown code fence
   * (```` ```json ```` or a bare ```` ``` ````) when one comes first, and stop at the closing fence.
   * Without a fence the value must be an object or an array and text after it is ignored.
   * Default `false`: strict, the whole text is exactly one JSON value with optional whitespace.
   */
  tolerant?: boolean;
  /** Record RFC 6902 operations for {@link IncrementalJsonParser.takePatches}. Default `false`. */
  patches?: boolean;
  /**
   * The deepest nesting of arrays and objects accepted (RFC 8259 §9 lets parsers set one). Every
   * snapshot copies the open path, so the bound also bounds the work per chunk. Default 1000.
   */
  maxDepth?: number;
  /**
   * The most members an open array or object may have and still be copied for a new snapshot.
   * A larger open container (a top-level list of thousands of records) is updated in place
   * instead, so the work per chunk stays bounded and parsing stays linear however long it grows.
   * `Infinity` copies always (every snapshot persistent, at a cost per chunk that grows with
   * such containers); 0 never copies (one live value). Default 256.
   */
  snapshotCopyLimit?: number;
}

/** An open array or object: the container being filled and how it hangs in its parent. */
interface Frame {
  readonly isArray: boolean;
  /** The container; mutated in place only while `epoch` equals the parser's epoch. */
  container: JsonValue[] | JsonObject;
  epoch: number;
  /** Objects: the key whose value is being read (the slot of an open child). */
  key: string;
  /** Members so far (array length, or object keys), without counting them again. */
  size: number;
  /** JSON Pointer of this container (kept only when patches are recorded). */
  readonly pointer: string;
}

// Parser states. The scanning loop switches on these; they are plain numbers for speed.
const BEFORE_ROOT = 0;
const VALUE = 1; // after ':' or after ',' in an array
const ARRAY_FIRST = 2; // just after '['
const OBJECT_FIRST = 3; // just after '{'
const KEY = 4; // after ',' in an object
const COLON = 5;
const AFTER_VALUE = 6; // a member or element is complete
const AFTER_ROOT = 7;
const STRING = 8;
const ESCAPE = 9;
const UNICODE = 10;
const NUMBER = 11;
const LITERAL = 12;
const PROSE = 13; // tolerant: text before the JSON
const FENCE_INFO = 14; // tolerant: the rest of the ``` line (the language tag)
const FENCE_TRAILER = 15; // tolerant: between the value and the closing fence
const DONE = 16; // tolerant: the value is complete, the rest is ignored

// Number grammar states (RFC 8259 §6). Terminal ones: ZERO, INT, FRAC, EXP_DIGITS.
const N_START = 0;
const N_MINUS = 1;
const N_ZERO = 2;
const N_INT = 3;
const N_DOT = 4;
const N_FRAC = 5;
const N_EXP = 6;
const N_EXP_SIGN = 7;
const N_EXP_DIGITS = 8;

/** An `add` or `replace`: the operations that carry a value. */
type ValueOperation = Extract<JsonPatchOperation, { value: JsonValue }>;

/**
 * Parses JSON as it arrives, in time linear in the text, and shows the partial value after
 * every chunk.
 *
 * Feed it only the new text of each chunk with `write`; it keeps its place (a stack of the open
 * containers) and never re-reads what it has seen. `value` is the document so far:
 * - objects and arrays appear as soon as they open, and fill up in place;
 * - a string appears at its opening quote and grows with every chunk; an escape or a surrogate
 *   pair split across chunks is held back until it completes, so a partial string never ends in
 *   half a character;
 * - a number appears only once it cannot change any more: when the character after it arrives
 *   (`,`, `]`, `}` or whitespace), or at `end()` for a document that is just a number;
 * - `true`, `false` and `null` appear once their last letter arrives;
 * - a member appears once its key is complete and its value has started to appear (so `{"a":`
 *   still shows `{}`, and `{"a": 12` too, until the number ends).
 *
 * `value` is a persistent snapshot: a value handed out never changes afterwards. A change copies
 * only the containers on the path from the root to the change (each once per snapshot) and shares
 * everything else, so completed members keep their identity from one snapshot to the next
 * (`prev.items[0] === next.items[0]`) and changed ones get a new one - what `distinctUntilChanged`,
 * Angular `OnPush` and React need. Do not mutate a snapshot; clone it first if you must.
 * One bound keeps this linear: an open container with more than `snapshotCopyLimit` members
 * (256) is not copied but updated in place — a snapshot taken earlier sees its later members.
 *
 * Strict by default: exactly one value with optional whitespace around it, accepting exactly
 * what `JSON.parse` accepts and producing the same value. Malformed input throws an
 * `OutputParserError` with the absolute `offset` and a short `text` excerpt.
 *
 * @example
 * ```ts
 * import { IncrementalJsonParser } from 'rxllm';
 *
 * const parser = new IncrementalJsonParser();
 * parser.write('{"title": "Strea');
 * parser.value; // { title: 'Strea' }
 * parser.write('ming", "pages": 1');
 * parser.value; // { title: 'Streaming' } - 1 could still become 12
 * parser.write('2}');
 * parser.value; // { title: 'Streaming', pages: 12 }
 * parser.end();
 * ```
 */
export class IncrementalJsonParser {
  private readonly tolerant: boolean;
  private readonly recordPatches: boolean;
  private readonly maxDepth: number;
  private readonly snapshotCopyLimit: number;
  private state: number;
  private readonly frames: Frame[] = [];
  private root: JsonValue | undefined = undefined;
  /** Containers created or copied in the current epoch are private; older ones were handed out. */
  private epoch = 0;
  private changes = 0;
  private snapshotVersion = 0;
  private rootComplete = false;
  private ended = false;
  private failure: OutputParserError | undefined = undefined;
  /** Characters consumed by earlier writes: turns a chunk index into an absolute offset. */
  private consumed = 0;
  /** At least the last EXCERPT_RADIUS characters of earlier writes (for error excerpts), at most a few times more. */
  private tail = '';

  // The string being read: its visible text, a held-back high surrogate, and whether it is a key.
  private stringText = '';
  private heldSurrogate = '';
  private stringIsKey = false;
  private stringDirty = false;
  private unicodeDigits = 0;
  private unicodeValue = 0;

  private numberText = '';
  private numberState = N_START;

  private literalWord = '';
  private literalValue: JsonValue = null;
  private literalIndex = 0;

  private fenced = false;
  private backticks = 0;

  private patches: JsonPatchOperation[] = [];
  /** The operation of the open string in the current batch, updated in place as the string grows. */
  private stringOp: ValueOperation | undefined = undefined;
  private stringPath = '';

  constructor(options: IncrementalJsonParserOptions = {}) {
    this.tolerant = options.tolerant ?? false;
    this.recordPatches = options.patches ?? false;
    this.maxDepth = options.maxDepth ?? 1000;
    this.snapshotCopyLimit = options.snapshotCopyLimit ?? 256;
    this.state = this.tolerant ? PROSE : BEFORE_ROOT;
  }

  /** Increments whenever the partial value changes; compare it to decide whether to emit. */
  get version(): number {
    return this.changes;
  }

  /** True once the top-level value is complete (more whitespace, or text after a fence, may follow). */
  get complete(): boolean {
    return this.rootComplete;
  }

  /**
   * The document so far, or `undefined` while nothing is visible yet. A persistent snapshot:
   * reading it again without a change returns the same object.
   */
  get value(): JsonValue | undefined {
    if (this.snapshotVersion !== this.changes) {
      // Hand out the current containers: from now on a change copies them instead of mutating.
      this.snapshotVersion = this.changes;
      this.epoch++;
    }
    return this.root;
  }

  /**
   * The RFC 6902 operations that turn the previous batch's value into the current one, in order;
   * empties the list. Requires `{ patches: true }`.
   */
  takePatches(): JsonPatchOperation[] {
    const taken = this.patches;
    this.patches = [];
    this.stringOp = undefined;
    return taken;
  }

  /**
   * Parses the next chunk of text.
   * @return whether the partial value changed.
   * @throws OutputParserError on malformed JSON (and again on every later call).
   */
  write(text: string): boolean {
    if (this.failure) throw this.failure;
    if (this.ended) throw new Error('IncrementalJsonParser: write() after end()');
    const changesBefore = this.changes;
    const length = text.length;
    let i = 0;
    while (i < length) {
      switch (this.state) {
        case STRING:
          i = this.readString(text, i);
          break;
        case BEFORE_ROOT:
        case VALUE:
          i = skipWhitespace(text, i);
          if (i < length) i = this.beginValue(text, i);
          break;
        case ARRAY_FIRST:
          i = skipWhitespace(text, i);
          if (i === length) break;
          if (text.charCodeAt(i) === 0x5d) {
            this.closeContainer();
            i++;
          } else {
            i = this.beginValue(text, i);
          }
          break;
        case OBJECT_FIRST:
        case KEY: {
          i = skipWhitespace(text, i);
          if (i === length) break;
          const code = text.charCodeAt(i);
          if (code === 0x22) {
            this.beginString(true);
          } else if (code === 0x7d && this.state === OBJECT_FIRST) {
            this.closeContainer();
          } else {
            this.fail(text, i);
          }
          i++;
          break;
        }
        case COLON:
          i = skipWhitespace(text, i);
          if (i === length) break;
          if (text.charCodeAt(i) !== 0x3a) this.fail(text, i);
          this.state = VALUE;
          i++;
          break;
        case AFTER_VALUE: {
          i = skipWhitespace(text, i);
          if (i === length) break;
          const code = text.charCodeAt(i);
          const top = this.frames[this.frames.length - 1];
          if (code === 0x2c) {
            this.state = top.isArray ? VALUE : KEY;
          } else if (code === (top.isArray ? 0x5d : 0x7d)) {
            this.closeContainer();
          } else {
            this.fail(text, i);
          }
          i++;
          break;
        }
        case AFTER_ROOT:
          i = skipWhitespace(text, i);
          if (i < length) this.fail(text, i);
          break;
        case ESCAPE: {
          const code = text.charCodeAt(i);
          if (code === 0x75) {
            this.unicodeDigits = 0;
            this.unicodeValue = 0;
            this.state = UNICODE;
          } else {
            const escaped = simpleEscape(code);
            if (escaped === undefined) this.fail(text, i);
            this.appendToString(escaped);
            this.state = STRING;
          }
          i++;
          break;
        }
        case UNICODE: {
          const digit = hexDigitValue(text.charCodeAt(i));
          if (digit < 0) this.fail(text, i);
          this.unicodeValue = this.unicodeValue * 16 + digit;
          if (++this.unicodeDigits === 4) {
            this.appendToString(String.fromCharCode(this.unicodeValue));
            this.state = STRING;
          }
          i++;
          break;
        }
        case NUMBER:
          i = this.readNumber(text, i);
          break;
        case LITERAL:
          if (text.charCodeAt(i) !== this.literalWord.charCodeAt(this.literalIndex)) this.fail(text, i);
          i++;
          if (++this.literalIndex === this.literalWord.length) {
            this.addValue(this.literalValue);
            this.afterValue();
          }
          break;
        case PROSE:
          i = this.skipProse(text, i);
          break;
        case FENCE_INFO:
          i = this.skipFenceInfo(text, i);
          break;
        case FENCE_TRAILER:
          i = skipWhitespace(text, i);
          if (i === length) break;
          if (text.charCodeAt(i) !== 0x60) this.fail(text, i);
          this.state = DONE;
          i = length;
          break;
        default: // DONE: whatever follows the closing fence or the value is not ours
          i = length;
      }
    }
    if (this.stringDirty) this.flushString();
    this.consumed += length;
    // Trimmed only now and then: appending a small chunk is cheaper than slicing after every write.
    if (length >= EXCERPT_RADIUS) this.tail = text.slice(length - EXCERPT_RADIUS);
    else if ((this.tail += text).length > 4 * EXCERPT_RADIUS) this.tail = this.tail.slice(-EXCERPT_RADIUS);
    return this.changes !== changesBefore;
  }

  /**
   * Ends the input: completes a top-level number, and checks that the document is complete.
   * @return whether the partial value changed (only a top-level number can still appear).
   * @throws OutputParserError when the text ended inside the value or held none.
   */
  end(): boolean {
    if (this.failure) throw this.failure;
    if (this.ended) return false;
    this.ended = true;
    const changesBefore = this.changes;
    if (this.state === NUMBER && this.frames.length === 0 && isTerminalNumberState(this.numberState)) {
      this.finishNumber();
    }
    if (this.state !== AFTER_ROOT && this.state !== FENCE_TRAILER && this.state !== DONE) {
      this.fail('', 0);
    }
    return this.changes !== changesBefore;
  }

  private beginValue(text: string, i: number): number {
    const code = text.charCodeAt(i);
    if (code === 0x22) {
      const path = this.addValue('');
      this.beginString(false);
      if (this.recordPatches) {
        this.stringPath = path;
        this.stringOp = this.patches[this.patches.length - 1] as ValueOperation;
      }
      return i + 1;
    }
    if (code === 0x7b || code === 0x5b) {
      if (this.frames.length >= this.maxDepth) {
        this.fail(text, i, `Nesting deeper than ${this.maxDepth} levels`, 'raise the maxDepth option to accept it');
      }
      const isArray = code === 0x5b;
      const container: JsonValue[] | JsonObject = isArray ? [] : {};
      const pointer = this.addValue(container, isArray ? [] : {});
      this.frames.push({ isArray, container, epoch: this.epoch, key: '', pointer, size: 0 });
      this.state = isArray ? ARRAY_FIRST : OBJECT_FIRST;
      return i + 1;
    }
    if (code === 0x2d || (code >= 0x30 && code <= 0x39)) {
      this.numberText = '';
      this.numberState = N_START;
      this.state = NUMBER;
      return i;
    }
    if (code === 0x74) this.beginLiteral('true', true);
    else if (code === 0x66) this.beginLiteral('false', false);
    else if (code === 0x6e) this.beginLiteral('null', null);
    else this.fail(text, i);
    return i;
  }

  private beginLiteral(word: string, value: JsonValue): void {
    this.literalWord = word;
    this.literalValue = value;
    this.literalIndex = 0;
    this.state = LITERAL;
  }

  private afterValue(): void {
    if (this.frames.length > 0) {
      this.state = AFTER_VALUE;
      return;
    }
    this.rootComplete = true;
    this.state = !this.tolerant ? AFTER_ROOT : this.fenced ? FENCE_TRAILER : DONE;
  }

  private closeContainer(): void {
    this.frames.pop();
    this.afterValue();
  }

  /**
   * Makes `value` visible as the next element of the open array, the value of the current key,
   * or the root. Returns the JSON Pointer of the new value when patches are recorded.
   */
  private addValue(value: JsonValue, patchValue: JsonValue = value): string {
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

  private beginString(isKey: boolean): void {
    this.stringText = '';
    this.heldSurrogate = '';
    this.stringIsKey = isKey;
    this.state = STRING;
  }

  private readString(text: string, start: number): number {
    const length = text.length;
    let i = start;
    let code = 0;
    // The hot loop: plain characters up to a quote, a backslash or a (forbidden) control character.
    while (i < length) {
      code = text.charCodeAt(i);
      if (code === 0x22 || code === 0x5c || code < 0x20) break;
      i++;
    }
    if (i > start) this.appendToString(text.slice(start, i));
    if (i === length) return i;
    if (code === 0x22) {
      this.closeString();
    } else if (code === 0x5c) {
      this.state = ESCAPE;
    } else {
      this.fail(text, i);
    }
    return i + 1;
  }

  /** Appends decoded text, holding back a trailing high surrogate until its pair arrives. */
  private appendToString(piece: string): void {
    if (this.heldSurrogate !== '') {
      piece = this.heldSurrogate + piece;
      this.heldSurrogate = '';
    }
    const last = piece.charCodeAt(piece.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) {
      this.heldSurrogate = piece.charAt(piece.length - 1);
      piece = piece.slice(0, -1);
      if (piece === '') return;
    }
    this.stringText += piece;
    if (!this.stringIsKey) this.stringDirty = true;
  }

  private closeString(): void {
    if (this.heldSurrogate !== '') {
      // A high surrogate with no pair is what JSON.parse keeps too: a lone surrogate.
      this.stringText += this.heldSurrogate;
      this.heldSurrogate = '';
      if (!this.stringIsKey) this.stringDirty = true;
    }
    if (this.stringIsKey) {
      this.frames[this.frames.length - 1].key = this.stringText;
      this.state = COLON;
      return;
    }
    if (this.stringDirty) this.flushString();
    this.stringOp = undefined;
    this.afterValue();
  }

  /** Publishes the open string's text into its slot (once per chunk, not once per piece). */
  private flushString(): void {
    this.stringDirty = false;
    this.changes++;
    const text = this.stringText;
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

  private readNumber(text: string, start: number): number {
    const length = text.length;
    let state = this.numberState;
    let i = start;
    for (; i < length; i++) {
      const code = text.charCodeAt(i);
      const isDigit = code >= 0x30 && code <= 0x39;
      const isExponent = code === 0x65 || code === 0x45;
      switch (state) {
        case N_START:
          state = code === 0x2d ? N_MINUS : code === 0x30 ? N_ZERO : N_INT;
          continue;
        case N_MINUS:
          if (!isDigit) break;
          state = code === 0x30 ? N_ZERO : N_INT;
          continue;
        case N_ZERO:
        case N_INT:
          if (isDigit && state === N_INT) continue;
          if (code === 0x2e) state = N_DOT;
          else if (isExponent) state = N_EXP;
          else if (isDigit) break; // a leading zero
          else return this.endNumberAt(text, start, i, state);
          continue;
        case N_DOT:
          if (!isDigit) break;
          state = N_FRAC;
          continue;
        case N_FRAC:
          if (isDigit) continue;
          if (!isExponent) return this.endNumberAt(text, start, i, state);
          state = N_EXP;
          continue;
        case N_EXP:
          if (code === 0x2b || code === 0x2d) state = N_EXP_SIGN;
          else if (isDigit) state = N_EXP_DIGITS;
          else break;
          continue;
        case N_EXP_SIGN:
          if (!isDigit) break;
          state = N_EXP_DIGITS;
          continue;
        default: // N_EXP_DIGITS
          if (isDigit) continue;
          return this.endNumberAt(text, start, i, state);
      }
      this.numberState = state;
      this.fail(text, i);
    }
    this.numberText += text.slice(start, i);
    this.numberState = state;
    return i;
  }

  /** The number ends before `text[end]`, which the next state will read. */
  private endNumberAt(text: string, start: number, end: number, state: number): number {
    this.numberText += text.slice(start, end);
    this.numberState = state;
    this.finishNumber();
    return end;
  }

  private finishNumber(): void {
    this.addValue(Number(this.numberText));
    this.numberText = '';
    this.afterValue();
  }

  private skipProse(text: string, start: number): number {
    for (let i = start; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === 0x60) {
        if (++this.backticks === 3) {
          this.backticks = 0;
          this.state = FENCE_INFO;
          return i + 1;
        }
        continue;
      }
      this.backticks = 0;
      if (code === 0x7b || code === 0x5b) {
        this.state = BEFORE_ROOT;
        return i;
      }
    }
    return text.length;
  }

  /** The language tag after ``` is ignored; the value starts on the next line (or at a `{`/`[`). */
  private skipFenceInfo(text: string, start: number): number {
    for (let i = start; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === 0x0a || code === 0x7b || code === 0x5b) {
        this.fenced = true;
        this.state = BEFORE_ROOT;
        return code === 0x0a ? i + 1 : i;
      }
    }
    return text.length;
  }

  /** Throws (and remembers) the error for `text[i]`, or for the end of input when `text` is empty. */
  private fail(text: string, i: number, problem?: string, hint?: string): never {
    const atEnd = i >= text.length;
    const before = i >= EXCERPT_RADIUS ? text.slice(i - EXCERPT_RADIUS, i) : (this.tail + text.slice(0, i)).slice(-EXCERPT_RADIUS);
    this.failure = jsonSyntaxError({
      offset: this.consumed + i,
      found: atEnd ? undefined : text.charAt(i),
      hint: hint ?? this.expectation(atEnd),
      problem,
      before,
      after: text.slice(i, i + EXCERPT_RADIUS),
    });
    throw this.failure;
  }

  /** Why the character (or the end of input) is wrong in the current state, for error messages. */
  private expectation(atEnd: boolean): string {
    const top = this.frames[this.frames.length - 1];
    switch (this.state) {
      case BEFORE_ROOT:
        return this.fenced ? 'expected a JSON value inside the code fence' : 'expected a JSON value';
      case VALUE:
        return 'expected a JSON value';
      case ARRAY_FIRST:
        return "expected a JSON value or ']'";
      case OBJECT_FIRST:
        return "expected a string key or '}'";
      case KEY:
        return 'expected a string key';
      case COLON:
        return "expected ':' after the key";
      case AFTER_VALUE:
        return closingExpectation(top);
      case AFTER_ROOT:
        return 'expected only whitespace after the JSON value';
      case STRING:
        return atEnd ? "expected the closing '\"' of the string" : 'control characters must be escaped in strings';
      case ESCAPE:
        return 'expected an escape: \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX';
      case UNICODE:
        return 'expected a hexadecimal digit of a \\u escape';
      case NUMBER:
        if (atEnd && isTerminalNumberState(this.numberState)) return closingExpectation(top);
        return this.numberState === N_ZERO
          ? 'leading zeros are not allowed'
          : this.numberState === N_EXP
            ? 'expected a digit or a sign of the exponent'
            : 'expected a digit';
      case LITERAL:
        return `expected "${this.literalWord}"`;
      case FENCE_TRAILER:
        return 'expected the closing ``` fence after the JSON value';
      default: // PROSE, FENCE_INFO: nothing found
        return 'expected a JSON object or array, or a ``` code fence holding JSON';
    }
  }
}

function skipWhitespace(text: string, i: number): number {
  while (i < text.length && isJsonWhitespace(text.charCodeAt(i))) i++;
  return i;
}

function isTerminalNumberState(state: number): boolean {
  return state === N_ZERO || state === N_INT || state === N_FRAC || state === N_EXP_DIGITS;
}

function closingExpectation(top: Frame): string {
  return top.isArray ? "expected ',' or ']'" : "expected ',' or '}'";
}
