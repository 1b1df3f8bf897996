import { firstValueFrom, from, map, toArray, type Observable } from 'rxjs';
import { z } from 'zod';
import { agent } from '../../../src/agents/Agent.js';
import type { StreamEvent } from '../../../src/events/StreamEvent.js';
import type { SseFormatName } from '../../../src/sse/SseFormat.js';
import { toServerSentEvents } from '../../../src/sse/toServerSentEvents.js';
import { ScriptedChatModel } from '../../../src/testing/ScriptedChatModel.js';
import { tool } from '../../../src/tools/StructuredTool.js';

/** The weather agent every format spec streams: reasoning, a tool call with streamed arguments, the tool's answer, then text. */
export function weatherAgent(): ReturnType<typeof agent> {
  const weather = tool(async ({ city }: { city: string }) => ({ city, temperature: 18 }), {
    name: 'get_weather',
    description: 'Current weather',
    schema: z.object({ city: z.string() }),
  });
  const model = new ScriptedChatModel({
    responses: [
      [
        { reasoning: 'The user wants the weather.' },
        { toolCallChunks: [{ index: 0, id: 'call_1', name: 'get_weather', args: '{"city":' }] },
        { toolCallChunks: [{ index: 0, args: '"Paris"}' }], finishReason: 'tool_calls' },
      ],
      'It is 18 degrees in Paris.',
    ],
  });
  return agent({ model, tools: [weather] });
}

/** The events of one run of the weather agent. */
export function weatherEvents(): Promise<StreamEvent[]> {
  return firstValueFrom(weatherAgent().streamEvents('Weather in Paris?').pipe(toArray()));
}

/** The body a server sends for `values` in `format`. */
export async function sseBody(values: readonly unknown[] | Observable<unknown>, format: SseFormatName, runId = 'run-1'): Promise<string> {
  const source = Array.isArray(values) ? from(values) : (values as Observable<unknown>);
  const texts = await firstValueFrom(source.pipe(toServerSentEvents({ format, runId, heartbeatMs: Infinity }), map((frame) => frame.text), toArray()));
  return texts.join('');
}

/** A `fetch` that answers every request with `body` as an event stream, recording the requests. */
export function fetchAnswering(body: string, headers: Record<string, string> = {}): typeof fetch & { requests: Array<{ url: string; init?: RequestInit }> } {
  const requests: Array<{ url: string; init?: RequestInit }> = [];
  const fake = (async (url: string | URL | Request, init?: RequestInit) => {
    requests.push({ url: String(url), init });
    return new Response(body, { headers: { 'content-type': 'text/event-stream', ...headers } });
  }) as typeof fetch & { requests: typeof requests };
  fake.requests = requests;
  return fake;
}
