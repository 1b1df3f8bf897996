import { OutputParserError } from '../../src/errors/index.js';
import { JsonSyntaxErrors } from '../../src/json/JsonSyntaxErrors.js';

/** Advances past every chunk but the last, then builds the error at `index` of the last one. */
function errorIn(chunks: readonly string[], index: number, hint = 'expected a JSON value', problem?: string): OutputParserError {
  const errors = new JsonSyntaxErrors();
  for (const chunk of chunks.slice(0, -1)) errors.advance(chunk);
  return errors.at(chunks[chunks.length - 1], index, hint, problem);
}

describe('JsonSyntaxErrors', () => {
  it('names the character, the offset, what was expected and the text around it', () => {
    const error = errorIn(['[1 2]'], 3, "expected ',' or ']'");
    expect(error).toBeInstanceOf(OutputParserError);
    expect(error.message).toBe("Unexpected character '2' at offset 3 in JSON (expected ',' or ']'): [1 2]");
    expect(error.offset).toBe(3);
    expect(error.text).toBe('[1 2]');
  });

  it('counts offsets from the start of the whole text and reaches back into earlier chunks', () => {
    const error = errorIn(['{"items": [1, 2, 3, ', '4, 5', ', 6 7]}'], 4, "expected ',' or ']'");
    expect(error.offset).toBe(28);
    expect(error.text).toBe(': [1, 2, 3, 4, 5, 6 7]}');
  });

  it('keeps 20 characters on each side, however the text was cut', () => {
    const text = `${'a'.repeat(100)}x${'b'.repeat(100)}`;
    const excerpt = `${'a'.repeat(20)}x${'b'.repeat(19)}`;
    expect(errorIn([text], 100).text).toBe(excerpt);
    const oneByOne = text.split('');
    expect(errorIn([...oneByOne.slice(0, 100), text.slice(100)], 0).text).toBe(excerpt);
    expect(errorIn([text.slice(0, 37), text.slice(37, 90), text.slice(90)], 10).text).toBe(excerpt);
    expect(errorIn([text.slice(0, 37), text.slice(37, 90), text.slice(90)], 10).offset).toBe(100);
  });

  it('reports the end of input with the end of the text as the excerpt', () => {
    const errors = new JsonSyntaxErrors();
    for (const chunk of ['{"a":', ' [1, 2']) errors.advance(chunk);
    const error = errors.at('', 0, "expected ',' or ']'");
    expect(error.message).toBe(`Unexpected end of JSON input at offset 11 in JSON (expected ',' or ']'): {"a": [1, 2`);
    expect([error.offset, error.text]).toEqual([11, '{"a": [1, 2']);
  });

  it('opens with the problem instead when the error is not about one character', () => {
    const error = errorIn(['[[['], 2, 'raise the maxDepth option to accept it', 'Nesting deeper than 2 levels');
    expect(error.message).toBe('Nesting deeper than 2 levels at offset 2 in JSON (raise the maxDepth option to accept it): [[[');
  });

  it('escapes control characters in the message and keeps them raw in the excerpt', () => {
    const error = errorIn(['["a\n', '\tb"]'], 0, 'control characters must be escaped in strings');
    expect(error.message).toBe("Unexpected character '\\t' at offset 4 in JSON (control characters must be escaped in strings): [\"a\\n\\tb\"]");
    expect(error.text).toBe('["a\n\tb"]');
  });
});
