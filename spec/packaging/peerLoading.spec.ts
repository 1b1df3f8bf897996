/**
 * Importing an entry point never loads a peer it does not use (API.md §0), checked on the built
 * package in child `node` processes, from CommonJS `require` and ES module `import`, each resolved
 * through package.json "exports" as a user's would be:
 *
 * - `without-peers/`: rxllm, its dependencies and every peer but zod and openai, which cannot be
 *   resolved at all, so an entry that loaded either would fail to load;
 * - `with-peers/`: every peer installed, to show tools, structured output and `ChatOpenAI` working
 *   with the user's own zod and openai.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildPackage, copyPackage, linkModules, readManifest, removeFolder, temporaryFolder } from './builtPackage.js';

const execute = promisify(execFile);

const manifest = readManifest();
const dependencies = Object.keys(manifest.dependencies ?? {});
const peers = Object.keys(manifest.peerDependencies ?? {});
const UNUSED_PEERS = ['zod', 'openai'];
/** Every entry point but the one that needs openai, as a user imports them. */
const entries = Object.keys(manifest.exports)
  .filter((subpath) => subpath !== './package.json' && subpath !== './openai')
  .map((subpath) => (subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`));

let root: string;
let withoutPeers: string;
let withPeers: string;

beforeAll(async () => {
  root = temporaryFolder('rxllm-peers-');
  withoutPeers = join(root, 'without-peers');
  withPeers = join(root, 'with-peers');
  await buildPackage(join(withoutPeers, 'node_modules', manifest.name));
  copyPackage(join(withoutPeers, 'node_modules', manifest.name), join(withPeers, 'node_modules', manifest.name));
  linkModules(join(withoutPeers, 'node_modules'), [...dependencies, ...peers.filter((peer) => !UNUSED_PEERS.includes(peer))]);
  linkModules(join(withPeers, 'node_modules'), [...dependencies, ...peers]);
}, 90_000);

afterAll(() => removeFolder(root));

/** What a child process printed as JSON on its last line, or how it failed. */
async function inChild(cwd: string, format: 'cjs' | 'esm', code: string): Promise<Record<string, unknown>> {
  const args = format === 'esm' ? ['--input-type=module', '-e', code] : ['-e', code];
  // No NODE_PATH or NODE_OPTIONS from the test runner: only the folder's node_modules resolve.
  const { NODE_PATH: _path, NODE_OPTIONS: _options, ...env } = process.env;
  try {
    const { stdout } = await execute(process.execPath, args, { cwd, env, timeout: 15_000 });
    return JSON.parse(stdout.trim().split('\n').pop() ?? '') as Record<string, unknown>;
  } catch (error) {
    throw new Error(`node (${format}) failed in ${cwd}: ${(error as { stderr?: string }).stderr ?? String(error)}`);
  }
}

/** Child code: the error a load threw, as JSON-friendly fields. */
const DESCRIBE_ERROR = 'const describe = (e) => ({ name: e.name, code: e.code, message: e.message });';

describe('entry points without zod and openai installed', () => {
  it('load from require, and a prompt | model | parser chain runs', async () => {
    const result = await inChild(withoutPeers, 'cjs', `
      for (const entry of ${JSON.stringify(entries)}) require(entry);
      const { ChatPromptTemplate, StringOutputParser } = require('rxllm');
      const { ScriptedChatModel } = require('rxllm/testing');
      const chain = ChatPromptTemplate.fromMessages([['human', '{question}']])
        .pipe(new ScriptedChatModel({ responses: [['Observables', ' all the way']] }))
        .pipe(new StringOutputParser());
      chain.invoke({ question: 'What is rxllm?' }).then((answer) => {
        const peersLoaded = Object.keys(require.cache).filter((path) => /[\\\\/]node_modules[\\\\/](zod|openai)[\\\\/]/.test(path));
        console.log(JSON.stringify({ answer, peersLoaded }));
      });
    `);
    expect(result).toEqual({ answer: 'Observables all the way', peersLoaded: [] });
  });

  it('load from import, and the chain runs', async () => {
    const result = await inChild(withoutPeers, 'esm', `
      for (const entry of ${JSON.stringify(entries)}) await import(entry);
      const { ChatPromptTemplate, StringOutputParser } = await import('rxllm');
      const { ScriptedChatModel } = await import('rxllm/testing');
      const chain = ChatPromptTemplate.fromMessages([['human', '{question}']])
        .pipe(new ScriptedChatModel({ responses: [['Observables', ' all the way']] }))
        .pipe(new StringOutputParser());
      console.log(JSON.stringify({ answer: await chain.invoke({ question: 'What is rxllm?' }) }));
    `);
    expect(result).toEqual({ answer: 'Observables all the way' });
  });

  it('the zod and openai the spec hides cannot be resolved there', async () => {
    // Without this, the two cases above would prove nothing.
    const result = await inChild(withoutPeers, 'cjs', `
      const resolves = (name) => { try { require.resolve(name); return true; } catch { return false; } };
      console.log(JSON.stringify({ zod: resolves('zod'), openai: resolves('openai'), rxjs: resolves('rxjs') }));
    `);
    expect(result).toEqual({ zod: false, openai: false, rxjs: true });
  });

  it('rxllm/openai from require fails with an RxllmError that says npm install openai', async () => {
    const result = await inChild(withoutPeers, 'cjs', `${DESCRIBE_ERROR}
      const { RxllmError } = require('rxllm');
      try { require('rxllm/openai'); console.log(JSON.stringify({ loaded: true })); }
      catch (e) { console.log(JSON.stringify({ ...describe(e), rxllmError: e instanceof RxllmError })); }
    `);
    expect(result).toMatchObject({ name: 'RxllmError', rxllmError: true });
    expect(result.message).toContain('npm install openai');
  });

  it('rxllm/openai from import fails in Node\'s linker, before any of its code runs, naming openai', async () => {
    // An ES module graph is linked whole before it runs, so no check of ours can come first.
    const result = await inChild(withoutPeers, 'esm', `${DESCRIBE_ERROR}
      try { await import('rxllm/openai'); console.log(JSON.stringify({ loaded: true })); }
      catch (e) { console.log(JSON.stringify(describe(e))); }
    `);
    expect(result).toMatchObject({ code: 'ERR_MODULE_NOT_FOUND' });
    expect(result.message).toMatch(/Cannot find package 'openai' imported from .*[\\/]rxllm[\\/]dist[\\/]esm[\\/]openai[\\/]ChatOpenAI\.js/);
  });
});

describe('entry points with every peer installed', () => {
  const TOOL_AND_STRUCTURED = `
    const weather = tool(({ city }) => city + ': 21°C', {
      name: 'get_weather', description: 'Current weather for a city', schema: z.object({ city: z.string() }),
    });
    const parameters = weather.toDefinition().parameters;
    const answer = await weather.invoke({ city: 'Paris' });
    const invalid = await weather.invoke({ town: 'Paris' }).then(() => 'accepted', (e) => e.name);
    const model = new ScriptedChatModel({ responses: [['{"title": "Pancakes", ', '"minutes": 20}']] });
    const recipe = await model.withStructuredOutput(z.object({ title: z.string(), minutes: z.number() })).invoke('Pancakes');
  `;

  it('rxllm does not load zod from require until the user does; tools and structured output work with the user\'s zod', async () => {
    const result = await inChild(withPeers, 'cjs', `(async () => {
      const zodLoaded = () => Object.keys(require.cache).some((path) => /[\\\\/]node_modules[\\\\/]zod[\\\\/]/.test(path));
      const { tool } = require('rxllm');
      const { ScriptedChatModel } = require('rxllm/testing');
      const beforeUserZod = zodLoaded();
      const { z } = require('zod');
      ${TOOL_AND_STRUCTURED}
      console.log(JSON.stringify({ beforeUserZod, parameters, answer, invalid, recipe }));
    })();`);
    expect(result).toEqual({
      beforeUserZod: false,
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
      answer: 'Paris: 21°C',
      invalid: 'ToolInputError',
      recipe: { title: 'Pancakes', minutes: 20 },
    });
  });

  it('tools and structured output work from import with the user\'s zod', async () => {
    const result = await inChild(withPeers, 'esm', `
      const { tool } = await import('rxllm');
      const { ScriptedChatModel } = await import('rxllm/testing');
      const { z } = await import('zod');
      ${TOOL_AND_STRUCTURED}
      console.log(JSON.stringify({ parameters, answer, invalid, recipe }));
    `);
    expect(result).toEqual({
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
      answer: 'Paris: 21°C',
      invalid: 'ToolInputError',
      recipe: { title: 'Pancakes', minutes: 20 },
    });
  });

  it('rxllm/openai loads from require and import and builds its client from the user\'s openai', async () => {
    const cjs = await inChild(withPeers, 'cjs', `
      const { ChatOpenAI } = require('rxllm/openai');
      const OpenAI = require('openai');
      const model = new ChatOpenAI({ model: 'gpt-4o-mini', apiKey: 'sk-test' });
      console.log(JSON.stringify({ sameClient: model.client instanceof OpenAI.OpenAI }));
    `);
    const esm = await inChild(withPeers, 'esm', `
      const { ChatOpenAI } = await import('rxllm/openai');
      const { default: OpenAI } = await import('openai');
      const model = new ChatOpenAI({ model: 'gpt-4o-mini', apiKey: 'sk-test' });
      console.log(JSON.stringify({ sameClient: model.client instanceof OpenAI }));
    `);
    expect({ cjs, esm }).toEqual({ cjs: { sameClient: true }, esm: { sameClient: true } });
  });
});
