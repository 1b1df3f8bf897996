import type { PIIDetector } from '../PIIDetector.js';

/**
 * Phone numbers: international (`+` and 8 to 15 digits in groups: `+44 20 7946 0958`,
 * `+1 (555) 123-4567`), North American (`(555) 123-4567`, `555-123-4567`, `555.123.4567`) and
 * national numbers with a trunk 0 in spaced or dashed groups (`020 7946 0958`, `01 23 45 67 89`).
 * Bare digit runs are not phones (order numbers, ids), nor are dates or ISBNs. Holds back at most
 * 32 characters, and only a trailing run of digits and separators.
 */
export const phone: PIIDetector = {
  kind: 'phone',
  label: 'PHONE',
  pattern: new RegExp(
    '(?<![\\w.+-])(?:'
    + '\\+\\d{1,3}(?:[ .-]?(?:\\(\\d{1,4}\\)|\\d{1,4})){2,6}'
    + '|(?:\\(\\d{3}\\) ?|\\d{3}[ .-])\\d{3}[ .-]\\d{4}'
    + '|0\\d{1,4}(?:[ -]\\d{2,4}){2,4}'
    + ')(?!\\w|[.-]\\d)', 'g'),
  maxLength: 32,
  validate: (match) => {
    const digits = match.replace(/\D/g, '').length;
    return match.startsWith('+') ? digits >= 8 && digits <= 15 : digits >= 9 && digits <= 12;
  },
  tail: /(?<![\w.+-])[+(]?\d[\d ().-]{0,30}$|(?<![\w.+-])[+(]$/g,
};
