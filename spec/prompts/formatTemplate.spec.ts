import { formatTemplate, parseTemplate, templateVariables } from '../../src/prompts/formatTemplate.js';
import { PromptInputError } from '../../src/index.js';

const format = (template: string, values: Record<string, unknown>) => formatTemplate(parseTemplate(template), values);

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('parseTemplate / formatTemplate', () => {
  it('replaces each {variable} with its value', () => {
    expect(format('Hello {name}, you are {age}.', { name: 'Ann', age: '30' })).toBe('Hello Ann, you are 30.');
  });

  it('uses a value as often as it appears, and allows spaces inside the braces', () => {
    expect(format('{x}-{ x }-{x}', { x: 'a' })).toBe('a-a-a');
  });

  it('writes {{ and }} as literal braces', () => {
    expect(format('JSON like {{"a": {value}}}', { value: '1' })).toBe('JSON like {"a": 1}');
    expect(format('{{name}}', { name: 'unused' })).toBe('{name}');
    expect(format('{{{name}}}', { name: 'Ann' })).toBe('{Ann}');
  });

  it('JSON-encodes values that are not strings', () => {
    expect(format('{n} {b} {o} {a} {z}', { n: 42, b: true, o: { k: 'v' }, a: [1, 'two'], z: null })).toBe('42 true {"k":"v"} [1,"two"] null');
  });

  it('keeps an empty string value', () => {
    expect(format('[{x}]', { x: '' })).toBe('[]');
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('reads {%s} from own properties only: inherited is missing', (variable) => {
    const error = thrown(() => format(`value: {${variable}}`, {})) as PromptInputError;
    expect(error).toBeInstanceOf(PromptInputError);
    expect(error.variable).toBe(variable);
    expect(format(`value: {${variable}}`, JSON.parse(`{"${variable}": "own"}`))).toBe('value: own');
  });

  it('a missing variable is a PromptInputError naming it', () => {
    const error = thrown(() => format('Hi {name}, about {topic}', { name: 'Ann' })) as PromptInputError;
    expect(error).toBeInstanceOf(PromptInputError);
    expect(error.variable).toBe('topic');
    expect(error.message).toContain('"topic"');
  });

  it.each([
    ['a function', () => 1],
    ['a symbol', Symbol('s')],
    ['a bigint', BigInt(1)],
  ])('a value that cannot be written as text (%s) is a PromptInputError naming the variable', (_, value) => {
    const error = thrown(() => format('v={v}', { v: value })) as PromptInputError;
    expect(error).toBeInstanceOf(PromptInputError);
    expect(error.variable).toBe('v');
  });

  it.each([
    ['an unclosed brace', 'Hello {name'],
    ['a single closing brace', 'Hello name}'],
    ['an empty variable', 'Hello {}'],
    ['an invalid variable name', 'Hello {first name}'],
    ['a nested brace', 'Hello {a{b}}'],
  ])('rejects %s with a PromptInputError', (_, template) => {
    expect(() => parseTemplate(template)).toThrow(PromptInputError);
  });

  it('a template without variables is its text', () => {
    expect(format('Just text.', {})).toBe('Just text.');
    expect(format('', {})).toBe('');
  });

  it('lists the variables in order of appearance', () => {
    expect(templateVariables(parseTemplate('{b} {{c}} {a} {b}'))).toEqual(['b', 'a', 'b']);
  });
});
