import type { PIIDetector } from '../PIIDetector.js';

/**
 * Email addresses: a local part of up to 64 characters, `@`, dotted domain labels and a
 * top-level domain of letters. Holds back at most 254 characters (the longest address SMTP
 * allows), and only a trailing word that could still become an address.
 */
export const email: PIIDetector = {
  kind: 'email',
  label: 'EMAIL',
  pattern: /(?<![\w.%+-])[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-])/g,
  maxLength: 254, // 64 + 1 + 189: the local part and the domain the pattern allows
  tail: /[A-Za-z0-9._%+-]{1,64}(?:@[A-Za-z0-9.-]{0,189})?$|@[A-Za-z0-9.-]{0,189}$/g,
};
