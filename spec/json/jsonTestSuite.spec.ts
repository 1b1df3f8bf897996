import * as fs from 'node:fs';
import * as path from 'node:path';
import { OutputParserError } from '../../src/errors/index.js';
import { IncrementalJsonParser } from '../../src/json/IncrementalJsonParser.js';
import type { JsonValue } from '../../src/json/jsonTypes.js';
import { seededRandom } from '../support/seededRandom.js';
import { randomChunks, sameJson } from './jsonTestHelpers.js';

// The test_parsing files of nst/JSONTestSuite live beside the repository, in ../shared (see its README).
const suiteDir = path.resolve(__dirname, '../../../shared/fixtures/json-test-suite');
const suiteExists = fs.existsSync(suiteDir);
if (!suiteExists) {
  console.warn('JSONTestSuite specs skipped: no ../shared/fixtures/json-test-suite beside the clone (nst/JSONTestSuite test_parsing files).');
}
const describeIfSuite = suiteExists ? describe : describe.skip;
const files = suiteExists ? fs.readdirSync(suiteDir).filter((name) => /^[yni]_.*\.json$/.test(name)).sort() : [];

/**
 * The files are bytes. A program hands JSON.parse a JS string, typically decoded as UTF-8 with
 * replacement characters for invalid sequences (what Buffer#toString and TextDecoder do); the
 * byte order mark is kept, as `fs.readFileSync(file, 'utf8')` keeps it, so JSON.parse sees it.
 */
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

type Outcome = { accepted: true; value: JsonValue } | { accepted: false; error: unknown };

/** Feeds the chunks, reading the value after each change as the partialJson operator does. */
function parse(chunks: readonly string[]): Outcome {
  const parser = new IncrementalJsonParser();
  try {
    for (const chunk of chunks) {
      if (parser.write(chunk)) void parser.value;
    }
    parser.end();
    return { accepted: true, value: parser.value as JsonValue };
  } catch (error) {
    return { accepted: false, error };
  }
}

function jsonParse(text: string): Outcome {
  try {
    return { accepted: true, value: JSON.parse(text) as JsonValue };
  } catch (error) {
    return { accepted: false, error };
  }
}

/** The file whole, one character at a time (small files), and three seeded random chunkings. */
function chunkings(name: string, text: string): string[][] {
  let seed = 0;
  for (const char of name) seed = (Math.imul(seed, 31) + char.charCodeAt(0)) >>> 0;
  const random = seededRandom(seed);
  const result = [[text], randomChunks(text, random, 3), randomChunks(text, random, 8), randomChunks(text, random, 64)];
  if (text.length <= 4096) result.push([...text]);
  return result;
}

describeIfSuite('JSONTestSuite conformance', () => {
  it('holds the 318 test_parsing files: 95 y_, 188 n_, 35 i_', () => {
    const count = (prefix: string): number => files.filter((name) => name.startsWith(prefix)).length;
    expect([files.length, count('y_'), count('n_'), count('i_')]).toEqual([318, 95, 188, 35]);
  });

  for (const name of files) {
    it(name, () => {
      const text = decoder.decode(fs.readFileSync(path.join(suiteDir, name)));
      const reference = jsonParse(text);
      for (const chunks of chunkings(name, text)) {
        const outcome = parse(chunks);
        const where = `${name} in ${chunks.length} chunk(s)`;
        // No file may crash the parser: the only error it may raise is an OutputParserError.
        if (!outcome.accepted && !(outcome.error instanceof OutputParserError)) throw outcome.error;
        if (name.startsWith('y_')) expect({ where, accepted: outcome.accepted }).toEqual({ where, accepted: true });
        if (name.startsWith('n_')) expect({ where, accepted: outcome.accepted }).toEqual({ where, accepted: false });
        // Beyond the suite's verdicts (i_ files may go either way), rxllm follows JSON.parse.
        expect({ where, accepted: outcome.accepted }).toEqual({ where, accepted: reference.accepted });
        if (outcome.accepted && reference.accepted) expect(sameJson(outcome.value, reference.value)).toBe(true);
      }
    });
  }
});
