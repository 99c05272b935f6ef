// REST API benchmark: GET /api/v1/jobs/{id} requests per second through the real
// route handler (key authentication, the clinic's plan, the per-key rate limit,
// the scope, the endpoint) against the same endpoint with authentication and rate
// limiting skipped (lib/api/handler.ts serveWithoutGuard, which hands the endpoint
// a principal resolved once up front), and the ratio of the two. Requests are
// Request objects handed to the handlers in process by 16 concurrent callers (no
// HTTP server, so the numbers are the handler's own cost); the job polled is
// queued, as while a client waits for a result, so the endpoint reads one row and
// writes no audit record. The limiter is the configured back end (in-process unless
// UPSTASH_REDIS_REST_URL is set); requests are spread over 200 keys of 8 clinics so
// no key reaches its 1,200-a-minute limit, and any 429 is printed. Modes alternate
// twice so drift affects both alike. Rates only: nothing here asserts a time.
//
// The route imports 'server-only', so the measurement runs in a child process under
// the react-server condition. Standalone (on DATABASE_URL's server, or 127.0.0.1:5432):
//   npx tsx tests/bench/api.ts
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { migrate } from '@/lib/db/migrations';
import { admin, assertLocal } from './scratch-database';

const CHILD_FLAG = 'MANEIRO_BENCH_API_CHILD';
const CONCURRENCY = 16;
const CLINICS = 8;
/** lib/api/keys.ts MAX_ACTIVE_KEYS per clinic. */
const KEYS_PER_CLINIC = 25;
const SECONDS_PER_RUN = 4;
const ORIGIN = 'http://maneiro.bench';

/** Runs the benchmark on a scratch database created on `serverUrl`'s server, dropped afterwards. */
export async function benchApi(serverUrl: string): Promise<void> {
  assertLocal(serverUrl);
  const name = `maneiro_bench_api_${randomBytes(4).toString('hex')}`;
  await admin(serverUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  try {
    await migrate({ connectionString: url.toString() });
    const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', fileURLToPath(import.meta.url)], {
      stdio: 'inherit',
      env: { ...process.env, [CHILD_FLAG]: '1', DATABASE_URL: url.toString(), DATABASE_POOL_MAX: String(CONCURRENCY + 4), LOG_LEVEL: 'silent', STRIPE_SECRET_KEY: '', STRIPE_WEBHOOK_SECRET: '' },
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`API benchmark exited with code ${code}`);
  } finally {
    await admin(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
}

interface Tally {
  requests: number;
  seconds: number;
  limited: number;
  other: number;
  latencies: number[];
}

const emptyTally = (): Tally => ({ requests: 0, seconds: 0, limited: 0, other: 0, latencies: [] });

async function load(call: (n: number) => Promise<Response>, seconds: number, tally: Tally): Promise<void> {
  let next = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) {
        const n = next++;
        const t0 = performance.now();
        const response = await call(n);
        await response.arrayBuffer();
        tally.latencies.push(performance.now() - t0);
        tally.requests += 1;
        if (response.status === 429) tally.limited += 1;
        else if (response.status !== 200) tally.other += 1;
      }
    }),
  );
  tally.seconds += (performance.now() - started) / 1000;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function measure(): Promise<void> {
  const { setEnvironment } = await import('@/lib/config');
  setEnvironment({});
  const { db, disconnectDb } = await import('@/lib/db/client');
  const { createApiKey, authenticateApiKey } = await import('@/lib/api/keys');
  const { serveWithoutGuard } = await import('@/lib/api/handler');
  const { getJobEndpoint } = await import('@/lib/api/endpoints');
  const { GET } = await import('@/app/api/v1/jobs/[id]/route');
  const { getConfig } = await import('@/lib/config');

  // Eight Enterprise clinics, each with its owner, a queued job and 25 keys that can read it.
  const targets: { jobId: string; secret: string }[] = [];
  const principals = new Map<string, Awaited<ReturnType<typeof authenticateApiKey>>>();
  for (let c = 0; c < CLINICS; c += 1) {
    const clinic = await db().organization.create({ data: { name: `Bench clinic ${c}`, slug: `bench-api-${randomBytes(5).toString('hex')}`, planOverride: 'enterprise' }, select: { id: true } });
    const user = await db().user.create({ data: { email: `bench-api-${randomBytes(5).toString('hex')}@bench.test`, name: 'Bench owner' }, select: { id: true } });
    await db().membership.create({ data: { organizationId: clinic.id, userId: user.id, role: 'owner' } });
    const job = await db().job.create({ data: { organizationId: clinic.id, createdById: user.id, type: 'analysis', status: 'queued', inputText: 'Bench note.' }, select: { id: true } });
    const actor = { userId: user.id, organizationId: clinic.id, role: 'owner' as const };
    for (let k = 0; k < KEYS_PER_CLINIC; k += 1) {
      const { secret } = await createApiKey(db(), actor, { name: `Bench key ${k}`, scopes: ['jobs:read'] }, null);
      targets.push({ jobId: job.id, secret });
      if (k === 0) principals.set(job.id, await authenticateApiKey(db(), `Bearer ${secret}`));
    }
  }
  const target = (n: number) => targets[n % targets.length] ?? { jobId: '', secret: '' };
  const request = (n: number) => {
    const t = target(n);
    return { t, request: new Request(`${ORIGIN}/api/v1/jobs/${t.jobId}`, { headers: { authorization: `Bearer ${t.secret}` } }) };
  };
  const guarded = (n: number) => {
    const { t, request: r } = request(n);
    return GET(r, { params: Promise.resolve({ id: t.jobId }) });
  };
  const unguarded = (n: number) => {
    const { t, request: r } = request(n);
    const principal = principals.get(t.jobId);
    if (!principal) throw new Error('no principal for the job');
    return serveWithoutGuard(getJobEndpoint, r, { id: t.jobId }, principal);
  };

  // Unmeasured: the pool's connections, the JIT and every key's first lastUsedAt write.
  await load(guarded, 1, emptyTally());
  await load(unguarded, 1, emptyTally());
  const on = emptyTally();
  const off = emptyTally();
  for (let round = 0; round < 2; round += 1) {
    await load(guarded, SECONDS_PER_RUN, on);
    await load(unguarded, SECONDS_PER_RUN, off);
  }

  const backend = getConfig().upstash ? 'Upstash' : 'in-process';
  console.log(`REST API: GET /api/v1/jobs/{id} in process, ${CONCURRENCY} concurrent callers, a queued job (one row read, no audit write), ${targets.length} keys`);
  for (const [label, t] of [
    [`with key authentication and rate limiting (${backend} limiter)`, on],
    ['with both off (the same endpoint, principal given)', off],
  ] as const) {
    console.log(
      `  ${label.padEnd(62)} ${(t.requests / t.seconds).toFixed(0).padStart(6)} req/s   p50 ${percentile(t.latencies, 50).toFixed(2)} ms   p99 ${percentile(t.latencies, 99).toFixed(2)} ms   429s ${t.limited}   other non-200 ${t.other}`,
    );
  }
  const ratio = on.requests / on.seconds / (off.requests / off.seconds);
  console.log(`  authentication and rate limiting on: ${ratio.toFixed(2)}× the rate with both off (${((1 - ratio) * 100).toFixed(0)}% fewer requests per second)\n`);
  await disconnectDb();
}

if (process.env[CHILD_FLAG] === '1') {
  await measure();
} else if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchApi(process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres');
}
