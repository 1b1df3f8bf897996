import type { PIIDetector } from '../PIIDetector.js';

/** The key formats, each with a bounded length so that the holdback stays bounded. */
const FORMATS = [
  'sk-ant-(?:api|admin)\\d{2}-[A-Za-z0-9_-]{32,120}', // Anthropic
  'sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,200}', // OpenAI
  '(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}', // AWS access key id
  'gh[pousr]_[A-Za-z0-9]{36,251}', // GitHub tokens
  'github_pat_[A-Za-z0-9_]{22,255}', // GitHub fine-grained tokens
  'xox[abposr]-[A-Za-z0-9-]{10,250}', // Slack
  'AIza[0-9A-Za-z_-]{35}', // Google API key
  'eyJ[A-Za-z0-9_-]{5,1000}\\.eyJ[A-Za-z0-9_-]{5,1000}\\.[A-Za-z0-9_-]{10,500}', // JWT
];

/**
 * API keys and tokens by their published formats: OpenAI (`sk-`, `sk-proj-`), Anthropic
 * (`sk-ant-api03-`), AWS access key ids (`AKIA…`), GitHub (`ghp_`, `github_pat_`), Slack
 * (`xoxb-`), Google (`AIza…`) and JWTs (three base64url parts, the first two JSON objects).
 * Holds back at most 2,600 characters (the longest JWT allowed here), and only a trailing run of
 * token characters.
 */
export const secret: PIIDetector = {
  kind: 'secret',
  label: 'SECRET',
  pattern: new RegExp(`(?<![\\w-])(?:${FORMATS.join('|')})(?![\\w-])`, 'g'),
  maxLength: 2600,
  tail: /(?<![\w-])[A-Za-z0-9_.-]{1,2600}$/g,
};
