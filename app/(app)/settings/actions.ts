'use server';

// Server actions of the profile and clinic settings pages. Identity always comes
// from the session; the domain functions in lib/ validate input and check roles.
import { headers } from 'next/headers';
import { z } from 'zod';
import { requestEmailChange } from '@/lib/auth/change-email';
import { changePassword } from '@/lib/auth/change-password';
import { deleteAccount } from '@/lib/auth/delete-account';
import { updateProfile } from '@/lib/auth/update-profile';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { requestContextFrom } from '@/lib/http/request-context';
import { removeClinicImage, setClinicImage, updateClinicDetails, clinicImageKindField } from '@/lib/orgs/update-clinic';
import { getStorage } from '@/lib/storage';
import { checkImageSize, type ClinicImageKind } from '@/lib/storage/images';
import { runAction, type ActionResult } from '@/lib/web/action';
import { requireMembership, requireUser } from '@/lib/web/session';

const context = async () => requestContextFrom(await headers());

/** Text fields arrive as whatever the client sent; anything but a string becomes empty and fails validation with a clear message. */
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

export async function updateProfileAction(input: { name: string }): Promise<ActionResult<{ name: string }>> {
  return runAction('updateProfile', async () => {
    const user = await requireUser();
    const { name } = await updateProfile(db(), user.id, { name: text(input?.name) }, await context());
    return { name };
  });
}

export async function requestEmailChangeAction(input: { newEmail: string; currentPassword: string }): Promise<ActionResult<{ newEmail: string }>> {
  return runAction('requestEmailChange', async () => {
    const user = await requireUser();
    return requestEmailChange(db(), user.id, { newEmail: text(input?.newEmail), currentPassword: text(input?.currentPassword) }, await context());
  });
}

export async function changePasswordAction(input: { currentPassword: string; newPassword: string }): Promise<ActionResult> {
  return runAction('changePassword', async () => {
    const user = await requireUser();
    await changePassword(db(), user.id, { currentPassword: text(input?.currentPassword), newPassword: text(input?.newPassword) }, await context());
    return null;
  });
}

export async function deleteAccountAction(input: { password: string }): Promise<ActionResult> {
  return runAction('deleteAccount', async () => {
    const user = await requireUser();
    await deleteAccount(db(), user.id, { password: text(input?.password) }, await context());
    return null;
  });
}

export async function updateClinicAction(input: { name: string; address: string; phone: string; fax: string; pageSize?: string }): Promise<ActionResult<{ changed: boolean }>> {
  return runAction('updateClinicDetails', async () => {
    const actor = await requireMembership();
    const fields = { name: text(input?.name), address: text(input?.address), phone: text(input?.phone), fax: text(input?.fax), pageSize: input?.pageSize === undefined ? undefined : text(input.pageSize) };
    const { changed } = await updateClinicDetails(db(), actor, fields, await context());
    return { changed };
  });
}

const uploadSchema = z.object({
  kind: clinicImageKindField,
  // A File, checked at run time: FormData can hold a plain string under any name.
  file: z.instanceof(File, { message: 'Choose an image file.' }),
});

export async function uploadClinicImageAction(form: FormData): Promise<ActionResult<{ kind: ClinicImageKind }>> {
  return runAction('uploadClinicImage', async () => {
    const actor = await requireMembership();
    if (!(form instanceof FormData)) throw new AppError('bad_request');
    const parsed = uploadSchema.safeParse({ kind: form.get('kind'), file: form.get('file') });
    if (!parsed.success) {
      const message = parsed.error.issues[0]?.message ?? 'Choose an image file.';
      throw new AppError('validation_failed', { userMessage: message, fieldErrors: { file: [message] } });
    }
    const { kind, file } = parsed.data;
    // The size is known before reading: an oversized file is refused without being copied into memory.
    checkImageSize(kind, file.size);
    const bytes = new Uint8Array(await file.arrayBuffer());
    await setClinicImage(db(), getStorage(), actor, kind, bytes, await context());
    return { kind };
  });
}

export async function removeClinicImageAction(kind: string): Promise<ActionResult<{ removed: boolean }>> {
  return runAction('removeClinicImage', async () => {
    const actor = await requireMembership();
    const parsed = clinicImageKindField.safeParse(kind);
    if (!parsed.success) throw new AppError('bad_request', { userMessage: 'Clinics have a logo and a signature image only.' });
    return { removed: await removeClinicImage(db(), getStorage(), actor, parsed.data, await context()) };
  });
}
