import type { PIIDetector } from '../PIIDetector.js';

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = `(?<![\\w.])(?:${OCTET}\\.){3}${OCTET}(?![\\w]|\\.\\d)`;
const IPV6 = '(?<![\\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\\w:])';

/**
 * An IPv6 candidate is an address when it has eight groups, or fewer with exactly one `::` and
 * at least two groups written out: times (`12:30:45`) and `Foo::Bar` are not addresses.
 */
function isIPv6(text: string): boolean {
  if (!text.includes(':') || text.includes('.')) return true;
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((half) => (half === '' ? [] : half.split(':')));
  if (groups.some((group) => group === '' || group.length > 4)) return false;
  return halves.length === 1 ? groups.length === 8 : groups.length >= 2 && groups.length <= 7;
}

/**
 * IP addresses: IPv4 in dotted decimal (each part 0 to 255; a three-part version number is not
 * one) and IPv6 in full or `::`-compressed form. Holds back at most 39 characters, and only a
 * trailing run of digits and dots, or of hex digits and colons.
 */
export const ipAddress: PIIDetector = {
  kind: 'ipAddress',
  label: 'IP',
  pattern: new RegExp(`${IPV4}|${IPV6}`, 'g'),
  maxLength: 39,
  validate: isIPv6,
  tail: /(?<![\w.])\d[\d.]{0,14}$|(?<![\w:.])(?=[0-9A-Fa-f:]{1,39}$)[0-9A-Fa-f]*:[0-9A-Fa-f:]*$|(?<![\w:.])[0-9A-Fa-f]{1,4}$/g,
};
