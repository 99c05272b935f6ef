// Webhook signing secrets: made here, shown to the clinic once, stored encrypted,
// and used to sign every delivery. Encryption is AES-256-GCM with a key derived
// from AUTH_SECRET (HKDF, its own label), bound to the endpoint's id: a copy of the
// database alone cannot forge deliveries. Changing AUTH_SECRET makes stored secrets
// unreadable; deliveries then fail until each endpoint's secret is rotated.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { getConfig } from '@/lib/config';

export const SECRET_PREFIX = 'whsec_';
const CIPHER_VERSION = 'v1';

/** A new secret: `whsec_` and 32 random bytes, base64url. */
export function generateSigningSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** What the settings page shows of a stored secret: its last four characters. */
export function secretHint(secret: string): string {
  return secret.slice(-4);
}

const keys = new Map<string, Buffer>();

function encryptionKey(authSecret: string): Buffer {
  let key = keys.get(authSecret);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', authSecret, Buffer.alloc(0), 'maneiro webhook signing secret v1', 32));
    keys.set(authSecret, key);
  }
  return key;
}

/** `v1.<iv>.<tag>.<ciphertext>` (base64url), authenticated together with the endpoint id. */
export function encryptSecret(secret: string, endpointId: string, authSecret: string = getConfig().auth.secret): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', encryptionKey(authSecret), iv);
  cipher.setAAD(Buffer.from(endpointId));
  const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return [CIPHER_VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
}

/** The secret, or null when the value was not made by encryptSecret with this key for this endpoint. */
export function decryptSecret(stored: string, endpointId: string, authSecret: string = getConfig().auth.secret): string | null {
  const [version, iv, tag, ciphertext, ...rest] = stored.split('.');
  if (version !== CIPHER_VERSION || !iv || !tag || !ciphertext || rest.length > 0) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', encryptionKey(authSecret), Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(endpointId));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

/** The hex HMAC-SHA256 of `<timestamp>.<body>` under the secret (the whole `whsec_…` string is the key). */
export function signPayload(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** The Maneiro-Webhook-Signature header: one `v1=<hex>` per valid secret, space-separated. */
export function signatureHeader(secrets: readonly string[], timestamp: number, body: string): string {
  return secrets.map((secret) => `v1=${signPayload(secret, timestamp, body)}`).join(' ');
}

/**
 * What a receiver does (and what the docs on the settings page show): true when one of the
 * header's v1 signatures matches the secret and the timestamp is within `toleranceSeconds`.
 */
export function verifySignature(input: {
  secret: string;
  body: string;
  timestamp: string;
  signature: string;
  toleranceSeconds?: number;
  now?: Date;
}): boolean {
  const timestamp = Number(input.timestamp);
  if (!Number.isInteger(timestamp)) return false;
  const now = Math.floor((input.now ?? new Date()).getTime() / 1000);
  if (Math.abs(now - timestamp) > (input.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signPayload(input.secret, timestamp, input.body), 'hex');
  return input.signature
    .split(/[\s,]+/)
    .filter((part) => part.startsWith('v1='))
    .some((part) => {
      const given = Buffer.from(part.slice(3), 'hex');
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
}
