// The storage of this process: S3 when S3_BUCKET is set (production), else the
// local disk under DATA_DIR/uploads (development, tests, single-server installs).
import path from 'node:path';
import { getConfig } from '@/lib/config';
import { localStorage } from './local';
import type { ObjectStorage } from './object-storage';
import { s3Storage } from './s3';

export { assertSafeKey, isSafeKey, UnsafeStorageKeyError, type DownloadUrlOptions, type ObjectStorage, type PutStreamOptions, type StoredObject, type StoredStream } from './object-storage';
export { localStorage } from './local';
export { s3Storage, type S3StorageOptions } from './s3';

let cached: { signature: string; storage: ObjectStorage } | undefined;

export function getStorage(): ObjectStorage {
  const config = getConfig();
  const { bucket, endpoint, forcePathStyle } = config.aws.s3;
  const uploadsDir = path.join(config.app.dataDir, 'uploads');
  // Rebuilt only when the settings change (tests reset the config between files).
  const signature = JSON.stringify([bucket, endpoint, forcePathStyle, config.aws.region, uploadsDir]);
  if (cached?.signature !== signature) {
    const storage = bucket
      ? s3Storage({ bucket, region: config.aws.region, endpoint, forcePathStyle })
      : localStorage(uploadsDir);
    cached = { signature, storage };
  }
  return cached.storage;
}
