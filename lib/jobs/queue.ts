// The producer side of pg-boss: one started instance per process (web or script)
// that only sends and cancels. It never supervises, schedules or works queues;
// the worker processes do. Sends run on the caller's transaction, so a job row
// and its queue entry commit or roll back together.
import { fromPrisma, PgBoss, type SendOptions } from 'pg-boss';
import type { Tx } from '@/lib/audit/record';
import { getConfig, requireDatabaseUrl } from '@/lib/config';
import { AppError, describeError } from '@/lib/errors';
import { logger } from '@/lib/logger';
import { PRODUCER_QUEUES, type JobPayload } from './queues';
import { PGBOSS_SCHEMA } from './worker';

const KEY = Symbol.for('maneiro.jobQueue');
type Holder = typeof globalThis & { [KEY]?: { url: string; boss: Promise<PgBoss> } };

async function startProducer(connectionString: string): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString,
    schema: PGBOSS_SCHEMA,
    application_name: 'maneiro-producer',
    max: 2,
    supervise: false,
    schedule: false,
  });
  boss.on('error', (error) => logger().error({ err: describeError(error) }, 'job queue (producer) error'));
  await boss.start();
  for (const [name, options] of Object.entries(PRODUCER_QUEUES)) await boss.createQueue(name, options);
  return boss;
}

/** The process's producer, started on first use (and again if the database URL changed, as in tests). */
export function jobQueue(): Promise<PgBoss> {
  const g = globalThis as Holder;
  const url = requireDatabaseUrl(getConfig());
  const current = g[KEY];
  if (current && current.url === url) return current.boss;
  if (current) void current.boss.then((b) => b.stop({ graceful: false, close: true })).catch(() => undefined);
  const boss = startProducer(url);
  g[KEY] = { url, boss };
  // A failed start is not cached: the next call tries again.
  boss.catch(() => {
    if (g[KEY]?.boss === boss) g[KEY] = undefined;
  });
  return boss;
}

export async function stopJobQueue(): Promise<void> {
  const g = globalThis as Holder;
  const current = g[KEY];
  g[KEY] = undefined;
  if (current) await (await current.boss.catch(() => null))?.stop({ graceful: false, close: true });
}

export type Enqueue = (tx: Tx, queue: string, payload: JobPayload, options: Pick<SendOptions, 'priority'>) => Promise<string>;

/** Sends one job inside `tx` (the pg-boss row is written through the Prisma transaction). */
export const enqueueInTransaction: Enqueue = async (tx, queue, payload, options) => {
  const boss = await jobQueue();
  const id = await boss.send(queue, { ...payload }, { ...options, db: fromPrisma(tx) });
  if (!id) throw new AppError('unavailable', { message: `queue ${queue} refused the job` });
  return id;
};

/** Cancels a queued pg-boss job inside `tx`. */
export async function cancelQueued(tx: Tx, queue: string, bossJobId: string): Promise<void> {
  const boss = await jobQueue();
  await boss.cancel(queue, bossJobId, { db: fromPrisma(tx) });
}
