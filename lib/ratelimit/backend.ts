// What a limiter store does: count one request against a key in a fixed window.

export interface WindowCount {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** When the current window ends (epoch milliseconds). */
  resetAt: number;
}

export interface RateLimitBackend {
  readonly name: string;
  /**
   * Counts one request for `key` in the window of `windowMs` that contains now.
   * Rejects when the store cannot answer (down, erroring, too slow).
   */
  hit(key: string, limit: number, windowMs: number): Promise<WindowCount>;
}

/** The limiter could not decide (a store error or a timeout). */
export class RateLimiterUnavailableError extends Error {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(`rate limiter unavailable: ${reason}`, options);
    this.name = 'RateLimiterUnavailableError';
  }
}
