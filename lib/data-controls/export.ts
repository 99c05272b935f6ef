// Exporting all of a clinic's data (owners only). Asking creates a ClinicExport
// row, its audit record and its `clinic.export` queue entry in one transaction;
// the worker writes the zip (archive.ts) to `<clinic>/exports/<id>.zip`; owners
// download it through GET /api/clinic/exports/[id] until it expires 7 days
// later, when the nightly job deletes it.
import { fromPrisma } from 'pg-boss';
import type { Readable } from 'node:stream';
import { recordAudit, type RequestContext, type Tx } from '@/lib/audit/record';
import type { Actor } from '@/lib/auth/authorize';
import { getConfig } from '@/lib/config';
import type { Db } from '@/lib/db/client';
import type { ClinicExport, ClinicExportStatus } from '@/lib/db/generated/client';
import { sendEmail } from '@/lib/email/send';
import { clinicExportReadyMessage } from '@/lib/email/templates';
import { AppError, describeError } from '@/lib/errors';
import { jobQueue } from '@/lib/jobs/queue';
import { CLINIC_EXPORT_QUEUE } from '@/lib/jobs/queues';
import { logger, type Logger } from '@/lib/logger';
import type { ObjectStorage } from '@/lib/storage/object-storage';
import { writeClinicArchive } from './archive';
import { assertOwner, DATA_SETTINGS_PATH } from './owners';

/** How long a finished export can be downloaded. */
export const EXPORT_TTL_DAYS = 7;
/** Seconds a presigned S3 download URL lives: long enough to start the download. */
export const EXPORT_DOWNLOAD_URL_TTL_SECONDS = 5 * 60;
/** A queued or running export older than this is considered lost (a dead worker past the queue's ceiling). */
export const EXPORT_STALE_AFTER_MS = 7 * 60 * 60 * 1000;

const DAY_MS = 24 * 60 * 60 * 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ClinicExportView {
  id: string;
  status: ClinicExportStatus;
  progress: number;
  requestedBy: string | null;
  createdAt: string;
  completedAt: string | null;
  expiresAt: string | null;
  downloadedAt: string | null;
  byteSize: number | null;
  recordCount: number | null;
  fileCount: number | null;
  /** Ready and not expired: the download link works. */
  downloadable: boolean;
}

type ExportRow = ClinicExport & { requestedBy: { name: string } | null };

export function toExportView(row: ExportRow, now: Date): ClinicExportView {
  return {
    id: row.id,
    status: row.status,
    progress: row.progress,
    requestedBy: row.requestedBy?.name ?? null,
    createdAt: row.createdAt.toISOString(),
    completedAt: row.completedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    downloadedAt: row.downloadedAt?.toISOString() ?? null,
    byteSize: row.byteSize === null ? null : Number(row.byteSize),
    recordCount: row.recordCount,
    fileCount: row.fileCount,
    downloadable: row.status === 'ready' && row.expiresAt !== null && row.expiresAt > now,
  };
}

export function exportKey(organizationId: string, exportId: string): string {
  return `${organizationId}/exports/${exportId}.zip`;
}

/** Sends the export's queue entry inside `tx`; returns the pg-boss id. Tests pass their own. */
export type ExportEnqueue = (tx: Tx, exportId: string) => Promise<string>;

export const enqueueExportInTransaction: ExportEnqueue = async (tx, exportId) => {
  const boss = await jobQueue();
  const id = await boss.send(CLINIC_EXPORT_QUEUE, { exportId }, { db: fromPrisma(tx) });
  if (!id) throw new AppError('unavailable', { message: `queue ${CLINIC_EXPORT_QUEUE} refused the job` });
  return id;
};

const withRequester = { requestedBy: { select: { name: true } } } as const;

function isStale(row: Pick<ClinicExport, 'status' | 'createdAt' | 'startedAt'>, now: Date): boolean {
  const since = row.startedAt ?? row.createdAt;
  return (row.status === 'queued' || row.status === 'running') && now.getTime() - since.getTime() > EXPORT_STALE_AFTER_MS;
}

/**
 * Starts an export of the actor's clinic, or answers the one already in
 * progress (one at a time per clinic: a double click makes one export).
 */
export async function requestClinicExport(
  db: Db,
  actor: Actor,
  request: RequestContext | null,
  options: { enqueue?: ExportEnqueue; now?: Date } = {},
): Promise<{ export: ClinicExportView; duplicate: boolean }> {
  assertOwner(actor, 'export all of its data');
  const now = options.now ?? new Date();
  const enqueue = options.enqueue ?? enqueueExportInTransaction;
  return db.$transaction(async (tx) => {
    // Serializes requests of one clinic, so two at once cannot both start an export.
    await tx.$queryRaw`SELECT id FROM organizations WHERE id = ${actor.organizationId}::uuid FOR UPDATE`;
    const active = await tx.clinicExport.findFirst({
      where: { organizationId: actor.organizationId, status: { in: ['queued', 'running'] } },
      orderBy: { createdAt: 'desc' },
      include: withRequester,
    });
    if (active && !isStale(active, now)) return { export: toExportView(active, now), duplicate: true };
    if (active) await tx.clinicExport.update({ where: { id: active.id }, data: { status: 'failed', errorCode: 'stalled' } });

    const created = await tx.clinicExport.create({ data: { organizationId: actor.organizationId, requestedById: actor.userId, status: 'queued', createdAt: now } });
    await recordAudit(tx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      event: 'data.export_requested',
      targetType: 'clinic_export',
      targetId: created.id,
      request,
    });
    const bossJobId = await enqueue(tx, created.id);
    const row = await tx.clinicExport.update({ where: { id: created.id }, data: { bossJobId }, include: withRequester });
    return { export: toExportView(row, now), duplicate: false };
  });
}

/** The clinic's exports, newest first (owners only). */
export async function listClinicExports(db: Db, actor: Actor, now: Date = new Date()): Promise<ClinicExportView[]> {
  assertOwner(actor, 'export all of its data');
  const rows = await db.clinicExport.findMany({
    where: { organizationId: actor.organizationId },
    orderBy: { createdAt: 'desc' },
    take: 10,
    include: withRequester,
  });
  return rows.map((row) => toExportView(row, now));
}

export interface RunExportOptions {
  now?: () => Date;
  log?: Logger;
}

/**
 * The worker's side: writes the zip and marks the export ready (audited as
 * data.exported), or failed. Returns quietly when the export is gone (the clinic
 * was deleted) or already finished (a redelivered queue entry).
 */
export async function runClinicExport(db: Db, storage: ObjectStorage, exportId: string, options: RunExportOptions = {}): Promise<ClinicExportStatus | null> {
  const now = options.now ?? (() => new Date());
  const log = options.log ?? logger().child({ queue: CLINIC_EXPORT_QUEUE });
  const claimed = await db.clinicExport.updateMany({
    where: { id: exportId, status: { in: ['queued', 'running'] } },
    data: { status: 'running', startedAt: now(), progress: 0, errorCode: null },
  });
  if (claimed.count === 0) return null;
  const row = await db.clinicExport.findUniqueOrThrow({ where: { id: exportId } });
  const key = exportKey(row.organizationId, row.id);
  const started = now();
  const fileName = `maneiro-clinic-export-${started.toISOString().slice(0, 10)}.zip`;

  let result;
  try {
    result = await writeClinicArchive(db, storage, {
      organizationId: row.organizationId,
      exportId: row.id,
      key,
      contentDisposition: `attachment; filename="${fileName}"`,
      now: started,
      onProgress: async ({ percent }) => {
        await db.clinicExport.updateMany({ where: { id: row.id, status: 'running' }, data: { progress: percent } });
      },
    });
  } catch (error) {
    // Type and code only: a message could quote a file name or a row.
    log.error({ exportId: row.id, err: describeError(error) }, 'clinic export failed');
    await storage.delete(key).catch(() => undefined);
    await db
      .$transaction(async (tx) => {
        const failed = await tx.clinicExport.updateMany({ where: { id: row.id, status: 'running' }, data: { status: 'failed', errorCode: 'export_failed' } });
        if (failed.count === 0) return;
        await recordAudit(tx, {
          organizationId: row.organizationId,
          actorUserId: row.requestedById,
          event: 'data.exported',
          targetType: 'clinic_export',
          targetId: row.id,
          outcome: 'failure',
        });
      })
      .catch((markError: unknown) => log.error({ exportId: row.id, err: describeError(markError) }, 'could not mark the export failed'));
    return 'failed';
  }

  const completedAt = now();
  const expiresAt = new Date(completedAt.getTime() + EXPORT_TTL_DAYS * DAY_MS);
  const marked = await db.$transaction(async (tx) => {
    const updated = await tx.clinicExport.updateMany({
      where: { id: row.id, status: 'running' },
      data: {
        status: 'ready',
        progress: 100,
        storageKey: key,
        byteSize: BigInt(result.byteSize),
        recordCount: result.recordCount,
        fileCount: result.fileCount,
        completedAt,
        expiresAt,
      },
    });
    if (updated.count === 0) return false;
    await recordAudit(tx, {
      organizationId: row.organizationId,
      actorUserId: row.requestedById,
      event: 'data.exported',
      targetType: 'clinic_export',
      targetId: row.id,
      metadata: { byteSize: result.byteSize, records: result.recordCount, files: result.fileCount, missingFiles: result.missingFiles },
    });
    return true;
  });
  if (!marked) {
    // The row went away while the zip was written (the clinic was deleted): so does the zip.
    await storage.delete(key).catch(() => undefined);
    return null;
  }
  await notifyExportReady(db, row.requestedById, row.organizationId, expiresAt).catch((error: unknown) =>
    log.warn({ exportId: row.id, err: describeError(error) }, 'export-ready email not sent'),
  );
  return 'ready';
}

async function notifyExportReady(db: Db, userId: string | null, organizationId: string, expiresAt: Date): Promise<void> {
  if (!userId) return;
  const member = await db.membership.findUnique({
    where: { organizationId_userId: { organizationId, userId } },
    select: { role: true, user: { select: { name: true, email: true } }, organization: { select: { name: true } } },
  });
  // Only someone who can still download it is told it is ready.
  if (member?.role !== 'owner') return;
  await sendEmail({
    to: member.user.email,
    ...clinicExportReadyMessage({ name: member.user.name, clinicName: member.organization.name, url: `${getConfig().app.url}${DATA_SETTINGS_PATH}`, expiresAt }),
  });
}

export type ExportDownload =
  | { type: 'redirect'; url: string }
  | { type: 'stream'; stream: Readable; byteSize: number | null; fileName: string };

function notFound(): AppError {
  return new AppError('not_found', { message: 'no such export of the clinic', userMessage: 'We could not find that export. Ask for a new one on Settings → Data.' });
}

/**
 * GET /api/clinic/exports/[id] without the HTTP: an owner of the clinic, an
 * export that is ready and not expired; audited (data.export_downloaded), then a
 * short-lived URL (S3) or the zip streamed through the app (local disk).
 */
export async function openClinicExportDownload(
  db: Db,
  storage: ObjectStorage,
  actor: Actor,
  exportId: string,
  request: RequestContext | null,
  now: Date = new Date(),
): Promise<ExportDownload> {
  assertOwner(actor, 'download its data exports');
  if (!UUID.test(exportId)) throw notFound();
  const row = await db.clinicExport.findFirst({ where: { id: exportId, organizationId: actor.organizationId } });
  if (!row) throw notFound();
  if (row.status === 'expired' || (row.status === 'ready' && row.expiresAt && row.expiresAt <= now)) {
    throw new AppError('conflict', { message: 'export expired', userMessage: 'This export has expired and was deleted. Ask for a new one on Settings → Data.' });
  }
  if (row.status !== 'ready' || !row.storageKey) {
    throw new AppError('conflict', { message: `export is ${row.status}`, userMessage: 'This export is not ready to download. Its progress is shown on Settings → Data.' });
  }
  const url = await storage.getDownloadUrl(row.storageKey, { expiresInSeconds: EXPORT_DOWNLOAD_URL_TTL_SECONDS });
  const stored = url ? null : await storage.getStream(row.storageKey);
  if (!url && !stored) throw new AppError('internal', { message: 'export object missing from storage' });
  try {
    await db.$transaction(async (tx) => {
      await tx.clinicExport.update({ where: { id: row.id }, data: { downloadedAt: now } });
      await recordAudit(tx, {
        organizationId: actor.organizationId,
        actorUserId: actor.userId,
        event: 'data.export_downloaded',
        targetType: 'clinic_export',
        targetId: row.id,
        metadata: { byteSize: row.byteSize === null ? null : Number(row.byteSize) },
        request,
      });
    });
  } catch (error) {
    stored?.stream.destroy();
    throw error;
  }
  if (url) return { type: 'redirect', url };
  const fileName = `maneiro-clinic-export-${(row.completedAt ?? row.createdAt).toISOString().slice(0, 10)}.zip`;
  return { type: 'stream', stream: stored!.stream, byteSize: stored!.byteSize, fileName };
}

/**
 * Nightly: deletes the zips of expired exports (status expired) and fails
 * exports a dead worker left queued or running. At most `limit` per run.
 */
export async function expireClinicExports(db: Db, storage: ObjectStorage, now: Date = new Date(), limit = 500): Promise<{ expired: number; stalled: number }> {
  const due = await db.clinicExport.findMany({
    where: { status: 'ready', expiresAt: { lte: now } },
    select: { id: true, storageKey: true },
    orderBy: { expiresAt: 'asc' },
    take: limit,
  });
  let expired = 0;
  for (const row of due) {
    if (row.storageKey) await storage.delete(row.storageKey);
    const updated = await db.clinicExport.updateMany({ where: { id: row.id, status: 'ready' }, data: { status: 'expired', storageKey: null } });
    expired += updated.count;
  }
  const stale = await db.clinicExport.findMany({
    where: { status: { in: ['queued', 'running'] }, createdAt: { lt: new Date(now.getTime() - EXPORT_STALE_AFTER_MS) } },
    select: { id: true, organizationId: true, status: true, createdAt: true, startedAt: true },
    take: limit,
  });
  let stalled = 0;
  for (const row of stale.filter((r) => isStale(r, now))) {
    await storage.delete(exportKey(row.organizationId, row.id)).catch(() => undefined);
    const updated = await db.clinicExport.updateMany({ where: { id: row.id, status: row.status }, data: { status: 'failed', errorCode: 'stalled' } });
    stalled += updated.count;
  }
  return { expired, stalled };
}
