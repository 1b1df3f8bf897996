import type { PIIDetector, PIIEntity } from './PIIDetector.js';

/** Released characters kept for the detectors' look-behinds, so a cut never creates a match. */
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
 * allow, and their patterns joined the same way as a first test: most pushes then cost two regex
 * runs over the held text instead of two per detector.
 */
export interface DetectorSet {
  detectors: readonly PIIDetector[];
  /** Joined tails: the leftmost match of any is where the hold starts. */
  tails: readonly RegExp[];
  /** Detectors without a tail: each holds back its `maxLength`. */
  untailed: readonly PIIDetector[];
  /** Joined patterns: when none matches, no detector does. */
  anyEntity: readonly RegExp[];
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
  return {
    detectors,
    tails: joined(detectors.flatMap((detector) => (detector.tail ? [detector.tail] : []))),
    untailed: detectors.filter((detector) => !detector.tail),
    anyEntity: joined(detectors.map((detector) => detector.pattern)),
  };
}

interface Match {
  start: number;
  end: number;
  detector: PIIDetector;
}

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
  private pending = '';
  private context = '';

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
    return this.pending.length;
  }

  /** Appends `fragment`; returns the text that can no longer be part of an unfinished entity. */
  push(fragment: string): ScanOutput {
    this.pending += fragment;
    return this.release(false);
  }

  /** The end of the text: releases everything held. */
  flush(): ScanOutput {
    return this.release(true);
  }

  private release(final: boolean): ScanOutput {
    if (this.pending === '') return { text: '' };
    const offset = this.context.length;
    const text = this.context + this.pending;
    let cut = final ? text.length : this.holdFrom(text, offset);
    // Nothing settles before the hold: the held text is searched again when more arrives.
    if (cut === offset) return { text: '' };
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
        this.pending = '';
        return { text: output, stoppedAt: entity };
      }
      output += this.replace(entity);
      position = match.end;
    }
    output += text.slice(position, cut);
    this.context = text.slice(Math.max(0, cut - CONTEXT), cut);
    this.pending = text.slice(cut);
    return { text: output };
  }

  /** The first position from which some detector says an entity could still be growing. */
  private holdFrom(text: string, offset: number): number {
    let hold = text.length;
    for (const detector of this.set.untailed) hold = Math.min(hold, Math.max(offset, text.length - detector.maxLength));
    for (const tail of this.set.tails) {
      tail.lastIndex = offset;
      const found = tail.exec(text);
      if (found) hold = Math.min(hold, found.index);
    }
    return hold;
  }

  /** The entities in `text` from `offset`: earliest start first, then the longest; none overlap. */
  private matches(text: string, offset: number): Match[] {
    const found: Match[] = [];
    if (!this.set.anyEntity.some((any) => ((any.lastIndex = offset), any.test(text)))) return found;
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

  /** Inside JSON text an entity may neither follow an escaping backslash nor contain a quote. */
  private acceptable(text: string, start: number, end: number): boolean {
    if (!this.insideJson) return true;
    let backslashes = 0;
    for (let i = start - 1; i >= 0 && text[i] === '\\'; i--) backslashes++;
    return backslashes % 2 === 0 && !text.slice(start, end).includes('"');
  }
}
