// A private temp folder per operation for audio files (the recording, its
// normalised copy, the chunks): created 0700 and always removed afterwards, so
// no recording lingers on a worker's disk.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createWriteStream } from 'node:fs';
import { getStorage } from '@/lib/storage';
import { AppError } from '@/lib/errors';

export async function withWorkspace<T>(run: (dir: string) => Promise<T>): Promise<T> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'maneiro-audio-'));
  try {
    return await run(dir);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** Streams a stored object into `file` without holding it in memory. */
export async function downloadObject(storageKey: string, file: string, signal?: AbortSignal): Promise<void> {
  const stored = await getStorage().getStream(storageKey);
  // A row whose object is missing is an operations problem (a lost bucket object), not the member's.
  if (!stored) throw new AppError('internal', { message: 'upload object missing from storage' });
  await pipeline(stored.stream, createWriteStream(file, { mode: 0o600 }), { signal });
}
