import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ProviderError } from '../../src/errors/errors.js';
import type { Usage } from '../../src/messages/AIMessageChunk.js';
import { describeFixtures, fixturePath, fixturesDir } from '../support/fixtures.js';
import { replay, type Replay } from '../support/replaySupport.js';

/** Exact text, or for a long one its length in code points and how it starts and ends. */
type Text = string | { length: number; start: string; end: string };

interface ExpectedCall {
  index: number;
  id: string;
  name: string;
  args: Record<string, unknown>;
}

interface Expected {
  text: Text;
  reasoning?: Text;
  refusal?: string;
  toolCalls?: ExpectedCall[];
  usage?: Usage;
  finishReason?: string;
  id?: string;
  /** Entries the final `responseMetadata` must contain. */
  metadata?: Record<string, unknown>;
  /** For recordings that fail mid-stream: how many chunks come first, and the error. */
  failure?: { chunks: number; status?: number; code?: string; type?: string; message: RegExp };
}

// Every value below was read from the recordings with grep/jq (choice 0 only), not from rxllm's output.
const EXPECTED: Record<string, Expected> = {
  'anthropic-compat/chat-text-then-tool-call-index1.sse': {
    text: 'Reading it.',
    toolCalls: [{ index: 1, id: 'toolu_sanitized', name: 'read_file', args: { path: 'a.txt' } }],
    finishReason: 'tool_calls',
    id: 'msg_sanitized',
  },
  'azure/chat-model-router-prompt-filter.sse': {
    text: 'Capital of Denmark.',
    usage: { inputTokens: 15, outputTokens: 78, totalTokens: 93, reasoningTokens: 64, cachedInputTokens: 0 },
    finishReason: 'stop',
    id: 'chatcmpl-CYPS1lijGoK8gd9lYzY3r9Sx50nbt',
    metadata: {
      model: 'gpt-5-nano-2025-08-07',
      prompt_filter_results: [expect.objectContaining({ prompt_index: 0 })],
    },
  },
  'deepseek/chat-finish-length.sse': {
    text: { length: 1855, start: '## **Holiday Name:** Starlight Remembrance\n\n**Date:** The Sa', end: 'in quiet groups, and observe 15 minutes of silent looking at' },
    usage: { inputTokens: 13, outputTokens: 400, totalTokens: 413, cachedInputTokens: 0 },
    finishReason: 'length',
    id: 'f6117a0b-129d-46fa-b239-78f01c2c5df9',
  },
  'deepseek/chat-reasoning-content.sse': {
    text: 'Hello there! 😊 How can I help you today?',
    reasoning: { length: 882, start: 'Hmm, the user just said "Hello". It\'s a simple greeting but ', end: ' polite, they might not reply further - and that\'s okay too.' },
    usage: { inputTokens: 6, outputTokens: 212, totalTokens: 218, reasoningTokens: 198, cachedInputTokens: 0 },
    finishReason: 'stop',
    id: '33be18fc-3842-486c-8c29-dd8e578f7f20',
  },
  'deepseek/chat-tool-call-reasoning.sse': {
    text: '',
    reasoning: 'The user is asking for the weather in San Francisco. I need to use the weather tool to get this information. Let me invoke the weather tool with the location parameter set to "San Francisco".',
    toolCalls: [{ index: 0, id: 'call_00_ioIn7yN9p1ZOMNpDLwd4MgAF', name: 'weather', args: { location: 'San Francisco' } }],
    usage: { inputTokens: 339, outputTokens: 83, totalTokens: 422, reasoningTokens: 39, cachedInputTokens: 320 },
    finishReason: 'tool_calls',
    id: 'cca85624-4056-401f-b220-d77601d1f70d',
  },
  'groq/chat-error-event-tool-use-failed.sse': {
    text: '',
    reasoning: { length: 412, start: 'We need to call the tool with invalid parameters first, then', end: 'name: {}. Then second call with name: "test". Let\'s do that.' },
    id: 'chatcmpl-4f39f3af-3267-4ac1-a0cf-6aa7451877dc',
    failure: { chunks: 94, status: 400, code: 'tool_use_failed', type: 'invalid_request_error', message: /Tool call validation failed/ },
  },
  'groq/chat-parallel-tool-calls-with-text.sse': {
    text: "I'll perform both addition and multiplication on the numbers 2 and 3 for you.",
    toolCalls: [
      { index: 0, id: 'functions.add:0', name: 'add', args: { a: 2, b: 3 } },
      { index: 1, id: 'functions.multiply:1', name: 'multiply', args: { a: 2, b: 3 } },
    ],
    usage: { inputTokens: 201, outputTokens: 58, totalTokens: 259 },
    finishReason: 'tool_calls',
    id: 'chatcmpl-a74ad02f-fb60-461d-8042-24ab0b962b51',
  },
  'groq/chat-reasoning-tool-call.sse': {
    text: '',
    reasoning: 'We need to call the function with correct parameter "name". Provide a name, e.g., "example".',
    toolCalls: [{ index: 0, id: 'fc_bfb39741-3748-4def-9886-a93fc9c64a90', name: 'get_something_by_name', args: { name: 'example' } }],
    usage: { inputTokens: 304, outputTokens: 49, totalTokens: 353, reasoningTokens: 23 },
    finishReason: 'tool_calls',
    id: 'chatcmpl-e35442a8-12c0-4fb4-8be4-0e51727ce7b7',
  },
  'groq/chat-text-x_groq-usage.sse': {
    text: 'Olá!',
    usage: { inputTokens: 20, outputTokens: 4, totalTokens: 24 },
    finishReason: 'stop',
    id: 'chatcmpl-f07b368c-ae72-4555-9465-ae09fe4614e6',
    metadata: {
      x_groq: expect.objectContaining({ id: 'req_01kkht58hmfqdt7taat7yqmh20' }),
      service_tier: 'on_demand',
      system_fingerprint: 'fp_00c37775b7',
    },
  },
  'huggingface/chat-parallel-tool-calls.sse': {
    text: "I'll add and multiply the numbers 2 and 3 for you.",
    toolCalls: [
      { index: 0, id: 'functions.add:0', name: 'add', args: { a: 2, b: 3 } },
      { index: 1, id: 'functions.multiply:1', name: 'multiply', args: { a: 2, b: 3 } },
    ],
    usage: { inputTokens: 201, outputTokens: 55, totalTokens: 256 },
    finishReason: 'tool_calls',
    id: 'chatcmpl-edcdda85-c2ec-4f70-9142-7b04f06c47aa',
  },
  'huggingface/chat-together-r1-token-id.sse': {
    // `<think>` arrives inline in `content`: it stays text (no reasoning field on the wire).
    text: { length: 4002, start: '<think>\nOkay, the user asked "How do I cross the street?" Hm', end: '\n\nPractice these steps every time—it could save your life! 🌟' },
    usage: { inputTokens: 10, outputTokens: 955, totalTokens: 965, cachedInputTokens: 0 },
    finishReason: 'stop',
    id: 'oV1nHvx-28Eivz-9c4b16f37c27e605',
  },
  'llamacpp/chat-text-reasoning-content.sse': {
    text: 'Olá!',
    reasoning: 'The user: "Say hi in Portuguese". They want a greeting in Portuguese. Simple: "Olá!" or "Oi!". Probably respond with "Olá!" or "Oi!".\n\nWe should keep it concise. We\'ll respond.',
    usage: { inputTokens: 84, outputTokens: 57, totalTokens: 141 },
    finishReason: 'stop',
    id: 'chatcmpl-rd0JN5fzYlCrafuJEy6psZhukXbBVmTK',
    metadata: { timings: expect.objectContaining({ predicted_n: 57, cache_n: 83 }) },
  },
  'llamacpp/chat-tool-call.sse': {
    text: '',
    reasoning: 'User wants weather in Florence, Italy. We can use the weather function.',
    toolCalls: [{ index: 0, id: 'g2KOIWzn722hzEaZQmNVP4roUPEiYafL', name: 'weather', args: { location: 'Florence, Italy' } }],
    usage: { inputTokens: 139, outputTokens: 41, totalTokens: 180 },
    finishReason: 'tool_calls',
    id: 'chatcmpl-lz25qRqbjeLO8nbwF4DJYJQc7KjZrG2z',
  },
  'mistral/chat-magistral-content-array.sse': {
    text: { length: 607, start: 'To cross the street safely, follow these steps:\n\n1. Look bot', end: '`\n\nBy following these steps, you can ensure a safe crossing.' },
    reasoning: { length: 421, start: 'Okay, the user is asking how to cross the street. I know tha', end: ' compile this information into a clear and concise response.' },
    usage: { inputTokens: 10, outputTokens: 232, totalTokens: 242 },
    finishReason: 'stop',
    id: '9f9d90210f194076abeee223863eaaf0',
  },
  'mistral/chat-text.sse': {
    text: 'Hello, world! This is a test response.',
    usage: { inputTokens: 13, outputTokens: 8, totalTokens: 21 },
    finishReason: 'stop',
    id: '5319bd0299614c679a0068a4f2c8ffd0',
  },
  'mistral/chat-tool-call-one-chunk.sse': {
    text: '',
    toolCalls: [{ index: 0, id: 'gSIMJiOkT', name: 'weather', args: { location: 'San Francisco' } }],
    usage: { inputTokens: 124, outputTokens: 22, totalTokens: 146 },
    finishReason: 'tool_calls',
    id: 'b3999b8c93e04e11bcbff7bcab829667',
  },
  'openai/chat-content-logprobs.sse': {
    text: 'Foo!',
    usage: { inputTokens: 9, outputTokens: 2, totalTokens: 11, reasoningTokens: 0 },
    finishReason: 'stop',
    id: 'chatcmpl-ABfw5EzoqmfXjnnsXY7Yd8OC6tb3c',
    metadata: {
      logprobs: {
        content: [
          { token: 'Foo', logprob: -0.0025094282, bytes: [70, 111, 111], top_logprobs: [] },
          { token: '!', logprob: -0.26638845, bytes: [33], top_logprobs: [] },
        ],
        refusal: null,
      },
    },
  },
  'openai/chat-finish-length.sse': {
    text: '{"',
    usage: { inputTokens: 79, outputTokens: 1, totalTokens: 80, reasoningTokens: 0 },
    finishReason: 'length',
    id: 'chatcmpl-ABfw3Oqj8RD0z6aJiiX37oTjV2HFh',
  },
  'openai/chat-moderation-trailing-chunk.sse': {
    text: 'Paris.',
    usage: { inputTokens: 13, outputTokens: 11, totalTokens: 24, reasoningTokens: 0, cachedInputTokens: 0 },
    finishReason: 'stop',
    id: 'chatcmpl-E4Rjs6IxaJVge9Ntk5keJsaeDy6vS',
    metadata: {
      model: 'gpt-5-2025-08-07',
      service_tier: 'default',
      moderation: expect.objectContaining({ input: expect.objectContaining({ model: 'omni-moderation-latest' }) }),
    },
  },
  'openai/chat-parallel-tool-calls-2.sse': {
    text: '',
    toolCalls: [
      { index: 0, id: 'call_ehIWdjL1abZk1h8FWGLQ0Hie', name: 'add', args: { a: 2, b: 3 } },
      { index: 1, id: 'call_fBSgA47J5VeONggizTIvl7AH', name: 'multiply', args: { a: 2, b: 3 } },
    ],
    usage: { inputTokens: 106, outputTokens: 50, totalTokens: 156, reasoningTokens: 0, cachedInputTokens: 0 },
    finishReason: 'tool_calls',
    id: 'chatcmpl-DuLdMEdkw5VsZSxKY3i9G934hT7LM',
  },
  'openai/chat-parallel-tool-calls.sse': {
    text: '',
    toolCalls: [
      { index: 0, id: 'call_JMW1whyEaYG438VE1OIflxA2', name: 'GetWeatherArgs', args: { city: 'Edinburgh', country: 'GB', units: 'c' } },
      { index: 1, id: 'call_DNYTawLBoN8fj3KN6qU9N1Ou', name: 'get_stock_price', args: { ticker: 'AAPL', exchange: 'NASDAQ' } },
    ],
    usage: { inputTokens: 149, outputTokens: 60, totalTokens: 209, reasoningTokens: 0 },
    finishReason: 'tool_calls',
    id: 'chatcmpl-ABfwAwrNePHUgBBezonVC6MX3zd63',
  },
  'openai/chat-refusal-logprobs.sse': {
    text: '',
    refusal: "I'm very sorry, but I can't assist with that.",
    usage: { inputTokens: 79, outputTokens: 12, totalTokens: 91, reasoningTokens: 0 },
    finishReason: 'stop',
    id: 'chatcmpl-ABfw5GEVqPbLY576l46FZDQoNJ2KC',
    metadata: {
      logprobs: expect.objectContaining({
        refusal: ["I'm", ' very', ' sorry', ',', ' but', ' I', " can't", ' assist', ' with', ' that', '.'].map((token) => expect.objectContaining({ token })),
      }),
    },
  },
  'openai/chat-refusal.sse': {
    text: '',
    refusal: "I'm sorry, I can't assist with that request.",
    usage: { inputTokens: 79, outputTokens: 11, totalTokens: 90, reasoningTokens: 0 },
    finishReason: 'stop',
    id: 'chatcmpl-ABfw4IfQfCCrcuybFm41wJyxjbkz7',
  },
  'openai/chat-text-long-obfuscation.sse': {
    text: { length: 1724, start: '**Holiday Name:** Harmony Day\n\n**Date:** Celebrated annually', end: 'nnected through shared human experiences and mutual respect.' },
    usage: { inputTokens: 16, outputTokens: 300, totalTokens: 316, reasoningTokens: 0, cachedInputTokens: 0 },
    finishReason: 'stop',
    id: 'chatcmpl-D8Z5oo6uDh67AD85p73ksdT1KxhE0',
    metadata: { service_tier: 'default', system_fingerprint: 'fp_de604bd877', model: 'gpt-4.1-nano-2025-04-14' },
  },
  'openai/chat-text-n3-choices.sse': {
    // Choices 1 and 2 say 61 and 59 degrees: the stream follows choice 0 only.
    text: '{"city":"San Francisco","temperature":65,"units":"f"}',
    usage: { inputTokens: 79, outputTokens: 42, totalTokens: 121, reasoningTokens: 0 },
    finishReason: 'stop',
    id: 'chatcmpl-ABfw2KKFuVXmEJgVwYfBvejMAdWtq',
  },
  'openai/chat-text-usage.sse': {
    text: "I'm unable to provide real-time weather updates. To get the current weather in San Francisco, I recommend checking a reliable weather website or a weather app.",
    usage: { inputTokens: 14, outputTokens: 30, totalTokens: 44, reasoningTokens: 0 },
    finishReason: 'stop',
    id: 'chatcmpl-ABfw031mOJeYCSHe4yI2ZjOA6kMJL',
    metadata: { model: 'gpt-4o-2024-08-06', system_fingerprint: 'fp_5050236cbd' },
  },
  'openai/chat-tool-call.sse': {
    text: '',
    toolCalls: [{ index: 0, id: 'call_c91SqDXlYFuETYv8mUHzz6pp', name: 'GetWeatherArgs', args: { city: 'Edinburgh', country: 'UK', units: 'c' } }],
    usage: { inputTokens: 76, outputTokens: 24, totalTokens: 100, reasoningTokens: 0 },
    finishReason: 'tool_calls',
    id: 'chatcmpl-ABfw8AOXnoa2kzy11vVTSjuQhHCQr',
  },
  'openrouter/chat-parallel-tool-calls.sse': {
    text: '',
    toolCalls: [
      { index: 0, id: 'call_8I6muAnyFaBjKyotk1gPRTwU', name: 'add', args: { a: 2, b: 3 } },
      { index: 1, id: 'call_pKAAv6bKX2qLYJ85RW4Hxqfp', name: 'multiply', args: { a: 2, b: 3 } },
    ],
    usage: { inputTokens: 109, outputTokens: 54, totalTokens: 163, reasoningTokens: 0, cachedInputTokens: 0 },
    finishReason: 'tool_calls',
    id: 'gen-1777319818-QPRmQjcRi7f0czNVMFzC',
    metadata: { provider: 'OpenAI', native_finish_reason: 'completed', usage: expect.objectContaining({ cost: 8.93e-5 }) },
  },
  'openrouter/chat-processing-comments-midstream-error.sse': {
    text: '',
    reasoning: 'We need to respond to a greeting. The user',
    // The error chunk's own usage is delivered before the error.
    usage: { inputTokens: 43, outputTokens: 10, totalTokens: 53, reasoningTokens: 11, cachedInputTokens: 0 },
    finishReason: 'length',
    id: 'gen-1762179802-UN8pkJI4AGZvryk0kFnb',
    failure: { chunks: 4, status: 400, message: /Token limit reached/ },
  },
  'openrouter/chat-reasoning-details.sse': {
    text: '2 + 2 = 4',
    reasoning: 'This is a simple arithmetic question. 2+2 equals 4.',
    usage: { inputTokens: 43, outputTokens: 36, totalTokens: 79, reasoningTokens: 13, cachedInputTokens: 0 },
    finishReason: 'stop',
    id: 'gen-1765226419-AGrwjunAftQIAgweibL8',
  },
  'perplexity/chat-citations.sse': {
    text: 'The current population of **[2][3]',
    // Usage comes on every chunk as running totals: the concatenation keeps the last (largest).
    usage: { inputTokens: 10, outputTokens: 336, totalTokens: 346 },
    finishReason: 'stop',
    id: '58cb9740-f356-49e9-b71e-a02a1376c1b9',
    metadata: {
      citations: [
        'https://populationstat.com/united-states/san-francisco',
        'https://en.wikipedia.org/wiki/San_Francisco',
        'https://fred.stlouisfed.org/graph/?g=4K5j',
        'https://www.california-demographics.com/cities_by_population',
        'https://worldpopulationreview.com/us-cities/california/san-francisco',
        'https://worldpopulationreview.com/us-counties/california/san-francisco-county',
        'https://www.worldometers.info/world-population/us-population/',
      ],
    },
  },
  'vllm-crusoe/chat-text-usage.sse': {
    text: '1, 2, 3, 4, 5',
    usage: { inputTokens: 46, outputTokens: 14, totalTokens: 60, cachedInputTokens: 0 },
    finishReason: 'stop',
    id: 'chatcmpl-bcfbe349402eb3d2',
    metadata: { model: 'meta-llama/Llama-3.3-70B-Instruct' },
  },
  'xai/chat-tool-call-reasoning.sse': {
    text: '',
    reasoning: { length: 1069, start: 'First, the user is asking about the weather in San Francisco', end: 'd on the result, but for now, this is the logical next step.' },
    toolCalls: [{ index: 0, id: 'call_79382389', name: 'weather', args: { location: 'San Francisco' } }],
    // xAI's total counts reasoning tokens on top of prompt and completion: kept as sent.
    usage: { inputTokens: 307, outputTokens: 26, totalTokens: 560, reasoningTokens: 227, cachedInputTokens: 306 },
    finishReason: 'tool_calls',
    id: '7027d986-3c59-a37a-9a5f-50713e01c8a6',
  },
  'zai/chat-parallel-tool-calls-reasoning.sse': {
    text: "I'll both add and multiply the numbers 2 and 3 for you.",
    reasoning: 'The user wants me to both add and multiply the numbers 2 and 3. I need to use both the add and multiply functions on the same time, as instructed.\n\nFor add: a=2, b=3\nFor multiply: a=2, b=3\n\nI\'ll call both functions together.',
    toolCalls: [
      { index: 0, id: 'call_4f8cb52342424eb9bbc1b20e', name: 'add', args: { a: 2, b: 3 } },
      { index: 1, id: 'call_0d06add371834452b339ffdb', name: 'multiply', args: { a: 2, b: 3 } },
    ],
    usage: { inputTokens: 275, outputTokens: 112, totalTokens: 387, reasoningTokens: 64, cachedInputTokens: 43 },
    finishReason: 'tool_calls',
    id: '20260313050448e162ecc8207a4c47',
  },
};

/** Every chat.completions recording on disk (the Responses-API ones are another protocol). */
function chatCompletionRecordings(): string[] {
  const found: string[] = [];
  for (const provider of readdirSync(fixturesDir)) {
    const dir = join(fixturesDir, provider);
    if (!statSync(dir).isDirectory() || provider === 'openai-responses') continue;
    for (const file of readdirSync(dir)) {
      if (file.endsWith('.sse') && !file.startsWith('responses-')) found.push(`${provider}/${file}`);
    }
  }
  return found.sort();
}

function expectText(actual: string | undefined, expected: Text): void {
  if (typeof expected === 'string') {
    expect(actual ?? '').toBe(expected);
    return;
  }
  expect(Array.from(actual ?? '').length).toBe(expected.length);
  expect((actual ?? '').startsWith(expected.start)).toBe(true);
  expect((actual ?? '').endsWith(expected.end)).toBe(true);
}

function expectMessage(result: Replay, expected: Expected): void {
  const { message } = result;
  expectText(message.content, expected.text);
  if (expected.reasoning === undefined) expect(message.reasoning).toBeUndefined();
  else expectText(message.reasoning, expected.reasoning);
  expect(message.responseMetadata.refusal).toBe(expected.refusal);
  const calls = expected.toolCalls ?? [];
  expect(message.toolCalls).toEqual(calls.map(({ id, name, args }) => ({ id, name, args })));
  expect(message.toolCallChunks.map((call) => call.index)).toEqual(calls.map((call) => call.index));
  expect(message.invalidToolCalls).toEqual([]);
  expect(message.usage).toEqual(expected.usage);
  expect(message.finishReason).toBe(expected.finishReason);
  expect(message.id).toBe(expected.id);
  if (expected.metadata) expect(message.responseMetadata).toEqual(expect.objectContaining(expected.metadata));
  // Per-chunk padding never reaches the metadata.
  expect(message.responseMetadata).not.toHaveProperty('obfuscation');
  if (expected.failure) {
    const { chunks, message: pattern, ...fields } = expected.failure;
    expect(result.chunks).toHaveLength(chunks);
    expect(result.error).toBeInstanceOf(ProviderError);
    expect((result.error as ProviderError).message).toMatch(pattern);
    expect(result.error).toEqual(expect.objectContaining(fields));
  } else {
    expect(result.error).toBeUndefined();
  }
}

describeFixtures('ChatOpenAI on the recorded chat.completions streams', () => {
  it('has an expectation for every chat.completions recording, and all 34 are there', () => {
    expect(chatCompletionRecordings()).toEqual(Object.keys(EXPECTED).sort());
    expect(Object.keys(EXPECTED)).toHaveLength(34);
  });

  describe.each(Object.entries(EXPECTED))('%s', (file, expected) => {
    it('replays into the right final message when the body arrives whole', async () => {
      expectMessage(await replay({ file: fixturePath(file) }, { streaming: true }), expected);
    });

    it('replays into the same chunks when every byte arrives on its own', async () => {
      const whole = await replay({ file: fixturePath(file) }, { streaming: true });
      const bytewise = await replay({ file: fixturePath(file) }, { streaming: true }, 'Hi', { bytewise: true });
      expectMessage(bytewise, expected);
      expect(bytewise.chunks.map((chunk) => chunk.toJSON())).toEqual(whole.chunks.map((chunk) => chunk.toJSON()));
    }, 60_000);
  });
});

