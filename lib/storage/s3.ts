// Uploads in an S3 bucket (or an S3-compatible store such as MinIO through
// `endpoint` and `forcePathStyle`). Objects are encrypted at rest by S3
// (SSE-S3, AES-256) on every write, whatever the bucket's default says.
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { assertSafeKey, type ObjectStorage, type StoredObject, type StoredStream } from './object-storage';

/** Multipart part size: S3's minimum, so at most a few parts sit in memory per upload. */
const PART_SIZE = 5 * 1024 * 1024;
/** Parts sent in parallel; memory per upload is about PART_SIZE × (QUEUE_SIZE + 1). */
const QUEUE_SIZE = 2;

export interface S3StorageOptions {
  bucket: string;
  region: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  /** For tests: a client to use instead of one built from the options. */
  client?: S3Client;
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: unknown; $metadata?: { httpStatusCode?: unknown } };
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
}

export function s3Storage({ bucket, region, endpoint, forcePathStyle = false, client }: S3StorageOptions): ObjectStorage {
  const s3 = client ?? new S3Client({ region, ...(endpoint ? { endpoint } : {}), forcePathStyle });

  return {
    async put(key, bytes, contentType) {
      assertSafeKey(key);
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: bytes,
          ContentType: contentType,
          ContentLength: bytes.byteLength,
          ServerSideEncryption: 'AES256',
        }),
      );
    },

    async get(key): Promise<StoredObject | null> {
      assertSafeKey(key);
      try {
        const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        if (!object.Body) return null;
        const body = await object.Body.transformToByteArray();
        const bytes = new Uint8Array(new ArrayBuffer(body.byteLength));
        bytes.set(body);
        return { bytes, contentType: object.ContentType ?? 'application/octet-stream' };
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    },

    async delete(key) {
      assertSafeKey(key);
      // S3 answers a delete of a missing key with success, which is the contract here too.
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },

    async putStream(key, stream, contentType, options = {}) {
      assertSafeKey(key);
      const upload = new Upload({
        client: s3,
        params: {
          Bucket: bucket,
          Key: key,
          Body: stream,
          ContentType: contentType,
          ...(options.contentDisposition ? { ContentDisposition: options.contentDisposition } : {}),
          ServerSideEncryption: 'AES256',
        },
        partSize: PART_SIZE,
        queueSize: QUEUE_SIZE,
        // On failure the multipart upload is aborted, so no parts are left behind (and billed).
        leavePartsOnError: false,
      });
      // lib-storage reads the body itself; a stream error must also stop the upload.
      const failed = new Promise<never>((_, reject) => stream.once('error', reject));
      try {
        await Promise.race([upload.done(), failed]);
      } catch (error) {
        await upload.abort().catch(() => undefined);
        throw error;
      }
    },

    async getStream(key): Promise<StoredStream | null> {
      assertSafeKey(key);
      try {
        const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        if (!object.Body) return null;
        const body = object.Body as unknown;
        const stream = body instanceof Readable ? body : Readable.fromWeb(object.Body.transformToWebStream() as WebReadableStream);
        return { stream, contentType: object.ContentType ?? 'application/octet-stream', byteSize: object.ContentLength ?? null };
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    },

    async getDownloadUrl(key, { expiresInSeconds }) {
      assertSafeKey(key);
      // No response-content-disposition override: it would put the file name in the URL.
      return getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: expiresInSeconds });
    },
  };
}
