import fc from 'fast-check';
import { OutputParserError } from '../../src/errors/index.js';
import { IncrementalJsonParser } from '../../src/json/IncrementalJsonParser.js';
import { jsonPatchDiff } from '../../src/json/jsonPatchDiff.js';
import type { JsonValue } from '../../src/json/jsonTypes.js';
import { applyJsonPatchInPlace, cloneJson, partialMismatch, sameJson, splitAt } from './jsonTestHelpers.js';

/** Characters that exercise every string path: escapes, control characters, pairs and lone halves. */
const trickyChar = fc.constantFrom('a', 'Z', ' ', '"', '\\', '/', '\n', '\t', '\u0000', '\u001f', '\u007f', '\u2028', 'é', '€', '😀', '𝄞', '\uD800', '\uDBFF', '\uDC00');

const jsonDocument = fc.oneof(
  fc.jsonValue({ maxDepth: 4, stringUnit: 'binary' }),
  fc.jsonValue({ maxDepth: 3, stringUnit: trickyChar }),
  fc.jsonValue({ maxDepth: 6 }),
) as fc.Arbitrary<JsonValue>;

/** Compact, indented with spaces, or with tabs: the whitespace paths of the scanner. */
const jsonText = fc
  .tuple(jsonDocument, fc.constantFrom<undefined | number | string>(undefined, 2, '\t'))
  .map(([value, indent]) => JSON.stringify(value, null, indent));

/** A text and the chunks it arrives in: random cuts, or one character at a time. */
const chunkedText = jsonText.chain((text) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.array(fc.nat({ max: text.length }), { maxLength: 24 }).map((cuts) => ({ text, chunks: splitAt(text, cuts) })) },
    { weight: 1, arbitrary: fc.constant({ text, chunks: [...text] }) },
  ),
);

/** Prose that cannot be mistaken for the start of JSON or of a code fence. */
const prose = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\n', '.', ':', '!', '"', '1', '}', ']'), maxLength: 30 });

/** Plain checks inside hot property loops: an expect() per emitted value would dominate the run time. */
function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

describe('IncrementalJsonParser properties', () => {
  it('shows honest partial values after every chunk and ends with what JSON.parse gives', () => {
    fc.assert(
      fc.property(chunkedText, ({ text, chunks }) => {
        const parser = new IncrementalJsonParser({ patches: true });
        const emitted: Array<{ value: JsonValue | undefined; copy: JsonValue | undefined }> = [];
        let patched: JsonValue | undefined;
        let diffed: JsonValue | undefined;
        let previous: JsonValue | undefined;
        const afterWrite = (changed: boolean): void => {
          patched = applyJsonPatchInPlace(patched, parser.takePatches());
          const value = parser.value;
          check(sameJson(patched, value), 'the recorded patches do not rebuild the value');
          if (!changed) {
            check(value === previous, 'the value changed identity without a reported change');
            return;
          }
          // A reported change is a real one, and a diff of the two snapshots replays it.
          check(!sameJson(previous, value), 'a change was reported but the value is the same');
          diffed = applyJsonPatchInPlace(diffed, jsonPatchDiff(previous, value));
          check(sameJson(diffed, value), 'jsonPatchDiff of two snapshots does not replay the change');
          emitted.push({ value, copy: cloneJson(value) });
          previous = value;
        };
        for (const chunk of chunks) afterWrite(parser.write(chunk));
        afterWrite(parser.end());

        const expected = JSON.parse(text) as JsonValue;
        check(sameJson(parser.value, expected), 'the final value differs from JSON.parse');
        for (const { value, copy } of emitted) {
          const mismatch = partialMismatch(value, expected);
          check(mismatch === undefined, mismatch ?? '');
          // Persistent snapshots: nothing handed out has changed since.
          check(sameJson(value, copy), 'a snapshot changed after it was handed out');
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('never fails on a prefix of valid JSON, and fails at end() unless the prefix is JSON itself', () => {
    fc.assert(
      fc.property(jsonText, fc.nat(), fc.array(fc.nat(), { maxLength: 6 }), (text, cutSeed, cuts) => {
        const prefix = text.slice(0, cutSeed % (text.length + 1));
        const parser = new IncrementalJsonParser();
        for (const chunk of splitAt(prefix, cuts.map((cut) => cut % (prefix.length + 1)))) parser.write(chunk);
        let prefixIsJson = true;
        try {
          JSON.parse(prefix);
        } catch {
          prefixIsJson = false;
        }
        if (prefixIsJson) {
          parser.end();
          expect(sameJson(parser.value, JSON.parse(prefix) as JsonValue)).toBe(true);
        } else {
          expect(() => parser.end()).toThrow(OutputParserError);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('agrees with JSON.parse on corrupted text, with an error that does not depend on the chunking', () => {
    const corruption = fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\', '0', '-', '.', 'e', 't', 'x', ' ', '\n', '\u0001', '');
    fc.assert(
      fc.property(jsonText, fc.nat(), corruption, fc.array(fc.nat(), { maxLength: 12 }), (text, at, replacement, cuts) => {
        const position = at % (text.length + 1);
        const corrupted = text.slice(0, position) + replacement + text.slice(position + 1);
        const outcome = (chunks: readonly string[]): { value?: JsonValue; error?: OutputParserError } => {
          const parser = new IncrementalJsonParser();
          try {
            for (const chunk of chunks) parser.write(chunk);
            parser.end();
            return { value: parser.value };
          } catch (error) {
            if (!(error instanceof OutputParserError)) throw error;
            return { error };
          }
        };
        const whole = outcome([corrupted]);
        const split = outcome(splitAt(corrupted, cuts.map((cut) => cut % (corrupted.length + 1))));
        let expected: { value?: JsonValue; rejected?: true };
        try {
          expected = { value: JSON.parse(corrupted) as JsonValue };
        } catch {
          expected = { rejected: true };
        }
        if (expected.rejected) {
          expect(whole.error).toBeInstanceOf(OutputParserError);
          // The excerpt can only show what has arrived: the rest of the chunk after the offset.
          expect(split.error?.offset).toBe(whole.error?.offset);
          expect(split.error?.message.split('): ')[0]).toBe(whole.error?.message.split('): ')[0]);
          expect(whole.error?.text?.startsWith(split.error?.text ?? '-')).toBe(true);
          expect(whole.error!.offset).toBeLessThanOrEqual(corrupted.length);
        } else {
          expect(sameJson(whole.value, expected.value)).toBe(true);
          expect(sameJson(split.value, expected.value)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('in tolerant mode, reads the same value out of prose and a code fence', () => {
    fc.assert(
      fc.property(jsonText, prose, prose, fc.constantFrom('```json\n', '```\n', '```JSON  \n'), fc.array(fc.nat(), { maxLength: 12 }), (text, before, after, fence, cuts) => {
        const output = `${before.replace(/[{[]/g, '')}${fence}${text}\n\`\`\`${after}`;
        const parser = new IncrementalJsonParser({ tolerant: true });
        for (const chunk of splitAt(output, cuts.map((cut) => cut % (output.length + 1)))) parser.write(chunk);
        parser.end();
        expect(sameJson(parser.value, JSON.parse(text) as JsonValue)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('in tolerant mode, reads an unfenced object or array between prose', () => {
    const container = fc.oneof(fc.array(fc.jsonValue({ maxDepth: 3 })), fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 })));
    fc.assert(
      fc.property(container, prose, prose, fc.array(fc.nat(), { maxLength: 12 }), (value, before, after, cuts) => {
        const text = JSON.stringify(value);
        const output = `${before}${text}${after}`;
        const parser = new IncrementalJsonParser({ tolerant: true });
        for (const chunk of splitAt(output, cuts.map((cut) => cut % (output.length + 1)))) parser.write(chunk);
        parser.end();
        expect(sameJson(parser.value, JSON.parse(text) as JsonValue)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
