'use server';

import { headers } from 'next/headers';
import { createApiKey, revokeApiKey } from '@/lib/api/keys';
import { ADMIN_ROLES } from '@/lib/auth/authorize';
import { db } from '@/lib/db/client';
import { requestContextFrom } from '@/lib/http/request-context';
import { runAction, type ActionResult } from '@/lib/web/action';
import { requireMembership } from '@/lib/web/session';

const context = async () => requestContextFrom(await headers());

/** The whole key comes back in this answer only; it is not stored anywhere. */
export async function createApiKeyAction(input: { name: string; scopes: string[] }): Promise<ActionResult<{ id: string; prefix: string; secret: string }>> {
  return runAction('createApiKey', async () => {
    const actor = await requireMembership(null, ADMIN_ROLES);
    const { key, secret } = await createApiKey(db(), actor, input, await context());
    return { id: key.id, prefix: key.prefix, secret };
  });
}

export async function revokeApiKeyAction(keyId: string): Promise<ActionResult> {
  return runAction('revokeApiKey', async () => {
    const actor = await requireMembership(null, ADMIN_ROLES);
    await revokeApiKey(db(), actor, String(keyId), await context());
    return null;
  });
}
