// Rate limiting behind one interface: @upstash/ratelimit on Upstash Redis when
// UPSTASH_REDIS_REST_URL/_TOKEN are set, an in-process limiter otherwise. The
// policies (limits, windows, what fails closed) live in ./policies.ts.
//
//   const decision = await checkRateLimit('jobSubmit', clinicKey(orgId), { plan });
//   if (!decision.allowed) throw rateLimitedError(decision);  // 429 + Retry-After, RateLimit-*
//
// When the store fails or is slower than RATE_LIMIT_TIMEOUT_MS, a fail-closed policy
// (sign-in, sign-up, password reset, job submission) refuses the request with
// `failedClosed: true`; the API policy lets it through.
import type { PlanId } from '@/lib/billing/plans';
import { getConfig } from '@/lib/config';
import { AppError, describeError } from '@/lib/errors';
import { logger } from '@/lib/logger';
import { recordRateLimitDenial } from '@/lib/observability/metrics';
import type { RateLimitBackend, WindowCount } from './backend';
import { splitKey, storeKey } from './keys';
import { createMemoryBackend, type MemoryBackend } from './memory';
import { RATE_LIMIT_POLICIES, ruleFor, type RateLimitPolicy } from './policies';
import { createUpstashBackend } from './upstash';

export type { RateLimitPolicy } from './policies';
export type { RateLimitBackend, WindowCount } from './backend';
export { RateLimiterUnavailableError } from './backend';
export { apiKeyKey, clinicKey, emailKey, ipKey } from './keys';
export { createMemoryBackend } from './memory';
export { createUpstashBackend } from './upstash';

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  resetAt: Date;
  retryAfterSeconds: number;
  /** the limiter failed and the policy fails closed */
  failedClosed: boolean;
}

/** How long a request refused because the limiter failed is asked to wait. */
export const FAIL_CLOSED_RETRY_SECONDS = 30;
const FAILURE_LOG_INTERVAL_MS = 10_000;

interface LimiterState {
  memory: MemoryBackend;
  configured?: RateLimitBackend;
  injected?: RateLimitBackend;
  lastFailureLoggedAt: number;
}

// On globalThis: Next bundles route handlers and server actions separately, and
// they must count in the same in-process store.
const STATE_KEY = Symbol.for('maneiro.ratelimit');
function state(): LimiterState {
  const g = globalThis as typeof globalThis & { [STATE_KEY]?: LimiterState };
  g[STATE_KEY] ??= { memory: createMemoryBackend(), lastFailureLoggedAt: 0 };
  return g[STATE_KEY];
}

function backend(): RateLimitBackend {
  const s = state();
  if (s.injected) return s.injected;
  if (!s.configured) {
    const config = getConfig();
    s.configured = config.upstash
      ? createUpstashBackend({ url: config.upstash.url, token: config.upstash.token, timeoutMs: config.rateLimit.timeoutMs, prefix: config.rateLimit.prefix })
      : s.memory;
  }
  return s.configured;
}

/** Test seam: count in this back end from now on (null: the configured one again). */
export function setRateLimitBackend(injected: RateLimitBackend | null): void {
  state().injected = injected ?? undefined;
}

/** Test seam: empties the in-process store and forgets the configured back end, so a changed config is read again. */
export function resetRateLimitStore(): void {
  const s = state();
  s.memory.clear();
  s.configured = undefined;
}

function logFailure(policy: RateLimitPolicy, store: string, error: unknown): void {
  const s = state();
  const now = Date.now();
  // During an outage every request fails; one line per interval says so.
  if (now - s.lastFailureLoggedAt < FAILURE_LOG_INTERVAL_MS) return;
  s.lastFailureLoggedAt = now;
  const failClosed = RATE_LIMIT_POLICIES[policy].failClosed;
  logger().warn(
    { policy, store, failClosed, err: describeError(error), cause: describeError(error instanceof Error ? error.cause : undefined) },
    failClosed ? 'rate limiter failed: refusing the request' : 'rate limiter failed: letting the request through',
  );
}

function decisionFrom(count: WindowCount, now: number): RateLimitDecision {
  return {
    allowed: count.allowed,
    limit: count.limit,
    remaining: count.remaining,
    resetAt: new Date(count.resetAt),
    retryAfterSeconds: count.allowed ? 0 : Math.max(1, Math.ceil((count.resetAt - now) / 1000)),
    failedClosed: false,
  };
}

/**
 * Counts one request for `key` (`ip:…`, `email:…`, `clinic:…` or `key:…`, see ./keys.ts)
 * under `policy`. Plan-dependent policies use `context.plan` (the strictest plan when absent).
 */
export async function checkRateLimit(policy: RateLimitPolicy, key: string, context?: { plan?: PlanId }): Promise<RateLimitDecision> {
  const { kind, value } = splitKey(key);
  const rule = ruleFor(policy, kind, context?.plan);
  const windowMs = rule.windowSeconds * 1000;
  const id = storeKey(policy, kind, value);
  const store = backend();
  try {
    const decision = decisionFrom(await store.hit(id, rule.limit, windowMs), Date.now());
    if (!decision.allowed) recordRateLimitDenial(policy, false);
    return decision;
  } catch (error) {
    logFailure(policy, store.name, error);
    const now = Date.now();
    if (RATE_LIMIT_POLICIES[policy].failClosed) {
      recordRateLimitDenial(policy, true);
      return {
        allowed: false,
        limit: rule.limit,
        remaining: 0,
        resetAt: new Date(now + FAIL_CLOSED_RETRY_SECONDS * 1000),
        retryAfterSeconds: FAIL_CLOSED_RETRY_SECONDS,
        failedClosed: true,
      };
    }
    // Failing open: nothing is known about the count, so the full limit is reported.
    return { allowed: true, limit: rule.limit, remaining: rule.limit, resetAt: new Date(now + windowMs), retryAfterSeconds: 0, failedClosed: false };
  }
}

/**
 * Checks several keys of one policy in order and stops at the first refusal, so a
 * request refused per IP does not also use up the email's allowance. Returns the
 * refusal, or the allowed decision with the least room left; null for no keys.
 */
export async function checkRateLimits(policy: RateLimitPolicy, keys: readonly string[], context?: { plan?: PlanId }): Promise<RateLimitDecision | null> {
  let tightest: RateLimitDecision | null = null;
  for (const key of keys) {
    const decision = await checkRateLimit(policy, key, context);
    if (!decision.allowed) return decision;
    if (!tightest || decision.remaining < tightest.remaining) tightest = decision;
  }
  return tightest;
}

/** IETF draft rate-limit fields: RateLimit-Limit, -Remaining, -Reset (seconds from now), and Retry-After when refused. */
export function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  const reset = decision.allowed ? Math.max(0, Math.ceil((decision.resetAt.getTime() - Date.now()) / 1000)) : decision.retryAfterSeconds;
  return {
    'RateLimit-Limit': String(decision.limit),
    'RateLimit-Remaining': String(decision.remaining),
    'RateLimit-Reset': String(reset),
    ...(decision.allowed ? {} : { 'Retry-After': String(decision.retryAfterSeconds) }),
  };
}

/** "45 seconds", "2 minutes", "1 hour": rounded up, so the user never retries too early. */
export function formatWait(seconds: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return plural(s, 'second');
  if (s < 3600) return plural(Math.ceil(s / 60), 'minute');
  return plural(Math.ceil(s / 3600), 'hour');
}

/**
 * The 429 for a refused decision, with its headers. `lead` replaces the opening
 * sentence of the user message ("Too many attempts.") where a caller can say more.
 */
export function rateLimitedErrorWith(decision: RateLimitDecision, lead: string): AppError {
  const wait = formatWait(decision.retryAfterSeconds);
  return new AppError('rate_limited', {
    message: decision.failedClosed ? 'rate limiter unavailable: request refused (fail closed)' : 'rate limit exceeded',
    userMessage: decision.failedClosed
      ? `We cannot accept this right now. Try again in ${wait}.`
      : `${lead} Try again in ${wait}.`,
    headers: rateLimitHeaders(decision),
  });
}

export function rateLimitedError(decision: RateLimitDecision): AppError {
  return rateLimitedErrorWith(decision, 'Too many attempts.');
}
