'use server';

// Server actions of Settings → Data. Identity always comes from the session; the
// domain functions in lib/data-controls check the owner role and validate input.
import { headers } from 'next/headers';
import { db } from '@/lib/db/client';
import { restoreClinic, scheduleClinicDeletion } from '@/lib/data-controls/deletion';
import { requestClinicExport, type ClinicExportView } from '@/lib/data-controls/export';
import { setRetentionDays } from '@/lib/data-controls/retention';
import { requestContextFrom } from '@/lib/http/request-context';
import { runAction, type ActionResult } from '@/lib/web/action';
import { requireMembership } from '@/lib/web/session';

const context = async () => requestContextFrom(await headers());

/** Text fields arrive as whatever the client sent; anything but a string becomes empty and fails validation. */
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

export async function requestExportAction(): Promise<ActionResult<{ export: ClinicExportView; duplicate: boolean }>> {
  return runAction('requestClinicExport', async () => {
    const actor = await requireMembership();
    return requestClinicExport(db(), actor, await context());
  });
}

export async function setRetentionAction(input: { retentionDays: string }): Promise<ActionResult<{ retentionDays: number | null; changed: boolean }>> {
  return runAction('setRetentionDays', async () => {
    const actor = await requireMembership();
    return setRetentionDays(db(), actor, text(input?.retentionDays), await context());
  });
}

export async function scheduleClinicDeletionAction(input: { password: string; confirmName: string }): Promise<ActionResult<{ scheduledAt: string }>> {
  return runAction('scheduleClinicDeletion', async () => {
    const actor = await requireMembership();
    const { scheduledAt } = await scheduleClinicDeletion(db(), actor, { password: text(input?.password), confirmName: text(input?.confirmName) }, await context());
    return { scheduledAt: scheduledAt.toISOString() };
  });
}

export async function restoreClinicAction(): Promise<ActionResult<{ restored: boolean }>> {
  return runAction('restoreClinic', async () => {
    const actor = await requireMembership();
    return restoreClinic(db(), actor, await context());
  });
}
