import fc from 'fast-check';
import { from } from 'rxjs';
import { redactPII } from '../../src/security/redactPII.js';
import { after, before, cleanCorpus, entities } from './piiCorpus.js';

/** Everything `redactPII()` emits for `chunks`, joined, taken synchronously. */
function redact(chunks: readonly string[], options?: Parameters<typeof redactPII>[0]): string {
  let output = '';
  let done = false;
  from(chunks).pipe(redactPII<string>(options)).subscribe({ next: (text) => (output += text), complete: () => (done = true) });
  expect(done).toBe(true);
  return output;
}

/** `text` cut at the given positions. */
function cut(text: string, positions: readonly number[]): string[] {
  const sorted = [...new Set(positions)].sort((a, b) => a - b);
  const pieces: string[] = [];
  let start = 0;
  for (const position of sorted) {
    pieces.push(text.slice(start, position));
    start = position;
  }
  pieces.push(text.slice(start));
  return pieces;
}

describe('redactPII detectors', () => {
  for (const { kind, label, samples } of entities) {
    describe(kind, () => {
      for (const sample of samples) {
        const text = `${before}${sample}${after}`;
        const expected = `${before}[${label}]${after}`;

        it(`masks ${JSON.stringify(sample.slice(0, 40))} at every split point into two chunks`, () => {
          for (let split = 0; split <= text.length; split++) {
            expect([split, redact([text.slice(0, split), text.slice(split)])]).toEqual([split, expected]);
          }
        });

        it(`masks ${JSON.stringify(sample.slice(0, 40))} in 1-character chunks`, () => {
          expect(redact([...text])).toBe(expected);
        });

        it(`masks ${JSON.stringify(sample.slice(0, 40))} in random chunkings`, () => {
          fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: text.length }), { maxLength: 30 }), (positions) => {
            expect(redact(cut(text, positions))).toBe(expected);
          }), { numRuns: 60 });
        });
      }

      it('finds only its own kind when it is the one detector', () => {
        const text = `${before}${samples[0]}${after}`;
        expect(redact([text], { detectors: [kind as never] })).toBe(`${before}[${label}]${after}`);
      });
    });
  }

  it('leaves the clean corpus of near-misses unchanged, whole, in 1-character chunks and in random chunkings', () => {
    expect(redact([cleanCorpus])).toBe(cleanCorpus);
    expect(redact([...cleanCorpus])).toBe(cleanCorpus);
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: cleanCorpus.length }), { maxLength: 80 }), (positions) => {
      expect(redact(cut(cleanCorpus, positions))).toBe(cleanCorpus);
    }), { numRuns: 50 });
  });

  it('finds every entity of a mixed text, whatever the chunking', () => {
    const parts = entities.flatMap(({ label, samples }) => samples.map((sample) => ({ sample, label })));
    const text = parts.map(({ sample }, i) => `Item ${i}: ${sample}; next line.\n`).join('');
    const expected = parts.map(({ label }, i) => `Item ${i}: [${label}]; next line.\n`).join('');
    expect(redact([text])).toBe(expected);
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: text.length }), { maxLength: 200 }), (positions) => {
      expect(redact(cut(text, positions))).toBe(expected);
    }), { numRuns: 40 });
  });

  it('streams the same as the whole text for arbitrary text made of entity fragments', () => {
    const alphabet = ['a', '@', '.', ' ', '1', '4', '-', '+', ':', 'GB82', 'sk-', 'x@y.org', '8.8.8.8', '4111 1111 1111 1111', '\n', '-----BEGIN PRIVATE KEY-----', '-----END PRIVATE KEY-----'];
    fc.assert(fc.property(
      fc.array(fc.constantFrom(...alphabet), { maxLength: 40 }).map((pieces) => pieces.join('')),
      fc.array(fc.nat(), { maxLength: 20 }),
      (text, positions) => {
        expect(redact(cut(text, positions.map((p) => p % (text.length + 1))))).toBe(redact([text]));
      },
    ), { numRuns: 300 });
  });
});
