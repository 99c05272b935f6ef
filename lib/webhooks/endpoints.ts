// A clinic's webhook endpoints and their delivery log: owners and admins of an
// Enterprise clinic manage them (webhooks go with API access). Every query is
// scoped to the actor's clinic; another clinic's ids are simply not found.
import 'server-only';
import { randomUUID } from 'node:crypto';
import { recordAudit, type RequestContext } from '@/lib/audit/record';
import { ADMIN_ROLES, assertRole, type Actor } from '@/lib/auth/authorize';
import { fieldErrorsOf } from '@/lib/auth/update-profile';
import { getClinicPlan } from '@/lib/billing/entitlements';
import { lowestPlanWith } from '@/lib/billing/plans';
import { getConfig } from '@/lib/config';
import type { Db } from '@/lib/db/client';
import type { Prisma, WebhookDeliveryStatus } from '@/lib/db/generated/client';
import { AppError } from '@/lib/errors';
import { enqueueDelivery, type WebhookEnqueue } from './emit';
import { isWebhookEvent, MAX_WEBHOOK_ENDPOINTS, SECRET_ROTATION_OVERLAP_HOURS, type WebhookEvent } from './events';
import { createEndpointSchema, updateEndpointSchema } from './schemas';
import { encryptSecret, generateSigningSecret, secretHint } from './secrets';
import { checkWebhookUrl, type UrlRules } from './url';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const NO_SUCH_ENDPOINT = 'We could not find that webhook endpoint. It may have been deleted.';
export const NO_SUCH_DELIVERY = 'We could not find that delivery. Its endpoint may have been deleted.';

export function webhooksPlanMessage(planName: string): string {
  return `Webhooks come with the ${lowestPlanWith('apiAccess').name} plan; your clinic is on ${planName}.`;
}

/** Owners and admins of a clinic whose plan includes API access; otherwise forbidden or plan_required. */
async function requireWebhooks(db: Db, actor: Actor): Promise<void> {
  assertRole(actor, ADMIN_ROLES);
  const { plan } = await getClinicPlan(db, actor.organizationId);
  if (!plan.features.has('apiAccess')) {
    throw new AppError('plan_required', { message: `plan ${plan.id} lacks webhooks`, userMessage: webhooksPlanMessage(plan.name) });
  }
}

export type EndpointStatus = 'active' | 'failing' | 'disabled' | 'disabled_failing';

export interface WebhookDeliveryView {
  id: string;
  event: string;
  eventId: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  lastAttemptAt: Date | null;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

export interface WebhookEndpointView {
  id: string;
  url: string;
  description: string | null;
  events: WebhookEvent[];
  status: EndpointStatus;
  enabled: boolean;
  disabledAt: Date | null;
  failingSince: Date | null;
  secretHint: string;
  /** While the previous secret still signs deliveries (after a rotation). */
  previousSecretValidUntil: Date | null;
  createdAt: Date;
  deliveries: WebhookDeliveryView[];
}

export type WebhookSettings =
  | { access: 'role' }
  | { access: 'plan'; planName: string; requiredPlanName: string }
  | { access: 'ok'; endpoints: WebhookEndpointView[]; maxEndpoints: number };

const endpointSelect = {
  id: true,
  url: true,
  description: true,
  events: true,
  enabled: true,
  disabledAt: true,
  disabledReason: true,
  failingSince: true,
  secretHint: true,
  previousSecretExpiresAt: true,
  createdAt: true,
} satisfies Prisma.WebhookEndpointSelect;

const deliverySelect = {
  id: true,
  event: true,
  eventId: true,
  status: true,
  attempts: true,
  lastStatusCode: true,
  lastError: true,
  lastAttemptAt: true,
  nextAttemptAt: true,
  deliveredAt: true,
  createdAt: true,
} satisfies Prisma.WebhookDeliverySelect;

function statusOf(e: { enabled: boolean; disabledReason: string | null; failingSince: Date | null }): EndpointStatus {
  if (!e.enabled) return e.disabledReason === 'failing' ? 'disabled_failing' : 'disabled';
  return e.failingSince ? 'failing' : 'active';
}

/** What the settings page shows this member: an explanation, the plan gate, or the endpoints with their recent deliveries. */
export async function getWebhookSettings(db: Db, actor: Actor, options: { deliveriesPerEndpoint?: number; now?: Date } = {}): Promise<WebhookSettings> {
  if (!ADMIN_ROLES.includes(actor.role)) return { access: 'role' };
  const { plan } = await getClinicPlan(db, actor.organizationId);
  if (!plan.features.has('apiAccess')) return { access: 'plan', planName: plan.name, requiredPlanName: lowestPlanWith('apiAccess').name };
  const now = options.now ?? new Date();
  const rows = await db.webhookEndpoint.findMany({ where: { organizationId: actor.organizationId }, orderBy: { createdAt: 'asc' }, select: endpointSelect });
  const endpoints = await Promise.all(
    rows.map(async (row): Promise<WebhookEndpointView> => ({
      id: row.id,
      url: row.url,
      description: row.description,
      events: row.events.filter(isWebhookEvent),
      status: statusOf(row),
      enabled: row.enabled,
      disabledAt: row.disabledAt,
      failingSince: row.failingSince,
      secretHint: row.secretHint,
      previousSecretValidUntil: row.previousSecretExpiresAt && row.previousSecretExpiresAt > now ? row.previousSecretExpiresAt : null,
      createdAt: row.createdAt,
      deliveries: await db.webhookDelivery.findMany({
        where: { endpointId: row.id, organizationId: actor.organizationId },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: options.deliveriesPerEndpoint ?? 20,
        select: deliverySelect,
      }),
    })),
  );
  return { access: 'ok', endpoints, maxEndpoints: MAX_WEBHOOK_ENDPOINTS };
}

async function findEndpoint(db: Db, actor: Actor, endpointId: string) {
  const endpoint = UUID.test(endpointId)
    ? await db.webhookEndpoint.findFirst({ where: { id: endpointId, organizationId: actor.organizationId }, select: { id: true, url: true, enabled: true, secretCiphertext: true } })
    : null;
  if (!endpoint) throw new AppError('not_found', { message: 'no such webhook endpoint in the clinic', userMessage: NO_SUCH_ENDPOINT });
  return endpoint;
}

export interface WebhookDeps {
  /** URL rules; default: production rules when NODE_ENV is production. */
  urlRules?: UrlRules;
  enqueue?: WebhookEnqueue;
  now?: Date;
}

/** Adds an endpoint. The signing secret is returned here once and never again. */
export async function createWebhookEndpoint(
  db: Db,
  actor: Actor,
  raw: unknown,
  request: RequestContext,
  deps: WebhookDeps = {},
): Promise<{ endpointId: string; secret: string }> {
  await requireWebhooks(db, actor);
  const parsed = createEndpointSchema.safeParse(raw);
  if (!parsed.success) throw new AppError('validation_failed', { fieldErrors: fieldErrorsOf(parsed.error) });
  const { description, events } = parsed.data;
  const count = await db.webhookEndpoint.count({ where: { organizationId: actor.organizationId } });
  if (count >= MAX_WEBHOOK_ENDPOINTS) {
    throw new AppError('conflict', { userMessage: `A clinic can have ${MAX_WEBHOOK_ENDPOINTS} webhook endpoints. Delete one you no longer use first.` });
  }
  const url = await checkWebhookUrl(parsed.data.url, deps.urlRules ?? { production: getConfig().app.isProduction });

  const endpointId = randomUUID();
  const secret = generateSigningSecret();
  await db.$transaction(async (tx) => {
    await tx.webhookEndpoint.create({
      data: { id: endpointId, organizationId: actor.organizationId, url, description, events, secretCiphertext: encryptSecret(secret, endpointId), secretHint: secretHint(secret) },
    });
    await recordAudit(tx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      event: 'webhook.endpoint_created',
      targetType: 'webhook_endpoint',
      targetId: endpointId,
      metadata: { host: new URL(url).host, events: events.join(',') },
      request,
    });
  });
  return { endpointId, secret };
}

/** Enables or disables an endpoint, or changes its events or description. Enabling clears a failing streak. */
export async function updateWebhookEndpoint(db: Db, actor: Actor, endpointId: string, raw: unknown, request: RequestContext, deps: WebhookDeps = {}): Promise<void> {
  await requireWebhooks(db, actor);
  const endpoint = await findEndpoint(db, actor, String(endpointId));
  const parsed = updateEndpointSchema.safeParse(raw);
  if (!parsed.success) throw new AppError('validation_failed', { fieldErrors: fieldErrorsOf(parsed.error) });
  const { enabled, events, description } = parsed.data;
  const now = deps.now ?? new Date();
  const data: Prisma.WebhookEndpointUpdateInput = {};
  if (enabled === true && !endpoint.enabled) Object.assign(data, { enabled: true, disabledAt: null, disabledReason: null, failingSince: null });
  if (enabled === false && endpoint.enabled) Object.assign(data, { enabled: false, disabledAt: now, disabledReason: 'manual' });
  if (events) data.events = events;
  if (description !== undefined) data.description = description;
  if (Object.keys(data).length === 0) return;
  await db.$transaction(async (tx) => {
    await tx.webhookEndpoint.update({ where: { id: endpoint.id }, data });
    await recordAudit(tx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      event: 'webhook.endpoint_updated',
      targetType: 'webhook_endpoint',
      targetId: endpoint.id,
      metadata: {
        ...(data.enabled !== undefined ? { enabled: enabled ?? null } : {}),
        ...(events ? { events: events.join(',') } : {}),
        ...(description !== undefined ? { descriptionChanged: true } : {}),
      },
      request,
    });
  });
}

/** A new signing secret, returned once; the previous one keeps signing (alongside) for 24 hours. */
export async function rotateWebhookSecret(
  db: Db,
  actor: Actor,
  endpointId: string,
  request: RequestContext,
  deps: WebhookDeps = {},
): Promise<{ secret: string; previousValidUntil: Date }> {
  await requireWebhooks(db, actor);
  const endpoint = await findEndpoint(db, actor, String(endpointId));
  const now = deps.now ?? new Date();
  const previousValidUntil = new Date(now.getTime() + SECRET_ROTATION_OVERLAP_HOURS * 3_600_000);
  const secret = generateSigningSecret();
  await db.$transaction(async (tx) => {
    // Only the latest previous secret overlaps: rotating twice in a day retires the oldest at once.
    await tx.webhookEndpoint.update({
      where: { id: endpoint.id },
      data: {
        secretCiphertext: encryptSecret(secret, endpoint.id),
        secretHint: secretHint(secret),
        previousSecretCiphertext: endpoint.secretCiphertext,
        previousSecretExpiresAt: previousValidUntil,
      },
    });
    await recordAudit(tx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      event: 'webhook.secret_rotated',
      targetType: 'webhook_endpoint',
      targetId: endpoint.id,
      metadata: { overlapHours: SECRET_ROTATION_OVERLAP_HOURS },
      request,
    });
  });
  return { secret, previousValidUntil };
}

/** Deletes an endpoint and its delivery log; queued attempts then find nothing to send. */
export async function deleteWebhookEndpoint(db: Db, actor: Actor, endpointId: string, request: RequestContext): Promise<void> {
  await requireWebhooks(db, actor);
  const endpoint = await findEndpoint(db, actor, String(endpointId));
  await db.$transaction(async (tx) => {
    const deliveries = await tx.webhookDelivery.count({ where: { endpointId: endpoint.id } });
    await tx.webhookEndpoint.delete({ where: { id: endpoint.id } });
    await recordAudit(tx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      event: 'webhook.endpoint_deleted',
      targetType: 'webhook_endpoint',
      targetId: endpoint.id,
      metadata: { host: new URL(endpoint.url).host, deliveries },
      request,
    });
  });
}

/** Sends a delivery's event again to its endpoint, as a new delivery with the same event id and payload. */
export async function resendWebhookDelivery(
  db: Db,
  actor: Actor,
  deliveryId: string,
  request: RequestContext,
  deps: WebhookDeps = {},
): Promise<{ deliveryId: string }> {
  await requireWebhooks(db, actor);
  const id = String(deliveryId);
  const original = UUID.test(id)
    ? await db.webhookDelivery.findFirst({
        where: { id, organizationId: actor.organizationId },
        select: { id: true, event: true, eventId: true, payload: true, endpointId: true, endpoint: { select: { enabled: true } } },
      })
    : null;
  if (!original) throw new AppError('not_found', { message: 'no such webhook delivery in the clinic', userMessage: NO_SUCH_DELIVERY });
  if (!original.endpoint.enabled) {
    throw new AppError('conflict', { userMessage: 'This endpoint is disabled, so it receives nothing. Enable it first, then resend.' });
  }
  const now = deps.now ?? new Date();
  const enqueue = deps.enqueue ?? enqueueDelivery;
  return db.$transaction(async (tx) => {
    const delivery = await tx.webhookDelivery.create({
      data: {
        endpointId: original.endpointId,
        organizationId: actor.organizationId,
        event: original.event,
        eventId: original.eventId,
        payload: original.payload as Prisma.InputJsonValue,
        nextAttemptAt: now,
      },
      select: { id: true },
    });
    await enqueue(tx, { deliveryId: delivery.id, attempt: 1 });
    await recordAudit(tx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      event: 'webhook.delivery_resent',
      targetType: 'webhook_delivery',
      targetId: delivery.id,
      metadata: { originalDeliveryId: original.id, endpointId: original.endpointId, event: original.event },
      request,
    });
    return { deliveryId: delivery.id };
  });
}
