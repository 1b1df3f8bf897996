import type { BuiltInDetectorName, PIIDetector, PIIEntity } from './PIIDetector.js';
import { builtInDetectors } from './builtInDetectors.js';

/** What each entity becomes: a label, a hash, nothing, or an error. */
export type RedactionMode = 'mask' | 'hash' | 'remove' | 'error';

/**
 * Options of `redactPII`.
 */
export interface RedactPIIOptions {
  /** Which detectors run: built-in names and your own. Default: every built-in detector. */
  detectors?: ReadonlyArray<BuiltInDetectorName | PIIDetector>;
  /**
   * `'mask'` (default) writes `[EMAIL]`, `[CARD]`, …; `'hash'` writes `[EMAIL:1f0c3a9b]`, the same
   * for the same entity within one subscription and different across subscriptions; `'remove'`
   * drops the entity; `'error'` lets the text before the first entity through, then fails with
   * `PIIDetectedError`.
   */
  mode?: RedactionMode;
  /** The text an entity becomes, instead of what `mode` writes (not used by `'error'`). */
  replacement?: (entity: PIIEntity) => string;
}

/** The detectors an option list names, each with a global pattern (and tail) of its own. */
export function resolveDetectors(wanted: RedactPIIOptions['detectors']): PIIDetector[] {
  const list = wanted ?? (Object.keys(builtInDetectors) as BuiltInDetectorName[]);
  return list.map((entry) => {
    const detector = typeof entry === 'string' ? builtInDetectors[entry] : entry;
    if (!detector) throw new TypeError(`redactPII: unknown detector "${String(entry)}"`);
    if (!(detector.maxLength > 0) || !Number.isFinite(detector.maxLength)) {
      throw new TypeError(`redactPII: detector "${detector.kind}" needs a finite positive maxLength`);
    }
    // Copies, so that concurrent subscriptions never share a regex's lastIndex.
    return {
      ...detector,
      pattern: globalCopy(detector.pattern),
      ...(detector.tail && { tail: globalCopy(detector.tail) }),
    };
  });
}

function globalCopy(pattern: RegExp): RegExp {
  return new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags.replace('y', '') : `${pattern.flags.replace('y', '')}g`);
}

/** FNV-1a over the salt and the entity: short, stable within one run, unlinkable across runs. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/** The replacement function of one subscription. */
export function replacementFor(options: RedactPIIOptions, detectors: readonly PIIDetector[]): (entity: PIIEntity) => string {
  if (options.replacement) return options.replacement;
  const labels = new Map(detectors.map((detector) => [detector.kind, detector.label ?? detector.kind.toUpperCase()]));
  const label = (entity: PIIEntity): string => labels.get(entity.kind) ?? entity.kind.toUpperCase();
  switch (options.mode ?? 'mask') {
    case 'remove': return () => '';
    case 'hash': {
      const salt = `${Date.now()}:${Math.random()}:`;
      return (entity) => `[${label(entity)}:${fnv1a(salt + entity.kind + ':' + entity.text)}]`;
    }
    default: return (entity) => `[${label(entity)}]`;
  }
}
