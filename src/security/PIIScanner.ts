import type { PIIDetector, PIIEntity } from './PIIDetector.js';
import { entityGateFor, gateCharactersFor } from './builtInEntityGates.js';
import { tailFinderFor, type TailFinder } from './builtInTails.js';

/**
 * Released characters kept for the detectors' look-behinds, so a cut never creates a match: the
 * built-in patterns and tails look back at most two (`\d[ -]` before a card number); a pattern of
 * your own may look further. Kept short where it can be, as a held text of fewer than 13
 * characters is one flat string, not a concatenation to flatten before it is read.
 */
const BUILT_IN_CONTEXT = 2;
const CONTEXT = 16;

/** What the scanner releases: text that is settled, and the entities found in it. */
export interface ScanOutput {
  /** The settled text with each entity replaced. */
  text: string;
  /** The first entity found, when the caller stops at the first one (mode `'error'`). */
  stoppedAt?: PIIEntity;
}

/**
 * The detectors of one subscription, with their tails joined into as few regexes as their flags
 * allow, and a first test joined the same way: most pushes then cost a few character tests or
 * two regex runs over the held text instead of two per detector.
 */
export interface DetectorSet {
  detectors: readonly PIIDetector[];
  /** Built-in tails found without a regex. */
  exactTails: readonly TailFinder[];
  /** Built-in tails bounded without a regex, each run from its bound when that is before the hold. */
  boundedTails: ReadonlyArray<{ finder: TailFinder; tail: RegExp }>;
  /** The other tails, joined: the leftmost match of any is where the hold starts. */
  tails: readonly RegExp[];
  /** Detectors without a tail: each holds back its `maxLength`. */
  untailed: readonly PIIDetector[];
  /** Joined gates (a built-in pattern's, or the pattern itself): when none matches, no detector does. */
  anyEntity: readonly RegExp[];
  /** With built-in patterns only: whether a character some gate needs is there, before the gates run. */
  gateCharacters: ((text: string, from: number) => boolean) | undefined;
  /** How many released characters the scanner keeps for look-behinds. */
  context: number;
  /** A run an exact tail holds whole (the email tail's local part), counted per fragment. */
  wholeRun: TailFinder['wholeRun'];
}

/** Joins the sources of `patterns` with `|`, one global regex per set of other flags. */
function joined(patterns: readonly RegExp[]): RegExp[] {
  const byFlags = new Map<string, string[]>();
  for (const pattern of patterns) {
    const flags = pattern.flags.replace(/[gy]/g, '');
    byFlags.set(flags, [...(byFlags.get(flags) ?? []), `(?:${pattern.source})`]);
  }
  return [...byFlags].map(([flags, sources]) => new RegExp(sources.join('|'), `${flags}g`));
}

/** The set `PIIScanner` works with. */
export function detectorSet(detectors: readonly PIIDetector[]): DetectorSet {
  const exactTails: TailFinder[] = [];
  const boundedTails: Array<{ finder: TailFinder; tail: RegExp }> = [];
  const otherTails: RegExp[] = [];
  let builtInOnly = true;
  for (const { tail } of detectors) {
    if (!tail) {
      builtInOnly = false;
      continue;
    }
    const finder = tailFinderFor(tail);
    if (finder?.exact) exactTails.push(finder);
    else if (finder) boundedTails.push({ finder, tail });
    else {
      otherTails.push(tail);
      builtInOnly = false;
    }
  }
  const gateCharacters = gateCharactersFor(detectors.map((detector) => detector.pattern));
  // The email tail holds a whole word; the secret tail then only checks the character before it.
  exactTails.sort((a, b) => Number(a.narrows ?? false) - Number(b.narrows ?? false));
  return {
    detectors,
    exactTails,
    boundedTails,
    tails: joined(otherTails),
    untailed: detectors.filter((detector) => !detector.tail),
    // Several built-in patterns share a gate (a digit): one alternative each is enough.
    anyEntity: joined([...new Set(detectors.map((detector) => entityGateFor(detector.pattern)))]),
    gateCharacters,
    context: builtInOnly && gateCharacters ? BUILT_IN_CONTEXT : CONTEXT,
    wholeRun: exactTails.find((finder) => finder.wholeRun)?.wholeRun,
  };
}

/** What a push returns when nothing settles. */
const NOTHING: ScanOutput = Object.freeze({ text: '' });

interface Match {
  start: number;
  end: number;
  detector: PIIDetector;
}

const NO_MATCHES: readonly Match[] = Object.freeze([]);

/**
 * The incremental search of one text (a message's content, its reasoning, one tool call's
 * argument text). `push` appends a fragment and returns what is settled: everything before the
 * first place where an entity could still be unfinished. Each detector says where that is with
 * its `tail` (or holds back its `maxLength`), so the held text never exceeds the longest entity a
 * detector can match, and a push costs the length of the held text, not of everything so far.
 *
 * @internal
 */
export class PIIScanner {
  /** The released context (its last `set.context` characters) followed by the held text. */
  private text = '';
  /** Where the held text starts in `text`. */
  private offset = 0;
  /** How many characters at the end of the text are in the set's whole run (at least; 0 when unknown). */
  private run = 0;

  /**
   * @param replace the text an entity becomes.
   * @param stopAtFirst release only the text before the first entity and report it.
   * @param insideJson the text is JSON (tool-call arguments): an entity may not begin right after
   *   a backslash, so a replacement never breaks an escape sequence.
   */
  constructor(
    private readonly set: DetectorSet,
    private readonly replace: (entity: PIIEntity) => string,
    private readonly stopAtFirst = false,
    private readonly insideJson = false,
  ) {}

  /** How many characters are held back now. */
  get held(): number {
    return this.text.length - this.offset;
  }

  /** Appends `fragment`; returns the text that can no longer be part of an unfinished entity. */
  push(fragment: string): ScanOutput {
    if (fragment !== '') this.text += fragment;
    const whole = this.set.wholeRun;
    if (whole) {
      let i = fragment.length;
      while (i > 0 && whole.accepts(fragment.charCodeAt(i - 1))) i--;
      this.run = i === 0 ? this.run + fragment.length : fragment.length - i;
      // The held text is one word the tail holds whole: nothing settles, and the text (a
      // concatenation not yet flattened) need not be read. Most pushes inside a word end here.
      const held = this.text.length - this.offset;
      if (this.run >= held && held <= whole.maxLength) return NOTHING;
    }
    return this.release(false);
  }

  /** The end of the text: releases everything held. */
  flush(): ScanOutput {
    return this.release(true);
  }

  private release(final: boolean): ScanOutput {
    const text = this.text;
    const offset = this.offset;
    if (offset === text.length) return NOTHING;
    let cut = final ? text.length : this.holdFrom(text, offset);
    // Nothing settles before the hold: the held text is searched again when more arrives.
    if (cut === offset) return NOTHING;
    const matches = this.matches(text, offset);
    for (const match of matches) {
      if (match.start >= cut) break;
      if (match.end > cut || (!final && match.end === text.length)) cut = match.start;
    }
    let output = '';
    let position = offset;
    for (const match of matches) {
      if (match.start >= cut) break;
      output += text.slice(position, match.start);
      const entity = { kind: match.detector.kind, text: text.slice(match.start, match.end) };
      if (this.stopAtFirst) {
        // The held text goes; the context stays, as if nothing had been pushed after it.
        this.text = text.slice(0, offset);
        this.run = 0;
        return { text: output, stoppedAt: entity };
      }
      output += this.replace(entity);
      position = match.end;
    }
    output += text.slice(position, cut);
    const keep = Math.max(0, cut - this.set.context);
    this.text = keep === 0 ? text : text.slice(keep);
    this.offset = cut - keep;
    return { text: output };
  }

  /** The first position from which some detector says an entity could still be growing. */
  private holdFrom(text: string, offset: number): number {
    const set = this.set;
    let hold = text.length;
    for (const detector of set.untailed) hold = Math.min(hold, Math.max(offset, text.length - detector.maxLength));
    for (const finder of set.exactTails) hold = Math.min(hold, finder.find(text, offset, hold));
    // Inside a word the exact tails hold it all: nothing can start earlier.
    if (hold === offset) return hold;
    for (const { finder, tail } of set.boundedTails) {
      // The regex runs only where its tail could start before the hold found so far.
      const bound = finder.find(text, offset);
      if (bound >= hold) continue;
      tail.lastIndex = bound;
      const found = tail.exec(text);
      if (found && found.index < hold) hold = found.index;
    }
    for (const tail of set.tails) {
      tail.lastIndex = offset;
      const found = tail.exec(text);
      if (found) hold = Math.min(hold, found.index);
    }
    return hold;
  }

  /** The entities in `text` from `offset`: earliest start first, then the longest; none overlap. */
  private matches(text: string, offset: number): readonly Match[] {
    if (!this.anyEntityFrom(text, offset)) return NO_MATCHES;
    const found: Match[] = [];
    for (const detector of this.set.detectors) {
      const pattern = detector.pattern;
      pattern.lastIndex = offset;
      for (let hit = pattern.exec(text); hit; hit = pattern.exec(text)) {
        const start = hit.index;
        const end = start + hit[0].length;
        if (hit[0].length > 0 && hit[0].length <= detector.maxLength && this.acceptable(text, start, end)
          && (!detector.validate || detector.validate(hit[0]))) {
          found.push({ start, end, detector });
          pattern.lastIndex = end;
        } else pattern.lastIndex = start + 1;
      }
    }
    if (found.length < 2) return found;
    found.sort((a, b) => a.start - b.start || b.end - a.end);
    const chosen: Match[] = [];
    let reached = -1;
    for (const match of found) {
      if (match.start < reached) continue;
      chosen.push(match);
      reached = match.end;
    }
    return chosen;
  }

  /** True when some gate matches from `offset`: only then can a detector. */
  private anyEntityFrom(text: string, offset: number): boolean {
    if (this.set.gateCharacters && !this.set.gateCharacters(text, offset)) return false;
    for (const any of this.set.anyEntity) {
      any.lastIndex = offset;
      if (any.test(text)) return true;
    }
    return false;
  }

  /** Inside JSON text an entity may neither follow an escaping backslash nor contain a quote. */
  private acceptable(text: string, start: number, end: number): boolean {
    if (!this.insideJson) return true;
    let backslashes = 0;
    for (let i = start - 1; i >= 0 && text[i] === '\\'; i--) backslashes++;
    return backslashes % 2 === 0 && !text.slice(start, end).includes('"');
  }
}
