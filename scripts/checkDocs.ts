/**
 * Type-checks every ```ts block of README.md and docs/ as a complete program against the built
 * package, as a user would paste it: each block is its own ES module importing `rxllm`,
 * `rxllm/openai`, … through the package's "exports" (the package refers to itself by name from a
 * folder inside it), so the published declarations in dist/ are what is checked. A block fenced
 * ```ts fragment is left out, and fragments may be at most a tenth of the blocks.
 *
 * Run after `npm run build`: `npm run check:docs`. Prints one line per failing block and a
 * closing `docs: N passed, M failed` line; exits 1 when anything failed.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';

const root = resolve(__dirname, '..');
const workDir = join(root, '.docs-check');
const FRAGMENT_SHARE = 0.1;

/** One fenced block of a Markdown file. */
export interface DocBlock {
  file: string;
  /** The line of the opening fence, 1-based. */
  line: number;
  code: string;
  fragment: boolean;
}

/** The ```ts blocks of one Markdown text. */
export function tsBlocks(file: string, markdown: string): DocBlock[] {
  const blocks: DocBlock[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(ts|typescript)(\s+fragment)?\s*$/.exec(lines[i]);
    if (!open) continue;
    const indent = open[1].length;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !/^\s*```\s*$/.test(lines[j])) body.push(lines[j++].slice(indent));
    blocks.push({ file, line: i + 1, code: body.join('\n'), fragment: !!open[3] });
    i = j;
  }
  return blocks;
}

function markdownFiles(): string[] {
  const docs = join(root, 'docs');
  return [join(root, 'README.md'), ...readdirSync(docs).filter((name) => name.endsWith('.md')).sort().map((name) => join(docs, name))];
}

/** Checks the blocks; returns the failures as printable lines. */
export function checkBlocks(blocks: readonly DocBlock[]): string[] {
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  const programs = blocks.filter((block) => !block.fragment);
  const fileOf = new Map<string, DocBlock>();
  programs.forEach((block, index) => {
    const name = join(workDir, `block${index}.mts`);
    // `export {}` keeps each block a module of its own even when it imports nothing.
    writeFileSync(name, `${block.code}\nexport {};\n`);
    fileOf.set(name, block);
  });
  const program = ts.createProgram([...fileOf.keys()], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: ['node'],
    typeRoots: [join(root, 'node_modules/@types')],
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    esModuleInterop: true,
  });
  const failures = new Map<DocBlock, string[]>();
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const block = diagnostic.file && fileOf.get(resolve(diagnostic.file.fileName));
    if (!block) {
      failures.set(programs[0], [...(failures.get(programs[0]) ?? []), ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')]);
      continue;
    }
    const { line } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
    const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
    failures.set(block, [...(failures.get(block) ?? []), `line ${block.line + 1 + line}: ${text}`]);
  }
  rmSync(workDir, { recursive: true, force: true });
  return [...failures].map(([block, messages]) => `${relative(root, block.file)}:${block.line}: ${messages.join(' | ')}`);
}

function main(): void {
  if (!existsSync(join(root, 'dist/esm/index.d.ts'))) {
    console.error('docs: no dist/ to check against; run `npm run build` first');
    process.exit(1);
  }
  const blocks = markdownFiles().flatMap((file) => tsBlocks(file, readFileSync(file, 'utf8')));
  const fragments = blocks.filter((block) => block.fragment).length;
  const failures = checkBlocks(blocks);
  for (const failure of failures) console.log(failure);
  const tooManyFragments = fragments > FRAGMENT_SHARE * blocks.length;
  if (tooManyFragments) console.log(`docs: ${fragments} of ${blocks.length} blocks are fragments, more than a tenth`);
  const programs = blocks.length - fragments;
  console.log(`docs: ${programs - failures.length} passed, ${failures.length + (tooManyFragments ? 1 : 0)} failed (${fragments} fragments)`);
  process.exit(failures.length || tooManyFragments ? 1 : 0);
}

if (require.main === module) main();
