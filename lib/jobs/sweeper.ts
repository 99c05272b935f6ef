// No job stays running (or queued) forever: a periodic pass compares live job
// rows with their pg-boss entries. When the entry is gone or settled (retries
// exhausted by crashes, expired past its retry limit, deleted), the job is failed
// with a clear message and its quota unit released. Jobs still queued or active
// in pg-boss are left alone: their lease (heartbeat, expiry) handles them.
import type { Db } from '@/lib/db/client';
import type { JobHandlerDefinition } from './worker';
import { STOPPED_MESSAGE } from './analysis-handler';
import { failJob } from './attempt';
import { jobQueue } from './queue';
import { QUEUE_OF_TYPE } from './queues';

export const SWEEP_QUEUE = 'jobs.sweep';
/** Only rows untouched this long are looked at (a job between stages is updated far more often). */
export const SWEEP_MIN_AGE_SECONDS = 120;

const LIVE_BOSS_STATES = new Set(['created', 'retry', 'active']);

export interface BossLookup {
  state(queue: string, bossJobId: string): Promise<string | null>;
}

const bossLookup: BossLookup = {
  async state(queue, bossJobId) {
    const boss = await jobQueue();
    const [found] = await boss.findJobs(queue, { id: bossJobId, limit: 1 });
    return found?.state ?? null;
  },
};

export async function sweepStuckJobs(
  db: Db,
  options: { minAgeSeconds?: number; lookup?: BossLookup; now?: Date } = {},
): Promise<{ checked: number; failed: number }> {
  const minAge = options.minAgeSeconds ?? SWEEP_MIN_AGE_SECONDS;
  const lookup = options.lookup ?? bossLookup;
  const cutoff = new Date((options.now ?? new Date()).getTime() - minAge * 1000);
  const candidates = await db.job.findMany({
    where: { type: { in: ['analysis', 'transcription', 'triage'] }, status: { in: ['queued', 'running'] }, updatedAt: { lt: cutoff }, bossJobId: { not: null } },
    select: { id: true, type: true, organizationId: true, createdById: true, bossJobId: true },
    orderBy: { updatedAt: 'asc' },
    take: 500,
  });
  let failed = 0;
  for (const job of candidates) {
    const queue = QUEUE_OF_TYPE[job.type];
    const state = queue && job.bossJobId ? await lookup.state(queue, job.bossJobId) : null;
    if (state && LIVE_BOSS_STATES.has(state)) continue;
    const done = await failJob(db, { jobId: job.id, organizationId: job.organizationId, createdById: job.createdById, attempt: null }, { code: 'stalled', userMessage: STOPPED_MESSAGE });
    if (done) failed++;
  }
  return { checked: candidates.length, failed };
}

export function createSweepHandler(getDb: () => Db): JobHandlerDefinition {
  return {
    queue: SWEEP_QUEUE,
    queueOptions: { retryLimit: 0, expireInSeconds: 300 },
    schedule: { cron: '* * * * *', tz: 'UTC' },
    async handle() {
      await sweepStuckJobs(getDb());
    },
  };
}
