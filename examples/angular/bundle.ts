import { build } from 'esbuild';
import { basename, join } from 'node:path';

/** The page's scripts by name (`main.js`, zoneless, and `mainZone.js`, with zone.js) and their source maps (`main.js.map`, …). */
export type AppBundle = ReadonlyMap<string, string>;

/**
 * The page's scripts: `app/main.ts` (and `app/mainZone.ts`) and everything they import (Angular, rxllm's sources,
 * markdown-it) bundled by esbuild for the browser, in memory, when the server starts. Angular runs
 * in JIT mode (`@angular/compiler` is in the bundle), so no Angular CLI or ahead-of-time step is
 * needed. `app/tsconfig.json` gives the decorator setting (TypeScript's legacy decorators, which
 * Angular's JIT reads) and maps `rxllm` and `rxllm/*` to the sources.
 */
export async function bundleApp(): Promise<AppBundle> {
  const result = await build({
    entryPoints: [join(__dirname, 'app', 'main.ts'), join(__dirname, 'app', 'mainZone.ts')],
    outdir: 'out',
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'silent',
    define: { ngDevMode: 'false', 'process.env.NODE_ENV': '"development"' },
    tsconfig: join(__dirname, 'app', 'tsconfig.json'),
  });
  return new Map(result.outputFiles.map((file) => [basename(file.path), file.text]));
}
