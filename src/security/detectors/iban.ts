import type { PIIDetector } from '../PIIDetector.js';

/** ISO 13616's check: the IBAN, its first four characters moved to the end and letters as numbers, is 1 mod 97. */
export function passesMod97(iban: string): boolean {
  const text = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of text) {
    const code = char.charCodeAt(0);
    const value = code >= 65 ? code - 55 : code - 48;
    remainder = (value > 9 ? remainder * 100 + value : remainder * 10 + value) % 97;
  }
  return remainder === 1;
}

/**
 * International bank account numbers: a country code, two check digits and 11 to 30 letters and
 * digits, compact or in the printed groups of four (`GB82 WEST 1234 5698 7654 32`), that pass the
 * mod-97 check. Holds back at most 42 characters, and only a trailing run that starts like an
 * IBAN (two capitals, then digits).
 */
export const iban: PIIDetector = {
  kind: 'iban',
  label: 'IBAN',
  pattern: /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?(?![A-Za-z0-9])/g,
  maxLength: 42,
  validate: (match) => {
    const compact = match.replace(/ /g, '');
    return compact.length >= 15 && compact.length <= 34 && passesMod97(compact);
  },
  tail: /(?<![A-Za-z0-9])[A-Z](?:[A-Z](?:\d(?:\d[ A-Z0-9]{0,38})?)?)?$/g,
};
