// Rate-limit keys: `<kind>:<value>`. What reaches the store is a keyed hash of the
// value (HMAC-SHA256 under AUTH_SECRET), so Redis never holds an email or an IP
// address, and the hashes cannot be reversed by hashing a list of known emails.
import { createHmac } from 'node:crypto';
import { normalizeEmail } from '@/lib/auth/normalize';
import { getConfig } from '@/lib/config';
import { normalizeIp } from '@/lib/http/client-ip';

/** IPv6 clients usually hold a whole /64, so they are counted per /64. */
function ipv6Prefix64(ip: string): string | null {
  const [head = '', tail, extra] = ip.split('::');
  if (extra !== undefined) return null;
  const groupsOf = (part: string): string[] =>
    part === ''
      ? []
      : part.split(':').flatMap((group) => {
          if (!group.includes('.')) return [group];
          // An embedded IPv4 tail fills the last two groups.
          const [a = 0, b = 0, c = 0, d = 0] = group.split('.').map(Number);
          return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
        });
  const left = groupsOf(head);
  const right = tail === undefined ? [] : groupsOf(tail);
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  if (groups.length !== 8) return null;
  return `${groups
    .slice(0, 4)
    .map((g) => Number.parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

/** `ip:<address>` (IPv4) or `ip:<prefix>::/64` (IPv6); null for something that is not an address. */
export function ipKey(ip: string): string | null {
  const normalized = normalizeIp(ip);
  if (!normalized) return null;
  if (!normalized.includes(':')) return `ip:${normalized}`;
  const prefix = ipv6Prefix64(normalized);
  return prefix ? `ip:${prefix}` : null;
}

/** `email:<normalized email>`; hashed before it is stored. */
export function emailKey(email: string): string {
  return `email:${normalizeEmail(email)}`;
}

export function clinicKey(organizationId: string): string {
  return `clinic:${organizationId}`;
}

/** An API key, by its id (never the secret). */
export function apiKeyKey(apiKeyId: string): string {
  return `key:${apiKeyId}`;
}

/** Splits `kind:value`; the value may contain colons (IPv6). */
export function splitKey(key: string): { kind: string; value: string } {
  const colon = key.indexOf(':');
  if (colon <= 0 || colon === key.length - 1) throw new Error('rate limit keys look like "<kind>:<value>"');
  return { kind: key.slice(0, colon), value: key.slice(colon + 1) };
}

/** The identifier kept in the store: policy, kind and a keyed hash of the value. */
export function storeKey(policy: string, kind: string, value: string): string {
  const digest = createHmac('sha256', getConfig().auth.secret).update(`${kind}:${value}`).digest('base64url').slice(0, 32);
  return `${policy}:${kind}:${digest}`;
}
