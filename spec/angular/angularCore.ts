/**
 * `@angular/core` as CommonJS for Jest. Angular ships ES modules only, and Jest on Node 20 cannot
 * `require` them, so a spec maps the package to this bundle (esbuild, rxjs left external so the
 * spec and Angular share one rxjs):
 *
 * ```ts
 * jest.mock('@angular/core', () => jest.requireActual('./angularCore').loadAngularCore());
 * ```
 */
import { buildSync } from 'esbuild';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

let bundlePath: string | undefined;

export function loadAngularCore(): unknown {
  if (!bundlePath) {
    const result = buildSync({
      entryPoints: [require.resolve('@angular/core')],
      bundle: true, format: 'cjs', platform: 'node', target: 'es2022', write: false, logLevel: 'silent',
      external: ['rxjs', 'rxjs/*'],
    });
    // Inside the repository's node_modules, so the bundle's `require('rxjs')` resolves.
    const dir = resolve(__dirname, '../../node_modules/.cache/rxllm-angular-core');
    mkdirSync(dir, { recursive: true });
    // One file per Angular version, written whole by a rename: Jest's workers may build it at once.
    const version = (require('@angular/core/package.json') as { version: string }).version;
    const target = join(dir, `core-${version}.js`);
    const partial = `${target}.${process.pid}.tmp`;
    writeFileSync(partial, result.outputFiles[0].text);
    renameSync(partial, target);
    bundlePath = target;
  }
  return require(bundlePath);
}
