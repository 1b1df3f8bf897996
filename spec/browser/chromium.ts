/**
 * Debian's Chromium driven by playwright-core, for the browser specs. Without `/usr/bin/chromium`
 * the specs skip with one line saying how to get it, except in CI (`CI` set), where they fail.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Whether the browser specs run here: Chromium is installed, or CI insists (and then they fail without it). */
export const runBrowserSpecs = existsSync(CHROMIUM_PATH) || Boolean(process.env.CI);

/** The line a skipped suite shows. */
export const SKIP_LINE = `Browser specs skipped: no ${CHROMIUM_PATH} (apt-get install chromium; .ci/run does).`;

if (!runBrowserSpecs) console.warn(SKIP_LINE);

/** `describe` where the browser specs run, `describe.skip` otherwise. */
export const describeBrowser: jest.Describe = runBrowserSpecs ? describe : describe.skip;

/** A headless Chromium with a fresh profile, and how to close both. */
export interface Chromium {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Chromium> {
  const profile = mkdtempSync(join(tmpdir(), 'rxllm-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
