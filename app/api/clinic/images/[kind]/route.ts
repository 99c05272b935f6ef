// The active clinic's logo or signature, for the settings page preview. Members
// of the clinic only; the image is private to the clinic, so no shared cache may
// keep it, and the browser must not guess a different type than the one stored.
import { AppError } from '@/lib/errors';
import { db } from '@/lib/db/client';
import { route } from '@/lib/http/route';
import { clinicImageKindField, getClinicImage } from '@/lib/orgs/update-clinic';
import { getStorage } from '@/lib/storage';
import { requireMembership } from '@/lib/web/session';

export const GET = route<{ kind: string }>(async (_request, { params }) => {
  const kind = clinicImageKindField.safeParse(params.kind);
  if (!kind.success) throw new AppError('not_found');
  const actor = await requireMembership();
  const image = await getClinicImage(db(), getStorage(), actor, kind.data);
  if (!image) throw new AppError('not_found', { userMessage: `This clinic has no ${kind.data} yet.` });
  return new Response(image.bytes, {
    headers: {
      'content-type': image.contentType,
      'content-length': String(image.bytes.byteLength),
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
      'content-disposition': 'inline',
      'content-security-policy': "default-src 'none'; sandbox",
    },
  });
});
