// The background worker: pg-boss on the application's PostgreSQL. Any number of
// worker processes can run; pg-boss hands each job to exactly one of them
// (SKIP LOCKED) and retries failed ones per queue policy.
import { PgBoss, type ConstructorOptions, type Job, type JobResult, type Queue } from 'pg-boss';
import type { Logger } from '@/lib/logger';
import { describeError } from '@/lib/errors';
import { jobLogContext, withLogContext } from '@/lib/observability/log-context';
import { recordJobRun } from '@/lib/observability/metrics';

export const PGBOSS_SCHEMA = 'pgboss';

export interface JobHandlerDefinition<T = unknown> {
  queue: string;
  /** Queue options (retries, expiry, retention) applied when the queue is created. */
  queueOptions?: Omit<Queue, 'name'>;
  /** Handles one job. Throwing fails that job alone (it is retried per the queue's policy). */
  handle: (job: Job<T>) => Promise<void>;
  /** A recurring job (pg-boss cron: one job per occurrence however many workers run). */
  schedule?: { cron: string; tz?: string; data?: object };
  /** Checked at start; when false this process neither serves the queue nor keeps its schedule. */
  enabled?: () => boolean;
}

export interface WorkerOptions {
  connectionString: string;
  handlers: readonly JobHandlerDefinition[];
  concurrency: number;
  batchSize: number;
  pollSeconds: number;
  log: Logger;
  /**
   * Poll interval while NOTIFY wakes this worker for new jobs. Retries and delayed jobs send no
   * NOTIFY, so this bounds how late they start. Default: pollSeconds, at least 5 s.
   */
  notifyPollSeconds?: number;
  /** How long stop() lets running jobs finish before aborting them (they are then retried). Default 30 s. */
  shutdownGraceMs?: number;
  /** pg-boss settings for this process (tests shorten supervision intervals). */
  bossOptions?: Partial<ConstructorOptions>;
}

export interface RunningWorker {
  boss: PgBoss;
  queues: string[];
  stop(): Promise<void>;
}

export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const boss = new PgBoss({
    connectionString: options.connectionString,
    schema: PGBOSS_SCHEMA,
    application_name: 'maneiro-worker',
    max: Math.max(4, Math.min(options.concurrency + 2, 20)),
    // Queues created with `notify` wake an idle worker on send instead of waiting for its next poll.
    useListenNotify: true,
    ...options.bossOptions,
  });
  let shutdownNoticed = false;
  boss.on('error', (error) => {
    const err = describeError(error);
    // 57P01: the database is shutting down (e.g. Ctrl-C reached PostgreSQL first); pg-boss reconnects or we stop.
    if (err.code !== '57P01') options.log.error({ err }, 'job queue error');
    else if (!shutdownNoticed) {
      shutdownNoticed = true;
      options.log.info('database is shutting down; job queue paused');
    }
  });
  await boss.start();

  const queues: string[] = [];
  for (const definition of options.handlers) {
    if (definition.enabled && !definition.enabled()) {
      // A schedule stored while the feature was on would go on queueing jobs nobody serves.
      if (definition.schedule) await boss.unschedule(definition.queue);
      continue;
    }
    await boss.createQueue(definition.queue, definition.queueOptions);
    // One fetch loop per unit of concurrency, each registered on its own so that it knows its id:
    // after a batch it wakes itself to fetch again at once (there may be a backlog) instead of
    // sleeping out the poll interval; an empty fetch sends it back to polling. pg-boss's own
    // burstWhenBatchFull does this only for batches larger than one job.
    for (let loop = 0; loop < options.concurrency; loop++) {
      // Filled in once work() returns; the loop may take its first batch before that.
      const loop: { id?: string } = {};
      loop.id = await boss.work(
        definition.queue,
        {
          batchSize: options.batchSize,
          localConcurrency: 1,
          pollingIntervalSeconds: options.pollSeconds,
          notifyPollingIntervalSeconds: options.notifyPollSeconds ?? Math.max(options.pollSeconds, 5),
          perJobResults: true,
        },
        // Jobs of a batch settle one by one: a failing job never drags its neighbours into a retry.
        async (jobs: Job<unknown>[]): Promise<JobResult[]> => {
          const results = await Promise.all(
            jobs.map(async (job): Promise<JobResult> => {
              const started = performance.now();
              const elapsed = () => (performance.now() - started) / 1000;
              try {
                // Every line the handler logs names the job and the request that created it.
                await withLogContext(jobLogContext(definition.queue, job.id, job.data), () => definition.handle(job));
                recordJobRun(definition.queue, 'completed', elapsed());
                return { id: job.id, status: 'completed' };
              } catch (error) {
                recordJobRun(definition.queue, 'failed', elapsed());
                const detail = describeError(error);
                options.log.warn({ queue: definition.queue, jobId: job.id, err: detail }, 'job failed');
                // Stored on the pg-boss row: the error type and code only, never a message that could carry PHI.
                return { id: job.id, status: 'failed', output: { type: detail.type, code: detail.code ?? null } };
              }
            }),
          );
          if (loop.id) boss.notifyWorker(loop.id);
          return results;
        },
      );
    }
    if (definition.schedule) {
      const { cron, tz, data } = definition.schedule;
      // Idempotent: every worker start rewrites the same row (name, key '').
      await boss.schedule(definition.queue, cron, data ?? null, { tz: tz ?? 'UTC' });
    }
    queues.push(definition.queue);
  }
  options.log.info({ queues, concurrency: options.concurrency, batchSize: options.batchSize }, 'worker started');

  let stopping: Promise<void> | undefined;
  return {
    boss,
    queues,
    stop() {
      // Graceful: stop fetching, let running jobs finish (up to the grace period), then abort the
      // rest (their handlers hand them back and pg-boss retries them) and close the pool.
      stopping ??= boss.stop({ graceful: true, timeout: options.shutdownGraceMs ?? 30_000, close: true }).then(() => {
        options.log.info('worker stopped');
      });
      return stopping;
    },
  };
}
