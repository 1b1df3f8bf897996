import { eventTypeOf, type EventType, type StreamEventName } from '../../src/index.js';

describe('eventTypeOf', () => {
  it.each<[StreamEventName, EventType]>([
    ['on_chain_start', 'chain'],
    ['on_chain_stream', 'chain'],
    ['on_prompt_end', 'prompt'],
    ['on_parser_error', 'parser'],
    ['on_chat_model_start', 'chat_model'],
    ['on_chat_model_stream', 'chat_model'],
    ['on_chat_model_end', 'chat_model'],
    ['on_chat_model_error', 'chat_model'],
    ['on_tool_stream', 'tool'],
    ['on_custom_event', 'custom'],
  ])('%s is of type %s', (event, type) => {
    expect(eventTypeOf({ event })).toBe(type);
  });
});
