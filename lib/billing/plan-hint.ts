// The plan hint: a short-lived signed cookie that lets proxy.ts send a clinic
// whose plan lacks a feature to /pricing before it opens that feature's page.
// It is only a shortcut for the visitor: the page's own data-layer check
// (requireFeature) is the gate, and a missing, stale or forged hint changes
// nothing but whether this redirect happens. Web Crypto only, so the same code
// runs in proxy.ts and in route handlers.
import { PLAN_IDS, PLANS, type PlanFeature, type PlanId } from './plans';

export const PLAN_HINT_COOKIE = 'maneiro.plan';
export const PLAN_HINT_TTL_SECONDS = 10 * 60;

/** Pages that need a feature of the plan; the first matching prefix wins. */
export const PLAN_GATED_PAGES: readonly { prefix: string; feature: PlanFeature }[] = [
  { prefix: '/transcriptions', feature: 'transcription' },
  { prefix: '/settings/api-keys', feature: 'apiAccess' },
];

export function gatedFeatureFor(pathname: string): PlanFeature | null {
  const page = PLAN_GATED_PAGES.find(({ prefix }) => pathname === prefix || pathname.startsWith(`${prefix}/`));
  return page?.feature ?? null;
}

/** The page a feature opens (for "continue to …" links), if it is a gated page. */
export function pageForFeature(feature: PlanFeature): string | null {
  return PLAN_GATED_PAGES.find((page) => page.feature === feature)?.prefix ?? null;
}

export interface PlanHint {
  organizationId: string;
  /** The signed-in user it was issued to: a hint never outlives a change of user in the browser. */
  userId: string;
  plan: PlanId;
  /** Unix seconds. */
  expiresAt: number;
}

const VERSION = 'v1';
const encoder = new TextEncoder();

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return null;
  }
}

const keys = new Map<string, Promise<CryptoKey>>();

/** An HMAC-SHA256 key for hints only, derived from AUTH_SECRET with HKDF (never the secret itself). */
function hintKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle
      .importKey('raw', encoder.encode(secret), 'HKDF', false, ['deriveKey'])
      .then((base) =>
        crypto.subtle.deriveKey(
          { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: encoder.encode('maneiro plan hint v1') },
          base,
          { name: 'HMAC', hash: 'SHA-256', length: 256 },
          false,
          ['sign', 'verify'],
        ),
      );
    keys.set(secret, key);
  }
  return key;
}

/** The cookie value: `v1.<payload>.<signature>`, base64url. */
export async function signPlanHint(secret: string, hint: Omit<PlanHint, 'expiresAt'>, now = new Date()): Promise<string> {
  const expiresAt = Math.floor(now.getTime() / 1000) + PLAN_HINT_TTL_SECONDS;
  const payload = toBase64Url(encoder.encode(JSON.stringify({ c: hint.organizationId, u: hint.userId, p: hint.plan, e: expiresAt })));
  const signed = `${VERSION}.${payload}`;
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', await hintKey(secret), encoder.encode(signed)));
  return `${signed}.${toBase64Url(signature)}`;
}

/** The hint, or null when it is malformed, forged, for another key or expired. */
export async function verifyPlanHint(secret: string, value: string | undefined, now = new Date()): Promise<PlanHint | null> {
  if (!value || value.length > 512) return null;
  const [version, payload, signatureText, ...rest] = value.split('.');
  if (version !== VERSION || !payload || !signatureText || rest.length > 0) return null;
  const signature = fromBase64Url(signatureText);
  if (!signature) return null;
  // crypto.subtle.verify compares in constant time.
  const valid = await crypto.subtle.verify('HMAC', await hintKey(secret), signature, encoder.encode(`${version}.${payload}`));
  if (!valid) return null;
  const bytes = fromBase64Url(payload);
  if (!bytes) return null;
  let data: unknown;
  try {
    data = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
  if (!data || typeof data !== 'object') return null;
  const { c, u, p, e } = data as Record<string, unknown>;
  if (typeof c !== 'string' || typeof u !== 'string' || typeof e !== 'number') return null;
  if (typeof p !== 'string' || !(PLAN_IDS as readonly string[]).includes(p)) return null;
  if (e <= Math.floor(now.getTime() / 1000)) return null;
  return { organizationId: c, userId: u, plan: p as PlanId, expiresAt: e };
}

/**
 * proxy.ts's decision for a page: `/pricing?feature=…` when the hint says the
 * clinic's plan lacks the page's feature, else null (including every case where
 * the hint cannot be trusted to describe this visitor's active clinic).
 */
export function planGateRedirect(input: {
  pathname: string;
  hint: PlanHint | null;
  /** The signed-in user's id from the session token. */
  userId: string | null;
  /** The clinic chosen in the switcher (cookie), when there is one. */
  activeClinicId: string | null;
}): string | null {
  const feature = gatedFeatureFor(input.pathname);
  const { hint } = input;
  if (!feature || !hint || !input.userId || hint.userId !== input.userId) return null;
  if (input.activeClinicId && input.activeClinicId !== hint.organizationId) return null;
  if (PLANS[hint.plan].features.has(feature)) return null;
  return `/pricing?feature=${feature}`;
}

/** Cookie attributes of the hint (HttpOnly: only the server reads it). */
export function planHintCookieOptions(appUrl: string) {
  return {
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: appUrl.startsWith('https://'),
    path: '/',
    maxAge: PLAN_HINT_TTL_SECONDS,
  };
}
