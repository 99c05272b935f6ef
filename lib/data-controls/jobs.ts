// The background side of the clinic data controls: the export queue and the two
// schedules (registered in lib/jobs/handlers.ts).
import type { Job } from 'pg-boss';
import { db } from '@/lib/db/client';
import { CLINIC_EXPORT_QUEUE, CLINIC_EXPORT_QUEUE_OPTIONS } from '@/lib/jobs/queues';
import type { JobHandlerDefinition } from '@/lib/jobs/worker';
import { logger } from '@/lib/logger';
import { getStorage } from '@/lib/storage';
import { deleteDueClinics } from './deletion';
import { expireClinicExports, runClinicExport } from './export';
import { purgeExpiredRawFiles } from './retention';

export const DATA_RETENTION_QUEUE = 'data.retention';
export const CLINIC_DELETION_QUEUE = 'clinic.deletion';

/** Writes one clinic export (lib/data-controls/export.ts). */
export const clinicExportJob: JobHandlerDefinition = {
  queue: CLINIC_EXPORT_QUEUE,
  queueOptions: CLINIC_EXPORT_QUEUE_OPTIONS,
  async handle(job: Job<unknown>) {
    const exportId = (job.data as { exportId?: unknown } | null)?.exportId;
    if (typeof exportId !== 'string') return;
    await runClinicExport(db(), getStorage(), exportId, { log: logger().child({ queue: CLINIC_EXPORT_QUEUE, exportId }) });
  },
};

/** Nightly: raw files past each clinic's retention period, then expired exports. */
export const dataRetentionJob: JobHandlerDefinition = {
  queue: DATA_RETENTION_QUEUE,
  queueOptions: { retryLimit: 2, retryDelay: 600, retryBackoff: true, expireInSeconds: 3600 },
  schedule: { cron: '30 2 * * *', tz: 'UTC' },
  async handle() {
    const log = logger().child({ queue: DATA_RETENTION_QUEUE });
    const storage = getStorage();
    await purgeExpiredRawFiles(db(), storage, { log });
    const exports = await expireClinicExports(db(), storage);
    log.info(exports, 'expired exports removed');
  },
};

/** Hourly: clinics whose 7-day grace period is over are deleted. */
export const clinicDeletionJob: JobHandlerDefinition = {
  queue: CLINIC_DELETION_QUEUE,
  queueOptions: { retryLimit: 0, expireInSeconds: 3600 },
  schedule: { cron: '15 * * * *', tz: 'UTC' },
  async handle() {
    const result = await deleteDueClinics(db(), getStorage(), { log: logger().child({ queue: CLINIC_DELETION_QUEUE }) });
    // Each failed clinic is logged and retried next hour; the run fails only when nothing could be done.
    if (result.failed > 0 && result.deleted === 0) throw new Error('every due clinic deletion failed');
  },
};
