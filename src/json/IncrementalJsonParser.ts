import type { OutputParserError } from '../errors/index.js';
import { JsonDocumentBuilder } from './JsonDocumentBuilder.js';
import {
  BACKTICK,
  BEGIN_ARRAY,
  BEGIN_OBJECT,
  COLON,
  COMMA,
  END_ARRAY,
  END_OBJECT,
  END_OF_CHUNK,
  JsonLexer,
  PRIMITIVE_END,
  PRIMITIVE_START,
  PROSE_FENCE,
  PROSE_VALUE,
  STRING_END,
  STRING_START,
} from './JsonLexer.js';
import { JsonSyntaxErrors } from './JsonSyntaxErrors.js';
import type { JsonPatchOperation, JsonValue } from './jsonTypes.js';

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

// The grammar's states: where the parser is in the document. Plain numbers, switched on per token.
// Between tokens:
const BEFORE_ROOT = 0;
const VALUE = 1; // after ':' or after ',' in an array
const ARRAY_FIRST = 2; // just after '['
const OBJECT_FIRST = 3; // just after '{'
const KEY = 4; // after ',' in an object
const AFTER_KEY = 5; // expecting ':'
const AFTER_VALUE = 6; // a member or element is complete
const AFTER_ROOT = 7;
const FENCE_TRAILER = 8; // tolerant: between the value and the closing fence
// Inside a token the lexer is reading:
const KEY_STRING = 9;
const STRING_VALUE = 10; // shown as it grows
const PRIMITIVE_VALUE = 11; // a number or literal, shown once complete
// Skipping characters (tolerant):
const PROSE = 12; // text before the JSON
const FENCE_INFO = 13; // the rest of the ``` line (the language tag)
const DONE = 14; // the value is complete, the rest is ignored

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
  private readonly maxDepth: number;
  private readonly lexer = new JsonLexer();
  private readonly document: JsonDocumentBuilder;
  private readonly errors = new JsonSyntaxErrors();
  private state: number;
  /** Tolerant reading: the value is inside a ``` fence, which must close after it. */
  private fenced = false;
  private rootComplete = false;
  private ended = false;
  private failure: OutputParserError | undefined = undefined;

  constructor(options: IncrementalJsonParserOptions = {}) {
    this.tolerant = options.tolerant ?? false;
    this.maxDepth = options.maxDepth ?? 1000;
    this.document = new JsonDocumentBuilder({ patches: options.patches, snapshotCopyLimit: options.snapshotCopyLimit });
    this.state = this.tolerant ? PROSE : BEFORE_ROOT;
  }

  /** Increments whenever the partial value changes; compare it to decide whether to emit. */
  get version(): number {
    return this.document.version;
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
    return this.document.snapshot();
  }

  /**
   * The RFC 6902 operations that turn the previous batch's value into the current one, in order;
   * empties the list. Requires `{ patches: true }`.
   */
  takePatches(): JsonPatchOperation[] {
    return this.document.takePatches();
  }

  /**
   * Parses the next chunk of text.
   * @return whether the partial value changed.
   * @throws OutputParserError on malformed JSON (and again on every later call).
   */
  write(text: string): boolean {
    if (this.failure) throw this.failure;
    if (this.ended) throw new Error('IncrementalJsonParser: write() after end()');
    const versionBefore = this.document.version;
    const lexer = this.lexer;
    const length = text.length;
    lexer.begin(text);
    while (lexer.index < length) {
      const state = this.state;
      if (state <= PRIMITIVE_VALUE) {
        const token = lexer.next();
        if (token === END_OF_CHUNK) break;
        if (state < KEY_STRING) this.accept(token, text);
        else this.endToken(token, text);
      } else if (state === PROSE) {
        const found = lexer.skipProse();
        if (found === PROSE_VALUE) this.state = BEFORE_ROOT;
        else if (found === PROSE_FENCE) this.state = FENCE_INFO;
      } else if (state === FENCE_INFO) {
        if (lexer.skipFenceInfo()) {
          this.fenced = true;
          this.state = BEFORE_ROOT;
        }
      } else {
        break; // DONE: whatever follows the closing fence or the value is not ours
      }
    }
    // An open string shows its new text once per chunk, however many pieces the chunk had.
    if (this.state === STRING_VALUE && lexer.stringGrew) this.showString();
    this.errors.advance(text);
    return this.document.version !== versionBefore;
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
    const versionBefore = this.document.version;
    // Inside a container a number still needs the character after it; at the root the end will do.
    if (this.state === PRIMITIVE_VALUE && this.document.depth === 0 && this.lexer.endNumber() === PRIMITIVE_END) {
      this.document.add(this.lexer.primitive);
      this.afterValue();
    }
    if (this.state !== AFTER_ROOT && this.state !== FENCE_TRAILER && this.state !== DONE) {
      this.fail('', 0, this.expectation(true));
    }
    return this.document.version !== versionBefore;
  }

  /** The grammar between tokens: what the next one means in the current state, or why it is wrong there. */
  private accept(token: number, text: string): void {
    switch (this.state) {
      case BEFORE_ROOT:
      case VALUE:
        this.beginValue(token, text);
        return;
      case ARRAY_FIRST:
        if (token === END_ARRAY) this.closeContainer();
        else this.beginValue(token, text);
        return;
      case OBJECT_FIRST:
      case KEY:
        if (token === STRING_START) this.state = KEY_STRING;
        else if (token === END_OBJECT && this.state === OBJECT_FIRST) this.closeContainer();
        else this.unexpected(text);
        return;
      case AFTER_KEY:
        if (token !== COLON) this.unexpected(text);
        this.state = VALUE;
        return;
      case AFTER_VALUE: {
        const inArray = this.document.inArray;
        if (token === COMMA) this.state = inArray ? VALUE : KEY;
        else if (token === (inArray ? END_ARRAY : END_OBJECT)) this.closeContainer();
        else this.unexpected(text);
        return;
      }
      case FENCE_TRAILER:
        if (token !== BACKTICK) this.unexpected(text);
        this.state = DONE;
        return;
      default: // AFTER_ROOT
        this.unexpected(text);
    }
  }

  /** The string, number or literal being read has ended, or is malformed at the lexer's position. */
  private endToken(token: number, text: string): void {
    const lexer = this.lexer;
    const document = this.document;
    if (token === STRING_END) {
      if (this.state === KEY_STRING) {
        document.setKey(lexer.stringText);
        this.state = AFTER_KEY;
        return;
      }
      if (lexer.stringGrew) this.showString();
      document.endString();
    } else if (token === PRIMITIVE_END) {
      document.add(lexer.primitive);
    } else {
      this.fail(text, lexer.index, this.expectation(false));
    }
    this.afterValue();
  }

  private beginValue(token: number, text: string): void {
    switch (token) {
      case STRING_START:
        this.document.beginString();
        this.state = STRING_VALUE;
        return;
      case PRIMITIVE_START:
        this.state = PRIMITIVE_VALUE;
        return;
      case BEGIN_ARRAY:
      case BEGIN_OBJECT: {
        if (this.document.depth >= this.maxDepth) {
          this.fail(text, this.lexer.tokenStart, 'raise the maxDepth option to accept it', `Nesting deeper than ${this.maxDepth} levels`);
        }
        const isArray = token === BEGIN_ARRAY;
        this.document.open(isArray);
        this.state = isArray ? ARRAY_FIRST : OBJECT_FIRST;
        return;
      }
      default:
        this.unexpected(text);
    }
  }

  private afterValue(): void {
    if (this.document.depth > 0) {
      this.state = AFTER_VALUE;
      return;
    }
    this.rootComplete = true;
    this.state = !this.tolerant ? AFTER_ROOT : this.fenced ? FENCE_TRAILER : DONE;
  }

  private closeContainer(): void {
    this.document.close();
    this.afterValue();
  }

  private showString(): void {
    this.lexer.stringGrew = false;
    this.document.growString(this.lexer.stringText);
  }

  /** Rejects the token just read: it cannot come here. */
  private unexpected(text: string): never {
    this.fail(text, this.lexer.tokenStart, this.expectation(false));
  }

  /** Throws (and remembers) the error for `text[i]`, or for the end of input when `text` is empty. */
  private fail(text: string, i: number, hint: string, problem?: string): never {
    this.failure = this.errors.at(text, i, hint, problem);
    throw this.failure;
  }

  /** What the current state needed instead of the character (or the end of input), for error messages. */
  private expectation(atEnd: boolean): string {
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
      case AFTER_KEY:
        return "expected ':' after the key";
      case AFTER_VALUE:
        return closingExpectation(this.document.inArray);
      case AFTER_ROOT:
        return 'expected only whitespace after the JSON value';
      case KEY_STRING:
      case STRING_VALUE:
      case PRIMITIVE_VALUE:
        // Undefined for a number the text ended on: it is whole, what is missing comes after it.
        return this.lexer.expectation(atEnd) ?? closingExpectation(this.document.inArray);
      case FENCE_TRAILER:
        return 'expected the closing ``` fence after the JSON value';
      default: // PROSE, FENCE_INFO: nothing found
        return 'expected a JSON object or array, or a ``` code fence holding JSON';
    }
  }
}

function closingExpectation(inArray: boolean): string {
  return inArray ? "expected ',' or ']'" : "expected ',' or '}'";
}
