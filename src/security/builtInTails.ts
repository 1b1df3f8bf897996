/**
 * The built-in detectors' tails, found without running them where a few character tests suffice.
 *
 * A push in prose ends inside a word that the email and secret tails hold, and running the
 * joined tails there (a search that tries every alternative at every held position) cost more
 * than the rest of the push. Each entry is keyed by the exact source of the tail it stands for,
 * so a detector whose tail differs in any way goes through the regex as before.
 *
 * @internal
 */

/**
 * Where a tail can start in `text` at or after `from` (the text before `from` is released and
 * only seen by look-behinds). `exact`: the leftmost start of a match, or `text.length` for none.
 * Otherwise a bound: no match starts before it (`text.length` when none can), and the regex
 * finds the match from there.
 */
export interface TailFinder {
  exact: boolean;
  /** `before`: the hold found so far; an exact finder may answer `before` when it cannot start earlier. */
  find(text: string, from: number, before?: number): number;
  /** Answers from `before` in a test or two: worth running after the others. */
  narrows?: boolean;
  /**
   * `find` answers `from` whenever the text from `from` is one run of `accepts` characters at
   * most `maxLength` long: a scanner that counts that run as fragments arrive knows the hold
   * without reading the text.
   */
  wholeRun?: { accepts(code: number): boolean; maxLength: number };
}

const isDigit = (code: number): boolean => code >= 48 && code <= 57;
const isUpper = (code: number): boolean => code >= 65 && code <= 90;
const isAlnum = (code: number): boolean => isDigit(code) || isUpper(code) || (code >= 97 && code <= 122);
/** `[A-Za-z0-9._%+-]`, an email's local part. */
const isLocal = (code: number): boolean => isAlnum(code) || code === 46 || code === 95 || code === 37 || code === 43 || code === 45;
/** `[A-Za-z0-9_.-]`, a token. */
const isToken = (code: number): boolean => isAlnum(code) || code === 95 || code === 46 || code === 45;
/** `[\w-]`. */
const isWordOrDash = (code: number): boolean => isAlnum(code) || code === 95 || code === 45;
/** `[0-9 -]`, a card number. */
const isCardChar = (code: number): boolean => isDigit(code) || code === 32 || code === 45;
/** `[A-Z0-9 ]`, a printed IBAN. */
const isIbanChar = (code: number): boolean => isDigit(code) || isUpper(code) || code === 32;
/** `[0-9 ().+-]`, a phone number. */
const isPhoneChar = (code: number): boolean => isDigit(code) || code === 32 || code === 40 || code === 41 || code === 46 || code === 43 || code === 45;
/** `[0-9A-Fa-f:.]`, an IP address. */
const isIpChar = (code: number): boolean => isDigit(code) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102) || code === 58 || code === 46;

/** The start of the run of `accepts` characters ending at `end`, going back no further than `low`. */
function runStart(text: string, end: number, low: number, accepts: (code: number) => boolean): number {
  let start = end;
  while (start > low && accepts(text.charCodeAt(start - 1))) start--;
  return start;
}

/**
 * `E{1,64}(?:@D{0,189})?$|@D{0,189}$`: with an `@` followed by a domain run to the end, the
 * leftmost start is the local part before it (possibly empty); else the trailing local-part run.
 * One loop over the trailing run (the domain characters are local-part ones too), written out
 * because this runs on every push.
 */
function emailTail(text: string, from: number): number {
  const n = text.length;
  const low = Math.max(from, n - 190);
  let start = n;
  let domainOnly = true;
  for (; start > low; start--) {
    const code = text.charCodeAt(start - 1);
    if (!isLocal(code)) break;
    if (code === 95 || code === 37 || code === 43) domainOnly = false;
  }
  const at = start - 1;
  if (at >= from && domainOnly && n - start <= 189 && text.charCodeAt(at) === 64) return runStart(text, at, Math.max(from, at - 64), isLocal);
  return Math.max(start, from, n - 64);
}

/** `(?<![\w-])T{1,2600}$`: the first start in the trailing token run not preceded by `[\w-]`. */
function secretTail(text: string, from: number, before = text.length): number {
  const n = text.length;
  // A match starting before `before` is a token run that covers the character just before it.
  if (before <= from || !isToken(text.charCodeAt(before - 1))) return before;
  const low = Math.max(from, n - 2600);
  let start = n;
  while (start > low && isToken(text.charCodeAt(start - 1))) start--;
  for (; start < before; start++) {
    if (start === 0 || !isWordOrDash(text.charCodeAt(start - 1))) return start;
  }
  return before;
}

/** Every alternative starts with a dash. */
function privateKeyBound(text: string, from: number): number {
  const dash = text.indexOf('-', from);
  return dash < 0 ? text.length : dash;
}

/** Digits and separators that end in a digit, or in one separator after a digit (at most 38 characters). */
function creditCardBound(text: string, from: number): number {
  const n = text.length;
  const last = text.charCodeAt(n - 1);
  const endsLikeCard = (n - 1 >= from && isDigit(last))
    || (n - 2 >= from && (last === 32 || last === 45) && isDigit(text.charCodeAt(n - 2)));
  return endsLikeCard ? runStart(text, n, Math.max(from, n - 40), isCardChar) : n;
}

/** Capitals, digits and spaces (at most 42), starting with a capital. */
function ibanBound(text: string, from: number): number {
  const n = text.length;
  for (let start = runStart(text, n, Math.max(from, n - 42), isIbanChar); start < n; start++) {
    if (isUpper(text.charCodeAt(start))) return start;
  }
  return n;
}

/** Phone characters (at most 32) with a digit among them, or a lone `+` or `(` at the end. */
function phoneBound(text: string, from: number): number {
  const n = text.length;
  const last = text.charCodeAt(n - 1);
  const start = runStart(text, n, Math.max(from, n - 32), isPhoneChar);
  if (start < n && (last === 43 || last === 40)) return start;
  for (let i = start; i < n; i++) if (isDigit(text.charCodeAt(i))) return start;
  return n;
}

/** Hex digits, dots and colons (at most 39). */
function ipAddressBound(text: string, from: number): number {
  const n = text.length;
  return runStart(text, n, Math.max(from, n - 39), isIpChar);
}

const finders = new Map<string, TailFinder>([
  [/[A-Za-z0-9._%+-]{1,64}(?:@[A-Za-z0-9.-]{0,189})?$|@[A-Za-z0-9.-]{0,189}$/g.source, { exact: true, find: emailTail, wholeRun: { accepts: isLocal, maxLength: 64 } }],
  [/(?<![\w-])[A-Za-z0-9_.-]{1,2600}$/g.source, { exact: true, find: secretTail, narrows: true }],
  [/-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----[\s\S]{0,8100}$|-----[A-Z0-9 ]*-{0,5}$|-{1,5}$/g.source, { exact: false, find: privateKeyBound }],
  [/(?<![\d-]|\d[ -])\d(?:[ -]?\d){0,18}[ -]?$/g.source, { exact: false, find: creditCardBound }],
  [/(?<![A-Za-z0-9])[A-Z](?:[A-Z](?:\d(?:\d[ A-Z0-9]{0,38})?)?)?$/g.source, { exact: false, find: ibanBound }],
  [/(?<![\w.+-])[+(]?\d[\d ().-]{0,30}$|(?<![\w.+-])[+(]$/g.source, { exact: false, find: phoneBound }],
  [/(?<![\w.])\d[\d.]{0,14}$|(?<![\w:.])(?=[0-9A-Fa-f:]{1,39}$)[0-9A-Fa-f]*:[0-9A-Fa-f:]*$|(?<![\w:.])[0-9A-Fa-f]{1,4}$/g.source, { exact: false, find: ipAddressBound }],
]);

/** The finder that stands for `tail`, when it is one of the built-in tails (same source, flags `g`). */
export function tailFinderFor(tail: RegExp): TailFinder | undefined {
  return tail.flags === 'g' ? finders.get(tail.source) : undefined;
}
