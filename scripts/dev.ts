// npm run dev — the whole product on one machine with nothing else installed:
// embedded PostgreSQL (unless DATABASE_URL is set), migrations, the background
// worker and the Next.js dev server. Ctrl-C stops everything this started.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { childEnvironment, getConfig } from '@/lib/config';
import { migrate } from '@/lib/db/migrations';
import { jobHandlers } from '@/lib/jobs/handlers';
import { closeSharedListeners } from '@/lib/jobs/listener';
import { stopJobQueue } from '@/lib/jobs/queue';
import { startWorker, type RunningWorker } from '@/lib/jobs/worker';
import { logger } from '@/lib/logger';
import { bootConfig, startupFailureMessage } from '@/lib/config/boot';
import { resolveDatabase, type ResolvedDatabase } from './lib/database';

let config = await bootConfig();
let database: ResolvedDatabase | undefined;
let worker: RunningWorker | undefined;
let web: ReturnType<typeof spawn> | undefined;
let shuttingDown = false;

async function shutdown(code: number): Promise<never> {
  if (!shuttingDown) {
    shuttingDown = true;
    console.log('\nStopping Maneiro…');
    if (web && web.exitCode === null) {
      const exited = new Promise((resolve) => web?.once('exit', resolve));
      web.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (web.exitCode === null) web.kill('SIGKILL');
    }
    await worker?.stop().catch(() => undefined);
    await Promise.all([closeSharedListeners(), stopJobQueue()]).catch(() => undefined);
    await database?.embedded?.stop().catch(() => undefined);
  }
  process.exit(code);
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(0));

try {
  database = await resolveDatabase(config);
  config = getConfig(); // re-read: DATABASE_URL may have just been set
  const applied = await migrate({ connectionString: database.url });
  if (applied.length > 0) console.log(`Applied ${applied.length} migration(s): ${applied.join(', ')}`);

  worker = await startWorker({
    connectionString: database.url,
    handlers: jobHandlers,
    concurrency: config.limits.workerConcurrency,
    batchSize: config.limits.workerBatchSize,
    pollSeconds: config.limits.workerPollSeconds,
    log: logger().child({ process: 'worker' }),
  });

  const nextBin = path.join(process.cwd(), 'node_modules', 'next', 'dist', 'bin', 'next');
  const server = spawn(process.execPath, [nextBin, 'dev', '--port', String(config.app.port)], {
    stdio: 'inherit',
    env: childEnvironment({ DATABASE_URL: database.url, NEXT_TELEMETRY_DISABLED: '1' }),
  });
  web = server;
  server.once('exit', (code) => {
    if (!shuttingDown) {
      console.error(`The Next.js dev server exited (code ${code ?? 'null'}).`);
      void shutdown(code ?? 1);
    }
  });

  const url = `http://localhost:${config.app.port}`;
  void waitForReady(`${url}/api/ready`).then((ready) => {
    if (ready) console.log(`\n  Maneiro is ready: ${url}\n  Press Ctrl-C to stop.\n`);
  });
} catch (error) {
  console.error(startupFailureMessage(error));
  await shutdown(1);
}

async function waitForReady(url: string): Promise<boolean> {
  for (let i = 0; i < 600 && !shuttingDown; i++) {
    try {
      const response = await fetch(url);
      if (response.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}
