import type { PIIDetector } from '../PIIDetector.js';

/** The Luhn checksum every payment card number carries in its last digit. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = digits.length - 1, double = false; i >= 0; i--, double = !double) {
    let digit = digits.charCodeAt(i) - 48;
    if (double && (digit *= 2) > 9) digit -= 9;
    sum += digit;
  }
  return sum % 10 === 0;
}

/**
 * Payment card numbers: 13 to 19 digits, optionally grouped with spaces or dashes, that pass
 * the Luhn check (a Luhn-invalid 16-digit number is left alone). Holds back at most 40
 * characters, and only a trailing run of digits and separators.
 */
export const creditCard: PIIDetector = {
  kind: 'creditCard',
  label: 'CARD',
  pattern: /(?<![\d-]|\d[ -])\d(?:[ -]?\d){12,18}(?![\d]|[ -]\d)/g,
  maxLength: 40,
  validate: (match) => passesLuhn(match.replace(/\D/g, '')),
  tail: /(?<![\d-]|\d[ -])\d(?:[ -]?\d){0,18}[ -]?$/g,
};
