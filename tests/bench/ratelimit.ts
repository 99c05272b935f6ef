// Rate-limit benchmark: limiter decisions per second through checkRateLimit (key
// hashing, policy lookup, the store) on the in-process back end and on the real
// @upstash/ratelimit SDK going through the Upstash REST bridge (tests/support) to
// the Redis at 127.0.0.1:6379, with one caller and with 32 concurrent callers,
// and the ratio between the two back ends. Every decision is counted, allowed or
// refused; "failed" counts decisions where the limiter errored (it must be 0).
// Rates only: nothing here asserts a time.
// Standalone (needs Redis on 127.0.0.1:6379 for the second half):
//   npx tsx tests/bench/ratelimit.ts
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { setEnvironment } from '@/lib/config';
import {
  checkRateLimit,
  createMemoryBackend,
  createUpstashBackend,
  resetRateLimitStore,
  setRateLimitBackend,
  type RateLimitBackend,
} from '@/lib/ratelimit';
import { startUpstashBridge } from '../../scripts/upstash-bridge/bridge';

const SECONDS = 2;
const CONCURRENCY = [1, 32] as const;
/** Checks per key before a caller moves to a fresh key, so memory and Redis keys stay few. */
const PER_KEY = 1_000;

interface Tally {
  decisions: number;
  allowed: number;
  failed: number;
  seconds: number;
}

async function measure(backend: RateLimitBackend, callers: number, seconds: number): Promise<Tally> {
  setRateLimitBackend(backend);
  const run = randomBytes(4).toString('hex');
  const tally: Tally = { decisions: 0, allowed: 0, failed: 0, seconds: 0 };
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: callers }, async (_, caller) => {
      for (let i = 0; performance.now() < deadline; i++) {
        const decision = await checkRateLimit('api', `key:bench-${run}-${caller}-${Math.floor(i / PER_KEY)}`, { plan: 'enterprise' });
        tally.decisions += 1;
        if (decision.allowed) tally.allowed += 1;
        // The API policy fails open: a failure shows as an allowed decision with the full limit left.
        if (decision.failedClosed || (decision.allowed && decision.remaining === decision.limit)) tally.failed += 1;
      }
    }),
  );
  tally.seconds = (performance.now() - started) / 1000;
  return tally;
}

const rate = (t: Tally) => t.decisions / t.seconds;
const line = (name: string, t: Tally) =>
  `  ${name.padEnd(34)} ${rate(t).toFixed(0).padStart(8)} decisions/s   (${t.decisions} in ${t.seconds.toFixed(1)} s, ${t.allowed} allowed, failed ${t.failed})`;

export async function benchRateLimit(): Promise<void> {
  // Keys are hashed under AUTH_SECRET; the benchmark brings its own.
  setEnvironment({ AUTH_SECRET: 'bench-only-secret-'.padEnd(40, 'x') });
  console.log(`Rate-limit decisions (checkRateLimit, API policy at the Enterprise limit, ${SECONDS} s per row)`);
  const memory: Record<number, Tally> = {};
  for (const callers of CONCURRENCY) {
    await measure(createMemoryBackend(), callers, 0.3); // warm: JIT
    memory[callers] = await measure(createMemoryBackend(), callers, SECONDS);
    console.log(line(`in-process, ${callers} caller${callers === 1 ? '' : 's'}`, memory[callers]));
  }

  let bridge: Awaited<ReturnType<typeof startUpstashBridge>>;
  try {
    bridge = await startUpstashBridge();
  } catch {
    console.log('  Upstash bridge: skipped (no Redis on 127.0.0.1:6379)\n');
    setRateLimitBackend(null);
    resetRateLimitStore();
    return;
  }
  const prefix = `maneiro-bench:rl:${randomBytes(4).toString('hex')}`;
  const upstash = createUpstashBackend({ url: bridge.url, token: bridge.token, timeoutMs: 5_000, prefix });
  try {
    for (const callers of CONCURRENCY) {
      await measure(upstash, callers, 0.3);
      const tally = await measure(upstash, callers, SECONDS);
      console.log(line(`Upstash via bridge, ${callers} caller${callers === 1 ? '' : 's'}`, tally));
      const inProcess = memory[callers];
      if (inProcess) console.log(`    in-process decides ${(rate(inProcess) / rate(tally)).toFixed(1)}× as fast with ${callers} caller${callers === 1 ? '' : 's'}`);
    }
    console.log('');
  } finally {
    setRateLimitBackend(null);
    resetRateLimitStore();
    await bridge.deleteKeys(prefix);
    await bridge.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchRateLimit();
}
