import { ToolInputError } from '../../src/index.js';
import { invalidArgumentsText, toolErrorText, unknownToolText } from '../../src/tools/toolErrorText.js';

describe('toolErrorText', () => {
  it('names each failing field of invalid arguments and says what to do', () => {
    const error = new ToolInputError('book', [{ path: ['date'], message: 'Invalid date' }, { path: [], message: 'Required' }]);
    expect(toolErrorText('book', error)).toBe('Error: invalid arguments for tool "book": date: Invalid date; (arguments): Required. Fix these fields and call the tool again.');
  });

  it('reports a failing tool with its message, masked of secrets', () => {
    expect(toolErrorText('fetch', new Error('401 for key sk-proj-abcdefghijklmnop'))).toBe('Error: tool "fetch" failed: 401 for key ***');
    expect(toolErrorText('fetch', 'plain string')).toBe('Error: tool "fetch" failed: plain string');
  });

  it('lists the available tools for an unknown one, and explains bad JSON', () => {
    expect(unknownToolText('x', ['a', 'b'])).toBe('Error: there is no tool named "x". Available tools: a, b.');
    expect(unknownToolText('x', [])).toBe('Error: there is no tool named "x". Available tools: none.');
    expect(invalidArgumentsText('f', 'Unexpected end')).toBe('Error: the arguments for tool "f" are not a valid JSON object (Unexpected end). Send the arguments as one JSON object.');
  });
});
