import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

// The floors of src/, from the ground up, as docs/architecture.md's table draws them: one source
// for the doc and the check. A module may import at run time from its own folder or from a folder
// on a lower floor; type-only imports may point anywhere.
const architecture = readFileSync(resolve(__dirname, '../../docs/architecture.md'), 'utf8');
const floors: readonly (readonly string[])[] = architecture.split('\n')
  .map((line) => /^\| (\d+) \| ([^|]+) \|/.exec(line))
  .filter((row): row is RegExpExecArray => row !== null)
  .sort((a, b) => Number(a[1]) - Number(b[1]))
  .map((row) => [...row[2].matchAll(/`([^`]+)`/g)].map((name) => name[1]));

// `Runnable` builds its composites and they extend it: these modules refer to one another, and
// only their one entry, runnables/Runnable.ts, may load them.
const runnableFamilyEntry = 'runnables/Runnable.ts';

const srcDir = resolve(__dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [relative(srcDir, path)] : [];
  });
}

/** The modules of src/ that `file` imports at run time (type-only imports and exports left out). */
export function runtimeImports(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, false);
  const specifiers: string[] = [];
  const add = (specifier: ts.Expression | undefined) => {
    if (specifier && ts.isStringLiteral(specifier)) specifiers.push(specifier.text);
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const typeOnly = clause?.isTypeOnly
        || (clause && !clause.name && clause.namedBindings && ts.isNamedImports(clause.namedBindings)
          && clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((element) => element.isTypeOnly));
      if (!typeOnly) add(node.moduleSpecifier);
    } else if (ts.isExportDeclaration(node)) {
      const typeOnly = node.isTypeOnly
        || (node.exportClause && ts.isNamedExports(node.exportClause)
          && node.exportClause.elements.length > 0 && node.exportClause.elements.every((element) => element.isTypeOnly));
      if (!typeOnly) add(node.moduleSpecifier);
    } else if (ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword
      || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) {
      add(node.arguments[0]);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specifiers
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => relative(srcDir, resolve(srcDir, dirname(file), specifier.replace(/\.js$/, '.ts'))));
}

/** The floor of a module: its folder (testing/node counts as its own), or the file for root modules. */
function folderOf(file: string): string {
  if (file.startsWith('testing/node/')) return 'testing/node';
  return file.includes('/') ? file.slice(0, file.indexOf('/')) : file;
}

function floorOf(file: string): number {
  const folder = folderOf(file);
  const floor = floors.findIndex((names) => names.includes(folder));
  if (floor < 0) throw new Error(`src/${file}: its folder '${folder}' has no floor in the layering spec and docs/architecture.md`);
  return floor;
}

/** Cycles among modules, each as the list of its members. */
function cyclesOf(graph: Map<string, string[]>): string[][] {
  // Tarjan's strongly connected components; a component of two or more modules is a cycle.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const connect = (node: string) => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        connect(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) cycles.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) connect(node);
  return cycles;
}

describe('layers of src/', () => {
  const files = sourceFiles(srcDir).sort();
  const graph = new Map(files.map((file) => [file, runtimeImports(file, readFileSync(join(srcDir, file), 'utf8'))]));
  const family = new Set([runnableFamilyEntry, ...graph.get(runnableFamilyEntry)!]);

  it('reads the floors from docs/architecture.md', () => {
    expect(floors.length).toBeGreaterThan(10);
    expect(floors[0]).toEqual(['errors']);
    expect(floors.flat()).toContain('runnables');
  });

  it('names only folders and entry files that exist in src/', () => {
    const present = new Set(files.map(folderOf));
    expect(floors.flat().filter((name) => !present.has(name))).toEqual([]);
  });

  it('gives every folder a floor', () => {
    for (const file of files) expect(() => floorOf(file)).not.toThrow();
  });

  it('imports at run time only from the same floor or below', () => {
    const upward = [...graph].flatMap(([file, imports]) => imports
      .filter((target) => folderOf(target) !== folderOf(file) && floorOf(target) >= floorOf(file))
      .map((target) => `${file} -> ${target}`));
    expect(upward).toEqual([]);
  });

  it('keeps the folders a DAG', () => {
    const folders = new Map<string, string[]>();
    for (const [file, imports] of graph) {
      const targets = folders.get(folderOf(file)) ?? [];
      targets.push(...imports.map(folderOf).filter((folder) => folder !== folderOf(file)));
      folders.set(folderOf(file), targets);
    }
    expect(cyclesOf(folders)).toEqual([]);
  });

  it('has no cycle among modules but the Runnable family, loaded through its entry only', () => {
    const cycles = cyclesOf(graph).filter((cycle) => !cycle.every((member) => family.has(member)));
    expect(cycles).toEqual([]);
    const bypassing = [...graph].flatMap(([file, imports]) => file === runnableFamilyEntry ? [] : imports
      .filter((target) => family.has(target) && target !== runnableFamilyEntry)
      .map((target) => `${file} -> ${target}`));
    expect(bypassing).toEqual([]);
  });

  it('resolves every relative import to a module of src/', () => {
    const missing = [...graph].flatMap(([file, imports]) => imports
      .filter((target) => !graph.has(target) && !graph.has(target.replace(/\.ts$/, '/index.ts')))
      .map((target) => `${file} -> ${target}`));
    expect(missing).toEqual([]);
  });

  it('keeps platform-specific imports in the adapters', () => {
    const platform = /^(node:|fs$|http$|net$|ioredis$|@angular\/)/;
    const neutral = files.filter((file) => !['testing/node', 'node', 'redis', 'angular'].includes(folderOf(file)));
    const offending = neutral.flatMap((file) => {
      const source = ts.createSourceFile(file, readFileSync(join(srcDir, file), 'utf8'), ts.ScriptTarget.ES2022, false);
      return source.statements
        .filter((statement): statement is ts.ImportDeclaration => ts.isImportDeclaration(statement) && !statement.importClause?.isTypeOnly)
        .map((statement) => (statement.moduleSpecifier as ts.StringLiteral).text)
        .filter((specifier) => platform.test(specifier))
        .map((specifier) => `${file} imports ${specifier}`);
    });
    expect(offending).toEqual([]);
  });
});

describe('runtimeImports', () => {
  it('leaves out type-only imports and exports, keeps mixed and side-effect ones', () => {
    const text = [
      "import type { A } from './a.js';",
      "import { type B } from './b.js';",
      "import { type C, d } from './c.js';",
      "import './e.js';",
      "export type { F } from './f.js';",
      "export { g } from './g.js';",
      "export * from './h.js';",
      "const i = await import('./i.js');",
      "import { x } from 'rxjs';",
    ].join('\n');
    expect(runtimeImports('messages/x.ts', text)).toEqual(['messages/c.ts', 'messages/e.ts', 'messages/g.ts', 'messages/h.ts', 'messages/i.ts']);
  });
});
