import type { PIIDetector } from '../PIIDetector.js';

/**
 * PEM private keys (`-----BEGIN RSA PRIVATE KEY-----` … `-----END RSA PRIVATE KEY-----`, and the
 * PKCS #8, EC, DSA, OpenSSH and encrypted variants): the whole block, header to footer, is one
 * entity. Holds back at most 8,192 characters (an RSA 4096 key is about 3,300), and only from a
 * dash run that could begin a header.
 */
export const privateKey: PIIDetector = {
  kind: 'privateKey',
  label: 'PRIVATE_KEY',
  pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----[\s\S]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----/g,
  maxLength: 8192,
  tail: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----[\s\S]{0,8100}$|-----[A-Z0-9 ]*-{0,5}$|-{1,5}$/g,
};
