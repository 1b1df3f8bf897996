import { z } from 'zod';
import { agent, tool } from '../../src/index.js';
import { ChatOpenAI } from '../../src/openai/index.js';

/** The demo's agent: a model and one tool, `get_weather` (demo data). */
export function chatAgent(model: ChatOpenAI) {
  const weather = tool(async ({ city }) => ({ city, temperature: 18, unit: 'celsius', sky: 'light rain' }), {
    name: 'get_weather',
    description: 'Current weather for a city (demo data)',
    schema: z.object({ city: z.string() }),
  });
  return agent({ model, tools: [weather], maxSteps: 4 });
}

/**
 * The user's question from the body of any of the four clients: `{ input }` (rxllm, LangChain's
 * RemoteRunnable sends `{ input: { input } }`), the AI SDK's `{ messages: [{ role, parts }] }`, or
 * AG-UI's `{ messages: [{ role, content }] }`.
 */
export function questionOf(body: unknown): string {
  const value = body as { input?: unknown; messages?: Array<{ role?: string; content?: unknown; parts?: Array<{ type?: string; text?: string }> }> };
  if (typeof value.input === 'string') return value.input;
  if (typeof (value.input as { input?: unknown })?.input === 'string') return (value.input as { input: string }).input;
  const last = [...(value.messages ?? [])].reverse().find((message) => message.role === 'user');
  if (typeof last?.content === 'string') return last.content;
  return last?.parts?.filter((part) => part.type === 'text').map((part) => part.text).join('') ?? '';
}

/** A body any of the four clients sends: checked before a run starts (a bad one is a 400). */
export const chatBody = z.union([
  z.object({ input: z.union([z.string().min(1), z.object({ input: z.string().min(1) })]) }).loose(),
  z.object({ messages: z.array(z.object({ role: z.string() }).loose()).min(1) }).loose(),
]);
