// npm run bench — platform benchmarks, printed as rates measured in this run.
// Needs a production build (`npm run build`). Nothing here asserts a time.
//   1. embedded PostgreSQL cold start (first init) and warm start, each through
//      migrations and `next start` until /api/ready answers 200
//   2. /api/health and /api/ready throughput under a loopback load (autocannon)
//   3. password hashing rates and the cost of the per-request session check (./auth.ts)
//   4. Stripe webhook events processed per second, and wrong outcomes (./webhook.ts)
//   5. job-quota reservations per second under 50 concurrent clients, and wrong outcomes (./quota.ts)
//   6. offline analyses per second by note length (./analysis-offline.ts)
//   7. end-to-end analysis jobs per second at worker concurrency 1, 2 and 4, and the queue's
//      overhead against a direct analyzer call (./jobs.ts)
//   8. OCR pages per second (./ocr.ts)
//   9. peak memory while a 200 MB upload streams through, against idle (./upload-memory.ts)
//  10. audio normalising and splitting, seconds of audio per second, and peak memory for a
//      60-minute recording (./audio-split.ts)
//  11. letter PDFs: renders per second of a two-page letter (warm) and the first render in a
//      fresh process (cold) (./pdf.ts); 50 concurrent downloads through the PDF route, with
//      the error count (./letter-downloads.ts)
//  12. rate-limit decisions per second, in-process and through the Upstash bridge (./ratelimit.ts)
//  13. GET /api/v1/jobs/{id} requests per second with key authentication and rate limiting on,
//      against the same endpoint with both off (./api.ts)
//  14. capacity of two web instances and two workers behind a proxy: signed-in dashboard
//      requests/s and sustained job submissions/s at p95 under 300 ms, CPU per component
//      and the bottleneck named (./capacity.ts)
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { scratchDir, startEmbeddedPostgres, type EmbeddedDatabase } from '@/lib/db/embedded';
import { migrate } from '@/lib/db/migrations';
import { benchAnalysisOffline } from './analysis-offline';
import { benchApi } from './api';
import { benchAudioSplit } from './audio-split';
import { benchAuth } from './auth';
import { benchCapacity } from './capacity';
import { benchJobs } from './jobs';
import { benchLetterDownloads } from './letter-downloads';
import { benchOcr } from './ocr';
import { benchPdf } from './pdf';
import { benchQuota } from './quota';
import { benchRateLimit } from './ratelimit';
import { benchUploadMemory } from './upload-memory';
import { benchWebhook } from './webhook';

const PORT = 3300 + Math.floor(Math.random() * 500);
const PG_PORT = 58000 + Math.floor(Math.random() * 1000);
const BASE = `http://127.0.0.1:${PORT}`;
/** Known to the benchmarks that sign requests in (./letter-downloads.ts). */
const AUTH_SECRET = randomBytes(32).toString('hex');

if (!fs.existsSync(path.join('.next', 'BUILD_ID'))) {
  console.error('No production build found: run `npm run build` first.');
  process.exit(1);
}

function startServer(databaseUrl: string, dataDir: string): ChildProcess {
  const nextBin = path.join(process.cwd(), 'node_modules', 'next', 'dist', 'bin', 'next');
  return spawn(process.execPath, [nextBin, 'start', '--port', String(PORT), '--hostname', '127.0.0.1'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      AUTH_SECRET,
      // Uploaded files and exported PDFs stay in the scratch directory.
      DATA_DIR: dataDir,
      APP_URL: BASE,
      // Required in production; nothing in these benchmarks sends email.
      SMTP_URL: 'smtp://127.0.0.1:2525',
      LOG_LEVEL: 'warn',
    },
  });
}

async function waitReady(server: ChildProcess): Promise<void> {
  for (;;) {
    if (server.exitCode !== null) throw new Error(`next start exited with code ${server.exitCode}`);
    try {
      if ((await fetch(`${BASE}/api/ready`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null) return;
  const exited = new Promise((r) => server.once('exit', r));
  server.kill('SIGTERM');
  await exited;
}

interface StartTimes {
  database: number;
  migrations: number;
  server: number;
  total: number;
}

async function startStack(dir: string): Promise<{ times: StartTimes; db: EmbeddedDatabase; server: ChildProcess }> {
  const t0 = performance.now();
  const db = await startEmbeddedPostgres({ dir, port: PG_PORT });
  await db.ensureDatabase('maneiro');
  const t1 = performance.now();
  await migrate({ connectionString: db.urlFor('maneiro') });
  const t2 = performance.now();
  const server = startServer(db.urlFor('maneiro'), path.join(dir, 'files'));
  await waitReady(server);
  const t3 = performance.now();
  return { times: { database: t1 - t0, migrations: t2 - t1, server: t3 - t2, total: t3 - t0 }, db, server };
}

function load(url: string, seconds: number): Promise<autocannon.Result> {
  return autocannon({ url, connections: 16, duration: seconds, pipelining: 1 });
}

const ms = (n: number) => `${n.toFixed(0)} ms`;
const dir = scratchDir('maneiro-bench-');
try {
  console.log('Maneiro platform benchmarks (2 cores shared; compare numbers within one run)\n');

  const cold = await startStack(dir);
  await stopServer(cold.server);
  await cold.db.stop();
  const warm = await startStack(dir);

  console.log('Start-up to /api/ready 200');
  console.log('  phase          cold (first init)   warm (existing data)');
  for (const phase of ['database', 'migrations', 'server', 'total'] as const) {
    console.log(`  ${phase.padEnd(14)} ${ms(cold.times[phase]).padStart(17)}   ${ms(warm.times[phase]).padStart(20)}`);
  }
  console.log(`  embedded database: cold start takes ${(cold.times.database / warm.times.database).toFixed(1)}× the warm start\n`);

  await load(`${BASE}/api/health`, 2); // warm-up: JIT and route compilation
  const health = await load(`${BASE}/api/health`, 8);
  const ready = await load(`${BASE}/api/ready`, 8);
  console.log('Loopback load, 16 connections, 8 s each');
  for (const [name, r] of [['/api/health', health], ['/api/ready', ready]] as const) {
    console.log(
      `  ${name.padEnd(12)} ${r.requests.average.toFixed(0).padStart(6)} req/s   p50 ${r.latency.p50} ms   p99 ${r.latency.p99} ms   non-2xx ${r.non2xx}   errors ${r.errors}`,
    );
  }
  console.log(`  /api/ready serves ${(ready.requests.average / health.requests.average).toFixed(2)}× the rate of /api/health (/api/ready queries the database, /api/health does not)`);

  console.log('');
  await benchLetterDownloads(BASE, warm.db.urlFor('maneiro'), AUTH_SECRET);
  await stopServer(warm.server);
  await benchAuth(warm.db);
  await benchWebhook(warm.db);
  // On DATABASE_URL's server when set (as the tests do), else the embedded one.
  const serverUrl = process.env.DATABASE_URL || warm.db.urlFor('postgres');
  await benchQuota(serverUrl);
  await benchAnalysisOffline();
  await benchJobs(serverUrl);
  await benchOcr();
  await benchUploadMemory(serverUrl);
  await benchAudioSplit();
  await benchRateLimit();
  await benchApi(serverUrl);
  await benchCapacity(serverUrl);
  const pdf = await benchPdf();
  console.log(`  the cold first render takes ${(pdf.coldFirstRenderMs / (1000 / pdf.warmRendersPerSecond)).toFixed(1)}× a warm render\n`);
  await warm.db.stop();
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
