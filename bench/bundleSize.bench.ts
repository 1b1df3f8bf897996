/**
 * The bundle-size benchmark: the gzipped JavaScript a browser app ships for
 *
 * - (a) a prompt → `ChatOpenAI` → `StringOutputParser` chain and one `.stream(...)` call, next to
 *   the AI SDK's `streamText` over `@ai-sdk/openai` and LangChain.js's same chain
 *   (`@langchain/core` prompt and parser, `@langchain/openai`);
 * - (b) five common operators (`accumulate`, `textDeltas`, `smoothText`, `streamTimeout`,
 *   `retryStream`) on a stream of chunks.
 *
 * Each app is bundled by esbuild as a browser app would be: one minified, tree-shaken ES module for
 * the browser, with everything it imports inside (rxjs, openai). rxllm is bundled as users get it:
 * its ES module build, made by tsc from src/ with the project's build config into a temporary
 * `node_modules/rxllm`, so its package.json "exports" and `sideEffects` flag take part as they do
 * in a user's build; bundling src/ directly would measure esbuild's TypeScript output instead. The
 * size is node:zlib's gzip at its default level, as a web server sends it. For rxllm's bundles the
 * metafile tells what is inside: bytes per package and per rxllm folder, and whether zod is. rxllm's
 * two apps are also bundled with rxjs's ES2015 build, which some bundlers pick (see `RXJS_ES2015`);
 * the targets are checked on the default resolution.
 *
 * Offline: every package comes from the repository's node_modules. Run alone with
 * `npx ts-node bench/bundleSize.bench.ts`.
 */
import { build, type Metafile } from 'esbuild';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildPackage, linkModules, readManifest, removeFolder, repoRoot, temporaryFolder } from '../spec/packaging/builtPackage.js';
import { formatRatio, printTable, verdict } from './benchInternals.js';

/** Targets for rxllm, gzipped bytes. */
const CHAIN_TARGET_BYTES = 60_000;
const OPERATORS_TARGET_BYTES = 12_000;
/** How many parts of an rxllm bundle its composition table lists. */
const COMPOSITION_ROWS = 12;

/** One app to bundle: its source, and where its imports resolve from. */
interface App {
  name: string;
  source: string;
  /** `rxllm` resolves from the built package; peers from the repository. */
  from: 'rxllm' | 'repository';
}

const RXLLM_CHAIN: App = {
  name: 'rxllm: ChatPromptTemplate | ChatOpenAI | StringOutputParser',
  from: 'rxllm',
  source: `
    import { ChatPromptTemplate, StringOutputParser } from 'rxllm';
    import { ChatOpenAI } from 'rxllm/openai';
    const chain = ChatPromptTemplate.fromMessages([['system', 'You answer in one sentence.'], ['human', '{question}']])
      .pipe(new ChatOpenAI({ model: 'gpt-4o-mini', apiKey: 'sk-demo' }))
      .pipe(new StringOutputParser());
    chain.stream({ question: 'What is RxJS?' }).subscribe((text) => console.log(text));
  `,
};

const AI_SDK_CHAIN: App = {
  name: 'AI SDK: streamText over @ai-sdk/openai',
  from: 'repository',
  source: `
    import { streamText } from 'ai';
    import { createOpenAI } from '@ai-sdk/openai';
    const openai = createOpenAI({ apiKey: 'sk-demo' });
    const result = streamText({ model: openai.chat('gpt-4o-mini'), system: 'You answer in one sentence.', prompt: 'What is RxJS?' });
    for await (const text of result.textStream) console.log(text);
  `,
};

const LANGCHAIN_CHAIN: App = {
  name: 'LangChain.js: ChatPromptTemplate | ChatOpenAI | StringOutputParser',
  from: 'repository',
  source: `
    import { ChatPromptTemplate } from '@langchain/core/prompts';
    import { StringOutputParser } from '@langchain/core/output_parsers';
    import { ChatOpenAI } from '@langchain/openai';
    const chain = ChatPromptTemplate.fromMessages([['system', 'You answer in one sentence.'], ['human', '{question}']])
      .pipe(new ChatOpenAI({ model: 'gpt-4o-mini', apiKey: 'sk-demo' }))
      .pipe(new StringOutputParser());
    for await (const text of await chain.stream({ question: 'What is RxJS?' })) console.log(text);
  `,
};

const RXLLM_OPERATORS: App = {
  name: 'rxllm: accumulate, textDeltas, smoothText, streamTimeout, retryStream',
  from: 'rxllm',
  source: `
    import { interval, map, take } from 'rxjs';
    import { AIMessageChunk, accumulate, retryStream, smoothText, streamTimeout, textDeltas } from 'rxllm';
    const chunks$ = interval(50).pipe(
      take(20),
      map((i) => new AIMessageChunk({ content: 'word' + i + ' ' })),
      streamTimeout({ firstChunkMs: 10000, idleMs: 5000 }),
      retryStream({ maxRetries: 2 }),
    );
    chunks$.pipe(textDeltas(), smoothText()).subscribe((text) => console.log(text));
    chunks$.pipe(accumulate()).subscribe((message) => console.log(message.content));
  `,
};

/** What one bundle weighs and holds. */
interface BundleSize {
  name: string;
  minifiedBytes: number;
  gzippedBytes: number;
  hasZod: boolean;
  /** Minified bytes of each part: a package (`rxjs`, `openai`) or an rxllm folder (`rxllm/runnables`). */
  parts: Map<string, number>;
  warnings: number;
}

/**
 * rxjs's package resolves to its ES5 build (with tslib) by default; bundlers that ask for the
 * `es2015` condition (Angular CLI does) get its ES2015 build, smaller and without tslib.
 */
const RXJS_ES2015 = ['es2015'];

async function bundle(app: App, appDir: string, conditions?: string[]): Promise<BundleSize> {
  const result = await build({
    stdin: { contents: app.source, resolveDir: app.from === 'rxllm' ? appDir : repoRoot, sourcefile: 'app.js', loader: 'js' },
    bundle: true,
    minify: true,
    treeShaking: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
    ...(conditions && { conditions }),
  });
  const code = result.outputFiles[0].contents;
  const parts = partsOf(result.metafile);
  return {
    name: conditions ? `${app.name} (rxjs ES2015 build)` : app.name,
    minifiedBytes: code.length,
    gzippedBytes: gzipSync(code).length,
    hasZod: parts.has('zod'),
    parts,
    warnings: result.warnings.length,
  };
}

/** Minified bytes per package, with rxllm's split by folder of its build. */
function partsOf(metafile: Metafile): Map<string, number> {
  const parts = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, input] of Object.entries(output.inputs)) {
      const part = partOf(path);
      parts.set(part, (parts.get(part) ?? 0) + input.bytesInOutput);
    }
  }
  return parts;
}

function partOf(path: string): string {
  const inPackage = /(?:^|[\\/])node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)[\\/](.*)$/.exec(path);
  if (!inPackage) return 'the app itself';
  const [, name, rest] = inPackage;
  if (name !== 'rxllm') return name.replace('\\', '/');
  const folder = /^dist[\\/]esm[\\/]([^\\/]+)[\\/]/.exec(rest);
  return folder ? `rxllm/${folder[1]}` : 'rxllm';
}

function bytes(value: number): string {
  return value.toLocaleString('en-US');
}

function printSizes(title: string, sizes: readonly BundleSize[]): void {
  const ours = sizes[0].gzippedBytes;
  printTable(title, [
    { header: 'app' }, { header: 'minified', align: 'right' }, { header: 'gzipped', align: 'right' }, { header: '× rxllm', align: 'right' }, { header: 'zod inside' },
  ], sizes.map((size) => [size.name, bytes(size.minifiedBytes), bytes(size.gzippedBytes), formatRatio(size.gzippedBytes, ours), size.hasZod ? 'yes' : 'no']));
}

function printComposition(size: BundleSize): void {
  const total = [...size.parts.values()].reduce((sum, value) => sum + value, 0);
  const rows = [...size.parts].filter(([, partBytes]) => partBytes > 0).sort((a, b) => b[1] - a[1]).slice(0, COMPOSITION_ROWS);
  printTable(`What is inside "${size.name}" (minified bytes before gzip, largest first)`, [
    { header: 'part' }, { header: 'bytes', align: 'right' }, { header: 'share', align: 'right' },
  ], rows.map(([part, partBytes]) => [part, bytes(partBytes), `${((partBytes / total) * 100).toFixed(1)}%`]));
}

/** Builds rxllm as published, bundles each app and prints sizes, ratios, composition and targets. */
export async function runBundleSizeBench(): Promise<void> {
  const manifest = readManifest();
  const appDir = temporaryFolder('rxllm-bundle-');
  try {
    await buildPackage(join(appDir, 'node_modules', manifest.name), ['esm']);
    linkModules(join(appDir, 'node_modules'), [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]);
    const [chain, aiSdk, langChain, operators, chainEs2015, operatorsEs2015] = await Promise.all([
      bundle(RXLLM_CHAIN, appDir), bundle(AI_SDK_CHAIN, appDir), bundle(LANGCHAIN_CHAIN, appDir), bundle(RXLLM_OPERATORS, appDir),
      bundle(RXLLM_CHAIN, appDir, RXJS_ES2015), bundle(RXLLM_OPERATORS, appDir, RXJS_ES2015),
    ]);
    printSizes('(a) prompt → ChatOpenAI → StringOutputParser, .stream(): browser bundle, bytes (lower is better); × = times rxllm gzipped', [chain, aiSdk, langChain, chainEs2015]);
    printSizes('(b) five operators on a stream: browser bundle, bytes', [operators, operatorsEs2015]);
    printComposition(chain);
    printComposition(operators);
    const warnings = [chain, aiSdk, langChain, operators].filter((size) => size.warnings > 0);
    if (warnings.length) console.log(`\nesbuild warnings: ${warnings.map((size) => `${size.name} (${size.warnings})`).join(', ')}`);
    printTable('Targets', [{ header: 'target' }, { header: 'measured', align: 'right' }, { header: 'verdict' }], [
      [`(a) chain ≤ ${bytes(CHAIN_TARGET_BYTES)} bytes gzipped`, bytes(chain.gzippedBytes), verdict(chain.gzippedBytes <= CHAIN_TARGET_BYTES)],
      ['(a) chain bundle holds no zod', chain.hasZod ? 'zod inside' : 'no zod', verdict(!chain.hasZod)],
      [`(b) operators ≤ ${bytes(OPERATORS_TARGET_BYTES)} bytes gzipped`, bytes(operators.gzippedBytes), verdict(operators.gzippedBytes <= OPERATORS_TARGET_BYTES)],
    ]);
  } finally {
    removeFolder(appDir);
  }
}

if (require.main === module) {
  runBundleSizeBench().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
