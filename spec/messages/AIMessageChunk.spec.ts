import { AIMessage, AIMessageChunk, concatChunks, isAIMessageChunk, type ToolCallChunk, type Usage } from '../../src/index.js';
import { countElementWrites } from '../support/countElementWrites.js';
import { expectLinearGrowth } from '../support/expectLinearGrowth.js';

const chunk = (fields: ConstructorParameters<typeof AIMessageChunk>[0]) => new AIMessageChunk(fields);
const toolChunk = (...toolCallChunks: ToolCallChunk[]) => new AIMessageChunk({ toolCallChunks });

describe('AIMessageChunk', () => {
  describe('construction', () => {
    it('takes a string as its content, with empty defaults', () => {
      const c = new AIMessageChunk('Hi');
      expect(c.type).toBe('ai');
      expect(c.content).toBe('Hi');
      expect(c.toolCallChunks).toEqual([]);
      expect(c.toolCalls).toEqual([]);
      expect(c.invalidToolCalls).toEqual([]);
      expect(c.responseMetadata).toEqual({});
      expect(c.usage).toBeUndefined();
      expect(c.reasoning).toBeUndefined();
    });

    it('is recognised by isAIMessageChunk, also as a plain copy from another package', () => {
      expect(isAIMessageChunk(new AIMessageChunk('x'))).toBe(true);
      expect(isAIMessageChunk({ type: 'ai', content: 'x', toolCallChunks: [] })).toBe(true);
      expect(isAIMessageChunk(new AIMessage('x'))).toBe(false);
      expect(isAIMessageChunk(null)).toBe(false);
      expect(isAIMessageChunk('ai')).toBe(false);
    });
  });

  describe('text and reasoning', () => {
    it('appends content in order', () => {
      expect(concatChunks([chunk('Hel'), chunk('lo'), chunk(''), chunk(' world')]).content).toBe('Hello world');
    });

    it('appends reasoning, and has none when no chunk had any', () => {
      const withReasoning = concatChunks([chunk({ reasoning: 'Let me ' }), chunk({ content: 'Hi' }), chunk({ reasoning: 'think' })]);
      expect(withReasoning.reasoning).toBe('Let me think');
      expect(withReasoning.content).toBe('Hi');
      expect(concatChunks([chunk('a'), chunk('b')]).reasoning).toBeUndefined();
    });

    it('concat(other) is concatChunks of the two and changes neither operand', () => {
      const a = chunk({ content: 'a', toolCallChunks: [{ index: 0, id: 'c1', name: 'f', args: '{"x"' }], responseMetadata: { model: 'm1' } });
      const b = chunk({ content: 'b', toolCallChunks: [{ index: 0, args: ':1}' }], responseMetadata: { model: 'm2' } });
      const ab = a.concat(b);
      expect(ab.content).toBe('ab');
      expect(ab.toolCalls).toEqual([{ id: 'c1', name: 'f', args: { x: 1 } }]);
      expect(ab.responseMetadata).toEqual({ model: 'm2' });
      expect(a.content).toBe('a');
      expect(a.toolCallChunks).toEqual([{ index: 0, id: 'c1', name: 'f', args: '{"x"' }]);
      expect(a.responseMetadata).toEqual({ model: 'm1' });
      expect(b.toolCallChunks).toEqual([{ index: 0, args: ':1}' }]);
    });

    it('concatChunks of nothing is an empty chunk', () => {
      const empty = concatChunks([]);
      expect(empty.content).toBe('');
      expect(empty.toolCalls).toEqual([]);
      expect(empty.usage).toBeUndefined();
    });
  });

  describe('id, finish reason', () => {
    it('keeps the first id (an empty id is no id)', () => {
      expect(concatChunks([chunk({ content: 'a' }), chunk({ id: '' }), chunk({ id: 'chatcmpl-1' }), chunk({ id: 'chatcmpl-2' })]).id).toBe('chatcmpl-1');
    });

    it('keeps the last finish reason', () => {
      expect(concatChunks([chunk({ finishReason: 'length' }), chunk('x'), chunk({ finishReason: 'stop' }), chunk('')]).finishReason).toBe('stop');
      expect(concatChunks([chunk('x')]).finishReason).toBeUndefined();
    });
  });

  describe('tool-call chunks', () => {
    it('merges the chunks of one call by index: id and name from the first, args appended', () => {
      const whole = concatChunks([
        toolChunk({ index: 0, id: 'call_1', name: 'get_weather', args: '' }),
        toolChunk({ index: 0, args: '{"ci' }),
        toolChunk({ index: 0, args: 'ty": "Par' }),
        toolChunk({ index: 0, args: 'is"}' }),
      ]);
      expect(whole.toolCallChunks).toEqual([{ index: 0, id: 'call_1', name: 'get_weather', args: '{"city": "Paris"}' }]);
      expect(whole.toolCalls).toEqual([{ id: 'call_1', name: 'get_weather', args: { city: 'Paris' } }]);
      expect(whole.invalidToolCalls).toEqual([]);
    });

    it('parses a call whose args came in one chunk', () => {
      const whole = concatChunks([chunk('Checking.'), toolChunk({ index: 0, id: 'c', name: 'f', args: '{"a":[1,2],"b":{"c":null}}' })]);
      expect(whole.toolCalls).toEqual([{ id: 'c', name: 'f', args: { a: [1, 2], b: { c: null } } }]);
    });

    it('parses a call whose args came in hundreds of one-character chunks', () => {
      const args = JSON.stringify({ query: 'x'.repeat(300), limit: 5 });
      const chunks = [toolChunk({ index: 0, id: 'c', name: 'search' }), ...Array.from(args, (ch) => toolChunk({ index: 0, args: ch }))];
      expect(chunks.length).toBeGreaterThan(300);
      expect(concatChunks(chunks).toolCalls).toEqual([{ id: 'c', name: 'search', args: { query: 'x'.repeat(300), limit: 5 } }]);
    });

    it('keeps parallel calls apart when their chunks interleave', () => {
      const whole = concatChunks([
        toolChunk({ index: 0, id: 'a', name: 'weather', args: '{"city":' }),
        toolChunk({ index: 1, id: 'b', name: 'time', args: '{"tz":' }),
        toolChunk({ index: 0, args: '"Paris"}' }),
        toolChunk({ index: 1, args: '"CET"}' }),
      ]);
      expect(whole.toolCalls).toEqual([
        { id: 'a', name: 'weather', args: { city: 'Paris' } },
        { id: 'b', name: 'time', args: { tz: 'CET' } },
      ]);
    });

    it('keeps parallel calls apart when several arrive in one chunk', () => {
      const whole = concatChunks([
        toolChunk({ index: 0, id: 'a', name: 'f', args: '{"n":1}' }, { index: 1, id: 'b', name: 'g', args: '{"n":2}' }),
      ]);
      expect(whole.toolCalls.map((c) => [c.id, c.name, c.args])).toEqual([['a', 'f', { n: 1 }], ['b', 'g', { n: 2 }]]);
    });

    it('handles calls whose indices start at 1', () => {
      const whole = concatChunks([
        chunk('Let me check.'),
        toolChunk({ index: 1, id: 'toolu_1', name: 'lookup', args: '' }),
        toolChunk({ index: 1, args: '{"q":"rx"}' }),
      ]);
      expect(whole.toolCallChunks).toEqual([{ index: 1, id: 'toolu_1', name: 'lookup', args: '{"q":"rx"}' }]);
      expect(whole.toolCalls).toEqual([{ id: 'toolu_1', name: 'lookup', args: { q: 'rx' } }]);
    });

    it('merges by id when the server repeats one index for every call', () => {
      const whole = concatChunks([
        toolChunk({ index: 0, id: 'a', name: 'f', args: '{"x"' }),
        toolChunk({ index: 0, id: 'b', name: 'g', args: '{"y"' }),
        toolChunk({ index: 0, id: 'a', args: ':1}' }),
        toolChunk({ index: 0, id: 'b', args: ':2}' }),
      ]);
      expect(whole.toolCalls).toEqual([
        { id: 'a', name: 'f', args: { x: 1 } },
        { id: 'b', name: 'g', args: { y: 2 } },
      ]);
    });

    it('starts a new call when a new id arrives at an index already used', () => {
      const whole = concatChunks([
        toolChunk({ index: 0, id: 'a', name: 'f', args: '{"n":1}' }),
        toolChunk({ index: 0, id: 'b', name: 'f', args: '{"n":' }),
        toolChunk({ index: 0, args: '2}' }),
      ]);
      expect(whole.toolCalls).toEqual([
        { id: 'a', name: 'f', args: { n: 1 } },
        { id: 'b', name: 'f', args: { n: 2 } },
      ]);
    });

    it('does not replace a name or append to it when the server repeats it', () => {
      const whole = concatChunks([toolChunk({ index: 0, id: 'a', name: 'f', args: '{' }), toolChunk({ index: 0, id: 'a', name: 'f', args: '}' })]);
      expect(whole.toolCalls).toEqual([{ id: 'a', name: 'f', args: {} }]);
    });

    it('takes the id from a later chunk when the first had none or an empty one', () => {
      const whole = concatChunks([toolChunk({ index: 0, id: '', name: 'f' }), toolChunk({ index: 0, id: 'call_9', args: '{}' })]);
      expect(whole.toolCalls).toEqual([{ id: 'call_9', name: 'f', args: {} }]);
    });

    it('gives a call without id an id from its index, and empty args are an empty object', () => {
      const whole = concatChunks([toolChunk({ index: 2, name: 'ping' })]);
      expect(whole.toolCalls).toEqual([{ id: 'call_2', name: 'ping', args: {} }]);
    });
  });

  describe('invalid tool calls', () => {
    it('lists a call still streaming in toolCalls with its arguments so far, and judges it only once the message is complete', () => {
      const streaming = concatChunks([toolChunk({ index: 0, id: 'c', name: 'f', args: '{"city": "Par' }), toolChunk({ index: 1, id: 'd', name: 'g', args: '{"ci' })]);
      expect(streaming.toolCalls).toEqual([{ id: 'c', name: 'f', args: { city: 'Par' } }, { id: 'd', name: 'g', args: {} }]);
      expect(streaming.invalidToolCalls).toEqual([]);
      const finished = streaming.concat(new AIMessageChunk({ finishReason: 'tool_calls' }));
      expect(finished.toolCalls).toEqual([]);
      expect(finished.invalidToolCalls.map((call) => call.id)).toEqual(['c', 'd']);
    });

    it('reports args that are not JSON with the raw text and the error, without throwing from concat', () => {
      const chunks = [
        toolChunk({ index: 0, id: 'bad', name: 'f', args: '{"city": "Par' }),
        toolChunk({ index: 1, id: 'ok', name: 'g', args: '{"a":1}' }),
        new AIMessageChunk({ finishReason: 'tool_calls' }),
      ];
      let whole: AIMessageChunk | undefined;
      expect(() => (whole = concatChunks(chunks))).not.toThrow();
      expect(whole!.toolCalls).toEqual([{ id: 'ok', name: 'g', args: { a: 1 } }]);
      expect(whole!.invalidToolCalls).toHaveLength(1);
      expect(whole!.invalidToolCalls[0]).toMatchObject({ id: 'bad', name: 'f', args: '{"city": "Par' });
      expect(whole!.invalidToolCalls[0].error).toEqual(expect.any(String));
      expect(whole!.invalidToolCalls[0].error.length).toBeGreaterThan(0);
    });

    it.each([['[1,2]'], ['"text"'], ['42'], ['null']])('reports JSON that is not an object (%s) as invalid', (args) => {
      const whole = concatChunks([toolChunk({ index: 0, id: 'c', name: 'f', args })]);
      expect(whole.toolCalls).toEqual([]);
      expect(whole.invalidToolCalls).toEqual([{ id: 'c', name: 'f', args, error: expect.stringMatching(/object/) }]);
    });
  });

  describe('cost', () => {
    /** Characters handed out by the counted `args` getters. */
    interface CharCount {
      chars: number;
    }

    /** A chunk of call 0 whose `args` getter adds what it hands out to `count`. */
    const countedToolChunk = (args: string, count: CharCount): AIMessageChunk => {
      const call = { index: 0 } as ToolCallChunk;
      Object.defineProperty(call, 'args', { enumerable: true, get: () => ((count.chars += args.length), args) });
      return new AIMessageChunk({ toolCallChunks: [call] });
    };

    /** From now on, reading the `args` of the message's tool-call chunks adds to `count`: parsing them reads them. */
    const countArgsReads = (message: AIMessageChunk, count: CharCount): void => {
      for (const call of message.toolCallChunks) {
        const args = call.args ?? '';
        Object.defineProperty(call, 'args', { enumerable: true, configurable: true, get: () => ((count.chars += args.length), args) });
      }
    };

    it('never parses arguments while concatenating, and once per call when toolCalls is read', () => {
      const concatenate = (size: number) => {
        const text = JSON.stringify({ text: 'y'.repeat(size) });
        const read: CharCount = { chars: 0 };
        const whole = concatChunks([toolChunk({ index: 0, id: 'c', name: 'write' }), ...Array.from(text, (ch) => countedToolChunk(ch, read))]);
        return { text, whole, read };
      };
      // Each fragment is read a fixed number of times, whatever its place in the stream.
      expectLinearGrowth((size) => concatenate(size).read.chars, 10_000);
      const { text, whole } = concatenate(10_000);
      const parsed: CharCount = { chars: 0 };
      countArgsReads(whole, parsed);
      expect(whole.toolCalls[0].args).toEqual({ text: 'y'.repeat(10_000) });
      // The whole text is read at the first read of toolCalls, so it was not parsed before ...
      expect(parsed.chars).toBe(text.length);
      expect(whole.toolCalls).toHaveLength(1);
      expect(whole.invalidToolCalls).toEqual([]);
      // ... and only then: later reads reuse the result.
      expect(parsed.chars).toBe(text.length);
    });

    it('folding with concat parses nothing either', () => {
      const text = '{"a":"bcdefgh"}';
      const folds: AIMessageChunk[] = [];
      let acc = toolChunk({ index: 0, id: 'c', name: 'f' });
      for (const ch of text) folds.push((acc = acc.concat(toolChunk({ index: 0, args: ch }))));
      const parsed: CharCount = { chars: 0 };
      for (const fold of folds) countArgsReads(fold, parsed);
      // Every fold still reads its arguments when asked for its calls: none was parsed on the way.
      folds.forEach((fold, i) => {
        expect(fold.toolCalls.length + fold.invalidToolCalls.length).toBe(1);
        expect(parsed.chars).toBe(((i + 1) * (i + 2)) / 2);
      });
      expect(acc.toolCalls).toEqual([{ id: 'c', name: 'f', args: { a: 'bcdefgh' } }]);
    });

    it('merges each incoming tool-call chunk once, never re-merging what is accumulated', () => {
      const concatenate = (size: number) => {
        let reads = 0;
        const counted = (call: ToolCallChunk) => new Proxy(call, { get: (target, key, receiver) => (reads++, Reflect.get(target, key, receiver)) });
        const whole = concatChunks([
          ...Array.from({ length: size }, () => chunk('t')),
          ...Array.from({ length: size }, (_, i) => toolChunk(counted({ index: i % 2, ...(i < 2 && { id: `c${i}`, name: 'f' }), args: i < 2 ? '{"a":"' : 'z' }))),
        ]);
        return { whole, reads };
      };
      // Property reads on the tool-call chunks handed in: a merge that went over them again for each new one would quadruple.
      expectLinearGrowth((size) => concatenate(size).reads, 5_000);
      const { whole } = concatenate(5_000);
      expect(whole.content).toHaveLength(5_000);
      expect(whole.toolCallChunks.map((c) => c.args!.length)).toEqual([6 + 2_499, 6 + 2_499]);
    });

    it('appends logprobs without recopying what was already accumulated', () => {
      const concatenate = (size: number) => {
        const copies = countElementWrites();
        const chunks = Array.from({ length: size }, (_, i) => chunk({ content: 't', responseMetadata: { logprobs: { content: copies.of({ token: 't', logprob: -i }) } } }));
        return { whole: concatChunks(chunks), copies };
      };
      // Entries written into the arrays built from the chunks' logprobs: a re-copy per chunk writes n²/2.
      expectLinearGrowth((size) => concatenate(size).copies.written, 2_000);
      const n = 2_000;
      const { whole, copies } = concatenate(n);
      const content = (whole.responseMetadata.logprobs as { content: Array<{ logprob: number }> }).content;
      expect(content).toHaveLength(n);
      expect(content[n - 1].logprob).toBe(-(n - 1));
      expect(copies.written).toBeLessThanOrEqual(4 * n);
    });
  });

  describe('usage', () => {
    const usage = (inputTokens: number, outputTokens: number, extra: Partial<Usage> = {}): Usage => ({ inputTokens, outputTokens, totalTokens: inputTokens + outputTokens, ...extra });

    it('keeps the one usage chunk (OpenAI: usage after the finish chunk, choices empty)', () => {
      const whole = concatChunks([chunk('Foo'), chunk('!'), chunk({ finishReason: 'stop' }), chunk({ usage: usage(9, 2, { reasoningTokens: 0 }) })]);
      expect(whole.usage).toEqual({ inputTokens: 9, outputTokens: 2, totalTokens: 11, reasoningTokens: 0 });
    });

    it('does not double count a usage sent on the finish chunk and again on a trailing chunk (Groq)', () => {
      const whole = concatChunks([chunk('Hi'), chunk({ finishReason: 'stop', usage: usage(20, 4) }), chunk({ usage: usage(20, 4) })]);
      expect(whole.usage).toEqual({ inputTokens: 20, outputTokens: 4, totalTokens: 24 });
    });

    it('keeps the final running total when every chunk carries usage (Perplexity)', () => {
      const outputs = [1, 2, 3, 4, 5, 333, 336, 336];
      const whole = concatChunks(outputs.map((n) => chunk({ content: 'w', usage: usage(10, n) })));
      expect(whole.usage).toEqual({ inputTokens: 10, outputTokens: 336, totalTokens: 346 });
    });

    it('combines counts reported on different chunks (input first, output later)', () => {
      const whole = concatChunks([
        chunk({ usage: { inputTokens: 50, outputTokens: 0, totalTokens: 50, cachedInputTokens: 32 } }),
        chunk('text'),
        chunk({ usage: { inputTokens: 0, outputTokens: 7, totalTokens: 57, reasoningTokens: 3 } }),
      ]);
      expect(whole.usage).toEqual({ inputTokens: 50, outputTokens: 7, totalTokens: 57, cachedInputTokens: 32, reasoningTokens: 3 });
    });

    it('has no usage when no chunk reported one', () => {
      expect(concatChunks([chunk('a'), chunk('b')]).usage).toBeUndefined();
    });
  });

  describe('response metadata', () => {
    it('lets a later value win, and keeps earlier keys', () => {
      const whole = concatChunks([
        chunk({ responseMetadata: { model: 'gpt-4o', system_fingerprint: 'fp_1' } }),
        chunk({ responseMetadata: { model: 'gpt-4o-2024-08-06', citations: ['a'] } }),
        chunk({ responseMetadata: { citations: ['a', 'b'] } }),
      ]);
      expect(whole.responseMetadata).toEqual({ model: 'gpt-4o-2024-08-06', system_fingerprint: 'fp_1', citations: ['a', 'b'] });
    });

    it('appends logprobs arrays, and a null logprobs on the finish chunk erases nothing', () => {
      const lp = (token: string) => ({ token, logprob: -0.1, bytes: [], top_logprobs: [] });
      const whole = concatChunks([
        chunk({ responseMetadata: { logprobs: { content: [], refusal: null } } }),
        chunk({ content: 'Foo', responseMetadata: { logprobs: { content: [lp('Foo')], refusal: null } } }),
        chunk({ content: '!', responseMetadata: { logprobs: { content: [lp('!')], refusal: null } } }),
        chunk({ finishReason: 'stop', responseMetadata: { logprobs: null } }),
      ]);
      expect(whole.responseMetadata.logprobs).toEqual({ content: [lp('Foo'), lp('!')], refusal: null });
    });

    it('does not alter the logprobs arrays of the chunks it read', () => {
      const first = chunk({ responseMetadata: { logprobs: { content: [1] } } });
      const second = chunk({ responseMetadata: { logprobs: { content: [2] } } });
      concatChunks([first, second, chunk({ responseMetadata: { logprobs: { content: [3] } } })]);
      expect(first.responseMetadata.logprobs).toEqual({ content: [1] });
      expect(second.responseMetadata.logprobs).toEqual({ content: [2] });
    });
  });

  describe('toJSON and toMessage', () => {
    const toolCallMessage = () => concatChunks([
      chunk({ id: 'm1', content: 'Sure', reasoning: 'hmm', responseMetadata: { model: 'x' } }),
      toolChunk({ index: 0, id: 'c1', name: 'f', args: '{"a":1}' }, { index: 1, id: 'c2', name: 'g', args: '{oops' }),
      chunk({ finishReason: 'tool_calls', usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 } }),
    ]);

    it('serialises the parsed tool calls with the fields', () => {
      const json = JSON.parse(JSON.stringify(toolCallMessage())) as Record<string, unknown>;
      expect(json).toMatchObject({
        type: 'ai', id: 'm1', content: 'Sure', reasoning: 'hmm', finishReason: 'tool_calls',
        usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 }, responseMetadata: { model: 'x' },
        toolCalls: [{ id: 'c1', name: 'f', args: { a: 1 } }],
        invalidToolCalls: [{ id: 'c2', name: 'g', args: '{oops', error: expect.any(String) }],
      });
      expect(json.toolCallChunks).toHaveLength(2);
      expect(Object.keys(json).sort()).toEqual(
        ['content', 'finishReason', 'id', 'invalidToolCalls', 'reasoning', 'responseMetadata', 'toolCallChunks', 'toolCalls', 'type', 'usage'],
      );
    });

    it('reading toolCalls leaves the chunk equal to an unread copy', () => {
      const read = toolCallMessage();
      void read.toolCalls;
      expect(read).toEqual(toolCallMessage());
      expect(Object.keys(read)).toEqual(Object.keys(toolCallMessage()));
    });

    it('toMessage() gives an AIMessage with the same content, calls, usage and metadata', () => {
      const message = toolCallMessage().toMessage();
      expect(message).toBeInstanceOf(AIMessage);
      expect(message).toMatchObject({
        type: 'ai', id: 'm1', content: 'Sure', reasoning: 'hmm', finishReason: 'tool_calls',
        toolCalls: [{ id: 'c1', name: 'f', args: { a: 1 } }],
        invalidToolCalls: [{ id: 'c2', name: 'g', args: '{oops' }],
        usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 }, responseMetadata: { model: 'x' },
      });
      expect('toolCallChunks' in message).toBe(false);
    });
  });
});
