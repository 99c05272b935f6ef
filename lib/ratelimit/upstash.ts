// The shared limiter: @upstash/ratelimit's fixed window on Upstash Redis (or any
// server speaking its REST protocol). Two behaviours of the SDK matter here:
//  - Ratelimit's `timeout` resolves a slow check as `{ success: true, reason: 'timeout' }`,
//    i.e. it lets the request through; that is turned into an error so the policy decides.
//  - The Redis client retries failed fetches five times with backoff by default, and an
//    aborted plain AbortSignal becomes a 200 "Aborted" result; a signal *factory* makes an
//    abort throw instead, and one retry is enough for a dropped keep-alive connection.
import { Ratelimit } from '@upstash/ratelimit';
import { Redis } from '@upstash/redis';
import { RateLimiterUnavailableError, type RateLimitBackend } from './backend';

export const DEFAULT_UPSTASH_PREFIX = 'maneiro:rl';

export interface UpstashBackendOptions {
  url: string;
  token: string;
  /** A check slower than this fails (RATE_LIMIT_TIMEOUT_MS). */
  timeoutMs: number;
  /** Prefix of every Redis key; tests use one per run. */
  prefix?: string;
}

export function createUpstashBackend(options: UpstashBackendOptions): RateLimitBackend {
  const redis = new Redis({
    url: options.url,
    token: options.token,
    retry: { retries: 1, backoff: () => 20 },
    signal: () => AbortSignal.timeout(options.timeoutMs),
    enableTelemetry: false,
  });
  const prefix = options.prefix ?? DEFAULT_UPSTASH_PREFIX;
  // One limiter per (limit, window); they share the Redis client and key space.
  const limiters = new Map<string, Ratelimit>();
  const limiterFor = (limit: number, windowMs: number): Ratelimit => {
    const id = `${limit}/${windowMs}`;
    let limiter = limiters.get(id);
    if (!limiter) {
      limiter = new Ratelimit({
        redis,
        limiter: Ratelimit.fixedWindow(limit, `${windowMs} ms`),
        prefix,
        timeout: options.timeoutMs,
        analytics: false,
        // The SDK's local block cache grows with every blocked key until it is read again;
        // without it every check asks Redis, and memory stays flat under key-rotating floods.
        ephemeralCache: false,
      });
      limiters.set(id, limiter);
    }
    return limiter;
  };

  return {
    name: 'upstash',
    async hit(key, limit, windowMs) {
      let response: Awaited<ReturnType<Ratelimit['limit']>>;
      try {
        response = await limiterFor(limit, windowMs).limit(key);
      } catch (error) {
        throw new RateLimiterUnavailableError('redis request failed', { cause: error });
      }
      if (response.reason === 'timeout') throw new RateLimiterUnavailableError(`no answer within ${options.timeoutMs} ms`);
      if (!Number.isFinite(response.reset) || !Number.isFinite(response.remaining)) {
        throw new RateLimiterUnavailableError('malformed limiter response');
      }
      return { allowed: response.success, limit: response.limit, remaining: response.remaining, resetAt: response.reset };
    },
  };
}
