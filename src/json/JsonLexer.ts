import type { JsonPrimitive } from './jsonTypes.js';

// The tokens `JsonLexer.next` reports. Plain numbers: the parser switches on one per token.
// The one-character tokens come first, up to BACKTICK, so that one comparison tells them apart.
/** The chunk is used up; a string, number or literal may go on in the next one. */
export const END_OF_CHUNK = 0;
export const BEGIN_OBJECT = 1;
export const END_OBJECT = 2;
export const BEGIN_ARRAY = 3;
export const END_ARRAY = 4;
export const COMMA = 5;
export const COLON = 6;
/** A backtick: the closing fence of JSON read out of Markdown. */
export const BACKTICK = 7;
/** The opening quote of a string. Its text follows, read by the next calls into `stringText`. */
export const STRING_START = 8;
/** The closing quote: `stringText` holds the whole decoded string. */
export const STRING_END = 9;
/**
 * The first character of a number, `true`, `false` or `null`, left unread: reported before the
 * rest arrives so that a value in the wrong place is rejected at its first character.
 */
export const PRIMITIVE_START = 10;
/** The number or literal is complete: `primitive` holds it. */
export const PRIMITIVE_END = 11;
/** A character no token starts with, left unread at `index`. */
export const UNEXPECTED = 12;
/** A character that breaks the string, number or literal being read, left unread at `index`. */
export const MALFORMED = 13;

/** The token each ASCII character starts (UNEXPECTED for the others): one table read instead of a switch per token. */
const TOKEN_AT = new Uint8Array(128).fill(UNEXPECTED);
for (const [characters, token] of [
  ['{', BEGIN_OBJECT], ['}', END_OBJECT], ['[', BEGIN_ARRAY], [']', END_ARRAY], [',', COMMA], [':', COLON], ['`', BACKTICK],
  ['"', STRING_START], ['-0123456789tfn', PRIMITIVE_START],
] as const) {
  for (const character of characters) TOKEN_AT[character.charCodeAt(0)] = token;
}

// What the lexer is in the middle of.
const BETWEEN_TOKENS = 0;
const IN_STRING = 1;
const IN_ESCAPE = 2;
const IN_UNICODE = 3;
const IN_NUMBER = 4;
const IN_LITERAL = 5;

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

/** What `skipProse` found. */
export const PROSE_GOES_ON = 0;
/** A `{` or `[`, left unread: the value starts here. */
export const PROSE_VALUE = 1;
/** Three backticks, read: a code fence opens. */
export const PROSE_FENCE = 2;

/**
 * Turns JSON text into tokens, chunk by chunk: a token split across chunks (a string, a number,
 * a literal, an escape, a surrogate pair) is resumed where the last chunk left it, so every
 * character is read once.
 *
 * Give it a chunk with `begin`, then call `next` until it reports `END_OF_CHUNK`. It knows the
 * grammar of tokens only; which token may come where is for its reader to decide, and so is
 * what to do with a `MALFORMED` one (`expectation` says what was expected instead).
 *
 * A string is reported as it grows: its decoded text so far is `stringText`, without a trailing
 * high surrogate whose pair has not arrived yet, and `stringGrew` tells whether that text changed
 * since the reader last cleared it.
 */
export class JsonLexer {
  /** The chunk being read. */
  private text = '';
  /** Where reading goes on in the chunk. */
  index = 0;
  /** Where the last token started in the chunk. */
  tokenStart = 0;
  private mode = BETWEEN_TOKENS;

  private decoded = '';
  /** Set whenever `stringText` grows; the reader clears it once it has used the text. */
  stringGrew = false;
  private heldSurrogate = '';
  private unicodeDigits = 0;
  private unicodeValue = 0;

  private numberText = '';
  private numberState = N_START;

  private literalWord = '';
  private literalValue: JsonPrimitive = null;
  private literalIndex = 0;

  /** The number or literal of the last `PRIMITIVE_END`. */
  primitive: JsonPrimitive = null;

  /** Backticks seen in a row by `skipProse`, across chunks. */
  private backticks = 0;

  /** The decoded text of the current (or last) string. */
  get stringText(): string {
    return this.decoded;
  }

  /** Starts reading the next chunk of the text. */
  begin(text: string): void {
    this.text = text;
    this.index = 0;
  }

  /** Reads on from `index`: the next token, or the end of the token being read. */
  next(): number {
    if (this.mode !== BETWEEN_TOKENS) return this.continueToken();
    const text = this.text;
    const length = text.length;
    let i = this.index;
    while (i < length && isJsonWhitespace(text.charCodeAt(i))) i++;
    if (i === length) {
      this.index = i;
      return END_OF_CHUNK;
    }
    this.tokenStart = i;
    const code = text.charCodeAt(i);
    const token = code < 128 ? TOKEN_AT[code] : UNEXPECTED;
    if (token <= BACKTICK) {
      this.index = i + 1;
      return token;
    }
    this.index = i;
    return token === UNEXPECTED ? token : this.beginToken(code);
  }

  /**
   * At the end of the text: completes a number that could end there (`PRIMITIVE_END`), as the
   * whitespace after it would. Anything else is left as it is (`END_OF_CHUNK`).
   */
  endNumber(): number {
    if (this.mode !== IN_NUMBER || !isTerminalNumberState(this.numberState)) return END_OF_CHUNK;
    return this.finishNumber();
  }

  /**
   * What the token being read needed instead of the character at `index` (or of the end of the
   * text); undefined when it could have ended there, so what is missing comes after it.
   */
  expectation(atEnd: boolean): string | undefined {
    switch (this.mode) {
      case IN_STRING:
        return atEnd ? "expected the closing '\"' of the string" : 'control characters must be escaped in strings';
      case IN_ESCAPE:
        return 'expected an escape: \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX';
      case IN_UNICODE:
        return 'expected a hexadecimal digit of a \\u escape';
      case IN_NUMBER:
        if (atEnd && isTerminalNumberState(this.numberState)) return undefined;
        return this.numberState === N_ZERO
          ? 'leading zeros are not allowed'
          : this.numberState === N_EXP
            ? 'expected a digit or a sign of the exponent'
            : 'expected a digit';
      case IN_LITERAL:
        return `expected "${this.literalWord}"`;
      default:
        return undefined;
    }
  }

  /**
   * Tolerant reading: skips the prose before a JSON value up to a `{` or `[` (left unread) or
   * past a ```` ``` ```` fence, whose backticks may be split across chunks.
   */
  skipProse(): number {
    const text = this.text;
    for (let i = this.index; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === 0x60) {
        if (++this.backticks === 3) {
          this.backticks = 0;
          this.index = i + 1;
          return PROSE_FENCE;
        }
        continue;
      }
      this.backticks = 0;
      if (code === 0x7b || code === 0x5b) {
        this.index = i;
        return PROSE_VALUE;
      }
    }
    this.index = text.length;
    return PROSE_GOES_ON;
  }

  /**
   * Skips the rest of a fence's first line (the language tag): true once the value can start,
   * on the next line or at a `{` or `[` (left unread) on this one.
   */
  skipFenceInfo(): boolean {
    const text = this.text;
    for (let i = this.index; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === 0x0a || code === 0x7b || code === 0x5b) {
        this.index = code === 0x0a ? i + 1 : i;
        return true;
      }
    }
    this.index = text.length;
    return false;
  }

  /** The first character of a string, number or literal, at `index`. */
  private beginToken(code: number): number {
    if (code === 0x22) {
      this.index++;
      this.decoded = '';
      this.heldSurrogate = '';
      this.stringGrew = false;
      this.mode = IN_STRING;
      return STRING_START;
    }
    if (code === 0x74) return this.beginLiteral('true', true);
    if (code === 0x66) return this.beginLiteral('false', false);
    if (code === 0x6e) return this.beginLiteral('null', null);
    this.numberText = '';
    this.numberState = N_START;
    this.mode = IN_NUMBER;
    return PRIMITIVE_START;
  }

  private continueToken(): number {
    const mode = this.mode;
    if (mode === IN_NUMBER) return this.readNumber();
    return mode === IN_LITERAL ? this.readLiteral() : this.readString();
  }

  private beginLiteral(word: string, value: JsonPrimitive): number {
    this.literalWord = word;
    this.literalValue = value;
    this.literalIndex = 0;
    this.mode = IN_LITERAL;
    return PRIMITIVE_START;
  }

  private readLiteral(): number {
    const text = this.text;
    const word = this.literalWord;
    let i = this.index;
    while (i < text.length) {
      if (text.charCodeAt(i) !== word.charCodeAt(this.literalIndex)) {
        this.index = i;
        return MALFORMED;
      }
      i++;
      if (++this.literalIndex === word.length) {
        this.index = i;
        this.primitive = this.literalValue;
        this.mode = BETWEEN_TOKENS;
        return PRIMITIVE_END;
      }
    }
    this.index = i;
    return END_OF_CHUNK;
  }

  private readString(): number {
    const text = this.text;
    const length = text.length;
    let i = this.index;
    while (i < length) {
      const mode = this.mode;
      if (mode === IN_STRING) {
        const start = i;
        let code = 0;
        // The hot loop: plain characters up to a quote, a backslash or a (forbidden) control character.
        while (i < length) {
          code = text.charCodeAt(i);
          if (code === 0x22 || code === 0x5c || code < 0x20) break;
          i++;
        }
        if (i > start) this.append(text.slice(start, i));
        if (i === length) break;
        if (code === 0x22) {
          this.index = i + 1;
          this.closeString();
          return STRING_END;
        }
        if (code !== 0x5c) {
          this.index = i;
          return MALFORMED;
        }
        this.mode = IN_ESCAPE;
      } else if (mode === IN_ESCAPE) {
        const code = text.charCodeAt(i);
        if (code === 0x75) {
          this.unicodeDigits = 0;
          this.unicodeValue = 0;
          this.mode = IN_UNICODE;
        } else {
          const escaped = simpleEscape(code);
          if (escaped === undefined) {
            this.index = i;
            return MALFORMED;
          }
          this.append(escaped);
          this.mode = IN_STRING;
        }
      } else {
        const digit = hexDigitValue(text.charCodeAt(i));
        if (digit < 0) {
          this.index = i;
          return MALFORMED;
        }
        this.unicodeValue = this.unicodeValue * 16 + digit;
        if (++this.unicodeDigits === 4) {
          this.append(String.fromCharCode(this.unicodeValue));
          this.mode = IN_STRING;
        }
      }
      i++;
    }
    this.index = length;
    return END_OF_CHUNK;
  }

  /** Appends decoded text, holding back a trailing high surrogate until its pair arrives. */
  private append(piece: string): void {
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
    this.decoded += piece;
    this.stringGrew = true;
  }

  private closeString(): void {
    if (this.heldSurrogate !== '') {
      // A high surrogate with no pair is what JSON.parse keeps too: a lone surrogate.
      this.decoded += this.heldSurrogate;
      this.heldSurrogate = '';
      this.stringGrew = true;
    }
    this.mode = BETWEEN_TOKENS;
  }

  private readNumber(): number {
    const text = this.text;
    const length = text.length;
    const start = this.index;
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
          else return this.endNumberAt(start, i, state);
          continue;
        case N_DOT:
          if (!isDigit) break;
          state = N_FRAC;
          continue;
        case N_FRAC:
          if (isDigit) continue;
          if (!isExponent) return this.endNumberAt(start, i, state);
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
          return this.endNumberAt(start, i, state);
      }
      this.numberState = state;
      this.index = i;
      return MALFORMED;
    }
    this.numberText += text.slice(start, i);
    this.numberState = state;
    this.index = i;
    return END_OF_CHUNK;
  }

  /** The number ends before `text[end]`, which is left for the next token. */
  private endNumberAt(start: number, end: number, state: number): number {
    this.numberText += this.text.slice(start, end);
    this.numberState = state;
    this.index = end;
    return this.finishNumber();
  }

  private finishNumber(): number {
    this.primitive = Number(this.numberText);
    this.numberText = '';
    this.mode = BETWEEN_TOKENS;
    return PRIMITIVE_END;
  }
}

/** JSON whitespace is exactly space, tab, line feed and carriage return (RFC 8259 §2). */
function isJsonWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

function isTerminalNumberState(state: number): boolean {
  return state === N_ZERO || state === N_INT || state === N_FRAC || state === N_EXP_DIGITS;
}

/** The value of a hexadecimal digit, or -1. */
function hexDigitValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x61 && code <= 0x66) return code - 0x61 + 10;
  if (code >= 0x41 && code <= 0x46) return code - 0x41 + 10;
  return -1;
}

/** The character a one-letter escape (`\n`, `\"`, …) stands for, or undefined when it is not one. */
function simpleEscape(code: number): string | undefined {
  switch (code) {
    case 0x22: return '"';
    case 0x5c: return '\\';
    case 0x2f: return '/';
    case 0x62: return '\b';
    case 0x66: return '\f';
    case 0x6e: return '\n';
    case 0x72: return '\r';
    case 0x74: return '\t';
    default: return undefined;
  }
}
