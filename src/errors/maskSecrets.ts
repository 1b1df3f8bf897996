/**
 * Secret-shaped substrings: OpenAI-style keys (`sk-…`, `sk-proj-…`), Groq, xAI and Hugging Face
 * keys, bearer tokens and `api_key=` / `apiKey:` assignments. Kept deliberately broad: a false
 * positive only hides text.
 */
const SECRET_PATTERNS: Array<[RegExp, string]> = [
  [/\b(?:sk|pk|rk)-[A-Za-z0-9_-]{8,}/g, '***'],
  [/\b(?:gsk|csk|hf)_[A-Za-z0-9]{8,}/g, '***'],
  [/\bxai-[A-Za-z0-9]{8,}/g, '***'],
  [/(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, '$1***'],
  [/((?:api[_-]?key|authorization|x-api-key)["']?\s*[:=]\s*["']?)[^\s"',}]{6,}/gi, '$1***'],
];

const registeredSecrets = new Set<string>();

/** Remembers a secret (for example the `apiKey` given to a model) so that it is masked wherever it appears. */
export function registerSecret(secret: string | undefined | null): void {
  if (secret && secret.length >= 6) registeredSecrets.add(secret);
}

/** Replaces every secret-shaped substring of `text` with `***`. */
export function maskSecrets(text: string): string {
  let masked = text;
  for (const secret of registeredSecrets) {
    if (masked.includes(secret)) masked = masked.split(secret).join('***');
  }
  for (const [pattern, replacement] of SECRET_PATTERNS) masked = masked.replace(pattern, replacement);
  return masked;
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
