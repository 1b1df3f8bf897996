/**
 * What `redactPII` looks for. Built-in detectors and your own share this shape.
 *
 * @example
 * ```ts
 * import { redactPII, type PIIDetector } from 'rxllm';
 * const orderId: PIIDetector = { kind: 'order', pattern: /\bORD-\d{8}\b/g, maxLength: 12 };
 * const redact = redactPII({ detectors: ['email', orderId] });
 * ```
 */
export interface PIIDetector {
  /** The entity's name: `[ORDER]` in mask mode, and `PIIDetectedError.kind`. */
  kind: string;
  /** What an entity looks like. The `g` flag is added when missing. */
  pattern: RegExp;
  /**
   * The longest entity the pattern can match, in characters: the most text this detector holds
   * back. A longer match is ignored. A detector without `tail` holds back this many characters.
   */
  maxLength: number;
  /** Called with each match; `false` leaves it alone (a checksum, a range check). */
  validate?(match: string): boolean;
  /** The mask-mode label (without brackets); the upper-cased `kind` when missing. */
  label?: string;
  /**
   * Matches the end of a text that could still grow into an entity (`$`-anchored, `g` flag, never
   * longer than `maxLength`). Only text from where it matches is held back; without it, the last
   * `maxLength` characters are.
   */
  tail?: RegExp;
}

/** The names of the built-in detectors. */
export type BuiltInDetectorName = 'email' | 'phone' | 'creditCard' | 'iban' | 'ipAddress' | 'secret' | 'privateKey';

/** One entity `redactPII` found. */
export interface PIIEntity {
  /** The detector's kind (`email`, `creditCard`, …, or your own). */
  kind: string;
  /** The matched text. */
  text: string;
}
