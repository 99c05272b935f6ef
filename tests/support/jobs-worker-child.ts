// A worker process for the crash-recovery test (tests/integration/jobs-crash.test.ts).
// Run with tsx (plain Node). `--slow`: the analysis hangs after its
// first stage so the parent can kill -9 this process mid-job. Prints "ready" and
// "started <jobId>" lines on stdout.
import { Writable } from 'node:stream';
import { defaultAnalyzer, createAnalysisHandler } from '@/lib/jobs/analysis-handler';
import { startWorker } from '@/lib/jobs/worker';
import { createLogger } from '@/lib/logger';
import { bootConfig } from '@/lib/config/boot';
import { requireDatabaseUrl } from '@/lib/config';

const slow = process.argv.includes('--slow');
const config = await bootConfig();
const silent = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, done) => done() }) });

const handler = createAnalysisHandler({
  log: silent,
  // The shortest lease pg-boss allows: a dead worker's job is noticed ~10 s later.
  queueOptions: { retryLimit: 3, retryDelay: 0, heartbeatSeconds: 10, expireInSeconds: 120, notify: true },
  analyze: async (input, context) => {
    await context.onStage('analyzing');
    const jobId = process.argv.find((a) => a.startsWith('--job='));
    process.stdout.write(`started ${jobId ?? ''}\n`);
    if (slow) await new Promise((resolve) => setTimeout(resolve, 10 * 60_000));
    return defaultAnalyzer(input, context);
  },
});

await startWorker({
  connectionString: requireDatabaseUrl(config),
  handlers: [handler],
  concurrency: 1,
  batchSize: 1,
  pollSeconds: 0.5,
  notifyPollSeconds: 0.5,
  log: silent,
  bossOptions: { superviseIntervalSeconds: 1, monitorIntervalSeconds: 1 },
});
process.stdout.write('ready\n');
