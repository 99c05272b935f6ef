// Emitting a webhook event: called inside the transaction that completes or fails
// a job, so the delivery rows and their queue entries commit (or roll back)
// together with the job's new state. A clinic without endpoints pays one indexed
// query.
import { randomUUID } from 'node:crypto';
import { fromPrisma } from 'pg-boss';
import type { Tx } from '@/lib/audit/record';
import { mayUse } from '@/lib/billing/entitlements';
import { getConfig } from '@/lib/config';
import type { Prisma } from '@/lib/db/generated/client';
import { AppError } from '@/lib/errors';
import { jobQueue } from '@/lib/jobs/queue';
import { WEBHOOK_DELIVER_QUEUE } from '@/lib/jobs/queues';
import { buildWebhookPayload, type WebhookEventInput } from './payload';

/** What a `webhook.deliver` queue job carries: which delivery, and which attempt it is to make. */
export interface DeliveryJobPayload {
  deliveryId: string;
  attempt: number;
}

export type WebhookEnqueue = (tx: Tx, payload: DeliveryJobPayload, startAfter?: Date) => Promise<void>;

/** Sends one delivery attempt to the queue inside `tx`, optionally not before `startAfter`. */
export const enqueueDelivery: WebhookEnqueue = async (tx, payload, startAfter) => {
  const boss = await jobQueue();
  const id = await boss.send(WEBHOOK_DELIVER_QUEUE, { ...payload }, { db: fromPrisma(tx), ...(startAfter ? { startAfter } : {}) });
  if (!id) throw new AppError('unavailable', { message: `queue ${WEBHOOK_DELIVER_QUEUE} refused the job` });
};

export interface EmitOptions {
  enqueue?: WebhookEnqueue;
  now?: Date;
}

/**
 * Records one delivery per enabled endpoint of the clinic subscribed to the event
 * and queues its first attempt. Nothing happens for a clinic whose plan no longer
 * includes API access (its endpoints stay, silent, until it upgrades again).
 * Returns how many deliveries were created.
 */
export async function emitWebhookEvent(tx: Tx, input: { organizationId: string } & WebhookEventInput, options: EmitOptions = {}): Promise<number> {
  const endpoints = await tx.webhookEndpoint.findMany({
    where: { organizationId: input.organizationId, enabled: true, events: { has: input.event } },
    select: { id: true },
  });
  if (endpoints.length === 0) return 0;
  const now = options.now ?? new Date();
  if (!(await mayUse(tx, input.organizationId, 'apiAccess', now))) return 0;

  const eventId = randomUUID();
  const payload = buildWebhookPayload({ ...input, eventId, createdAt: now, appUrl: getConfig().app.url });
  const enqueue = options.enqueue ?? enqueueDelivery;
  for (const endpoint of endpoints) {
    const delivery = await tx.webhookDelivery.create({
      data: {
        endpointId: endpoint.id,
        organizationId: input.organizationId,
        event: input.event,
        eventId,
        payload: payload as unknown as Prisma.InputJsonValue,
        nextAttemptAt: now,
      },
      select: { id: true },
    });
    await enqueue(tx, { deliveryId: delivery.id, attempt: 1 });
  }
  return endpoints.length;
}
