// Compile-time checks (run by `npm run typecheck`): what a chain resolves to is what its last step resolves to.
import { z } from 'zod';
import { ChatPromptTemplate, StringOutputParser, agent, lambda, tool, type AgentResult } from '../../src/index.js';
import { ScriptedChatModel } from '../../src/testing/index.js';
const model = new ScriptedChatModel({ responses: ['x'] });
const a = agent({ model, tools: [tool(() => 1, { name: 't', description: 'd', schema: z.object({}) })] });
const chain = lambda((s: string) => s).pipe(a);
const r: Promise<AgentResult> = chain.invoke('q');
const s: Promise<string> = ChatPromptTemplate.fromMessages([['human', '{input}']]).pipe(model).pipe(new StringOutputParser()).invoke({ input: 'x' });
const rec = model.withStructuredOutput(z.object({ a: z.string() }));
const t: Promise<{ a: string }> = lambda((q: string) => q).pipe(rec).invoke('q');
void r; void s; void t;
