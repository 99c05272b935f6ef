// Single-use tokens sent by email. The raw token only exists in the email; the
// database keeps its SHA-256, so a leaked table cannot be replayed.
import { createHash, randomBytes } from 'node:crypto';
import type { Tx } from '@/lib/audit/record';
import type { Db } from '@/lib/db/client';
import type { TokenPurpose } from '@/lib/db/generated/client';

export const TOKEN_TTL_MINUTES: Record<TokenPurpose, number> = {
  verify_email: 24 * 60,
  reset_password: 30,
  // As long as a sign-up confirmation: the person may only read the new inbox tomorrow.
  change_email: 24 * 60,
};

export function hashToken(raw: string): string {
  return createHash('sha256').update(raw).digest('hex');
}

export function newRawToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Issues a token and retires earlier unused ones of the same purpose for the user. */
export async function issueEmailToken(tx: Tx, userId: string, purpose: TokenPurpose, email: string, now = new Date()): Promise<string> {
  await tx.emailToken.updateMany({ where: { userId, purpose, usedAt: null }, data: { usedAt: now } });
  const raw = newRawToken();
  await tx.emailToken.create({
    data: {
      userId,
      purpose,
      email,
      tokenHash: hashToken(raw),
      expiresAt: new Date(now.getTime() + TOKEN_TTL_MINUTES[purpose] * 60_000),
    },
  });
  return raw;
}

export interface ConsumedToken {
  userId: string;
  email: string;
}

/**
 * Marks the token used and returns whose it was, or null when it is unknown,
 * expired or already used. One conditional UPDATE, so a token works exactly once
 * even when two requests race.
 */
export async function consumeEmailToken(db: Db | Tx, raw: string, purpose: TokenPurpose, now = new Date()): Promise<ConsumedToken | null> {
  if (!/^[\w-]{20,100}$/.test(raw)) return null;
  const tokenHash = hashToken(raw);
  const claimed = await db.emailToken.updateMany({
    where: { tokenHash, purpose, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  if (claimed.count !== 1) return null;
  const token = await db.emailToken.findUnique({ where: { tokenHash }, select: { userId: true, email: true } });
  return token;
}

/** Whether a token is currently usable (for showing the right page before the form is sent). */
export async function isEmailTokenUsable(db: Db, raw: string, purpose: TokenPurpose, now = new Date()): Promise<boolean> {
  if (!/^[\w-]{20,100}$/.test(raw)) return false;
  const token = await db.emailToken.findUnique({ where: { tokenHash: hashToken(raw) }, select: { purpose: true, usedAt: true, expiresAt: true } });
  return !!token && token.purpose === purpose && !token.usedAt && token.expiresAt > now;
}
