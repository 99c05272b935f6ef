// Sign-in throttling, shared by every web instance through the database.
//
//  - per IP: 10 failures within 15 minutes lock that IP out for 15 minutes;
//  - per account and IP: the same, so one source cannot keep guessing one account;
//  - per account (from any IP): a progressive delay after 5 failures (2 s, 4 s, …
//    capped at 30 s) but never a lock, so an attacker spread over many addresses
//    can slow a real user down but cannot lock them out of their account.
// Counters reset 15 minutes after the first failure of a window, and the account
// counters reset on a successful sign-in.
import type { Db } from '@/lib/db/client';

export const THROTTLE_WINDOW_MINUTES = 15;
export const LOCK_AFTER_FAILURES = 10;
export const LOCK_MINUTES = 15;
export const DELAY_AFTER_FAILURES = 5;
export const MAX_DELAY_SECONDS = 30;

export interface ThrottleKeys {
  ip: string;
  account: string;
  accountFromIp: string;
  /**
   * False when no client IP is trusted (TRUSTED_PROXY_HOPS=0, lib/http/client-ip.ts): then only
   * the account's delay applies, since one shared "unknown" source would let anyone lock everyone out.
   */
  ipKnown: boolean;
}

export function throttleKeys(email: string, ip: string | null): ThrottleKeys {
  const source = ip ?? 'unknown';
  return { ip: `ip:${source}`, account: `account:${email}`, accountFromIp: `account:${email}|ip:${source}`, ipKnown: ip !== null };
}

/** The keys that are counted: the per-source ones only when the source is known. */
function countedKeys(keys: ThrottleKeys): string[] {
  return keys.ipKnown ? [keys.ip, keys.account, keys.accountFromIp] : [keys.account];
}

export type ThrottleDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export function delaySeconds(failures: number): number {
  if (failures < DELAY_AFTER_FAILURES) return 0;
  return Math.min(MAX_DELAY_SECONDS, 2 ** (failures - DELAY_AFTER_FAILURES + 1));
}

/** Whether an attempt may be checked at all right now. */
export async function checkThrottle(db: Db, keys: ThrottleKeys, now = new Date()): Promise<ThrottleDecision> {
  const rows = await db.loginThrottle.findMany({ where: { key: { in: countedKeys(keys) } } });
  const windowStart = now.getTime() - THROTTLE_WINDOW_MINUTES * 60_000;
  let wait = 0;
  for (const row of rows) {
    if (row.lockedUntil && row.lockedUntil > now && row.key !== keys.account) {
      wait = Math.max(wait, (row.lockedUntil.getTime() - now.getTime()) / 1000);
    }
    if (row.key === keys.account && row.windowStart.getTime() > windowStart) {
      const until = row.updatedAt.getTime() + delaySeconds(row.failures) * 1000;
      if (until > now.getTime()) wait = Math.max(wait, (until - now.getTime()) / 1000);
    }
  }
  return wait > 0 ? { allowed: false, retryAfterSeconds: Math.ceil(wait) } : { allowed: true };
}

/** Counts a failed attempt against every key, atomically per key. */
export async function recordFailure(db: Db, keys: ThrottleKeys): Promise<void> {
  for (const key of countedKeys(keys)) {
    const lockable = key !== keys.account;
    // One statement per key: concurrent failures never lose a count.
    await db.$executeRaw`
      INSERT INTO login_throttles (key, failures, window_start, locked_until, updated_at)
      VALUES (${key}, 1, now(), NULL, now())
      ON CONFLICT (key) DO UPDATE SET
        failures = CASE WHEN login_throttles.window_start < now() - make_interval(mins => ${THROTTLE_WINDOW_MINUTES}::int)
                        THEN 1 ELSE login_throttles.failures + 1 END,
        window_start = CASE WHEN login_throttles.window_start < now() - make_interval(mins => ${THROTTLE_WINDOW_MINUTES}::int)
                            THEN now() ELSE login_throttles.window_start END,
        locked_until = CASE
          WHEN ${lockable}::boolean AND login_throttles.window_start >= now() - make_interval(mins => ${THROTTLE_WINDOW_MINUTES}::int)
               AND login_throttles.failures + 1 >= ${LOCK_AFTER_FAILURES}::int
          THEN now() + make_interval(mins => ${LOCK_MINUTES}::int)
          ELSE login_throttles.locked_until END,
        updated_at = now()`;
  }
}

/** A successful sign-in clears the account's counters (the IP's stay). */
export async function clearAccountThrottle(db: Db, keys: ThrottleKeys): Promise<void> {
  await db.loginThrottle.deleteMany({ where: { key: { in: [keys.account, keys.accountFromIp] } } });
}
