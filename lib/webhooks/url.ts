// Which URLs a webhook may be sent to. In production: https only, and never to an
// address inside a private, loopback, link-local or otherwise non-public network
// (server-side request forgery: a clinic must not be able to make our servers call
// the cloud metadata service or an internal admin port). The host is resolved when
// the endpoint is saved, and again on every connection (publicOnlyLookup), so a
// DNS record changed after the check cannot point a delivery inward. Outside
// production, http://localhost and http://127.0.0.1 are allowed for testing.
import dns from 'node:dns';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import { AppError } from '@/lib/errors';
import { WEBHOOK_URL_MAX_LENGTH } from './events';

export interface UrlRules {
  production: boolean;
  /** Every address of a host name (tests pass a fake); default: the system resolver. */
  resolve?: (hostname: string) => Promise<string[]>;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export const URL_MESSAGES = {
  invalid: 'Enter the full URL of your endpoint, such as https://example.com/webhooks/maneiro.',
  tooLong: `The URL is too long (at most ${WEBHOOK_URL_MAX_LENGTH} characters).`,
  credentials: 'Remove the user name and password from the URL; check the signature instead.',
  httpsOnly: 'Use an https:// URL: deliveries must be encrypted on their way to you.',
  httpsOrLocal: 'Use an https:// URL (http:// is allowed only for localhost and 127.0.0.1 outside production).',
  private: 'The URL points to a private, local or reserved network address, which webhooks cannot be sent to. Use a public address.',
  unresolved: 'We could not find the server of that URL. Check the host name.',
} as const;

type Cidr4 = readonly [number, number];

function ipv4ToNumber(address: string): number | null {
  const parts = address.split('.');
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return null;
    const n = Number(part);
    if (n > 255) return null;
    value = value * 256 + n;
  }
  return value;
}

const v4 = (base: string, bits: number): Cidr4 => [ipv4ToNumber(base) ?? 0, bits];

/** IPv4 ranges that are not on the public internet (IANA special-purpose registry). */
const NON_PUBLIC_V4: readonly Cidr4[] = [
  v4('0.0.0.0', 8), // "this network"
  v4('10.0.0.0', 8),
  v4('100.64.0.0', 10), // carrier-grade NAT
  v4('127.0.0.0', 8),
  v4('169.254.0.0', 16), // link-local, including cloud metadata services
  v4('172.16.0.0', 12),
  v4('192.0.0.0', 24),
  v4('192.0.2.0', 24),
  v4('192.88.99.0', 24),
  v4('192.168.0.0', 16),
  v4('198.18.0.0', 15),
  v4('198.51.100.0', 24),
  v4('203.0.113.0', 24),
  v4('224.0.0.0', 4), // multicast
  v4('240.0.0.0', 4), // reserved, including broadcast
];

function inCidr4(value: number, [base, bits]: Cidr4): boolean {
  const size = 2 ** (32 - bits);
  return Math.floor(value / size) === Math.floor(base / size);
}

function isPublicV4(address: string): boolean {
  const value = ipv4ToNumber(address);
  return value !== null && !NON_PUBLIC_V4.some((range) => inCidr4(value, range));
}

/** The eight 16-bit groups of an IPv6 address (zone and brackets removed), or null. */
function ipv6Groups(address: string): number[] | null {
  let text = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  // A trailing dotted IPv4 part (::ffff:10.0.0.1) becomes two groups.
  const dotted = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
  if (dotted?.[1]) {
    const value = ipv4ToNumber(dotted[1]);
    if (value === null) return null;
    text = `${text.slice(0, -dotted[1].length)}${Math.floor(value / 65536).toString(16)}:${(value % 65536).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const parse = (part: string) => (part === '' ? [] : part.split(':'));
  const head = parse(halves[0] ?? '');
  const tail = halves.length === 2 ? parse(halves[1] ?? '') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (groups.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return null;
  return groups.map((g) => parseInt(g, 16));
}

const embeddedV4 = (high: number, low: number) => `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;

function isPublicV6(address: string): boolean {
  const g = ipv6Groups(address);
  if (!g) return false;
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, g6 = 0, h = 0] = g;
  const zeroPrefix = (n: number) => g.slice(0, n).every((x) => x === 0);
  // IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) reach the embedded IPv4 address.
  if (zeroPrefix(5) && f === 0xffff) return isPublicV4(embeddedV4(g6, h));
  if (a === 0x64 && b === 0xff9b && c === 0 && d === 0 && e === 0 && f === 0) return isPublicV4(embeddedV4(g6, h));
  // 6to4 carries an IPv4 address in its second and third groups.
  if (a === 0x2002) return isPublicV4(embeddedV4(b, c));
  // Only global unicast (2000::/3) is public; within it, a few blocks are special.
  if ((a & 0xe000) !== 0x2000) return false;
  if (a === 0x2001 && b < 0x200) return false; // 2001::/23 protocol assignments (Teredo, ORCHID…)
  if (a === 0x2001 && b === 0xdb8) return false; // documentation
  return true;
}

/** Whether an IP address (v4 or v6) is on the public internet. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address.replace(/^\[|\]$/g, ''));
  if (family === 4) return isPublicV4(address);
  if (family === 6) return isPublicV6(address);
  return false;
}

/** The problem with a URL that needs no DNS to see (scheme, credentials, literal addresses), or null. */
export function staticUrlProblem(raw: string, production: boolean): string | null {
  if (raw.length > WEBHOOK_URL_MAX_LENGTH) return URL_MESSAGES.tooLong;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return URL_MESSAGES.invalid;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return URL_MESSAGES.invalid;
  if (!url.hostname) return URL_MESSAGES.invalid;
  if (url.username || url.password) return URL_MESSAGES.credentials;
  if (!production) {
    // Development and tests: any https URL, and plain http to this machine only.
    return url.protocol === 'https:' || LOCAL_HOSTS.has(url.hostname) ? null : URL_MESSAGES.httpsOrLocal;
  }
  if (url.protocol !== 'https:') return URL_MESSAGES.httpsOnly;
  const host = url.hostname.toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return URL_MESSAGES.private;
  if (isIP(host.replace(/^\[|\]$/g, '')) !== 0 && !isPublicAddress(host)) return URL_MESSAGES.private;
  return null;
}

async function systemResolve(hostname: string): Promise<string[]> {
  const found = await dns.promises.lookup(hostname, { all: true, verbatim: true });
  return found.map((a) => a.address);
}

/**
 * The URL as stored (normalised, without a fragment), or a validation error on the
 * `url` field saying what is wrong. In production the host must resolve, and only to
 * public addresses.
 */
export async function checkWebhookUrl(raw: string, rules: UrlRules): Promise<string> {
  const refuse = (message: string) => new AppError('validation_failed', { message: 'webhook url refused', fieldErrors: { url: [message] } });
  const trimmed = raw.trim();
  const problem = staticUrlProblem(trimmed, rules.production);
  if (problem) throw refuse(problem);
  const url = new URL(trimmed);
  url.hash = '';
  if (rules.production) {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) === 0) {
      let addresses: string[];
      try {
        addresses = await (rules.resolve ?? systemResolve)(host);
      } catch {
        throw refuse(URL_MESSAGES.unresolved);
      }
      if (addresses.length === 0) throw refuse(URL_MESSAGES.unresolved);
      if (!addresses.every(isPublicAddress)) throw refuse(URL_MESSAGES.private);
    }
  }
  return url.toString();
}

/** The error a refused connection fails with (its code is what delivery reports). */
export class AddressNotAllowed extends Error {
  readonly code = 'EADDRNOTPUBLIC';
  constructor() {
    super('webhook host resolved to a non-public address');
    this.name = 'AddressNotAllowed';
  }
}

type LookupAll = (hostname: string, options: dns.LookupAllOptions, callback: (error: NodeJS.ErrnoException | null, addresses: dns.LookupAddress[]) => void) => void;

/**
 * A `lookup` for http(s).request that resolves as usual and refuses to connect
 * when any address of the host is not public: checked at connection time, so a
 * DNS answer that changed since the endpoint was saved cannot reach inside.
 */
export function publicOnlyLookup(lookupAll: LookupAll = dns.lookup): LookupFunction {
  return (hostname, options, callback) => {
    lookupAll(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const first = addresses[0];
      if (!first || !addresses.every((a) => isPublicAddress(a.address))) return callback(new AddressNotAllowed(), '', 0);
      if (options.all) callback(null, addresses);
      else callback(null, first.address, first.family);
    });
  };
}
