import type { Transcript } from './Transcript.js';

/** A call of `get_weather` whose JSON arguments stream in fragments, as OpenAI sends them. */
export const weatherToolCall: Transcript = {
  name: 'weather-tool-call',
  keywords: ['weather', 'temperature', 'forecast'],
  needsTool: 'get_weather',
  chunks: [
    { delta: { role: 'assistant', content: '' } },
    { delta: { tool_calls: [{ index: 0, id: 'call_demo_weather_1', type: 'function', function: { name: 'get_weather', arguments: '' } }] } },
    { delta: { tool_calls: [{ index: 0, function: { arguments: '{"' } }] } },
    { delta: { tool_calls: [{ index: 0, function: { arguments: 'city' } }] } },
    { delta: { tool_calls: [{ index: 0, function: { arguments: '":"' } }] } },
    { delta: { tool_calls: [{ index: 0, function: { arguments: 'Paris' } }] } },
    { delta: { tool_calls: [{ index: 0, function: { arguments: '","' } }] } },
    { delta: { tool_calls: [{ index: 0, function: { arguments: 'unit' } }] } },
    { delta: { tool_calls: [{ index: 0, function: { arguments: '":"' } }] } },
    { delta: { tool_calls: [{ index: 0, function: { arguments: 'celsius' } }] } },
    { delta: { tool_calls: [{ index: 0, function: { arguments: '"}' } }] } },
    { delta: {}, finish_reason: 'tool_calls' },
  ],
};
