import { eventFilter, type EventFilter, type StreamEvent, type StreamEventName } from '../../src/index.js';

function ev(event: StreamEventName, name: string, tags: string[] = []): StreamEvent {
  return { event, name, run_id: name, parent_ids: [], tags, metadata: {}, data: {} };
}

const events = [
  ev('on_chain_start', 'RunnableSequence'),
  ev('on_prompt_end', 'ChatPromptTemplate', ['seq:step:1']),
  ev('on_chat_model_stream', 'ChatOpenAI', ['seq:step:2', 'llm']),
  ev('on_parser_stream', 'StringOutputParser', ['seq:step:3']),
  ev('on_tool_end', 'get_weather', ['tools', 'internal']),
  ev('on_custom_event', 'progress', ['internal']),
];

const kept = (filter?: EventFilter) => events.filter(eventFilter(filter)).map((e) => e.name);

describe('eventFilter', () => {
  it('keeps everything without a filter, or with an empty one', () => {
    expect(kept()).toEqual(events.map((e) => e.name));
    expect(kept({})).toEqual(events.map((e) => e.name));
  });

  it('includes by name, by type or by tag', () => {
    expect(kept({ includeNames: ['ChatOpenAI', 'get_weather'] })).toEqual(['ChatOpenAI', 'get_weather']);
    expect(kept({ includeTypes: ['prompt', 'parser'] })).toEqual(['ChatPromptTemplate', 'StringOutputParser']);
    expect(kept({ includeTags: ['llm', 'tools'] })).toEqual(['ChatOpenAI', 'get_weather']);
  });

  it('ORs the include filters: an event matching any of them is kept', () => {
    expect(kept({ includeNames: ['RunnableSequence'], includeTypes: ['tool'], includeTags: ['seq:step:3'] }))
      .toEqual(['RunnableSequence', 'StringOutputParser', 'get_weather']);
  });

  it('applies every exclude filter after the includes', () => {
    expect(kept({ includeTypes: ['tool', 'custom', 'chat_model'], excludeTags: ['internal'] })).toEqual(['ChatOpenAI']);
    expect(kept({ includeTags: ['internal'], excludeNames: ['progress'] })).toEqual(['get_weather']);
    expect(kept({ includeNames: ['ChatOpenAI'], excludeTypes: ['chat_model'] })).toEqual([]);
  });

  it('excludes from everything when no include filter is given', () => {
    expect(kept({ excludeTypes: ['chain', 'prompt', 'parser'] })).toEqual(['ChatOpenAI', 'get_weather', 'progress']);
    expect(kept({ excludeTags: ['seq:step:2', 'internal'] })).toEqual(['RunnableSequence', 'ChatPromptTemplate', 'StringOutputParser']);
  });

  it('selects custom events by the custom type and by their name', () => {
    expect(kept({ includeTypes: ['custom'] })).toEqual(['progress']);
    expect(kept({ includeNames: ['progress'] })).toEqual(['progress']);
    expect(kept({ excludeTypes: ['custom'] })).not.toContain('progress');
  });

  it('treats a given but empty include list as a filter that matches nothing, as LangChain does', () => {
    expect(kept({ includeTypes: [] })).toEqual([]);
    expect(kept({ includeNames: [], includeTags: ['llm'] })).toEqual(['ChatOpenAI']);
  });

  it('treats an empty exclude list as excluding nothing', () => {
    expect(kept({ excludeNames: [], excludeTypes: [], excludeTags: [] })).toEqual(events.map((e) => e.name));
  });
});
