import { InvalidOptionError } from '../errors/InvalidOptionError.js';

const EXPECTED = 'an https:// URL, or http:// to this machine (127.0.0.0/8, ::1, localhost); '
  + 'pass allowInsecure: true to send requests and the API key unencrypted';

/**
 * Throws an `InvalidOptionError` unless requests to `baseURL` are encrypted or never leave the
 * machine: an `https:` URL, or `http:` to a loopback address. Over plain HTTP to another host the
 * API key and every message cross the network readable by anyone on the path, so that takes
 * `allowInsecure: true`. The URL is named in the error without its credentials and query.
 *
 * @param baseURL the URL requests go to; nothing is checked when it is undefined (the client's
 *   default is https).
 * @param option how the caller names it (`baseURL`, `client.baseURL`).
 */
export function requireSecureBaseURL(baseURL: string | undefined, option: string): void {
  if (baseURL === undefined) return;
  let url: URL;
  try {
    url = new URL(baseURL);
  } catch {
    throw new InvalidOptionError('ChatOpenAI', option, EXPECTED, 'a value that is not an absolute URL');
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname))) return;
  throw new InvalidOptionError('ChatOpenAI', option, EXPECTED, `${url.protocol}//${url.host}${url.pathname}`);
}

/**
 * True for a host name that is this machine: `localhost`, an IPv4 address in 127.0.0.0/8, `::1`,
 * or 127.0.0.0/8 mapped into IPv6. `URL` has already normalised the spellings (`127.1`,
 * `0x7f.0.0.1`, `[0:0:0:0:0:0:0:1]`); other names are not resolved, since a name's address can
 * change after the check.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return host === 'localhost'
    || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
    || host === '::1'
    || /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(host);
}
