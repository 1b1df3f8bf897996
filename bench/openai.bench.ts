/**
 * The OpenAI streaming benchmark: what each client costs per streamed chunk on real HTTP. One
 * generated chat.completions stream of 20,000 chunks is served over loopback by an
 * `SseReplayServer`, and read to the end by
 *
 * - the floor: `fetch` plus a line-splitting loop that `JSON.parse`s every `data:` line (the least
 *   any client must do);
 * - the `openai` client's own `for await` over the stream;
 * - LangChain.js `ChatOpenAI` (`@langchain/openai`) `.stream()`;
 * - the AI SDK's `streamText` over `createOpenAI({ baseURL }).chat(...)`;
 * - rxllm `ChatOpenAI.stream()`.
 *
 * Each figure is the median of several runs after warm-up, the contenders taking turns. Run alone with
 * `npx ts-node bench/openai.bench.ts`.
 */
import { createOpenAI } from '@ai-sdk/openai';
import { streamText } from 'ai';
import OpenAI from 'openai';
import { ChatOpenAI } from '../src/openai/index.js';
import { SseReplayServer } from '../src/testing/node/SseReplayServer.js';
import { formatNumber, formatRatio, median, microsPer, printTable, verdict, type TimingOptions } from './benchInternals.js';

const CHUNK_COUNT = 20_000;
const TIMING = { warmup: 2, runs: 7 } as const satisfies TimingOptions;
const TARGET_RATIO = 3;
const MODEL = 'bench-model';
const API_KEY = 'bench-key-not-secret';
const WORDS = ['The', ' quick', ' brown', ' fox', ' jumps', ' over', ' the', ' lazy', ' dog', '.'];

/** A chat.completions SSE body: a role chunk, `count` text chunks, a finish chunk, a usage chunk, `[DONE]`. */
function generateBody(count: number): { body: string; chars: number } {
  const frames: string[] = [];
  const envelope = (choices: unknown[], extra: Record<string, unknown> = {}) => JSON.stringify({
    id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1700000000, model: MODEL, system_fingerprint: 'fp_bench', choices, ...extra,
  });
  frames.push(`data: ${envelope([{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }])}\n\n`);
  let chars = 0;
  for (let i = 0; i < count; i++) {
    const word = WORDS[i % WORDS.length];
    chars += word.length;
    frames.push(`data: ${envelope([{ index: 0, delta: { content: word }, logprobs: null, finish_reason: null }])}\n\n`);
  }
  frames.push(`data: ${envelope([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }])}\n\n`);
  frames.push(`data: ${envelope([], { usage: { prompt_tokens: 5, completion_tokens: count, total_tokens: count + 5 } })}\n\n`);
  frames.push('data: [DONE]\n\n');
  return { body: frames.join(''), chars };
}

/** One way of reading the stream; resolves with the characters of text it received. */
type Contender = { name: string; run: (baseURL: string) => Promise<number> };

const floor: Contender = {
  name: 'fetch + line split + JSON.parse (floor)',
  run: async (baseURL) => {
    const response = await fetch(`${baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
      body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }], stream: true }),
    });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffered = '';
    let chars = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffered += decoder.decode(value, { stream: true });
      let newline = buffered.indexOf('\n');
      let start = 0;
      while (newline !== -1) {
        const line = buffered.slice(start, newline);
        if (line.startsWith('data: ') && line !== 'data: [DONE]') {
          const chunk = JSON.parse(line.slice(6)) as { choices: Array<{ delta?: { content?: string } }> };
          chars += chunk.choices[0]?.delta?.content?.length ?? 0;
        }
        start = newline + 1;
        newline = buffered.indexOf('\n', start);
      }
      buffered = buffered.slice(start);
    }
    return chars;
  },
};

const openaiClient: Contender = {
  name: 'openai client for await',
  run: async (baseURL) => {
    const client = new OpenAI({ apiKey: API_KEY, baseURL });
    const stream = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }], stream: true });
    let chars = 0;
    for await (const chunk of stream) chars += chunk.choices[0]?.delta?.content?.length ?? 0;
    return chars;
  },
};

const langChain: Contender = {
  name: 'LangChain.js ChatOpenAI.stream()',
  run: async (baseURL) => {
    // A native dynamic import: ts-node's resolver cannot follow the wildcard exports of the
    // `openai` v7 copy that @langchain/openai bundles.
    const { ChatOpenAI: LangChainChatOpenAI } = await import('@langchain/openai');
    const model = new LangChainChatOpenAI({ model: MODEL, apiKey: API_KEY, configuration: { baseURL } });
    let chars = 0;
    for await (const chunk of await model.stream('Hi')) chars += typeof chunk.content === 'string' ? chunk.content.length : 0;
    return chars;
  },
};

const aiSdk: Contender = {
  name: 'AI SDK streamText (openai.chat)',
  run: async (baseURL) => {
    const provider = createOpenAI({ baseURL, apiKey: API_KEY });
    const result = streamText({ model: provider.chat(MODEL), prompt: 'Hi' });
    let chars = 0;
    for await (const text of result.textStream) chars += text.length;
    return chars;
  },
};

const rxllm: Contender = {
  name: 'rxllm ChatOpenAI.stream()',
  run: (baseURL) => {
    const model = new ChatOpenAI({ model: MODEL, apiKey: API_KEY, baseURL });
    let chars = 0;
    return new Promise((resolve, reject) => {
      model.stream('Hi').subscribe({ next: (chunk) => (chars += chunk.content.length), error: reject, complete: () => resolve(chars) });
    });
  },
};

/**
 * Milliseconds of each timed run of each contender. Runs are interleaved (one of each per round,
 * after warm-up rounds) so that a neighbour loading the machine for a while slows every
 * contender alike instead of whichever happened to run then.
 */
async function interleavedSamples(contenders: readonly Contender[], baseURL: string, expectedChars: number): Promise<number[][]> {
  const samples: number[][] = contenders.map(() => []);
  for (let round = 0; round < TIMING.warmup + TIMING.runs; round++) {
    for (const [i, contender] of contenders.entries()) {
      const start = process.hrtime.bigint();
      const chars = await contender.run(baseURL);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (chars !== expectedChars) throw new Error(`${contender.name} read ${chars} characters, expected ${expectedChars}`);
      if (round >= TIMING.warmup) samples[i].push(ms);
    }
  }
  return samples;
}

/** Runs every contender against one loopback server and prints µs per chunk and the ratio to the floor. */
export async function runOpenAIBench(): Promise<void> {
  const { body, chars: expectedChars } = generateBody(CHUNK_COUNT);
  const server = new SseReplayServer({ body });
  const baseURL = await server.start();
  try {
    const contenders = [floor, openaiClient, langChain, aiSdk, rxllm];
    const samples = await interleavedSamples(contenders, baseURL, expectedChars);
    const results = contenders.map((contender, i) => ({ name: contender.name, micros: microsPer(median(samples[i]), CHUNK_COUNT) }));
    const base = results[0].micros;
    printTable(`µs per chunk over loopback HTTP, ${CHUNK_COUNT} chunks, median of ${TIMING.runs} runs (lower is better); × = times the floor`, [
      { header: 'client' }, { header: 'µs/chunk', align: 'right' }, { header: '× floor', align: 'right' },
    ], results.map((r) => [r.name, formatNumber(r.micros), formatRatio(r.micros, base)]));
    const ours = results[results.length - 1].micros;
    printTable('Target', [{ header: 'target' }, { header: 'measured', align: 'right' }, { header: 'verdict' }], [
      [`rxllm ≤ ${TARGET_RATIO}× the floor`, formatRatio(ours, base), verdict(ours / base <= TARGET_RATIO)],
    ]);
  } finally {
    await server.close();
  }
}

if (require.main === module) {
  runOpenAIBench().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
