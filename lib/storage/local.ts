// Uploads on the local disk, for development and single-server installs. Each
// object is a file under the root; its content type sits beside it in a hidden
// file (".<name>.type"), which no valid key can name because key segments never
// start with a dot.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { assertSafeKey, UnsafeStorageKeyError, type ObjectStorage, type StoredObject, type StoredStream } from './object-storage';

const FALLBACK_TYPE = 'application/octet-stream';

function isMissing(error: unknown): boolean {
  return (error as { code?: unknown }).code === 'ENOENT';
}

export function localStorage(rootDir: string): ObjectStorage {
  const root = path.resolve(rootDir);

  /** The file of a key and its type file, after checking both stay under the root. */
  function pathsOf(key: string): { file: string; typeFile: string } {
    assertSafeKey(key);
    const file = path.resolve(root, ...key.split('/'));
    // Belt and braces: the key check already rules this out.
    if (!file.startsWith(root + path.sep)) throw new UnsafeStorageKeyError();
    return { file, typeFile: path.join(path.dirname(file), `.${path.basename(file)}.type`) };
  }

  /** Writes through a temporary file and a rename, so a reader never sees half a file. */
  async function writeAtomically(file: string, data: Uint8Array | string | Readable): Promise<void> {
    const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      if (typeof data === 'string' || data instanceof Uint8Array) await fs.writeFile(temporary, data, { mode: 0o600 });
      else await pipeline(data, createWriteStream(temporary, { mode: 0o600 }));
      await fs.rename(temporary, file);
    } catch (error) {
      await fs.rm(temporary, { force: true });
      throw error;
    }
  }

  return {
    async put(key, bytes, contentType) {
      const { file, typeFile } = pathsOf(key);
      await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      await writeAtomically(typeFile, contentType);
      await writeAtomically(file, bytes);
    },

    async get(key): Promise<StoredObject | null> {
      const { file, typeFile } = pathsOf(key);
      let data: Buffer;
      try {
        data = await fs.readFile(file);
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
      const contentType = await fs.readFile(typeFile, 'utf8').catch(() => FALLBACK_TYPE);
      // A copy into a fresh ArrayBuffer: Node may hand back a slice of its shared pool.
      const bytes = new Uint8Array(new ArrayBuffer(data.byteLength));
      bytes.set(data);
      return { bytes, contentType: contentType.trim() || FALLBACK_TYPE };
    },

    async delete(key) {
      const { file, typeFile } = pathsOf(key);
      await fs.rm(file, { force: true });
      await fs.rm(typeFile, { force: true });
    },

    async putStream(key, stream, contentType) {
      const { file, typeFile } = pathsOf(key);
      await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      await writeAtomically(typeFile, contentType);
      try {
        await writeAtomically(file, stream);
      } catch (error) {
        await fs.rm(typeFile, { force: true });
        throw error;
      }
    },

    async getStream(key): Promise<StoredStream | null> {
      const { file, typeFile } = pathsOf(key);
      let handle: fs.FileHandle;
      try {
        // Opened first, so a concurrent delete cannot remove the file between the check and the read.
        handle = await fs.open(file, 'r');
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
      try {
        const { size } = await handle.stat();
        const contentType = await fs.readFile(typeFile, 'utf8').catch(() => FALLBACK_TYPE);
        // The stream closes the handle when it ends or is destroyed.
        return { stream: handle.createReadStream(), contentType: contentType.trim() || FALLBACK_TYPE, byteSize: size };
      } catch (error) {
        await handle.close();
        throw error;
      }
    },

    async getDownloadUrl() {
      return null;
    },
  };
}
