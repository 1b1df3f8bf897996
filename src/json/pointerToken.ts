/** One reference token of an RFC 6901 JSON Pointer: `~` and `/` in a key are written `~0` and `~1`. */
export function pointerToken(key: string | number): string {
  if (typeof key === 'number') return String(key);
  return key.includes('~') || key.includes('/') ? key.replace(/~/g, '~0').replace(/\//g, '~1') : key;
}
