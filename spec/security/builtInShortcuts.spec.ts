import { builtInDetectors } from '../../src/security/builtInDetectors.js';
import { entityGateFor, gateCharactersFor } from '../../src/security/builtInEntityGates.js';
import { tailFinderFor } from '../../src/security/builtInTails.js';
import { seededRandom } from '../support/seededRandom.js';

const PIECES = [
  'a', 'b', 'f', 'x', 'Z', 'A', 'K', 'I', 'S', 'G', 'B', '0', '1', '2', '5', '9', ' ', ' ', '-', '.', '@', ':', '(', ')', '+',
  '_', '%', 'é', '東', '\n', '\\', '"', 'sk-', 'AKIA', 'ghp_', 'xoxb-', 'AIza', 'eyJ', '-----', '-----BEGIN ', 'RSA ',
  'PRIVATE KEY-----', '-----END ', 'GB82 ', '12:30', '::', '192.168.', '+44 ', '(555) ', '4111 ',
];
const RUNS = ['a', '1', '-', 'B', '.', ' ', 'ab.', '1 '];

/** Texts mixing the characters the detectors care about, a few with runs past every length limit. */
function texts(count: number, seed: number): string[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  return Array.from({ length: count }, () => {
    let text = '';
    const pieces = 1 + Math.floor(random() * 24);
    for (let i = 0; i < pieces; i++) text += random() < 0.03 ? pick(RUNS).repeat(20 + Math.floor(random() * 300)) : pick(PIECES);
    return text;
  });
}

/** The leftmost start of a match of `tail` from `from` (`text.length` for none), as `PIIScanner` reads it. */
function leftmost(tail: RegExp, text: string, from: number): number {
  tail.lastIndex = from;
  const found = tail.exec(text);
  return found ? found.index : text.length;
}

describe('built-in shortcuts', () => {
  const detectors = Object.values(builtInDetectors);
  const samples = [...texts(3000, 7), 'x'.repeat(2700), `${'a'.repeat(70)}@${'b'.repeat(200)}`, `${'a'.repeat(63)}@b.c`];

  it('stand for every built-in tail and pattern', () => {
    for (const detector of detectors) {
      expect(tailFinderFor(detector.tail!)).toBeDefined();
      expect(entityGateFor(detector.pattern)).not.toBe(detector.pattern);
    }
  });

  it.each(detectors.map((detector) => [detector.kind, detector] as const))('find where the %s tail starts, from every position', (_kind, detector) => {
    const tail = new RegExp(detector.tail!.source, 'g');
    const finder = tailFinderFor(tail)!;
    const wrong: Array<[string, number]> = [];
    for (const text of samples) {
      for (let from = 0; from <= text.length; from += text.length > 400 ? 41 : 1) {
        const expected = leftmost(tail, text, from);
        const found = finder.find(text, from);
        // A bound may be early, never late, and the regex run from it finds the same start.
        const right = finder.exact ? found === expected
          : found <= expected && (found === text.length || leftmost(tail, text, found) === expected);
        if (!right) wrong.push([text, from]);
        // Told the hold found so far, an exact finder answers the earlier of the two.
        const before = from + ((text.length * 7 + from * 13) % (text.length - from + 1));
        if (finder.exact && Math.min(finder.find(text, from, before), before) !== Math.min(expected, before)) wrong.push([text, from]);
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  it.each(detectors.map((detector) => [detector.kind, detector] as const))('let through every text with a %s in it', (_kind, detector) => {
    const pattern = new RegExp(detector.pattern.source, 'g');
    const gate = entityGateFor(detector.pattern);
    const missed: Array<[string, number]> = [];
    for (const text of samples) {
      for (let from = 0; from <= text.length; from += text.length > 400 ? 41 : 1) {
        pattern.lastIndex = from;
        if (!pattern.test(text)) continue;
        gate.lastIndex = from;
        if (!gate.test(text)) missed.push([text, from]);
      }
    }
    expect(missed.slice(0, 5)).toEqual([]);
  });

  it('find a character some gate needs in every text a gate matches', () => {
    const anyCharacter = gateCharactersFor(detectors.map((detector) => detector.pattern))!;
    const gates = detectors.map((detector) => entityGateFor(detector.pattern));
    const missed: Array<[string, number]> = [];
    let gated = 0;
    for (const text of samples) {
      for (let from = 0; from <= text.length; from += text.length > 400 ? 41 : 1) {
        const matched = gates.some((gate) => {
          gate.lastIndex = from;
          return gate.test(text);
        });
        if (matched) gated++;
        if (matched && !anyCharacter(text, from)) missed.push([text, from]);
      }
    }
    expect(gated).toBeGreaterThan(1000);
    expect(missed.slice(0, 5)).toEqual([]);
    expect(anyCharacter('the café 東京 stream. Value, status!', 0)).toBe(false);
  });

  it('leave a pattern of your own to its regex', () => {
    expect(gateCharactersFor([...detectors.map((detector) => detector.pattern), /ORD-\d+/g])).toBeUndefined();
  });
});
