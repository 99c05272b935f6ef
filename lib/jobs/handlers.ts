// Every queue the worker serves. Each job type (analysis, transcription, letter,
// triage) registers its handler here when it is built.
import { getConfig } from '@/lib/config';
import { clinicDeletionJob, clinicExportJob, dataRetentionJob } from '@/lib/data-controls/jobs';
import { db } from '@/lib/db/client';
import { logger } from '@/lib/logger';
import { createWebhookDeliveryHandler } from '@/lib/webhooks/deliver';
import { createAnalysisHandler } from './analysis-handler';
import { createLetterHandler } from './letter-handler';
import { createSweepHandler } from './sweeper';
import { createTranscriptionHandler } from './transcription-handler';
import { createTriageHandler } from './triage-handler';
import type { JobHandlerDefinition } from './worker';

/** Nightly: every clinic's subscriptions re-read from Stripe (lib/billing/reconcile.ts). Only while billing is on. */
export const billingReconcileJob: JobHandlerDefinition = {
  queue: 'billing.reconcile',
  queueOptions: { retryLimit: 2, retryDelay: 600, retryBackoff: true, expireInSeconds: 3600 },
  schedule: { cron: '0 3 * * *', tz: 'UTC' },
  enabled: () => getConfig().stripe.enabled,
  async handle() {
    // Imported when the job runs: a worker with billing off never loads the Stripe SDK.
    const { reconcileAllClinics } = await import('@/lib/billing/reconcile');
    const result = await reconcileAllClinics(db(), new Date(), { log: logger().child({ queue: 'billing.reconcile' }) });
    // Clinics that failed are logged by id and tried again the next night; the job itself succeeded.
    if (result.failed > 0 && result.failed === result.clinics) throw new Error('billing reconciliation failed for every clinic');
  },
};

/** Analyses: extraction, the analysis pipeline, the stored result (lib/jobs/analysis-handler.ts). */
export const analysisJob = createAnalysisHandler();

/** Fax triage: extraction, the triage pipeline, the stored result and urgency (lib/jobs/triage-handler.ts). */
export const triageJob = createTriageHandler();

/** Transcriptions: normalise, split at silences, transcribe chunk by chunk, stitch (lib/jobs/transcription-handler.ts). */
export const transcriptionJob = createTranscriptionHandler();

/** Letters: load the analysis, write the letter, store version 1 (lib/jobs/letter-handler.ts). */
export const letterJob = createLetterHandler();

/** Webhook deliveries: one attempt per queue job, retries scheduled by the handler (lib/webhooks/deliver.ts). */
export const webhookDeliveryJob = createWebhookDeliveryHandler();

/** Every minute: jobs whose queue entry died with them are failed and their quota released. */
export const sweepJob = createSweepHandler(db);

export const jobHandlers: readonly JobHandlerDefinition[] = [billingReconcileJob, analysisJob, transcriptionJob, triageJob, letterJob, sweepJob, webhookDeliveryJob, clinicExportJob, dataRetentionJob, clinicDeletionJob];
