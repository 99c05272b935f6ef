// The events a clinic's webhook endpoints can subscribe to, and the limits of an
// endpoint. Shared by the settings form (client) and the server.

export const WEBHOOK_EVENTS = ['job.completed', 'job.failed', 'letter.completed'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export const WEBHOOK_EVENT_LABELS: Record<WebhookEvent, { title: string; body: string }> = {
  'job.completed': { title: 'Job completed', body: 'An analysis, triage, transcription or letter job finished successfully.' },
  'job.failed': { title: 'Job failed', body: 'A job ended without a result (the error code says why).' },
  'letter.completed': { title: 'Letter completed', body: 'A letter’s first version was drafted and can be opened or downloaded as a PDF.' },
};

export function isWebhookEvent(value: string): value is WebhookEvent {
  return (WEBHOOK_EVENTS as readonly string[]).includes(value);
}

/** Endpoints per clinic: enough for a few systems, few enough that one event stays cheap to fan out. */
export const MAX_WEBHOOK_ENDPOINTS = 10;
export const WEBHOOK_URL_MAX_LENGTH = 2048;
export const WEBHOOK_DESCRIPTION_MAX_LENGTH = 200;
/** After a rotation the previous secret also signs deliveries for this long. */
export const SECRET_ROTATION_OVERLAP_HOURS = 24;
/** An endpoint whose every attempt has failed for this long is disabled. */
export const DISABLE_AFTER_FAILING_DAYS = 3;
/** How long a delivery keeps being retried. */
export const RETRY_WINDOW_HOURS = 24;
