// Every rate limit Maneiro applies, in one table. A policy counts requests per key;
// a key names what it counts (`ip:…`, `email:…`, `clinic:…`, `key:…`) and each
// policy accepts only its own kinds, so a call site cannot count the wrong thing.
// Windows are fixed (aligned to the clock), so Retry-After is exact: a window
// allows at most twice its limit across a boundary, which these limits can afford.
//
// Not limited on purpose: the Stripe webhook (signed, and Stripe retries), /api/health
// and /api/ready (probes must never be refused).
import type { PlanId } from '@/lib/billing/plans';

export type RateLimitPolicy = 'signIn' | 'signUp' | 'passwordReset' | 'jobSubmit' | 'api';
export type RateLimitKeyKind = 'ip' | 'email' | 'clinic' | 'key';

export interface RateLimitRule {
  limit: number;
  windowSeconds: number;
}

export interface PolicyDefinition {
  /** Refuse when the limiter fails (an error or a timeout) instead of letting the request through. */
  failClosed: boolean;
  /** The rule per key kind; a rule per plan where plans differ. */
  rules: Partial<Record<RateLimitKeyKind, RateLimitRule | Record<PlanId, RateLimitRule>>>;
}

const MINUTE = 60;
const HOUR = 60 * MINUTE;

export const RATE_LIMIT_POLICIES: Record<RateLimitPolicy, PolicyDefinition> = {
  // The database throttle (lib/auth/throttle.ts) still locks a source after 10 failures; this
  // layer counts every attempt, refuses before any password is hashed, and caps guessing at one
  // account from many addresses. A clinic behind one NAT address needs room for its whole staff.
  signIn: {
    failClosed: true,
    rules: { ip: { limit: 60, windowSeconds: 15 * MINUTE }, email: { limit: 20, windowSeconds: 15 * MINUTE } },
  },
  signUp: {
    failClosed: true,
    rules: { ip: { limit: 10, windowSeconds: HOUR }, email: { limit: 5, windowSeconds: HOUR } },
  },
  // Per email: at most three reset emails an hour reach one mailbox, whoever asks.
  passwordReset: {
    failClosed: true,
    rules: { ip: { limit: 10, windowSeconds: HOUR }, email: { limit: 3, windowSeconds: HOUR } },
  },
  // Bursts only: the monthly quota (lib/usage/quota.ts) limits volume.
  jobSubmit: {
    failClosed: true,
    rules: {
      clinic: {
        free: { limit: 10, windowSeconds: MINUTE },
        basic: { limit: 30, windowSeconds: MINUTE },
        professional: { limit: 60, windowSeconds: MINUTE },
        enterprise: { limit: 600, windowSeconds: MINUTE },
      },
    },
  },
  // Only Enterprise has the API today; the other rows keep the table complete if that changes.
  // Fails open: reads should survive a Redis outage, and job submissions through the API are
  // still counted by jobSubmit, which fails closed.
  api: {
    failClosed: false,
    rules: {
      key: {
        free: { limit: 60, windowSeconds: MINUTE },
        basic: { limit: 120, windowSeconds: MINUTE },
        professional: { limit: 300, windowSeconds: MINUTE },
        enterprise: { limit: 1200, windowSeconds: MINUTE },
      },
    },
  },
};

/** Plan used when a plan-dependent policy is checked without one: the strictest. */
export const FALLBACK_PLAN: PlanId = 'free';

function isRule(value: RateLimitRule | Record<PlanId, RateLimitRule>): value is RateLimitRule {
  return 'limit' in value;
}

/** The rule for a policy, key kind and plan; throws for a key kind the policy does not count (a programming error). */
export function ruleFor(policy: RateLimitPolicy, kind: string, plan: PlanId = FALLBACK_PLAN): RateLimitRule {
  const entry = RATE_LIMIT_POLICIES[policy].rules[kind as RateLimitKeyKind];
  if (!entry) throw new Error(`rate limit policy ${policy} has no rule for keys of kind "${kind}"`);
  return isRule(entry) ? entry : entry[plan];
}
