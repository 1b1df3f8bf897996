import { describeFixtures, fixturePath } from '../support/fixtures.js';
import { expectPartialsOnlyGrow, lastPartials, replayToolCalls, type ToolCallReplay } from './support/toolCallSupport.js';

interface ExpectedCall {
  index: number;
  id: string;
  name: string;
  args: Record<string, unknown>;
}

// Read from the recordings' `delta.tool_calls` (jq over the data frames of choice 0), not from rxllm.
const RECORDED_CALLS: Record<string, ExpectedCall[]> = {
  // id and name first, then `{"` `city` `":"` `Ed` `inburgh` … in 15 fragments.
  'openai/chat-tool-call.sse': [
    { index: 0, id: 'call_c91SqDXlYFuETYv8mUHzz6pp', name: 'GetWeatherArgs', args: { city: 'Edinburgh', country: 'UK', units: 'c' } },
  ],
  // Call 0 completes before call 1 starts; keys are cut mid-word (`{"ci` `ty": `).
  'openai/chat-parallel-tool-calls.sse': [
    { index: 0, id: 'call_JMW1whyEaYG438VE1OIflxA2', name: 'GetWeatherArgs', args: { city: 'Edinburgh', country: 'GB', units: 'c' } },
    { index: 1, id: 'call_DNYTawLBoN8fj3KN6qU9N1Ou', name: 'get_stock_price', args: { ticker: 'AAPL', exchange: 'NASDAQ' } },
  ],
  'openai/chat-parallel-tool-calls-2.sse': [
    { index: 0, id: 'call_ehIWdjL1abZk1h8FWGLQ0Hie', name: 'add', args: { a: 2, b: 3 } },
    { index: 1, id: 'call_fBSgA47J5VeONggizTIvl7AH', name: 'multiply', args: { a: 2, b: 3 } },
  ],
  // Text first, then each call whole in one fragment.
  'groq/chat-parallel-tool-calls-with-text.sse': [
    { index: 0, id: 'functions.add:0', name: 'add', args: { a: 2, b: 3 } },
    { index: 1, id: 'functions.multiply:1', name: 'multiply', args: { a: 2, b: 3 } },
  ],
  'groq/chat-reasoning-tool-call.sse': [
    { index: 0, id: 'fc_bfb39741-3748-4def-9886-a93fc9c64a90', name: 'get_something_by_name', args: { name: 'example' } },
  ],
  // Empty `arguments` fragments before the whole arguments.
  'openrouter/chat-parallel-tool-calls.sse': [
    { index: 0, id: 'call_8I6muAnyFaBjKyotk1gPRTwU', name: 'add', args: { a: 2, b: 3 } },
    { index: 1, id: 'call_pKAAv6bKX2qLYJ85RW4Hxqfp', name: 'multiply', args: { a: 2, b: 3 } },
  ],
  'huggingface/chat-parallel-tool-calls.sse': [
    { index: 0, id: 'functions.add:0', name: 'add', args: { a: 2, b: 3 } },
    { index: 1, id: 'functions.multiply:1', name: 'multiply', args: { a: 2, b: 3 } },
  ],
  // No `index` and no `type` on the wire: numbered 0.
  'mistral/chat-tool-call-one-chunk.sse': [
    { index: 0, id: 'gSIMJiOkT', name: 'weather', args: { location: 'San Francisco' } },
  ],
  // Reasoning first; then `{` `"` `location` `"` `: ` `"` `San` ` Francisco` `"` `}`.
  'deepseek/chat-tool-call-reasoning.sse': [
    { index: 0, id: 'call_00_ioIn7yN9p1ZOMNpDLwd4MgAF', name: 'weather', args: { location: 'San Francisco' } },
  ],
  'llamacpp/chat-tool-call.sse': [
    { index: 0, id: 'g2KOIWzn722hzEaZQmNVP4roUPEiYafL', name: 'weather', args: { location: 'Florence, Italy' } },
  ],
  'xai/chat-tool-call-reasoning.sse': [
    { index: 0, id: 'call_79382389', name: 'weather', args: { location: 'San Francisco' } },
  ],
  'zai/chat-parallel-tool-calls-reasoning.sse': [
    { index: 0, id: 'call_4f8cb52342424eb9bbc1b20e', name: 'add', args: { a: 2, b: 3 } },
    { index: 1, id: 'call_0d06add371834452b339ffdb', name: 'multiply', args: { a: 2, b: 3 } },
  ],
  // The only call is at index 1 (there is no index 0).
  'anthropic-compat/chat-text-then-tool-call-index1.sse': [
    { index: 1, id: 'toolu_sanitized', name: 'read_file', args: { path: 'a.txt' } },
  ],
};

function expectCalls(result: ToolCallReplay, expected: ExpectedCall[]): void {
  expect(result.error).toBeUndefined();
  const { message, partials } = result;
  expect(message.toolCalls).toEqual(expected.map(({ id, name, args }) => ({ id, name, args })));
  expect(message.invalidToolCalls).toEqual([]);
  expect(message.toolCallChunks.map((call) => call.index)).toEqual(expected.map((call) => call.index));
  // The live view ends where the message ends: same calls, same parsed arguments, no error.
  expect(lastPartials(partials)).toEqual(expected);
  expect(lastPartials(partials).map(({ index, id, name, args }) => ({ id, name, args, index })))
    .toEqual(message.toolCalls.map((call, i) => ({ ...call, index: message.toolCallChunks[i].index })));
  expectPartialsOnlyGrow(partials);
}

describeFixtures('partialToolCalls over ChatOpenAI on the recorded tool-call streams', () => {
  describe.each(Object.entries(RECORDED_CALLS))('%s', (file, expected) => {
    it('ends with the final tool calls, arguments only growing, when the body arrives whole', async () => {
      expectCalls(await replayToolCalls({ file: fixturePath(file) }), expected);
    });

    it('gives the same emissions when every byte arrives on its own', async () => {
      const whole = await replayToolCalls({ file: fixturePath(file) });
      const bytewise = await replayToolCalls({ file: fixturePath(file) }, { bytewise: true });
      expectCalls(bytewise, expected);
      expect(bytewise.partials).toEqual(whole.partials);
    }, 30_000);
  });

  it('shows the arguments of a fragmented call while they stream (OpenAI, 15 fragments)', async () => {
    const { partials } = await replayToolCalls({ file: fixturePath('openai/chat-tool-call.sse') });
    // One emission per tool-call delta; strings appear at their opening quote and grow.
    expect(partials.map((calls) => calls[0].args)).toEqual([
      {}, {}, {}, { city: '' }, { city: 'Ed' }, { city: 'Edinburgh' }, { city: 'Edinburgh' }, { city: 'Edinburgh' },
      { city: 'Edinburgh', country: '' }, { city: 'Edinburgh', country: 'UK' }, { city: 'Edinburgh', country: 'UK' },
      { city: 'Edinburgh', country: 'UK' }, { city: 'Edinburgh', country: 'UK', units: '' },
      { city: 'Edinburgh', country: 'UK', units: 'c' }, { city: 'Edinburgh', country: 'UK', units: 'c' },
    ]);
  });

  it('shows two parallel calls side by side (OpenAI parallel: call 1 appears once call 0 is complete)', async () => {
    const { partials } = await replayToolCalls({ file: fixturePath('openai/chat-parallel-tool-calls.sse') });
    const firstWithTwo = partials.findIndex((calls) => calls.length === 2);
    expect(firstWithTwo).toBe(12);
    expect(partials[firstWithTwo]).toEqual([
      { index: 0, id: 'call_JMW1whyEaYG438VE1OIflxA2', name: 'GetWeatherArgs', args: { city: 'Edinburgh', country: 'GB', units: 'c' } },
      { index: 1, id: 'call_DNYTawLBoN8fj3KN6qU9N1Ou', name: 'get_stock_price', args: {} },
    ]);
    expect(partials[firstWithTwo + 3][1].args).toEqual({ ticker: 'AAP' });
  });
});
