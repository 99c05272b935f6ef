'use server';

import { headers } from 'next/headers';
import { db } from '@/lib/db/client';
import { requestContextFrom } from '@/lib/http/request-context';
import { acceptInvitation } from '@/lib/orgs/accept-invitation';
import { runAction, type ActionResult } from '@/lib/web/action';
import { setActiveClinicCookie } from '@/lib/web/active-clinic';
import { getCurrentUser } from '@/lib/web/session';

/** Signed in: joins as the current user. Signed out: creates the account from name and password. */
export async function acceptInvitationAction(
  token: string,
  newAccount: { name: string; password: string } | null,
): Promise<ActionResult<{ email: string; created: boolean }>> {
  return runAction('acceptInvitation', async () => {
    const user = await getCurrentUser();
    const request = requestContextFrom(await headers());
    const as = user ? { userId: user.id } : { name: newAccount?.name, password: newAccount?.password };
    const joined = await acceptInvitation(db(), String(token), as, request);
    await setActiveClinicCookie(joined.organizationId);
    return { email: joined.email, created: !user };
  });
}
