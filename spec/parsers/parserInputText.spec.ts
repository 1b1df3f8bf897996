import { AIMessageChunk, HumanMessage, OutputParserError } from '../../src/index.js';
import { parserInputText } from '../../src/parsers/parserInputText.js';

describe('parserInputText', () => {
  it('reads text, messages and chunks', () => {
    expect(parserInputText('plain', 'P')).toBe('plain');
    expect(parserInputText(new HumanMessage('said'), 'P')).toBe('said');
    expect(parserInputText(new AIMessageChunk('streamed'), 'P')).toBe('streamed');
  });

  it('names the parser and the wrong input in a typed error', () => {
    expect(() => parserInputText({ x: 1 } as never, 'JsonOutputParser')).toThrow(OutputParserError);
    expect(() => parserInputText([1] as never, 'JsonOutputParser')).toThrow('JsonOutputParser takes strings, messages or message chunks, not an array');
    expect(() => parserInputText(null as never, 'StringOutputParser')).toThrow('not null');
  });
});
