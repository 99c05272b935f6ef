// Queue names and policies shared by the producer (the web process, which
// enqueues inside the job's transaction) and the workers that serve them.
import type { Queue } from 'pg-boss';
import type { JobType } from '@/lib/db/generated/client';

export const ANALYSIS_QUEUE = 'analysis';
export const TRIAGE_QUEUE = 'triage';

/** Only ids cross the queue: the job row holds the input (and any PHI). */
export interface JobPayload {
  jobId: string;
  /** The request that created the job, for its log lines (lib/observability/log-context.ts). */
  requestId?: string;
}

export type QueueOptions = Omit<Queue, 'name'>;

/**
 * Analysis: 3 retries with exponential backoff (10 s, 20 s, 40 s… capped at 5 min)
 * for transient provider errors. The lease is the heartbeat: a worker touches
 * its job every 15 s, so one killed mid-job is noticed within ~30 s and the job
 * is delivered again; 15 minutes is the hard ceiling for a single attempt.
 */
export const ANALYSIS_QUEUE_OPTIONS: QueueOptions = {
  retryLimit: 3,
  retryDelay: 10,
  retryBackoff: true,
  retryDelayMax: 300,
  expireInSeconds: 15 * 60,
  heartbeatSeconds: 30,
  // Sends NOTIFY idle workers (useListenNotify) so a job starts within milliseconds, not a poll.
  notify: true,
};

export const TRANSCRIPTION_QUEUE = 'transcription';

/**
 * Transcription: a long recording is many provider calls, each chunk retried on
 * its own inside an attempt, so the whole job is retried less (2 times) and may
 * run longer (an hour per attempt: a 3-hour recording is ~18 chunks).
 */
export const TRANSCRIPTION_QUEUE_OPTIONS: QueueOptions = {
  retryLimit: 2,
  retryDelay: 30,
  retryBackoff: true,
  retryDelayMax: 600,
  expireInSeconds: 60 * 60,
  heartbeatSeconds: 30,
  notify: true,
};

/** Triage: the same retry and lease policy as analyses; a triage is shorter, so a 10-minute ceiling. */
export const TRIAGE_QUEUE_OPTIONS: QueueOptions = { ...ANALYSIS_QUEUE_OPTIONS, expireInSeconds: 10 * 60 };

export const LETTER_QUEUE = 'letter';

/** Letters: the same retry and lease policy as analyses; drafting one is short, so a 5-minute ceiling. */
export const LETTER_QUEUE_OPTIONS: QueueOptions = { ...ANALYSIS_QUEUE_OPTIONS, expireInSeconds: 5 * 60 };

export const WEBHOOK_DELIVER_QUEUE = 'webhook.deliver';

/**
 * Webhook deliveries schedule their own retries (lib/webhooks/deliver.ts): a failed HTTP attempt
 * completes its queue job and sends the next one with startAfter. pg-boss's retries only cover
 * the handler itself failing (the database away); an attempt takes at most ~10 s.
 */
export const WEBHOOK_DELIVER_QUEUE_OPTIONS: QueueOptions = {
  retryLimit: 5,
  retryDelay: 30,
  retryBackoff: true,
  retryDelayMax: 600,
  expireInSeconds: 60,
  notify: true,
};

export const CLINIC_EXPORT_QUEUE = 'clinic.export';

/**
 * A clinic's data export (lib/data-controls/export.ts): no automatic retry (a failed export is
 * marked failed and the owner asks again); a large clinic can take hours, so a long ceiling
 * with pg-boss's heartbeat noticing a dead worker.
 */
export const CLINIC_EXPORT_QUEUE_OPTIONS: QueueOptions = {
  retryLimit: 0,
  expireInSeconds: 6 * 60 * 60,
  heartbeatSeconds: 60,
  notify: true,
};

/** The queue that runs each job type. */
export const QUEUE_OF_TYPE: Record<JobType, string> = {
  analysis: ANALYSIS_QUEUE,
  transcription: TRANSCRIPTION_QUEUE,
  letter: LETTER_QUEUE,
  triage: TRIAGE_QUEUE,
};

/** Every queue a producer may send to, created on first use so sends never miss one. */
export const PRODUCER_QUEUES: Record<string, QueueOptions> = {
  [ANALYSIS_QUEUE]: ANALYSIS_QUEUE_OPTIONS,
  [TRIAGE_QUEUE]: TRIAGE_QUEUE_OPTIONS,
  [TRANSCRIPTION_QUEUE]: TRANSCRIPTION_QUEUE_OPTIONS,
  [LETTER_QUEUE]: LETTER_QUEUE_OPTIONS,
  [CLINIC_EXPORT_QUEUE]: CLINIC_EXPORT_QUEUE_OPTIONS,
  [WEBHOOK_DELIVER_QUEUE]: WEBHOOK_DELIVER_QUEUE_OPTIONS,
};
