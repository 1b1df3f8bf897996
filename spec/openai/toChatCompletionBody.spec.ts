import { HumanMessage } from '../../src/messages/messages.js';
import { toChatCompletionBody } from '../../src/openai/toChatCompletionBody.js';

const hi = [new HumanMessage('Hi')];

describe('toChatCompletionBody', () => {
  it('sends the model and messages, and nothing unset', () => {
    expect(toChatCompletionBody({ model: 'gpt-4o-mini' }, hi, {})).toEqual({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] });
  });

  it('sends temperature and max_tokens', () => {
    expect(toChatCompletionBody({ model: 'llama3.2', temperature: 0, maxTokens: 64 }, hi, {})).toEqual(expect.objectContaining({ temperature: 0, max_tokens: 64 }));
  });

  it('sends max_completion_tokens to o-series and GPT-5 models', () => {
    for (const model of ['o3-mini', 'o1', 'gpt-5-nano']) {
      const body = toChatCompletionBody({ model, maxTokens: 64 }, hi, {});
      expect(body.max_completion_tokens).toBe(64);
      expect(body).not.toHaveProperty('max_tokens');
    }
  });

  it('maps tools, a named tool choice, parallel tool calls and stop', () => {
    const body = toChatCompletionBody({ model: 'm' }, hi, {
      tools: [
        { name: 'get_weather', description: 'Weather of a city', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: true },
        { name: 'now', parameters: { type: 'object', properties: {} } },
      ],
      toolChoice: { name: 'get_weather' },
      parallelToolCalls: false,
      stop: ['\n\n'],
    });
    expect(body).toEqual(expect.objectContaining({
      tools: [
        { type: 'function', function: { name: 'get_weather', description: 'Weather of a city', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: true } },
        { type: 'function', function: { name: 'now', parameters: { type: 'object', properties: {} } } },
      ],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      parallel_tool_calls: false,
      stop: ['\n\n'],
    }));
  });

  it('passes the tool choice keywords as they are', () => {
    for (const toolChoice of ['auto', 'none', 'required'] as const) {
      expect(toChatCompletionBody({ model: 'm' }, hi, { toolChoice }).tool_choice).toBe(toolChoice);
    }
  });

  it('maps the response formats', () => {
    expect(toChatCompletionBody({ model: 'm' }, hi, { responseFormat: { type: 'json_object' } }).response_format).toEqual({ type: 'json_object' });
    const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
    expect(toChatCompletionBody({ model: 'm' }, hi, { responseFormat: { type: 'json_schema', name: 'City', schema, strict: true, description: 'A city' } }).response_format)
      .toEqual({ type: 'json_schema', json_schema: { name: 'City', schema, strict: true, description: 'A city' } });
  });

  it('leaves out an empty tool list and empty stop list', () => {
    const body = toChatCompletionBody({ model: 'm' }, hi, { tools: [], stop: [] });
    expect(body).not.toHaveProperty('tools');
    expect(body).not.toHaveProperty('stop');
  });
});
