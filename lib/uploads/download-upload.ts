// GET /api/uploads/[id], without the HTTP: the ownership check, the audit row,
// then either a short-lived direct URL (S3) or a stream through the app (local).
import 'server-only';
import type { Readable } from 'node:stream';
import type { Actor } from '@/lib/auth/authorize';
import { recordAudit, type RequestContext } from '@/lib/audit/record';
import type { Db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import type { ObjectStorage } from '@/lib/storage';
import { contentDisposition } from './content-disposition';
import { getUpload, PURGED_UPLOAD_MESSAGE } from './read-upload';

/** Long enough to start a download, short enough that a leaked link soon stops working. */
export const DOWNLOAD_URL_TTL_SECONDS = 60;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type UploadDownload =
  | { type: 'redirect'; url: string }
  | { type: 'stream'; stream: Readable; contentType: string; byteSize: number | null; contentDisposition: string };

export async function openUploadDownload(
  db: Db,
  storage: ObjectStorage,
  actor: Actor,
  uploadId: string,
  request: RequestContext | null = null,
): Promise<UploadDownload> {
  if (!UUID.test(uploadId)) throw new AppError('not_found', { message: 'malformed upload id', userMessage: 'That file could not be found.' });
  const upload = await getUpload(db, actor.organizationId, uploadId);
  if (upload.deletedAt) throw new AppError('conflict', { message: 'upload purged', userMessage: PURGED_UPLOAD_MESSAGE });

  const url = await storage.getDownloadUrl(upload.storageKey, { expiresInSeconds: DOWNLOAD_URL_TTL_SECONDS });
  const stored = url ? null : await storage.getStream(upload.storageKey);
  if (!url && !stored) throw new AppError('internal', { message: 'upload object missing from storage' });

  try {
    await db.$transaction((tx) =>
      recordAudit(tx, {
        organizationId: actor.organizationId,
        actorUserId: actor.userId,
        event: 'file.downloaded',
        targetType: 'upload',
        targetId: upload.id,
        metadata: { kind: upload.kind, byteSize: upload.byteSize },
        request,
      }),
    );
  } catch (error) {
    stored?.stream.destroy();
    throw error;
  }
  if (url) return { type: 'redirect', url };
  return {
    type: 'stream',
    stream: stored!.stream,
    contentType: upload.contentType,
    byteSize: stored!.byteSize,
    contentDisposition: contentDisposition(upload.originalName, upload.kind),
  };
}
