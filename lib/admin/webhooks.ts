// Webhook trouble across clinics: endpoints that are disabled or failing, and
// deliveries that gave up in the last week. Endpoint URLs are reduced to their
// host (a path or query string may carry a customer's token); payloads and
// signing secrets never leave lib/webhooks.
import 'server-only';
import type { RequestContext } from '@/lib/audit/record';
import type { Db } from '@/lib/db/client';
import { recordConsoleView, requireOperator } from './operators';

export const FAILED_DELIVERY_WINDOW_DAYS = 7;
export const WEBHOOK_ROWS_SHOWN = 200;

export interface WebhookEndpointProblem {
  id: string;
  organizationId: string;
  clinicName: string;
  host: string;
  enabled: boolean;
  /** manual or failing (lib/webhooks/deliver.ts disables after days of failures). */
  disabledReason: string | null;
  disabledAt: Date | null;
  failingSince: Date | null;
}

export interface FailedDeliveryRow {
  id: string;
  endpointId: string;
  organizationId: string;
  clinicName: string;
  host: string;
  event: string;
  attempts: number;
  lastStatusCode: number | null;
  /** A short fixed description written by the deliverer, never a response body. */
  lastError: string | null;
  createdAt: Date;
  lastAttemptAt: Date | null;
}

export interface WebhookProblems {
  endpoints: WebhookEndpointProblem[];
  deliveries: FailedDeliveryRow[];
}

export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(invalid URL)';
  }
}

export async function listWebhookProblems(db: Db, userId: string, context: RequestContext | null, options: { now?: Date } = {}): Promise<WebhookProblems> {
  const operator = await requireOperator(db, userId);
  const since = new Date((options.now ?? new Date()).getTime() - FAILED_DELIVERY_WINDOW_DAYS * 86_400_000);
  const [endpoints, deliveries] = await Promise.all([
    db.webhookEndpoint.findMany({
      where: { OR: [{ enabled: false }, { failingSince: { not: null } }] },
      orderBy: { updatedAt: 'desc' },
      take: WEBHOOK_ROWS_SHOWN,
      select: { id: true, organizationId: true, url: true, enabled: true, disabledReason: true, disabledAt: true, failingSince: true, organization: { select: { name: true } } },
    }),
    db.webhookDelivery.findMany({
      where: { status: 'failed', createdAt: { gte: since } },
      orderBy: { createdAt: 'desc' },
      take: WEBHOOK_ROWS_SHOWN,
      select: {
        id: true,
        endpointId: true,
        organizationId: true,
        event: true,
        attempts: true,
        lastStatusCode: true,
        lastError: true,
        createdAt: true,
        lastAttemptAt: true,
        endpoint: { select: { url: true } },
        organization: { select: { name: true } },
      },
    }),
  ]);
  const result: WebhookProblems = {
    endpoints: endpoints.map((e) => ({
      id: e.id,
      organizationId: e.organizationId,
      clinicName: e.organization.name,
      host: hostOf(e.url),
      enabled: e.enabled,
      disabledReason: e.disabledReason,
      disabledAt: e.disabledAt,
      failingSince: e.failingSince,
    })),
    deliveries: deliveries.map((d) => ({
      id: d.id,
      endpointId: d.endpointId,
      organizationId: d.organizationId,
      clinicName: d.organization.name,
      host: hostOf(d.endpoint.url),
      event: d.event,
      attempts: d.attempts,
      lastStatusCode: d.lastStatusCode,
      lastError: d.lastError,
      createdAt: d.createdAt,
      lastAttemptAt: d.lastAttemptAt,
    })),
  };
  await recordConsoleView(db, operator, 'webhooks', context, { endpoints: result.endpoints.length, deliveries: result.deliveries.length });
  return result;
}
