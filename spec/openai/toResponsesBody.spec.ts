import { InvalidOptionError } from '../../src/errors/InvalidOptionError.js';
import { HumanMessage } from '../../src/messages/messages.js';
import { toResponsesBody } from '../../src/openai/toResponsesBody.js';

const hi = [new HumanMessage('Hi')];
const parameters = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };

describe('toResponsesBody', () => {
  it('carries the model settings under their Responses names', () => {
    expect(toResponsesBody({ model: 'gpt-5-nano', temperature: 0.2, maxTokens: 100, previousResponseId: 'resp_1', store: false, background: true }, hi, {})).toEqual({
      model: 'gpt-5-nano', input: [{ type: 'message', role: 'user', content: 'Hi' }], temperature: 0.2, max_output_tokens: 100,
      previous_response_id: 'resp_1', store: false, background: true,
    });
  });

  it('leaves out what was not set', () => {
    expect(toResponsesBody({ model: 'm' }, hi, {})).toEqual({ model: 'm', input: [{ type: 'message', role: 'user', content: 'Hi' }] });
  });

  it('sends tools as flat function tools, with tool choice and parallel calls', () => {
    const body = toResponsesBody({ model: 'm' }, hi, {
      tools: [{ name: 'weather', description: 'Weather', parameters, strict: true }, { name: 'time', parameters }],
      toolChoice: { name: 'weather' },
      parallelToolCalls: false,
    });
    expect(body.tools).toEqual([
      { type: 'function', name: 'weather', description: 'Weather', parameters, strict: true },
      { type: 'function', name: 'time', parameters, strict: null },
    ]);
    expect(body.tool_choice).toEqual({ type: 'function', name: 'weather' });
    expect(body.parallel_tool_calls).toBe(false);
    expect(toResponsesBody({ model: 'm' }, hi, { toolChoice: 'required' }).tool_choice).toBe('required');
  });

  it('puts structured output in text.format', () => {
    const schema = { type: 'object', properties: {} };
    expect(toResponsesBody({ model: 'm' }, hi, { responseFormat: { type: 'json_schema', name: 'answer', schema, strict: true, description: 'An answer' } }).text)
      .toEqual({ format: { type: 'json_schema', name: 'answer', schema, strict: true, description: 'An answer' } });
    expect(toResponsesBody({ model: 'm' }, hi, { responseFormat: { type: 'json_object' } }).text).toEqual({ format: { type: 'json_object' } });
  });

  it('refuses stop sequences, which the Responses API does not have', () => {
    expect(() => toResponsesBody({ model: 'm' }, hi, { stop: ['\n'] })).toThrow(InvalidOptionError);
    expect(toResponsesBody({ model: 'm' }, hi, { stop: [] })).not.toHaveProperty('stop');
  });
});
