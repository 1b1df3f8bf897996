import type { PIIDetector } from './PIIDetector.js';

/** A letter, digit, combining mark or underscore: what a whole-word match may not touch. */
const WORD = '[\\p{L}\\p{N}\\p{M}_]';
const WORD_CHAR = new RegExp(`^${WORD}$`, 'u');

/** A blocklist as one detector for `PIIScanner`, and the way back from a match to its entry. */
export interface Blocklist {
  detector: PIIDetector;
  /** The entry (as it was given) that `matched` matches. */
  phraseOf(matched: string): string;
}

/** Trimmed, with every run of whitespace written as one space. */
export function normalizePhrase(phrase: string): string {
  return phrase.trim().split(/\s+/u).join(' ');
}

/** One character of a phrase as a pattern: a space stands for any one whitespace character. */
function characterPattern(character: string): string {
  if (character === ' ') return '\\s';
  return /[\\^$.*+?()[\]{}|/]/.test(character) ? `\\${character}` : character;
}

/** The folded form of a character for the trie; a character whose lower case is longer stays. */
function folded(character: string): string {
  const lower = character.toLowerCase();
  return lower.length === character.length ? lower : character;
}

interface TrieNode {
  children: Map<string, TrieNode>;
}

/**
 * Every prefix of every phrase as one pattern: `bad`, `ban` give `b(?:a(?:d|n)?)?`, which matches
 * `b`, `ba`, `bad` and `ban`. Anchored at the end, it finds where a phrase could still be growing.
 */
function prefixPattern(phrases: readonly string[]): string {
  const root: TrieNode = { children: new Map() };
  for (const phrase of phrases) {
    let node = root;
    for (const character of phrase) {
      const key = folded(character);
      let next = node.children.get(key);
      if (!next) node.children.set(key, next = { children: new Map() });
      node = next;
    }
  }
  const written = (node: TrieNode): string => [...node.children]
    .map(([character, child]) => characterPattern(character) + (child.children.size ? `(?:${written(child)})?` : ''))
    .join('|');
  return written(root);
}

/**
 * The detector of a blocklist: its entries, longest first so that the longest wins where two start
 * together, each a whole word where it begins or ends with a word character; its tail holds back a
 * prefix of an entry at a word start, or a whole entry at the end of the text (the next character
 * decides whether it is a whole word). So it holds at most the longest entry's length.
 */
export function blocklist(entries: readonly string[]): Blocklist {
  const byNormalized = new Map<string, string>();
  for (const entry of entries) {
    const normalized = normalizePhrase(entry);
    const key = normalized.toLowerCase();
    if (!byNormalized.has(key)) byNormalized.set(key, entry);
  }
  const phrases = [...byNormalized.keys()].sort((a, b) => b.length - a.length);
  const startsWord = (phrase: string): boolean => WORD_CHAR.test([...phrase][0]);
  const endsWord = (phrase: string): boolean => WORD_CHAR.test([...phrase].at(-1)!);
  const alternatives = phrases.map((phrase) => `${startsWord(phrase) ? `(?<!${WORD})` : ''}${[...phrase].map(characterPattern).join('')}${endsWord(phrase) ? `(?!${WORD})` : ''}`);
  const atWordStart = phrases.filter(startsWord);
  const elsewhere = phrases.filter((phrase) => !startsWord(phrase));
  const tails = [
    ...(atWordStart.length ? [`(?<!${WORD})(?:${prefixPattern(atWordStart)})$`] : []),
    ...(elsewhere.length ? [`(?:${prefixPattern(elsewhere)})$`] : []),
  ];
  const detector: PIIDetector = {
    kind: 'block',
    pattern: new RegExp(alternatives.join('|'), 'giu'),
    maxLength: Math.max(...phrases.map((phrase) => phrase.length)),
    tail: new RegExp(tails.join('|'), 'giu'),
  };
  const exact = phrases.map((phrase) => ({ phrase, whole: new RegExp(`^${[...phrase].map(characterPattern).join('')}$`, 'iu') }));
  return {
    detector,
    phraseOf: (matched) => {
      const key = normalizePhrase(matched).toLowerCase();
      const phrase = byNormalized.has(key) ? key : exact.find(({ whole }) => whole.test(matched))?.phrase ?? key;
      return byNormalized.get(phrase) ?? matched;
    },
  };
}
