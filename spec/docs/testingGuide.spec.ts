/**
 * The testing guide's examples, run as written: every ```ts block of docs/testing.md that imports
 * from '@jest/globals' is compiled here and its tests are registered as tests of this file, with
 * `rxllm` and `rxllm/testing` resolved to the sources. So each diagram the guide shows is checked,
 * and the guide's file of two tests runs with a scheduler per test, as it advises. One more test
 * checks the reason it gives: a scheduler shared by two tests shifts the second test's frames.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import ts from 'typescript';
import { tsBlocks } from '../../scripts/checkDocs';
import { ChatPromptTemplate, StringOutputParser } from '../../src/index';
import { ScriptedChatModel, createTestScheduler } from '../../src/testing/index';

const guideFile = resolve(__dirname, '../../docs/testing.md');
const testBlocks = tsBlocks(guideFile, readFileSync(guideFile, 'utf8'))
  .filter((block) => !block.fragment && block.code.includes("from '@jest/globals'"));

/** What the guide's imports resolve to: the package's entry points as sources. */
const MODULES: Record<string, () => unknown> = {
  '@jest/globals': () => require('@jest/globals'),
  rxjs: () => require('rxjs'),
  rxllm: () => require('../../src/index'),
  'rxllm/testing': () => require('../../src/testing/index'),
};

/** Compiles a block to CommonJS and runs it, so its `describe`s and `it`s register here. */
function runBlock(code: string): void {
  const { outputText } = ts.transpileModule(code, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  const load = (name: string): unknown => {
    const module = MODULES[name];
    if (!module) throw new Error(`docs/testing.md imports ${name}, which this spec does not provide`);
    return module();
  };
  new Function('require', 'exports', outputText)(load, {});
}

it('finds the guide’s test examples', () => {
  expect(testBlocks.length).toBeGreaterThanOrEqual(5);
});

for (const block of testBlocks) {
  describe(`docs/testing.md:${block.line}`, () => runBlock(block.code));
}

describe('one scheduler per test', () => {
  const prompt = ChatPromptTemplate.fromMessages([['human', '{input}']]);
  const chainOver = (marbles: string, values: Record<string, string>) =>
    prompt.pipe(ScriptedChatModel.fromMarbles(marbles, values)).pipe(new StringOutputParser());

  it('a scheduler shared by the guide’s two tests shifts the second one by the first one’s five frames', () => {
    const shared = createTestScheduler();
    shared.run(({ expectObservable }) => {
      expectObservable(chainOver('-a-b-(c|)', { a: 'Hel', b: 'lo', c: '!' }).stream({ input: 'Hi' }))
        .toBe('-a-b-(c|)', { a: 'Hel', b: 'lo', c: '!' });
    });
    const frames: number[] = [];
    shared.run(() => {
      chainOver('-a--b---c|', { a: 'Hel', b: 'lo', c: '!' }).stream({ input: 'Hi' }).subscribe(() => frames.push(shared.now()));
    });
    expect(frames).toEqual([6, 9, 13]);
    expect(() => shared.run(({ expectObservable }) => {
      expectObservable(chainOver('-a--b---c|', { a: 'Hel', b: 'lo', c: '!' }).stream({ input: 'Hi' }), '---!').toBe('-a--', { a: 'Hel' });
    })).toThrow();
  });

  it('a fresh scheduler reads the second test’s diagram from frame 0', () => {
    createTestScheduler().run(({ expectObservable }) => {
      expectObservable(chainOver('-a--b---c|', { a: 'Hel', b: 'lo', c: '!' }).stream({ input: 'Hi' }), '---!').toBe('-a--', { a: 'Hel' });
    });
  });
});
