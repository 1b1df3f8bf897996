import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The recorded SSE bodies live outside the repository, in `../shared/fixtures/sse` next to the
 * clone (CI clones both side by side). Without them the fixture suites skip, saying why once.
 */
export const fixturesDir = resolve(__dirname, '../../../shared/fixtures/sse');

/** True when the recorded streams are present. */
export const fixturesAvailable = existsSync(join(fixturesDir, 'README.md'));

if (!fixturesAvailable) {
  console.warn('Recorded-stream specs skipped: no ../shared/fixtures/sse beside the clone (real provider recordings kept outside the repository).');
}

/** `describe` when the recorded streams are present, `describe.skip` otherwise. */
export const describeFixtures: jest.Describe = fixturesAvailable ? describe : describe.skip;

/** The absolute path of a recording, e.g. `fixturePath('openai/chat-tool-call.sse')`. */
export function fixturePath(name: string): string {
  return join(fixturesDir, name);
}
