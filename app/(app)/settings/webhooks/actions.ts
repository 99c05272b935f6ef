'use server';

import { headers } from 'next/headers';
import { ADMIN_ROLES } from '@/lib/auth/authorize';
import { db } from '@/lib/db/client';
import { requestContextFrom } from '@/lib/http/request-context';
import { runAction, type ActionResult } from '@/lib/web/action';
import { requireMembership } from '@/lib/web/session';
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  resendWebhookDelivery,
  rotateWebhookSecret,
  updateWebhookEndpoint,
} from '@/lib/webhooks/endpoints';

const context = async () => requestContextFrom(await headers());

/** Returns the signing secret: the only time it is ever shown. */
export async function createWebhookEndpointAction(input: unknown): Promise<ActionResult<{ endpointId: string; secret: string }>> {
  return runAction('createWebhookEndpoint', async () => {
    const actor = await requireMembership(null, ADMIN_ROLES);
    return createWebhookEndpoint(db(), actor, input, await context());
  });
}

export async function updateWebhookEndpointAction(endpointId: string, input: unknown): Promise<ActionResult> {
  return runAction('updateWebhookEndpoint', async () => {
    const actor = await requireMembership(null, ADMIN_ROLES);
    await updateWebhookEndpoint(db(), actor, String(endpointId), input, await context());
    return null;
  });
}

/** Returns the new secret (shown once) and until when the previous one keeps signing. */
export async function rotateWebhookSecretAction(endpointId: string): Promise<ActionResult<{ secret: string; previousValidUntil: string }>> {
  return runAction('rotateWebhookSecret', async () => {
    const actor = await requireMembership(null, ADMIN_ROLES);
    const rotated = await rotateWebhookSecret(db(), actor, String(endpointId), await context());
    return { secret: rotated.secret, previousValidUntil: rotated.previousValidUntil.toISOString() };
  });
}

export async function deleteWebhookEndpointAction(endpointId: string): Promise<ActionResult> {
  return runAction('deleteWebhookEndpoint', async () => {
    const actor = await requireMembership(null, ADMIN_ROLES);
    await deleteWebhookEndpoint(db(), actor, String(endpointId), await context());
    return null;
  });
}

export async function resendWebhookDeliveryAction(deliveryId: string): Promise<ActionResult<{ deliveryId: string }>> {
  return runAction('resendWebhookDelivery', async () => {
    const actor = await requireMembership(null, ADMIN_ROLES);
    return resendWebhookDelivery(db(), actor, String(deliveryId), await context());
  });
}
