/**
 * The README's Quick start runs as a script, offline: its block is compiled to an ES module and
 * run by `node` against the built package (resolved through its "exports", as a user's script
 * resolves it) with no OPENAI_API_KEY, so it starts `localOpenAIServer()` and must print the
 * server's answers and exit 0.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { tsBlocks } from '../../scripts/checkDocs';
import { streamingWithRxjs, whatIsAI, type Transcript } from '../../src/testing/node/transcripts/index';
import { buildPackage, linkModules, readManifest, removeFolder, temporaryFolder } from '../packaging/builtPackage';

const execute = promisify(execFile);

/** The first ```ts block after the README's `## Quick start` heading. */
function quickStartBlock(): string {
  const readme = readFileSync(resolve(__dirname, '../../README.md'), 'utf8');
  const heading = readme.split('\n').indexOf('## Quick start') + 1;
  const block = tsBlocks('README.md', readme).find((candidate) => candidate.line > heading);
  if (heading === 0 || !block) throw new Error('README.md has no ```ts block under "## Quick start"');
  return block.code;
}

/** The text a transcript streams. */
function textOf(transcript: Transcript): string {
  return transcript.chunks.map((chunk) => chunk.delta.content ?? '').join('');
}

const manifest = readManifest();
let root: string;

beforeAll(async () => {
  root = temporaryFolder('rxllm-quick-start-');
  // The script imports, so Node takes the "import" condition: the ES module build is enough.
  await buildPackage(join(root, 'node_modules', manifest.name), ['esm']);
  linkModules(join(root, 'node_modules'), [...Object.keys(manifest.dependencies ?? {}), 'rxjs', 'openai']);
}, 60_000);

afterAll(() => removeFolder(root));

it('runs top to bottom without a key and prints the offline answers', async () => {
  const { outputText } = ts.transpileModule(quickStartBlock(), {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  writeFileSync(join(root, 'quickstart.mjs'), outputText);
  // No key and no base URL: the script must take its offline path. No NODE_OPTIONS from jest.
  const { OPENAI_API_KEY: _key, OPENAI_BASE_URL: _url, NODE_OPTIONS: _options, NODE_PATH: _path, ...env } = process.env;

  // Rejects unless the script exits 0 (and kills it after 30 s).
  const { stdout } = await execute(process.execPath, ['quickstart.mjs'], { cwd: root, env, timeout: 30_000 });

  const whatIsAIText = textOf(whatIsAI);
  const rxjsText = textOf(streamingWithRxjs);
  const count = (text: string) => stdout.split(text).length - 1;
  // Each answer whole and uninterrupted: one stream at a time.
  expect(count(whatIsAIText)).toBe(2);                  // push, then invoke
  expect(count(rxjsText)).toBe(2);                      // the chain's stream, then its events
  // Between them, pull: the loop broke off after a few chunks, so that answer is only a beginning.
  const pulled = stdout.split(whatIsAIText)[1];
  expect(pulled).toMatch(/^\s*Artificial intelligence \(AI\) [^\n]+…\s*$/);
}, 40_000);
