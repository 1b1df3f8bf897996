/**
 * rxllm as a user installs it, for the packaging specs and the bundle-size benchmark: tsc's
 * CommonJS and ES module builds of src/ (the project's own build configs) in a `node_modules/rxllm`
 * folder with the repository's package.json, so that imports go through its "exports" map and its
 * `sideEffects` flag as they do for a user. Other packages are linked beside it from the
 * repository's node_modules, so a test decides which peers are installed.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The repository root. */
export const repoRoot = resolve(__dirname, '../..');

/** A module format of the published package, each built by its own tsconfig. */
export type PackageFormat = 'cjs' | 'esm';

const BUILD_CONFIGS: Record<PackageFormat, { config: string; type: 'commonjs' | 'module' }> = {
  cjs: { config: 'tsconfig.build.cjs.json', type: 'commonjs' },
  esm: { config: 'tsconfig.build.esm.json', type: 'module' },
};

/** The repository's package.json: its name, exports, dependencies and peers. */
export interface PackageManifest {
  name: string;
  exports: Record<string, unknown>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

export function readManifest(): PackageManifest {
  return JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as PackageManifest;
}

/** A new empty folder under the system's temporary folder. */
export function temporaryFolder(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * Builds the package into `packageDir` (package.json, `dist/cjs`, `dist/esm`) as `npm run build`
 * does, with tsc but without type checking (`npm run typecheck` does that) or declarations, so it
 * takes seconds. The formats build side by side.
 */
export async function buildPackage(packageDir: string, formats: readonly PackageFormat[] = ['cjs', 'esm']): Promise<void> {
  mkdirSync(packageDir, { recursive: true });
  const tsc = require.resolve('typescript/bin/tsc', { paths: [repoRoot] });
  await Promise.all(formats.map(async (format) => {
    const { config, type } = BUILD_CONFIGS[format];
    const outDir = join(packageDir, 'dist', format);
    await run(process.execPath, [tsc, '-p', join(repoRoot, config), '--outDir', outDir, '--noCheck', '--declaration', 'false', '--sourceMap', 'false'], { cwd: repoRoot });
    // A bundler reads `sideEffects` from the package.json nearest to a module, which is this one.
    writeFileSync(join(outDir, 'package.json'), JSON.stringify({ type, sideEffects: false }));
  }));
  writeFileSync(join(packageDir, 'package.json'), readFileSync(join(repoRoot, 'package.json')));
}

/** A copy of a built package, for a second `node_modules` with other peers beside it. */
export function copyPackage(fromDir: string, toDir: string): void {
  cpSync(fromDir, toDir, { recursive: true });
}

/** Links each named package of the repository's node_modules into `nodeModulesDir`. */
export function linkModules(nodeModulesDir: string, names: readonly string[]): void {
  for (const name of names) {
    const link = join(nodeModulesDir, name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(join(repoRoot, 'node_modules', name), link, 'dir');
  }
}

/** Removes a folder made by `temporaryFolder`. */
export function removeFolder(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
