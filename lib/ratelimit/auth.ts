// Rate limits of the sign-in, sign-up and password-reset forms: per client IP and
// per email, both counted (IP first). Without a trusted client IP (TRUSTED_PROXY_HOPS=0
// behind Next.js) only the email is counted: one shared "unknown" bucket would let
// anyone lock everyone out.
import { checkRateLimits, emailKey, ipKey, rateLimitedError, type RateLimitDecision } from './index';

export type AuthRateLimitPolicy = 'signIn' | 'signUp' | 'passwordReset';

export interface AuthAttempt {
  ip: string | null;
  /** As typed; normalized (and hashed) here. Empty: not counted. */
  email: string | null;
}

/** The keys an attempt is counted under. */
export function authRateLimitKeys(attempt: AuthAttempt): string[] {
  const keys: string[] = [];
  const ip = attempt.ip ? ipKey(attempt.ip) : null;
  if (ip) keys.push(ip);
  if (attempt.email && attempt.email.trim() !== '') keys.push(emailKey(attempt.email.slice(0, 320)));
  return keys;
}

/** Counts the attempt; null when there was nothing to count it under. */
export function checkAuthRateLimit(policy: AuthRateLimitPolicy, attempt: AuthAttempt): Promise<RateLimitDecision | null> {
  return checkRateLimits(policy, authRateLimitKeys(attempt));
}

/** Counts the attempt and throws the 429 AppError when it is refused. */
export async function enforceAuthRateLimit(policy: AuthRateLimitPolicy, attempt: AuthAttempt): Promise<void> {
  const decision = await checkAuthRateLimit(policy, attempt);
  if (decision && !decision.allowed) throw rateLimitedError(decision);
}
