// Starts the production build for the end-to-end tests: a fresh database on
// DATABASE_URL's server (or an embedded one), migrated, then `next start` and the
// background worker (scripts/worker.ts) beside it.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { ensureDatabase, scratchDir, startEmbeddedPostgres, type EmbeddedDatabase } from '@/lib/db/embedded';
import { migrate } from '@/lib/db/migrations';
import pg from 'pg';
import { startFakeOpenAI } from '../support/fake-openai';
import { startFakeSmtp } from '../support/fake-smtp';
import { startFakeStripe } from '../support/fake-stripe';

async function dropDatabase(admin: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`).finally(() => client.end());
}

const port = process.argv[2] ?? '3100';
let embedded: EmbeddedDatabase | undefined;
let adminUrl = process.env.DATABASE_URL;
const scratch = adminUrl ? undefined : scratchDir('maneiro-e2e-pg-');
if (!adminUrl) {
  embedded = await startEmbeddedPostgres({ dir: scratch!, port: 57000 + Math.floor(Math.random() * 2000) });
  adminUrl = embedded.urlFor('postgres');
}
const name = `maneiro_e2e_${randomBytes(4).toString('hex')}`;
await ensureDatabase(adminUrl, name);
const url = new URL(adminUrl);
url.pathname = `/${name}`;
await migrate({ connectionString: url.toString() });

// Email goes through the production SMTP transport to a fake server; tests read it
// from a small JSON endpoint on the next port (tests/e2e/support/inbox.ts).
const smtp = await startFakeSmtp();
// The same port also pauses and resumes the background worker (tests/e2e/support/worker.ts),
// so a test can hold a job in the queue long enough to cancel it.
const inbox = http.createServer((req, res) => {
  res.setHeader('content-type', 'application/json');
  if (req.method === 'POST' && (req.url === '/worker/pause' || req.url === '/worker/resume')) {
    const change = req.url === '/worker/pause' ? pauseWorker() : resumeWorker();
    void change.then(() => res.end(JSON.stringify({ pauses: workerPauses })));
    return;
  }
  res.end(JSON.stringify(smtp.received.map(({ to, subject, links }) => ({ to, subject, links }))));
});
await new Promise<void>((resolve) => inbox.listen(Number(port) + 1, '127.0.0.1', resolve));

// Billing is on, against the fake Stripe API: its checkout page delivers signed
// webhook events to this app, as Stripe would. New clinics are therefore Free.
const webhookSecret = `whsec_${randomBytes(16).toString('hex')}`;
const stripe = await startFakeStripe({ webhook: { url: `http://127.0.0.1:${port}/api/stripe/webhook`, secret: webhookSecret } });

// Tests that need to arrange data or sessions directly (the authorization matrix)
// read the database URL, session secret and fake Stripe's URL of this run from
// here (one file per port, so two runs on one checkout do not mix).
const authSecret = randomBytes(32).toString('hex');
fs.mkdirSync('test-results', { recursive: true });
fs.writeFileSync(`test-results/e2e-server-${port}.json`, JSON.stringify({ databaseUrl: url.toString(), authSecret, stripeUrl: stripe.url }));

// Transcription goes to a fake OpenAI audio endpoint (deterministic text per chunk).
// Only the transcription settings point at it: analyses stay on the offline analyzer.
const openai = await startFakeOpenAI();

const nextBin = path.join(process.cwd(), 'node_modules', 'next', 'dist', 'bin', 'next');
const appEnv: NodeJS.ProcessEnv = {
  ...process.env,
  NODE_ENV: 'production',
  DATABASE_URL: url.toString(),
  AUTH_SECRET: authSecret,
  APP_URL: `http://127.0.0.1:${port}`,
  LOG_LEVEL: 'warn',
  SMTP_URL: smtp.url,
  EMAIL_FROM: 'Maneiro <no-reply@maneiro.test>',
  STRIPE_SECRET_KEY: 'sk_test_e2e',
  STRIPE_WEBHOOK_SECRET: webhookSecret,
  STRIPE_PRICE_BASIC: 'price_basic',
  STRIPE_PRICE_PROFESSIONAL: 'price_professional',
  STRIPE_PRICE_ENTERPRISE: 'price_enterprise',
  STRIPE_API_URL: stripe.url,
  OPENAI_TRANSCRIBE_BASE_URL: openai.url,
  OPENAI_TRANSCRIBE_API_KEY: 'sk-e2e-transcribe',
};
const server = spawn(process.execPath, [nextBin, 'start', '--port', port, '--hostname', '127.0.0.1'], { stdio: 'inherit', env: appEnv });

// The background worker runs as its own process, as `npm run worker` does in production. Pauses
// nest (two tests may hold it at once); it runs again when the last one resumes it.
const tsxCli = path.join(process.cwd(), 'node_modules', 'tsx', 'dist', 'cli.mjs');
let worker: ChildProcess | undefined;
let workerPauses = 0;
function startWorkerProcess(): void {
  if (worker && worker.exitCode === null) return;
  // As `npm run worker` does: plain tsx.
  worker = spawn(process.execPath, [tsxCli, 'scripts/worker.ts'], { stdio: 'inherit', env: appEnv });
}
async function stopWorkerProcess(): Promise<void> {
  const running = worker;
  worker = undefined;
  if (!running || running.exitCode !== null) return;
  const exited = new Promise((resolve) => running.once('exit', resolve));
  running.kill('SIGTERM');
  await exited;
}
async function pauseWorker(): Promise<void> {
  workerPauses += 1;
  await stopWorkerProcess();
}
function resumeWorker(): Promise<void> {
  workerPauses = Math.max(0, workerPauses - 1);
  if (workerPauses === 0) startWorkerProcess();
  return Promise.resolve();
}
startWorkerProcess();

async function stop(): Promise<void> {
  await stopWorkerProcess();
  server.kill('SIGTERM');
  if (server.exitCode === null) await new Promise((resolve) => server.once('exit', resolve));
  inbox.close();
  await smtp.close();
  await stripe.close();
  await openai.close();
  if (embedded) await embedded.stop();
  else await dropDatabase(adminUrl!, name).catch(() => undefined);
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  process.exit(0);
}
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
server.once('exit', (code) => {
  if (code !== 0 && code !== null) process.exit(code);
});
