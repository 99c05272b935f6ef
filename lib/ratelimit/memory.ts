// The in-process limiter, used when Upstash is not configured: the same fixed
// windows as the Upstash back end (aligned to the clock), in a Map. Memory stays
// bounded: windows that ended are swept every SWEEP_EVERY requests, and past
// maxEntries the oldest window is dropped (oldest first is also the next to end).
// Each process counts on its own, so N web instances allow N times the limits.
import type { RateLimitBackend, WindowCount } from './backend';

const SWEEP_EVERY = 1_000;
export const DEFAULT_MAX_ENTRIES = 100_000;

interface Window {
  bucket: number;
  count: number;
  resetAt: number;
}

export interface MemoryBackend extends RateLimitBackend {
  /** Keys currently held (tests and the benchmark check the bound). */
  size(): number;
  clear(): void;
}

export interface MemoryBackendOptions {
  maxEntries?: number;
  /** Clock in epoch milliseconds (tests move it). */
  now?: () => number;
}

export function createMemoryBackend(options: MemoryBackendOptions = {}): MemoryBackend {
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const now = options.now ?? Date.now;
  const windows = new Map<string, Window>();
  let sinceSweep = 0;

  function sweep(at: number): void {
    for (const [key, window] of windows) if (window.resetAt <= at) windows.delete(key);
  }

  function count(key: string, limit: number, windowMs: number): WindowCount {
    const at = now();
    const bucket = Math.floor(at / windowMs);
    let window = windows.get(key);
    if (!window || window.bucket !== bucket) {
      // Re-inserted, so the Map's order stays "oldest window first".
      windows.delete(key);
      window = { bucket, count: 0, resetAt: (bucket + 1) * windowMs };
      windows.set(key, window);
    }
    window.count += 1;
    sinceSweep += 1;
    if (sinceSweep >= SWEEP_EVERY) {
      sinceSweep = 0;
      sweep(at);
    }
    while (windows.size > maxEntries) {
      const oldest = windows.keys().next();
      if (oldest.done) break;
      windows.delete(oldest.value);
    }
    return { allowed: window.count <= limit, limit, remaining: Math.max(0, limit - window.count), resetAt: window.resetAt };
  }

  return {
    name: 'memory',
    hit: (key, limit, windowMs) => Promise.resolve(count(key, limit, windowMs)),
    size: () => windows.size,
    clear: () => {
      windows.clear();
      sinceSweep = 0;
    },
  };
}
