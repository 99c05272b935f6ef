// The export zip, streamed straight into storage: one JSON file per table of the
// clinic's rows (data/<table>.json), then every stored file (files/...), then a
// manifest. Entries are added one at a time and each is read to its end before
// the next is opened, so memory holds one page of rows or one chunk of a file,
// never the archive or a whole file.
import { once } from 'node:events';
import { Readable, Transform } from 'node:stream';
import { finished } from 'node:stream/promises';
import yazl from 'yazl';
import type { Db } from '@/lib/db/client';
import type { ObjectStorage } from '@/lib/storage/object-storage';
import { clinicStoredFiles, type StoredFileRef } from './stored-files';
import { clinicRows, clinicTables, ident, isSecretColumn, jsonValue, type ClinicTable, type Row } from './tables';

export const EXPORT_FORMAT = 'maneiro.clinic-export';
export const EXPORT_FORMAT_VERSION = 1;

export interface ArchiveProgress {
  /** 0-100. */
  percent: number;
}

export interface ArchiveInput {
  organizationId: string;
  exportId: string;
  key: string;
  /** Sent with the object (S3) so a presigned download names the file. */
  contentDisposition: string;
  now: Date;
  onProgress?: (progress: ArchiveProgress) => Promise<void>;
}

export interface ArchiveResult {
  byteSize: number;
  recordCount: number;
  fileCount: number;
  missingFiles: number;
}

interface ManifestFile {
  path: string;
  source: StoredFileRef['source'];
  id: string;
  bytes: number;
}

const README = `Maneiro clinic export

data/<table>.json   one JSON array per table of the clinic's records, one row per line,
                    with the database's column names. Instants are ISO 8601 (UTC);
                    64-bit numbers are strings. Secrets (password hashes, token hashes,
                    API key hashes, webhook secrets) are never exported.
data/organization.json  the clinic itself.
files/              the stored files: uploads (files/uploads/<upload id>.<ext>, the original
                    file names are in data/uploads.json), unfinished recordings
                    (files/recordings/<recording id>/<chunk>), letter PDFs
                    (files/letter-pdfs/<pdf id>.pdf, listed in data/letter_pdfs.json),
                    and the letterhead logo and signature (files/clinic/).
manifest.json       what is in this archive: row counts per table and every file.

This archive contains patient information. Keep it as carefully as the clinic's records.
`;

/** Text rows as a JSON array, one row per line, produced page by page. */
function jsonArray(rows: AsyncIterable<Row>, counter: { rows: number }): Readable {
  return Readable.from(
    (async function* () {
      yield '[';
      for await (const row of rows) {
        yield `${counter.rows === 0 ? '\n' : ',\n'}${JSON.stringify(row)}`;
        counter.rows++;
      }
      yield counter.rows === 0 ? ']\n' : '\n]\n';
    })(),
    { objectMode: false },
  );
}

/** Adds memberships' user names and emails, one query per page of rows. */
async function* withMemberNames(db: Db, rows: AsyncIterable<Row>): AsyncGenerator<Row> {
  let page: Row[] = [];
  const flush = async function* () {
    const ids = [...new Set(page.map((r) => r.user_id).filter((id): id is string => typeof id === 'string'))];
    const users = await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, email: true } });
    const byId = new Map(users.map((u) => [u.id, u]));
    for (const row of page) {
      const user = byId.get(String(row.user_id));
      yield { ...row, user_name: user?.name ?? null, user_email: user?.email ?? null };
    }
    page = [];
  };
  for await (const row of rows) {
    page.push(row);
    if (page.length >= 200) yield* flush();
  }
  yield* flush();
}

async function organizationRow(db: Db, organizationId: string): Promise<{ row: Row; omitted: string[] }> {
  const [raw] = await db.$queryRawUnsafe<Row[]>(`SELECT * FROM ${ident('organizations')} WHERE id = $1::uuid`, organizationId);
  if (!raw) throw new Error('clinic not found for export');
  const row: Row = {};
  const omitted: string[] = [];
  for (const [column, value] of Object.entries(raw)) {
    if (isSecretColumn('organizations', column)) omitted.push(column);
    else row[column] = jsonValue(value);
  }
  return { row, omitted };
}

/** Counts bytes on their way out. */
function byteCounter(total: { bytes: number }): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      total.bytes += chunk.length;
      done(null, chunk);
    },
  });
}

/** Files compress poorly except plain text; JSON always compresses well. */
function compresses(path: string): boolean {
  return path.endsWith('.json') || path.endsWith('.txt');
}

export async function writeClinicArchive(db: Db, storage: ObjectStorage, input: ArchiveInput): Promise<ArchiveResult> {
  const { organizationId } = input;
  const zip = new yazl.ZipFile();
  const total = { bytes: 0 };
  const output = zip.outputStream.pipe(byteCounter(total));
  const stored = storage.putStream(input.key, output, 'application/zip', { contentDisposition: input.contentDisposition });
  // If storage gives up, no entry will ever be read to its end: every wait below races this.
  let storageFailure: unknown = null;
  const storageFailed = stored.then(
    () => new Promise<never>(() => undefined),
    (error: unknown) => {
      storageFailure = error;
      throw error;
    },
  );
  storageFailed.catch(() => undefined);
  const zipFailed = once(zip, 'error').then(([error]: unknown[]) => {
    throw error;
  });
  zipFailed.catch(() => undefined);

  const mtime = input.now;
  async function add(path: string, source: Readable): Promise<void> {
    zip.addReadStream(source, path, { mtime, compress: compresses(path) });
    try {
      await Promise.race([finished(source), storageFailed, zipFailed]);
    } catch (error) {
      source.destroy();
      throw error;
    }
  }

  const tables: ClinicTable[] = await clinicTables(db);
  let fileTotal = 0;
  for await (const ref of clinicStoredFiles(db, organizationId, { forDeletion: false })) fileTotal += ref.key ? 1 : 0;
  const steps = tables.length + 1 + fileTotal;
  let done = 0;
  let reported = -1;
  let reportedAt = 0;
  async function step(): Promise<void> {
    done++;
    const percent = Math.min(99, Math.floor((done / steps) * 100));
    // At most every 2 s or 5 %: progress is for the page, not a write per file.
    if (input.onProgress && percent !== reported && (percent - reported >= 5 || Date.now() - reportedAt > 2000)) {
      reported = percent;
      reportedAt = Date.now();
      await input.onProgress({ percent });
    }
  }

  try {
    zip.addBuffer(Buffer.from(README), 'README.txt', { mtime });
    const organization = await organizationRow(db, organizationId);
    await add('data/organization.json', Readable.from([`${JSON.stringify(organization.row, null, 2)}\n`], { objectMode: false }));
    await step();

    const manifestTables: Record<string, { file: string; rows: number; omittedColumns: string[] }> = {
      organizations: { file: 'data/organization.json', rows: 1, omittedColumns: organization.omitted },
    };
    let recordCount = 1;
    for (const table of tables) {
      const counter = { rows: 0 };
      const file = `data/${table.name}.json`;
      let rows: AsyncIterable<Row> = clinicRows(db, table, organizationId);
      if (table.name === 'memberships') rows = withMemberNames(db, rows);
      await add(file, jsonArray(rows, counter));
      manifestTables[table.name] = { file, rows: counter.rows, omittedColumns: table.omitted };
      recordCount += counter.rows;
      await step();
    }

    const files: ManifestFile[] = [];
    const missing: { source: StoredFileRef['source']; id: string }[] = [];
    for await (const ref of clinicStoredFiles(db, organizationId, { forDeletion: false })) {
      // Opened only now, so one object at a time is open however many the clinic has.
      const object = await storage.getStream(ref.key);
      if (!object) {
        missing.push({ source: ref.source, id: ref.id });
      } else {
        const counted = { bytes: 0 };
        const source = object.stream.pipe(byteCounter(counted));
        object.stream.on('error', (error) => source.destroy(error));
        await add(ref.zipPath, source);
        files.push({ path: ref.zipPath, source: ref.source, id: ref.id, bytes: counted.bytes });
      }
      await step();
    }

    const manifest = {
      format: EXPORT_FORMAT,
      version: EXPORT_FORMAT_VERSION,
      clinicId: organizationId,
      exportId: input.exportId,
      createdAt: input.now.toISOString(),
      tables: manifestTables,
      files,
      // Rows whose object was not in storage (e.g. lost from the bucket): listed so the gap is visible.
      missingFiles: missing,
    };
    await add('manifest.json', Readable.from([`${JSON.stringify(manifest, null, 2)}\n`], { objectMode: false }));
    zip.end();
    await Promise.race([stored, zipFailed]);
    return { byteSize: total.bytes, recordCount, fileCount: files.length, missingFiles: missing.length };
  } catch (error) {
    // Ends the output with the error, so storage discards what it had (putStream leaves nothing behind).
    output.destroy(error instanceof Error ? error : new Error('export failed'));
    await stored.catch(() => undefined);
    throw storageFailure ?? error;
  }
}
