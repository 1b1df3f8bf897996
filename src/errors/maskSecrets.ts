/**
 * Secret-shaped substrings: OpenAI-style keys (`sk-…`, `sk-proj-…`), Groq, xAI and Hugging Face
 * keys, bearer tokens, `api_key=` / `apiKey:` assignments and credentials in URLs. Kept
 * deliberately broad: a false positive only hides text.
 */
const SECRET_PATTERNS: Array<[RegExp, string]> = [
  [/\b(?:sk|pk|rk)-[A-Za-z0-9_-]{8,}/g, '***'],
  [/\b(?:gsk|csk|hf)_[A-Za-z0-9]{8,}/g, '***'],
  [/\bxai-[A-Za-z0-9]{8,}/g, '***'],
  [/(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, '$1***'],
  [/((?:api[_-]?key|authorization|x-api-key)["']?\s*[:=]\s*["']?)[^\s"',}]{6,}/gi, '$1***'],
  // Credentials in a URL: scheme://user:password@host.
  [/(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/@:]*:[^\s/@]*@/gi, '$1***@'],
];

/**
 * A server may echo part of a key ("…the key ending in 7f3aQ9xz"), so a registered secret is masked
 * by its fragments: every run of `FRAGMENT` or more of its characters. Its pieces of that length
 * are kept in one set, and text is scanned once for them: linear in the text.
 */
const FRAGMENT = 8;
const registeredSecrets = new Set<string>();
const secretPieces = new Set<string>();

/**
 * Remembers a secret (the `apiKey` given to a model, a password in a `baseURL`, a header marked
 * secret) so that it is masked wherever it appears: whole, without its prefix, or any run of 8 or
 * more of its characters.
 */
export function registerSecret(secret: string | undefined | null): void {
  if (!secret || secret.length < 6 || registeredSecrets.has(secret)) return;
  registeredSecrets.add(secret);
  for (let i = 0; i + FRAGMENT <= secret.length; i++) secretPieces.add(secret.slice(i, i + FRAGMENT));
}

/** Replaces every secret-shaped substring of `text`, and every fragment of a registered secret, with `***`. */
export function maskSecrets(text: string): string {
  let masked = maskFragments(text);
  for (const [pattern, replacement] of SECRET_PATTERNS) masked = masked.replace(pattern, replacement);
  return masked;
}

/** `text` with each maximal run covered by pieces of registered secrets replaced by `***`. */
function maskFragments(text: string): string {
  let masked = text;
  // Secrets of 6–7 characters have no pieces: they are masked whole.
  for (const secret of registeredSecrets) {
    if (secret.length < FRAGMENT && masked.includes(secret)) masked = masked.split(secret).join('***');
  }
  if (secretPieces.size === 0 || masked.length < FRAGMENT) return masked;
  const parts: string[] = [];
  let copiedTo = 0;
  let runStart = -1;
  let runEnd = -1;
  for (let i = 0; i + FRAGMENT <= masked.length; i++) {
    if (!secretPieces.has(masked.slice(i, i + FRAGMENT))) continue;
    if (i > runEnd) {
      if (runStart >= 0) parts.push(masked.slice(copiedTo, runStart), '***');
      copiedTo = runStart >= 0 ? runEnd : copiedTo;
      runStart = i;
    }
    runEnd = i + FRAGMENT;
  }
  if (runStart < 0) return masked;
  parts.push(masked.slice(copiedTo, runStart), '***', masked.slice(runEnd));
  return parts.join('');
}

/** The `{ name, message }` of any thrown value, masked: what events and logs may carry. */
export function describeError(error: unknown): { name: string; message: string } {
  if (error instanceof Error) return { name: error.name, message: maskSecrets(error.message) };
  // Error-like objects (from another realm, or plain `{ name, message }` payloads) keep their text.
  if (typeof error === 'object' && error !== null && typeof (error as Error).message === 'string') {
    const { name, message } = error as Error;
    return { name: typeof name === 'string' && name ? name : 'Error', message: maskSecrets(message) };
  }
  return { name: 'Error', message: maskSecrets(String(error)) };
}
