import { build } from 'esbuild';
import { join } from 'node:path';

/**
 * The page's script: `app/main.ts` and everything it imports (Angular, rxllm's sources,
 * markdown-it) bundled by esbuild for the browser, in memory, when the server starts. Angular runs
 * in JIT mode (`@angular/compiler` is in the bundle), so no Angular CLI or ahead-of-time step is
 * needed; the decorators are TypeScript's legacy ones, which Angular's JIT reads.
 */
export async function bundleApp(): Promise<string> {
  const result = await build({
    entryPoints: [join(__dirname, 'app', 'main.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    sourcemap: 'inline',
    legalComments: 'none',
    logLevel: 'silent',
    define: { ngDevMode: 'false', 'process.env.NODE_ENV': '"development"' },
    tsconfigRaw: { compilerOptions: { experimentalDecorators: true, useDefineForClassFields: false } },
  });
  return result.outputFiles[0].text;
}
