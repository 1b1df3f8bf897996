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
  MALFORMED,
  PRIMITIVE_END,
  PRIMITIVE_START,
  PROSE_FENCE,
  PROSE_GOES_ON,
  PROSE_VALUE,
  STRING_END,
  STRING_START,
  UNEXPECTED,
} from '../../src/json/JsonLexer.js';

const NAMES: Record<number, string> = {
  [BEGIN_OBJECT]: '{', [END_OBJECT]: '}', [BEGIN_ARRAY]: '[', [END_ARRAY]: ']', [COMMA]: ',', [COLON]: ':',
  [STRING_START]: 'string(', [PRIMITIVE_START]: 'primitive(', [BACKTICK]: '`', [UNEXPECTED]: 'unexpected',
};

/**
 * Reads the chunks one by one and describes what the lexer reported: punctuation as itself,
 * `)'text'` for a complete string, `)value` for a complete number or literal, `malformed@i` (the
 * index in its chunk), and `|` at the end of each chunk. Stops at the first malformed token.
 */
function lex(chunks: readonly string[], lexer = new JsonLexer()): string[] {
  const out: string[] = [];
  for (const chunk of chunks) {
    lexer.begin(chunk);
    for (;;) {
      const token = lexer.next();
      if (token === END_OF_CHUNK) break;
      if (token === STRING_END) out.push(`)'${lexer.stringText}'`);
      else if (token === PRIMITIVE_END) out.push(`)${String(lexer.primitive)}`);
      else if (token === MALFORMED) return [...out, `malformed@${lexer.index}`];
      else out.push(NAMES[token]);
      // The lexer leaves these characters unread; skip them as a reader that rejects them would stop.
      if (token === UNEXPECTED) lexer.index++;
    }
    out.push('|');
  }
  return out;
}

describe('JsonLexer', () => {
  it('reads punctuation, skipping the four JSON whitespace characters between tokens', () => {
    expect(lex([' {\t"a" :\r\n[1 ,true,null] } '])).toEqual(
      ['{', 'string(', ")'a'", ':', '[', 'primitive(', ')1', ',', 'primitive(', ')true', ',', 'primitive(', ')null', ']', '}', '|'],
    );
  });

  it('reports where each token starts and leaves a character no token starts with unread', () => {
    const lexer = new JsonLexer();
    lexer.begin('  [ x');
    expect(lexer.next()).toBe(BEGIN_ARRAY);
    expect(lexer.tokenStart).toBe(2);
    expect(lexer.next()).toBe(UNEXPECTED);
    expect(lexer.tokenStart).toBe(4);
    expect(lexer.index).toBe(4);
    expect(lex(['\u00a0', '\f', "'", '`'])).toEqual(['unexpected', '|', 'unexpected', '|', 'unexpected', '|', '`', '|']);
  });

  describe('strings', () => {
    it('grows a string across chunks and says when its text changed', () => {
      const lexer = new JsonLexer();
      lexer.begin('"Strea');
      expect(lexer.next()).toBe(STRING_START);
      expect(lexer.stringGrew).toBe(false);
      expect(lexer.next()).toBe(END_OF_CHUNK);
      expect([lexer.stringText, lexer.stringGrew]).toEqual(['Strea', true]);
      lexer.stringGrew = false;
      lexer.begin('ming" ');
      expect(lexer.next()).toBe(STRING_END);
      expect([lexer.stringText, lexer.stringGrew, lexer.index]).toEqual(['Streaming', true, 5]);
    });

    it('decodes every escape, each split at every position', () => {
      const text = '"\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\u20AC"';
      const decoded = ")'\" \\ / \b \f \n \r \t é €'";
      for (let cut = 1; cut < text.length; cut++) {
        expect(lex([text.slice(0, cut), text.slice(cut)]).filter((token) => token !== '|')).toEqual(['string(', decoded]);
      }
    });

    it('holds back half a surrogate pair until the other half arrives, raw or escaped', () => {
      for (const [first, second] of [['"\ud83d', '\ude80"'], ['"\\ud83d', '\\ude80"'], ['"a\\ud83d', '\\ude80"']]) {
        const lexer = new JsonLexer();
        lexer.begin(first);
        lexer.next();
        lexer.next();
        expect(lexer.stringText).toBe(first.startsWith('"a') ? 'a' : '');
        lexer.begin(second);
        expect(lexer.next()).toBe(STRING_END);
        expect(lexer.stringText).toBe(`${first.startsWith('"a') ? 'a' : ''}🚀`);
      }
    });

    it('keeps a lone high surrogate when the string goes on or closes, as JSON.parse does', () => {
      expect(lex(['"\ud83d', 'x"'])).toEqual(['string(', '|', ")'\ud83dx'", '|']);
      const lexer = new JsonLexer();
      lexer.begin('"\ud83d');
      lexer.next();
      lexer.next();
      lexer.stringGrew = false;
      lexer.begin('"');
      expect(lexer.next()).toBe(STRING_END);
      expect([lexer.stringText, lexer.stringGrew]).toEqual(['\ud83d', true]);
    });

    it.each([
      ['"a\tb"', 2, 'control characters must be escaped in strings'],
      ['"\\x"', 2, 'expected an escape: \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX'],
      ['"\\u12g4"', 5, 'expected a hexadecimal digit of a \\u escape'],
    ])('rejects %j at index %i: %s', (text, index, expectation) => {
      const lexer = new JsonLexer();
      expect(lex([text], lexer)).toEqual(['string(', `malformed@${index}`]);
      expect(lexer.expectation(false)).toBe(expectation);
    });

    it('expects the closing quote at the end of the text', () => {
      const lexer = new JsonLexer();
      lex(['"abc'], lexer);
      expect(lexer.expectation(true)).toBe("expected the closing '\"' of the string");
    });
  });

  describe('numbers', () => {
    it('reports a number at its first character and completes it at the character after it, left unread', () => {
      const lexer = new JsonLexer();
      lexer.begin('-12.5e+3]');
      expect(lexer.next()).toBe(PRIMITIVE_START);
      expect(lexer.index).toBe(0);
      expect(lexer.next()).toBe(PRIMITIVE_END);
      expect([lexer.primitive, lexer.index]).toEqual([-12500, 8]);
      expect(lexer.next()).toBe(END_ARRAY);
    });

    it('reads a number split at every position', () => {
      const text = '-0.25E-2,';
      for (let cut = 1; cut < text.length; cut++) {
        expect(lex([text.slice(0, cut), text.slice(cut)]).filter((token) => token !== '|')).toEqual(['primitive(', ')-0.0025', ',']);
      }
    });

    it('completes a whole number at the end of the text, and nothing else', () => {
      const whole = new JsonLexer();
      whole.begin('42');
      whole.next();
      expect(whole.next()).toBe(END_OF_CHUNK);
      expect(whole.expectation(true)).toBeUndefined();
      expect(whole.endNumber()).toBe(PRIMITIVE_END);
      expect(whole.primitive).toBe(42);

      for (const cut of ['4.', '-', '1e', 'tru', '"1']) {
        const lexer = new JsonLexer();
        lex([cut], lexer);
        expect(lexer.endNumber()).toBe(END_OF_CHUNK);
      }
    });

    it.each([
      ['01', 1, 'leading zeros are not allowed'],
      ['-x', 1, 'expected a digit'],
      ['1.e', 2, 'expected a digit'],
      ['1ex', 2, 'expected a digit or a sign of the exponent'],
      ['1e+x', 3, 'expected a digit'],
    ])('rejects %j at index %i: %s', (text, index, expectation) => {
      const lexer = new JsonLexer();
      expect(lex([text], lexer)).toEqual(['primitive(', `malformed@${index}`]);
      expect(lexer.expectation(false)).toBe(expectation);
    });
  });

  describe('literals', () => {
    it('completes true, false and null at their last letter, split anywhere', () => {
      expect(lex(['t', 'ru', 'e', 'fals', 'enull'])).toEqual(['primitive(', '|', '|', ')true', '|', 'primitive(', '|', ')false', 'primitive(', ')null', '|']);
    });

    it('rejects a wrong letter', () => {
      const lexer = new JsonLexer();
      expect(lex(['nul', 'x'], lexer)).toEqual(['primitive(', '|', 'malformed@0']);
      expect(lexer.expectation(false)).toBe('expected "null"');
    });
  });

  describe('prose before a value', () => {
    it('stops at the first { or [, left unread', () => {
      const lexer = new JsonLexer();
      lexer.begin('Sure, here');
      expect(lexer.skipProse()).toBe(PROSE_GOES_ON);
      lexer.begin(' it is: [1]');
      expect(lexer.skipProse()).toBe(PROSE_VALUE);
      expect(lexer.index).toBe(8);
      expect(lexer.next()).toBe(BEGIN_ARRAY);
    });

    it('finds a fence whose backticks are split across chunks, and only three in a row', () => {
      const lexer = new JsonLexer();
      for (const chunk of ['a `` b `', '`']) {
        lexer.begin(chunk);
        expect(lexer.skipProse()).toBe(PROSE_GOES_ON);
      }
      lexer.begin('`json\n"x"');
      expect(lexer.skipProse()).toBe(PROSE_FENCE);
      expect(lexer.index).toBe(1);
      expect(lexer.skipFenceInfo()).toBe(true);
      expect(lexer.index).toBe(6);
      expect(lexer.next()).toBe(STRING_START);
    });

    it('ends the fence line at a newline, read, or at a { or [, unread', () => {
      const lexer = new JsonLexer();
      lexer.begin('jso');
      expect(lexer.skipFenceInfo()).toBe(false);
      lexer.begin('n {"a": 1}');
      expect(lexer.skipFenceInfo()).toBe(true);
      expect(lexer.index).toBe(2);
    });
  });
});
