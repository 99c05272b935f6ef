'use server';

import { headers } from 'next/headers';
import { recordAudit } from '@/lib/audit/record';
import { loadActor } from '@/lib/auth/authorize';
import { signOutEverywhere } from '@/lib/auth/sessions';
import { sendVerificationEmail } from '@/lib/auth/verify-email';
import { db } from '@/lib/db/client';
import { requestContextFrom } from '@/lib/http/request-context';
import { runAction, type ActionResult } from '@/lib/web/action';
import { setActiveClinicCookie } from '@/lib/web/active-clinic';
import { requireUser } from '@/lib/web/session';

export async function switchClinicAction(organizationId: string): Promise<ActionResult> {
  return runAction('switchClinic', async () => {
    const user = await requireUser();
    const actor = await loadActor(db(), user.id, organizationId);
    const request = requestContextFrom(await headers());
    await db().$transaction((tx) =>
      recordAudit(tx, { organizationId: actor.organizationId, actorUserId: user.id, event: 'clinic.switched', request }),
    );
    await setActiveClinicCookie(actor.organizationId);
    return null;
  });
}

export async function signOutEverywhereAction(): Promise<ActionResult> {
  return runAction('signOutEverywhere', async () => {
    const user = await requireUser();
    await signOutEverywhere(db(), user.id, requestContextFrom(await headers()));
    return null;
  });
}

export async function resendVerificationAction(): Promise<ActionResult> {
  return runAction('resendVerification', async () => {
    const user = await requireUser();
    await sendVerificationEmail(db(), user.id, { resend: true });
    return null;
  });
}
