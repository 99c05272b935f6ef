// The client's IP address, as far as it can be trusted. Every proxy in front of the
// app (a CDN, a load balancer) appends the address it received the connection from
// to X-Forwarded-For, so with N trusted proxies the client is the Nth entry from the
// right; everything to the left of it was written by the client and can say anything.
//
// Next.js gives route handlers and server actions no socket address. Its server only
// fills X-Forwarded-For with the socket address when the request has none, so with
// no trusted proxy (TRUSTED_PROXY_HOPS=0) a client-sent header cannot be told apart
// from the real address: no IP is trusted then (null), unless a caller that does own
// the socket passes its remote address.
import { isIP } from 'node:net';
import { getConfig } from '@/lib/config';

export interface ClientIpOptions {
  /** Proxies in front of the app; default TRUSTED_PROXY_HOPS. */
  trustedProxyHops?: number;
  /** The socket's remote address, when the caller has one (plain node:http servers, tests). */
  remoteAddress?: string | null;
}

/** One address as written by a proxy: brackets, a port and an IPv6 zone are dropped, IPv4-mapped IPv6 is unwrapped. */
export function normalizeIp(raw: string): string | null {
  let value = raw.trim();
  if (value.length === 0 || value.length > 64) return null;
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(value);
  if (bracketed?.[1]) value = bracketed[1];
  else if (/^[\d.]+:\d{1,5}$/.test(value)) value = value.slice(0, value.lastIndexOf(':'));
  value = value.replace(/%.*$/, '');
  const version = isIP(value);
  if (version === 4) return value;
  if (version !== 6) return null;
  const lower = value.toLowerCase();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(lower);
  return mapped?.[1] && isIP(mapped[1]) === 4 ? mapped[1] : lower;
}

/** The client address under the trusted-hops rule, or null when it is not known. */
export function clientIpFrom(headers: Headers, options: ClientIpOptions = {}): string | null {
  const hops = options.trustedProxyHops ?? getConfig().app.trustedProxyHops;
  if (hops <= 0) return options.remoteAddress ? normalizeIp(options.remoteAddress) : null;
  // Several X-Forwarded-For lines are joined with ", " by Headers, in order, which keeps the list's meaning.
  const entries = (headers.get('x-forwarded-for') ?? '').split(',');
  // Fewer entries than proxies: the request did not pass through all of them (or one is misconfigured).
  const entry = entries.length >= hops && headers.has('x-forwarded-for') ? entries[entries.length - hops] : undefined;
  return entry === undefined ? null : normalizeIp(entry);
}
