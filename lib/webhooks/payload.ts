// What a webhook says: the event, ids and links. Never PHI: no patient names,
// titles, note text or letter content, only ids and enum values, so the input
// types below admit nothing else.
import type { JobType } from '@/lib/db/generated/client';
import type { WebhookEvent } from './events';

export type WebhookEventInput =
  | { event: 'job.completed'; data: { jobId: string; jobType: JobType } }
  | { event: 'job.failed'; data: { jobId: string; jobType: JobType; errorCode: string } }
  | { event: 'letter.completed'; data: { letterId: string; jobId: string } };

interface JobRef {
  id: string;
  type: JobType;
  status: 'succeeded' | 'failed';
  /** The job in the app (sign-in required). */
  url: string;
  /** The job in the REST API (an API key required). */
  apiUrl: string;
}

export interface WebhookPayload {
  /** The event id, also sent as Maneiro-Webhook-Id: the same on every retry and resend. */
  id: string;
  type: WebhookEvent;
  createdAt: string;
  organizationId: string;
  data: {
    job: JobRef;
    error?: { code: string };
    letter?: { id: string; url: string; apiUrl: string; pdfUrl: string };
  };
}

/** Error codes are fixed identifiers; anything else is reported as `internal` rather than passed on. */
function safeCode(code: string): string {
  return /^[a-z][a-z0-9_.]{0,63}$/.test(code) ? code : 'internal';
}

export function buildWebhookPayload(input: WebhookEventInput & { organizationId: string; eventId: string; createdAt: Date; appUrl: string }): WebhookPayload {
  const base = input.appUrl.replace(/\/$/, '');
  const job = (id: string, type: JobType, status: JobRef['status']): JobRef => ({
    id,
    type,
    status,
    url: `${base}/jobs/${id}`,
    apiUrl: `${base}/api/v1/jobs/${id}`,
  });
  const envelope = { id: input.eventId, type: input.event, createdAt: input.createdAt.toISOString(), organizationId: input.organizationId };
  switch (input.event) {
    case 'job.completed':
      return { ...envelope, data: { job: job(input.data.jobId, input.data.jobType, 'succeeded') } };
    case 'job.failed':
      return { ...envelope, data: { job: job(input.data.jobId, input.data.jobType, 'failed'), error: { code: safeCode(input.data.errorCode) } } };
    case 'letter.completed': {
      const { letterId } = input.data;
      return {
        ...envelope,
        data: {
          job: job(input.data.jobId, 'letter', 'succeeded'),
          letter: { id: letterId, url: `${base}/reports/${letterId}`, apiUrl: `${base}/api/v1/letters/${letterId}`, pdfUrl: `${base}/api/v1/letters/${letterId}/pdf` },
        },
      };
    }
  }
}
