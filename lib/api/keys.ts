// API keys in the data layer: creating one (owners and admins of an Enterprise
// clinic; the whole key is returned once and only its SHA-256 is stored),
// listing and revoking them (owners and admins, whatever the plan, so a clinic
// that left Enterprise can still clean up), and authenticating a request's
// `Authorization: Bearer <key>`.
//
// Who a key acts as: its clinic, with the role its creator has in that clinic
// AT THE MOMENT OF THE REQUEST. Demoting the creator narrows the key; if the
// creator leaves the clinic (or deletes their account) the key stops working
// (401) and an admin creates a new one.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { recordAudit, type RequestContext } from '@/lib/audit/record';
import { ADMIN_ROLES, type Actor, type Role } from '@/lib/auth/authorize';
import { fieldErrorsOf } from '@/lib/auth/update-profile';
import { getClinicPlan, planRequiredMessage, requireFeature, type ClinicPlan } from '@/lib/billing/entitlements';
import type { Db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { ApiError } from './problem';
import { API_SCOPES, createApiKeySchema, isApiScope, type ApiScope } from './scopes';

/** Every key starts with this; the next PREFIX_ID_LENGTH characters make its visible, unique prefix. */
export const KEY_MARKER = 'mk_live_';
const PREFIX_ID_LENGTH = 8;
const PREFIX_LENGTH = KEY_MARKER.length + PREFIX_ID_LENGTH;
/** 32 random bytes, base64url. */
const SECRET_LENGTH = 43;
const KEY_PATTERN = new RegExp(`^${KEY_MARKER}[a-z0-9]{${PREFIX_ID_LENGTH}}_[A-Za-z0-9_-]{${SECRET_LENGTH}}$`);
/** 32 letters and digits (no i, l, o, u): 5 random bits per character, no modulo bias. */
const PREFIX_ALPHABET = 'abcdefghjkmnpqrstvwxyz0123456789';
/** Active keys a clinic may hold at once: enough for every integration, few enough to review. */
export const MAX_ACTIVE_KEYS = 25;
/** lastUsedAt is written at most this often per key, so reads stay reads. */
export const LAST_USED_GRANULARITY_MS = 60_000;

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  scopes: ApiScope[];
  createdAt: Date;
  createdBy: string | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  revokedBy: string | null;
}

/** The authenticated caller of an API request. */
export interface ApiPrincipal {
  keyId: string;
  actor: Actor;
  scopes: readonly ApiScope[];
  clinicPlan: ClinicPlan;
}

const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex');

function newPrefix(): string {
  const bytes = randomBytes(PREFIX_ID_LENGTH);
  return KEY_MARKER + Array.from(bytes, (b) => PREFIX_ALPHABET[b & 31]).join('');
}

const scopesOf = (stored: readonly string[]): ApiScope[] => API_SCOPES.filter((s) => stored.includes(s));

function assertManager(actor: Actor): void {
  if (!ADMIN_ROLES.includes(actor.role)) {
    throw new AppError('forbidden', { message: `role ${actor.role} may not manage api keys`, userMessage: 'Only the clinic’s owners and admins can manage API keys.' });
  }
}

const isUniqueViolation = (error: unknown): boolean => (error as { code?: unknown }).code === 'P2002';

const viewSelect = {
  id: true,
  name: true,
  prefix: true,
  scopes: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
  createdBy: { select: { name: true } },
  revokedBy: { select: { name: true } },
} as const;

function toView(row: {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdBy: { name: string } | null;
  revokedBy: { name: string } | null;
}): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: scopesOf(row.scopes),
    createdAt: row.createdAt,
    createdBy: row.createdBy?.name ?? null,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
    revokedBy: row.revokedBy?.name ?? null,
  };
}

/**
 * Creates a key for the actor's clinic. Returns the whole key ONCE: it is not
 * stored and cannot be shown again.
 */
export async function createApiKey(db: Db, actor: Actor, input: unknown, context: RequestContext | null): Promise<{ key: ApiKeyView; secret: string }> {
  assertManager(actor);
  await requireFeature(db, actor, 'apiAccess');
  const parsed = createApiKeySchema.safeParse(input);
  if (!parsed.success) throw new AppError('validation_failed', { fieldErrors: fieldErrorsOf(parsed.error) });
  const { name, scopes } = parsed.data;

  // A prefix collision (40 random bits) is retried with a new one rather than reported.
  for (let attempt = 0; ; attempt += 1) {
    const prefix = newPrefix();
    const secret = `${prefix}_${randomBytes(32).toString('base64url')}`;
    try {
      const key = await db.$transaction(async (tx) => {
        // Serialises creations in the clinic, so the cap holds under concurrent submits.
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`api-keys:${actor.organizationId}`}, 0))`;
        const active = await tx.apiKey.count({ where: { organizationId: actor.organizationId, revokedAt: null } });
        if (active >= MAX_ACTIVE_KEYS) {
          throw new AppError('conflict', {
            message: 'too many active api keys',
            userMessage: `The clinic already has ${MAX_ACTIVE_KEYS} active API keys. Revoke keys that are no longer used, then create this one.`,
          });
        }
        const created = await tx.apiKey.create({
          data: { organizationId: actor.organizationId, createdById: actor.userId, name, prefix, hash: hashKey(secret), scopes },
          select: viewSelect,
        });
        await recordAudit(tx, {
          organizationId: actor.organizationId,
          actorUserId: actor.userId,
          event: 'api_key.created',
          targetType: 'api_key',
          targetId: created.id,
          metadata: { prefix, scopes: scopes.join(' ') },
          request: context,
        });
        return created;
      });
      return { key: toView(key), secret };
    } catch (error) {
      if (isUniqueViolation(error) && attempt < 3) continue;
      throw error;
    }
  }
}

/** Every key of the clinic, active first, newest first; revoked keys stay listed for the record. */
export async function listApiKeys(db: Db, actor: Actor): Promise<ApiKeyView[]> {
  assertManager(actor);
  const rows = await db.apiKey.findMany({
    where: { organizationId: actor.organizationId },
    orderBy: [{ revokedAt: { sort: 'desc', nulls: 'first' } }, { createdAt: 'desc' }, { id: 'desc' }],
    select: viewSelect,
  });
  return rows.map(toView);
}

const keyNotFound = () => new AppError('not_found', { message: 'no such api key in the clinic', userMessage: 'We could not find that API key.' });

/** Revokes a key at once. Revoking a revoked key changes nothing and is not audited again. */
export async function revokeApiKey(db: Db, actor: Actor, keyId: string, context: RequestContext | null): Promise<ApiKeyView> {
  assertManager(actor);
  if (!/^[0-9a-f-]{36}$/i.test(keyId)) throw keyNotFound();
  return db.$transaction(async (tx) => {
    const key = await tx.apiKey.findFirst({ where: { id: keyId, organizationId: actor.organizationId }, select: { id: true, prefix: true, revokedAt: true } });
    if (!key) throw keyNotFound();
    if (key.revokedAt) return toView(await tx.apiKey.findUniqueOrThrow({ where: { id: key.id }, select: viewSelect }));
    const updated = await tx.apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date(), revokedById: actor.userId }, select: viewSelect });
    await recordAudit(tx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      event: 'api_key.revoked',
      targetType: 'api_key',
      targetId: key.id,
      metadata: { prefix: key.prefix },
      request: context,
    });
    return toView(updated);
  });
}

const invalidKey = () =>
  new ApiError('invalid_api_key', 'unauthenticated', {
    message: 'unknown, revoked or orphaned api key',
    userMessage: 'This API key is not valid: it may have been revoked, or the person who created it may have left the clinic. Create a new key in Settings → API keys.',
  });

/** The key of an `Authorization: Bearer <key>` header, or null when there is none. */
export function bearerKey(authorization: string | null): string | null {
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1] ?? null;
}

interface KeyRow {
  id: string;
  organization_id: string;
  created_by_id: string | null;
  hash: string;
  scopes: string[];
  revoked_at: Date | null;
  last_used_at: Date | null;
  role: Role | null;
}

/**
 * The caller of an API request: the key (401 when missing, unknown or revoked, or
 * when its creator left the clinic), its clinic's plan (403 without API access)
 * and the role it acts with (its creator's current role).
 */
export async function authenticateApiKey(db: Db, authorization: string | null, now = new Date()): Promise<ApiPrincipal> {
  const key = bearerKey(authorization);
  if (!key) {
    throw new AppError('unauthenticated', {
      message: 'no bearer token',
      userMessage: 'Send your API key in the Authorization header: "Authorization: Bearer mk_live_…".',
    });
  }
  if (!KEY_PATTERN.test(key)) throw invalidKey();
  // One round trip: the key by its prefix, and its creator's membership of the key's clinic.
  const rows = await db.$queryRaw<KeyRow[]>`
    SELECT k.id, k.organization_id, k.created_by_id, k.hash, k.scopes, k.revoked_at, k.last_used_at, m.role
    FROM api_keys k
    LEFT JOIN memberships m ON m.organization_id = k.organization_id AND m.user_id = k.created_by_id
    WHERE k.prefix = ${key.slice(0, PREFIX_LENGTH)}`;
  const row = rows[0];
  // The stored hash is compared in constant time even though it is a hash of a
  // high-entropy secret: nothing about the key leaks through the comparison's timing.
  const presented = Buffer.from(hashKey(key), 'hex');
  const matches = row !== undefined && timingSafeEqual(presented, Buffer.from(row.hash.padEnd(64, '0').slice(0, 64), 'hex'));
  if (!row || !matches || row.revoked_at || !row.created_by_id || !row.role) throw invalidKey();

  const clinicPlan = await getClinicPlan(db, row.organization_id, now);
  if (!clinicPlan.plan.features.has('apiAccess')) {
    throw new AppError('plan_required', { message: `plan ${clinicPlan.plan.id} lacks apiAccess`, userMessage: planRequiredMessage('apiAccess', clinicPlan.plan) });
  }
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() >= LAST_USED_GRANULARITY_MS) {
    const stale = new Date(now.getTime() - LAST_USED_GRANULARITY_MS);
    // Conditional: of concurrent requests in the same minute only one writes.
    await db.apiKey.updateMany({ where: { id: row.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lte: stale } }] }, data: { lastUsedAt: now } });
  }
  return {
    keyId: row.id,
    actor: { userId: row.created_by_id, organizationId: row.organization_id, role: row.role },
    scopes: row.scopes.filter(isApiScope),
    clinicPlan,
  };
}

/** 403 unless the key was given `scope`. */
export function assertScope(principal: ApiPrincipal, scope: ApiScope): void {
  if (principal.scopes.includes(scope)) return;
  throw new ApiError('insufficient_scope', 'forbidden', {
    message: `api key lacks ${scope}`,
    userMessage: `This API key does not have the "${scope}" scope. Create a key with that scope in Settings → API keys.`,
  });
}
