/**
 * For each built-in pattern, a short regex that any of its matches contains (its literal start,
 * or a character it cannot do without). Joined, they are the first test before the detectors
 * run: cheaper than the joined patterns, whose look-behinds are tried at every position, and
 * prose without a digit, `@`, `:` or a key prefix passes without a detector running. Keyed by
 * the exact source of the pattern each stands for, so that any other pattern is its own test.
 *
 * @internal
 */
/** Shared, so that the patterns it gates add one alternative to the joined gates, not one each. */
const digit = /\d/g;

const gates = new Map<string, RegExp>([
  // The block starts with its header.
  [/-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----[\s\S]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----/g.source, /-----BEGIN /g],
  // Every key format starts with one of these.
  [new RegExp(`(?<![\\w-])(?:${[
    'sk-ant-(?:api|admin)\\d{2}-[A-Za-z0-9_-]{32,120}',
    'sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,200}',
    '(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}',
    'gh[pousr]_[A-Za-z0-9]{36,251}',
    'github_pat_[A-Za-z0-9_]{22,255}',
    'xox[abposr]-[A-Za-z0-9-]{10,250}',
    'AIza[0-9A-Za-z_-]{35}',
    'eyJ[A-Za-z0-9_-]{5,1000}\\.eyJ[A-Za-z0-9_-]{5,1000}\\.[A-Za-z0-9_-]{10,500}',
  ].join('|')})(?![\\w-])`, 'g').source, /sk-|AKIA|ASIA|ABIA|ACCA|gh[pousr]_|github_pat_|xox[abposr]-|AIza|eyJ/g],
  [/(?<![\w.%+-])[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-])/g.source, /@/g],
  [/(?<![\d-]|\d[ -])\d(?:[ -]?\d){12,18}(?![\d]|[ -]\d)/g.source, digit],
  [/(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?(?![A-Za-z0-9])/g.source, digit],
  // Each of the three forms has digits.
  [new RegExp(
    '(?<![\\w.+-])(?:'
    + '\\+\\d{1,3}(?:[ .-]?(?:\\(\\d{1,4}\\)|\\d{1,4})){2,6}'
    + '|(?:\\(\\d{3}\\) ?|\\d{3}[ .-])\\d{3}[ .-]\\d{4}'
    + '|0\\d{1,4}(?:[ -]\\d{2,4}){2,4}'
    + ')(?!\\w|[.-]\\d)', 'g').source, digit],
  // IPv4 has digits, IPv6 at least two colons.
  [new RegExp(
    '(?<![\\w.])(?:(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(?![\\w]|\\.\\d)'
    + '|(?<![\\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\\w:])', 'g').source, /[\d:]/g],
]);

/**
 * A character every match of each gate contains: `-` for the block and the `sk-` and `xox?-` keys,
 * `_` for the GitHub ones, `A` for the AWS and Google ones, `J` for a JWT, `@`, digits and `:`.
 * A held text with none of them is clean without a regex run.
 */
const GATE_CHARACTERS = /[-_AJ@:\d]/;

/** What a text must contain for `pattern` to match in it: a gate for a built-in one (flags `g`), else itself. */
export function entityGateFor(pattern: RegExp): RegExp {
  const gate = pattern.flags === 'g' ? gates.get(pattern.source) : undefined;
  return gate ?? pattern;
}

/**
 * Whether the text from `from` has one of the characters some built-in gate needs: `undefined`
 * when a pattern is not built in (its own regex is its gate), so that the caller runs the gates.
 * A table lookup per character instead of a regex run.
 */
export function gateCharactersFor(patterns: readonly RegExp[]): ((text: string, from: number) => boolean) | undefined {
  if (!patterns.every((pattern) => pattern.flags === 'g' && gates.has(pattern.source))) return undefined;
  const table = new Uint8Array(128);
  for (let code = 0; code < 128; code++) table[code] = GATE_CHARACTERS.test(String.fromCharCode(code)) ? 1 : 0;
  return (text, from) => {
    for (let i = from; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code < 128 && table[code] === 1) return true;
    }
    return false;
  };
}
