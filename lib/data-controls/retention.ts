// The clinic's retention period: after it, raw uploads (notes, scans, audio
// files) and unfinished recordings are purged from storage, while what was made
// from them (results, extracted text, transcripts, letters and their PDFs)
// stays. The nightly `data.retention` job does it in bounded batches; a rerun
// finds nothing new, and one file.deleted event per clinic per run says how
// much went.
import { recordAudit, type RequestContext } from '@/lib/audit/record';
import type { Actor } from '@/lib/auth/authorize';
import type { Db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { logger, type Logger } from '@/lib/logger';
import type { ObjectStorage } from '@/lib/storage/object-storage';
import { assertOwner } from './owners';
import { recordingChunkKey } from './stored-files';

/** The periods owners can choose, in days; null keeps raw files until someone deletes them. */
export const RETENTION_CHOICES = [30, 90, 180, 365] as const;
export type RetentionDays = (typeof RETENTION_CHOICES)[number] | null;

/** Files purged per run at most, over all clinics: the rest waits for the next night. */
export const RETENTION_BATCH_LIMIT = 2000;

const DAY_MS = 24 * 60 * 60 * 1000;

function parseRetention(value: unknown): RetentionDays {
  if (value === null || value === undefined || value === '' || value === 'keep') return null;
  const days = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,4}$/.test(value) ? Number(value) : NaN;
  const choice = RETENTION_CHOICES.find((c) => c === days);
  if (choice === undefined) {
    throw new AppError('validation_failed', {
      fieldErrors: { retentionDays: [`Choose ${RETENTION_CHOICES.join(', ')} days, or keep raw files.`] },
    });
  }
  return choice;
}

/** The clinic's retention period in days, or null (keep). Any member may read it. */
export async function getRetentionDays(db: Db, organizationId: string): Promise<number | null> {
  const clinic = await db.organization.findUnique({ where: { id: organizationId }, select: { retentionDays: true } });
  return clinic?.retentionDays ?? null;
}

export async function setRetentionDays(db: Db, actor: Actor, input: unknown, request: RequestContext | null): Promise<{ retentionDays: number | null; changed: boolean }> {
  assertOwner(actor, 'change how long raw files are kept');
  const retentionDays = parseRetention(input);
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM organizations WHERE id = ${actor.organizationId}::uuid FOR UPDATE`;
    const current = await tx.organization.findUnique({ where: { id: actor.organizationId }, select: { retentionDays: true } });
    if (!current) throw new AppError('not_found');
    if (current.retentionDays === retentionDays) return { retentionDays, changed: false };
    await tx.organization.update({ where: { id: actor.organizationId }, data: { retentionDays } });
    await recordAudit(tx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      event: 'data.retention_changed',
      targetType: 'organization',
      targetId: actor.organizationId,
      metadata: { from: current.retentionDays, to: retentionDays },
      request,
    });
    return { retentionDays, changed: true };
  });
}

export interface RetentionRun {
  clinics: number;
  uploads: number;
  recordings: number;
  bytes: number;
  /** Objects storage refused to delete: left as they were, tried again next run. */
  failed: number;
}

export interface PurgeOptions {
  now?: Date;
  limit?: number;
  log?: Logger;
}

/** Nightly: purges raw files older than each clinic's retention period. */
export async function purgeExpiredRawFiles(db: Db, storage: ObjectStorage, options: PurgeOptions = {}): Promise<RetentionRun> {
  const now = options.now ?? new Date();
  const log = options.log ?? logger().child({ queue: 'data.retention' });
  let budget = options.limit ?? RETENTION_BATCH_LIMIT;
  const run: RetentionRun = { clinics: 0, uploads: 0, recordings: 0, bytes: 0, failed: 0 };
  const clinics = await db.organization.findMany({ where: { retentionDays: { not: null } }, select: { id: true, retentionDays: true }, orderBy: { id: 'asc' } });

  for (const clinic of clinics) {
    if (budget <= 0) break;
    const cutoff = new Date(now.getTime() - clinic.retentionDays! * DAY_MS);

    const uploads = await db.upload.findMany({
      where: {
        organizationId: clinic.id,
        deletedAt: null,
        createdAt: { lt: cutoff },
        // A file a job is still reading waits for the next night.
        jobs: { none: { status: { in: ['queued', 'running'] } } },
      },
      select: { id: true, storageKey: true, byteSize: true },
      orderBy: { createdAt: 'asc' },
      take: budget,
    });
    const purgedUploads: string[] = [];
    let bytes = 0;
    for (const upload of uploads) {
      budget--;
      try {
        // The object first: a row marked deleted must never point at bytes that are still there.
        await storage.delete(upload.storageKey);
        purgedUploads.push(upload.id);
        bytes += upload.byteSize;
      } catch {
        run.failed++;
      }
    }

    // Recordings nobody finished: their chunks are raw audio too.
    const recordings = budget > 0
      ? await db.recording.findMany({
          where: { organizationId: clinic.id, status: 'recording', updatedAt: { lt: cutoff } },
          select: { id: true, organizationId: true, chunkCount: true, byteSize: true },
          orderBy: { updatedAt: 'asc' },
          take: budget,
        })
      : [];
    const purgedRecordings: string[] = [];
    for (const recording of recordings) {
      budget--;
      try {
        for (let index = 0; index < recording.chunkCount; index++) await storage.delete(recordingChunkKey(recording, index));
        purgedRecordings.push(recording.id);
        bytes += recording.byteSize;
      } catch {
        run.failed++;
      }
    }
    if (purgedUploads.length === 0 && purgedRecordings.length === 0) continue;

    const marked = await db.$transaction(async (tx) => {
      const u = await tx.upload.updateMany({ where: { id: { in: purgedUploads }, deletedAt: null }, data: { deletedAt: now } });
      const r = await tx.recording.updateMany({ where: { id: { in: purgedRecordings }, status: 'recording' }, data: { status: 'discarded' } });
      if (u.count + r.count === 0) return { uploads: 0, recordings: 0 };
      await recordAudit(tx, {
        organizationId: clinic.id,
        actorUserId: null,
        event: 'file.deleted',
        targetType: 'organization',
        targetId: clinic.id,
        metadata: { reason: 'retention', retentionDays: clinic.retentionDays, uploads: u.count, recordings: r.count, bytes },
      });
      return { uploads: u.count, recordings: r.count };
    });
    if (marked.uploads + marked.recordings > 0) run.clinics++;
    run.uploads += marked.uploads;
    run.recordings += marked.recordings;
    run.bytes += bytes;
  }
  if (run.failed > 0) log.warn({ failed: run.failed }, 'retention: some files could not be deleted; retried next run');
  log.info(run, 'retention run finished');
  return run;
}
