// Job and queue figures read from PostgreSQL when Prometheus scrapes the web server.
// They live in the database, not in any one process, so every web instance reports
// the same values: aggregate them with max() (or scrape one instance), never sum().
// Each query is bounded: counts of live jobs, the last hour of finished jobs, and the
// newest 20,000 job events.
import { Gauge, type Registry } from 'prom-client';
import type { Db } from '@/lib/db/client';
import { describeError } from '@/lib/errors';
import { logger } from '@/lib/logger';

/** Job events read for stage durations, newest first (an index scan of the primary key). */
export const STAGE_EVENT_WINDOW = 20_000;

interface QueueRow {
  queue: string;
  ready: number;
  deferred: number;
  active: number;
  oldest: number | null;
}

interface StageRow {
  type: string;
  stage: string;
  n: number;
  total: number;
  p50: number;
  p95: number;
}

async function warnOnFailure<T>(what: string, read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    // A scrape must still answer (the HTTP metrics are in memory); the gap shows in the series.
    logger().warn({ err: describeError(error), metrics: what }, 'metrics query failed');
    return null;
  }
}

/** Registers the database-backed gauges on `registry`; their values are read at each scrape. */
export function registerJobMetrics(registry: Registry, db: () => Db): void {
  const registers = [registry];
  new Gauge({
    name: 'maneiro_jobs',
    help: 'Jobs by type and status: queued and running jobs, and jobs that finished in the last hour',
    labelNames: ['type', 'status'],
    registers,
    async collect() {
      this.reset();
      const rows = await warnOnFailure('jobs', () =>
        db().$queryRaw<{ type: string; status: string; n: number }[]>`
          SELECT type::text AS type, status::text AS status, count(*)::int AS n FROM jobs
          WHERE status IN ('queued', 'running') OR finished_at > now() - interval '1 hour'
          GROUP BY 1, 2`,
      );
      for (const row of rows ?? []) this.set({ type: row.type, status: row.status }, row.n);
    },
  });

  // Several gauges come from one query; prom-client collects gauges concurrently, so
  // they share the query's promise for the length of one scrape.
  // pg-boss creates its schema when the first worker or web instance starts the queue: until
  // then there is no queue to report, which is not a failure. Once seen, it is not asked again.
  let queueSchemaSeen = false;
  const queueRows = shared(() =>
    warnOnFailure('queue', async () => {
      if (!queueSchemaSeen) {
        const [schema] = await db().$queryRaw<{ present: boolean }[]>`SELECT to_regclass('pgboss.job') IS NOT NULL AS present`;
        if (!schema?.present) return [];
        queueSchemaSeen = true;
      }
      return db().$queryRaw<QueueRow[]>`
        SELECT name AS queue,
          count(*) FILTER (WHERE state IN ('created', 'retry') AND start_after <= now())::int AS ready,
          count(*) FILTER (WHERE state IN ('created', 'retry') AND start_after > now())::int AS deferred,
          count(*) FILTER (WHERE state = 'active')::int AS active,
          extract(epoch FROM now() - min(start_after) FILTER (WHERE state IN ('created', 'retry') AND start_after <= now()))::float8 AS oldest
        FROM pgboss.job WHERE state IN ('created', 'retry', 'active') GROUP BY name`;
    }),
  );
  new Gauge({
    name: 'maneiro_queue_jobs',
    help: 'pg-boss jobs by queue and state: ready (waiting for a worker), deferred (a retry or delivery scheduled later), active',
    labelNames: ['queue', 'state'],
    registers,
    async collect() {
      this.reset();
      for (const row of (await queueRows()) ?? []) {
        for (const state of ['ready', 'deferred', 'active'] as const) this.set({ queue: row.queue, state }, row[state]);
      }
    },
  });
  new Gauge({
    name: 'maneiro_queue_oldest_ready_age_seconds',
    help: 'How long the oldest job ready to run has waited for a worker, by queue (0: none waiting)',
    labelNames: ['queue'],
    registers,
    async collect() {
      this.reset();
      for (const row of (await queueRows()) ?? []) this.set({ queue: row.queue }, Math.max(0, row.oldest ?? 0));
    },
  });

  // A stage runs from its first event to the first event of the next stage (progress
  // events inside a stage are folded in); the final stage has no end and is left out.
  const stageRows = shared(() =>
    warnOnFailure('stages', () =>
      db().$queryRaw<StageRow[]>`
        WITH recent AS (
          SELECT id, job_id, stage, created_at FROM job_events ORDER BY id DESC LIMIT ${STAGE_EVENT_WINDOW}
        ), starts AS (
          SELECT id, job_id, stage, created_at, lag(stage) OVER (PARTITION BY job_id ORDER BY id) AS previous FROM recent
        ), spans AS (
          SELECT job_id, stage, created_at AS started_at, lead(created_at) OVER (PARTITION BY job_id ORDER BY id) AS ended_at
          FROM starts WHERE previous IS DISTINCT FROM stage
        )
        SELECT j.type::text AS type, s.stage, count(*)::int AS n,
          sum(extract(epoch FROM s.ended_at - s.started_at))::float8 AS total,
          percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM s.ended_at - s.started_at))::float8 AS p50,
          percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM s.ended_at - s.started_at))::float8 AS p95
        FROM spans s JOIN jobs j ON j.id = s.job_id
        WHERE s.ended_at > now() - interval '1 hour'
        GROUP BY 1, 2`,
    ),
  );
  new Gauge({
    name: 'maneiro_job_stage_duration_last_hour_seconds',
    help: 'Duration of job stages that ended in the last hour (from job_events), by job type, stage and quantile',
    labelNames: ['type', 'stage', 'quantile'],
    registers,
    async collect() {
      this.reset();
      for (const row of (await stageRows()) ?? []) {
        this.set({ type: row.type, stage: row.stage, quantile: '0.5' }, row.p50);
        this.set({ type: row.type, stage: row.stage, quantile: '0.95' }, row.p95);
      }
    },
  });
  new Gauge({
    name: 'maneiro_job_stage_duration_last_hour_count',
    help: 'Job stages that ended in the last hour, by job type and stage',
    labelNames: ['type', 'stage'],
    registers,
    async collect() {
      this.reset();
      for (const row of (await stageRows()) ?? []) this.set({ type: row.type, stage: row.stage }, row.n);
    },
  });
  new Gauge({
    name: 'maneiro_job_stage_duration_last_hour_seconds_sum',
    help: 'Total seconds of the job stages that ended in the last hour, by job type and stage',
    labelNames: ['type', 'stage'],
    registers,
    async collect() {
      this.reset();
      for (const row of (await stageRows()) ?? []) this.set({ type: row.type, stage: row.stage }, row.total);
    },
  });
}

/**
 * One run of `read` per scrape: prom-client starts every gauge's collect in the same
 * tick, so callers share the promise while it is pending and the next scrape reads again.
 */
function shared<T>(read: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | null = null;
  return () => {
    if (!pending) {
      const current = read();
      pending = current;
      const clear = () => {
        if (pending === current) pending = null;
      };
      current.then(clear, clear);
    }
    return pending;
  };
}
