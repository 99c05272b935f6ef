// The bytes of a clinic's upload, for the job that analyses or transcribes it.
import type { Tx } from '@/lib/audit/record';
import type { Db } from '@/lib/db/client';
import type { Upload } from '@/lib/db/generated/client';
import { AppError } from '@/lib/errors';
import { getStorage } from '@/lib/storage';

export const PURGED_UPLOAD_MESSAGE =
  "This file's contents were deleted (by the clinic's retention policy or by a member), so it can no longer be read. Upload the file again.";

/** The upload row of the clinic, or not_found (another clinic's id included). */
export async function getUpload(db: Db | Tx, organizationId: string, uploadId: string): Promise<Upload> {
  const upload = await db.upload.findFirst({ where: { id: uploadId, organizationId } });
  if (!upload) throw new AppError('not_found', { message: 'no such upload in this clinic', userMessage: 'That file could not be found.' });
  return upload;
}

export async function readUploadBytes(db: Db | Tx, organizationId: string, uploadId: string): Promise<{ upload: Upload; bytes: Uint8Array }> {
  const upload = await getUpload(db, organizationId, uploadId);
  if (upload.deletedAt) throw new AppError('conflict', { message: 'upload purged', userMessage: PURGED_UPLOAD_MESSAGE });
  const stored = await getStorage().get(upload.storageKey);
  // A row whose object is missing is an operations problem (a lost bucket object), not the user's.
  if (!stored) throw new AppError('internal', { message: 'upload object missing from storage' });
  return { upload, bytes: stored.bytes };
}
