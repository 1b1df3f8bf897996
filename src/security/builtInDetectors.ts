import type { BuiltInDetectorName, PIIDetector } from './PIIDetector.js';
import { creditCard } from './detectors/creditCard.js';
import { email } from './detectors/email.js';
import { iban } from './detectors/iban.js';
import { ipAddress } from './detectors/ipAddress.js';
import { phone } from './detectors/phone.js';
import { privateKey } from './detectors/privateKey.js';
import { secret } from './detectors/secret.js';

/**
 * Every built-in detector by name. The private-key block comes first: where entities overlap,
 * the earliest start wins, then the longest match.
 */
export const builtInDetectors: Readonly<Record<BuiltInDetectorName, PIIDetector>> = {
  privateKey, secret, email, creditCard, iban, phone, ipAddress,
};
