// `npm run bench`: every benchmark in one run, rxllm side by side with LangChain.js and the AI SDK.
// Pick some with arguments: `npm run bench -- foundation openai`.
import { runBundleSizeBench } from './bundleSize.bench.js';
import { runContentFilterBench } from './contentFilter.bench.js';
import { runDocumentsBench } from './documents.bench.js';
import { runFoundationBench } from './foundation.bench.js';
import { runOpenAIBench } from './openai.bench.js';
import { runOperatorsBench } from './operators.bench.js';
import { runOtelBench } from './otel.bench.js';
import { runPartialJsonBench } from './partialJson.bench.js';
import { runRedactPIIBench } from './redactPII.bench.js';
import { runRedisBench } from './redis.bench.js';
import { runSseBench } from './sse.bench.js';

const suites: Record<string, () => Promise<void>> = {
  foundation: runFoundationBench,
  openai: runOpenAIBench,
  partialJson: runPartialJsonBench,
  operators: runOperatorsBench,
  documents: runDocumentsBench,
  bundleSize: runBundleSizeBench,
  sse: runSseBench,
  redactPII: runRedactPIIBench,
  contentFilter: runContentFilterBench,
  otel: runOtelBench,
  redis: runRedisBench,
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !(name in suites));
  if (unknown.length) throw new Error(`Unknown benchmark ${unknown.join(', ')}; choose from ${Object.keys(suites).join(', ')}`);
  for (const [name, run] of Object.entries(suites)) {
    if (wanted.length && !wanted.includes(name)) continue;
    console.log(`\n=== ${name} ===`);
    await run();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
