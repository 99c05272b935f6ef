import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { GET as download } from '@/app/api/uploads/[id]/route';
import { POST as upload } from '@/app/api/uploads/route';
import { loadActor, type Actor } from '@/lib/auth/authorize';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { localStorage, s3Storage } from '@/lib/storage';
import { openUploadDownload, PURGED_UPLOAD_MESSAGE, readUploadBytes } from '@/lib/uploads';
import { withAppDatabase } from '../support/app-database';
import { appError } from '../support/errors';
import { addMember, createClinic, createStaffedClinic, createUser } from '../support/factories';
import { docx, textPdf } from '../fixtures/files/generate';

// The session is the one thing faked: route handlers read it from next-auth cookies.
const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock('@/lib/web/session', () => ({
  requireMembership: async () => {
    if (!session.actor) throw new AppError('unauthenticated');
    return session.actor;
  },
}));

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'maneiro-uploads-'));
const uploadsRoot = path.join(dataDir, 'uploads');
withAppDatabase({ DATA_DIR: dataDir });
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const MB = 1024 * 1024;
const PDF = textPdf();

interface Part {
  bytes: Uint8Array;
  name: string;
  type?: string;
  field?: string;
}

/** A multipart/form-data body built by hand, so tests control every byte and header. */
function multipart(parts: Part[]): { body: Buffer; contentType: string } {
  const boundary = `----maneiro${randomUUID()}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    chunks.push(
      Buffer.from(
        // RFC 5987 `filename*` carries any name (quotes, slashes, controls) intact.
        `--${boundary}\r\nContent-Disposition: form-data; name="${part.field ?? 'file'}"; filename*=UTF-8''${encodeURIComponent(part.name)}\r\nContent-Type: ${part.type ?? 'application/octet-stream'}\r\n\r\n`,
        'utf8',
      ),
      Buffer.from(part.bytes),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

function uploadRequest(parts: Part[], options: { contentLength?: boolean } = {}): Request {
  const { body, contentType } = multipart(parts);
  const headers: Record<string, string> = { 'content-type': contentType, 'user-agent': 'vitest' };
  if (options.contentLength !== false) headers['content-length'] = String(body.length);
  return new Request('http://localhost/api/uploads', { method: 'POST', headers, body: new Uint8Array(body) });
}

async function post(request: Request) {
  const response = await upload(request, { params: Promise.resolve({}) });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> & { error?: { message: string } } };
}

async function get(id: string) {
  return download(new Request(`http://localhost/api/uploads/${id}`), { params: Promise.resolve({ id }) });
}

/** Everything under the clinic's storage folder, hidden and temporary files included. */
function storedEntries(organizationId: string): string[] {
  const dir = path.join(uploadsRoot, organizationId);
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
}

async function clinicWithActors() {
  const { clinic, members } = await createStaffedClinic();
  return {
    clinic,
    clinician: await loadActor(db(), members.clinician.id, clinic.id),
    staff: await loadActor(db(), members.staff.id, clinic.id),
  };
}

let clinic: Awaited<ReturnType<typeof clinicWithActors>>;
beforeAll(async () => {
  clinic = await clinicWithActors();
});
beforeEach(() => {
  session.actor = clinic.clinician;
});

describe('POST /api/uploads', () => {
  it('stores a member’s file under a generated key and records it without its name', async () => {
    session.actor = clinic.staff;
    // Serialized by the platform's FormData, as a browser would send it.
    const form = new FormData();
    form.append('note', 'a text field before the file');
    form.append('file', new Blob([new Uint8Array(PDF)], { type: 'application/pdf' }), '  Referral for Jane Roe.pdf ');
    const { status, json } = await post(new Request('http://localhost/api/uploads', { method: 'POST', body: form }));
    expect(status).toBe(201);
    expect(json).toEqual({ id: expect.any(String), kind: 'pdf', byteSize: PDF.length, duplicate: false, name: 'Referral for Jane Roe.pdf' });

    const row = await db().upload.findUniqueOrThrow({ where: { id: json.id as string } });
    expect(row).toMatchObject({
      organizationId: clinic.clinic.id,
      uploadedById: clinic.staff.userId,
      kind: 'pdf',
      contentType: 'application/pdf',
      sha256: createHash('sha256').update(PDF).digest('hex'),
    });
    expect(row.storageKey).toMatch(new RegExp(`^${clinic.clinic.id}/[0-9a-f-]{36}$`));
    const stored = fs.readFileSync(path.join(uploadsRoot, ...row.storageKey.split('/')));
    expect(stored.equals(Buffer.from(PDF))).toBe(true);

    const audit = await db().auditLog.findFirstOrThrow({ where: { organizationId: clinic.clinic.id, event: 'file.uploaded', targetId: row.id } });
    expect(audit.metadata).toEqual({ kind: 'pdf', byteSize: PDF.length, duplicate: false });
    expect(audit.actorUserId).toBe(clinic.staff.userId);
    expect(JSON.stringify(audit, (_, value: unknown) => (typeof value === 'bigint' ? String(value) : value))).not.toContain('Jane');
  });

  it('answers 401 to an anonymous request', async () => {
    session.actor = null;
    const { status, json } = await post(uploadRequest([{ bytes: PDF, name: 'a.pdf' }]));
    expect(status).toBe(401);
    expect(json.error?.message).toBe('Please sign in to continue.');
  });

  it('returns the existing upload for an identical file and keeps one copy', async () => {
    const { clinic: other, members } = await createStaffedClinic();
    session.actor = await loadActor(db(), members.owner.id, other.id);
    const bytes = textPdf([['A one-page note uploaded twice']]);
    const first = await post(uploadRequest([{ bytes, name: 'first.pdf' }]));
    const second = await post(uploadRequest([{ bytes, name: 'second name.pdf' }]));
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.json).toEqual({ ...first.json, duplicate: true });
    expect(storedEntries(other.id).filter((f) => !f.startsWith('.'))).toHaveLength(1);
    const audits = await db().auditLog.findMany({ where: { organizationId: other.id, event: 'file.uploaded' }, orderBy: { seq: 'asc' } });
    expect(audits.map((a) => a.metadata)).toEqual([
      { kind: 'pdf', byteSize: bytes.length, duplicate: false },
      { kind: 'pdf', byteSize: bytes.length, duplicate: true },
    ]);
  });

  it('gives a purged upload its file back when the same bytes arrive again', async () => {
    const bytes = textPdf([['Purged and uploaded again']]);
    const first = await post(uploadRequest([{ bytes, name: 'old.pdf' }]));
    await db().upload.update({ where: { id: first.json.id as string }, data: { deletedAt: new Date() } });
    await appError(readUploadBytes(db(), clinic.clinic.id, first.json.id as string));

    const again = await post(uploadRequest([{ bytes, name: 'new.pdf' }]));
    expect(again.json).toMatchObject({ id: first.json.id, duplicate: false, name: 'new.pdf' });
    const read = await readUploadBytes(db(), clinic.clinic.id, first.json.id as string);
    expect(Buffer.from(read.bytes).equals(Buffer.from(bytes))).toBe(true);
  });

  it('decides the kind from the bytes, not the name', async () => {
    const gif = new Uint8Array(Buffer.from('GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;', 'latin1'));
    const renamed = await post(uploadRequest([{ bytes: gif, name: 'scan.pdf', type: 'application/pdf' }]));
    expect(renamed.status).toBe(415);
    expect(renamed.json.error?.message).toContain('PDF, Word (.docx), text, PNG, JPEG, WebP or TIFF');
    expect(renamed.json.error?.message).toContain('WebM, Ogg, MP3, M4A or WAV');

    // Text in a file that claims to be a PDF is not a PDF either.
    const textAsPdf = await post(uploadRequest([{ bytes: Buffer.from('Plain words in disguise'), name: 'note.pdf', type: 'application/pdf' }]));
    expect(textAsPdf.status).toBe(415);

    const word = await post(uploadRequest([{ bytes: docx(), name: 'letter.docx' }]));
    expect(word).toMatchObject({ status: 201, json: { kind: 'docx' } });
    expect(storedEntries(clinic.clinic.id).some((f) => f.endsWith('.tmp'))).toBe(false);
  });

  it('accepts text only when it says it is text and looks like text', async () => {
    const text = await post(uploadRequest([{ bytes: Buffer.from('Seen today. Ankle sprain, advised rest.\n'), name: 'note.txt', type: 'text/plain' }]));
    expect(text).toMatchObject({ status: 201, json: { kind: 'txt' } });
    const binary = await post(uploadRequest([{ bytes: new Uint8Array([0x41, 0x00, 0x42, 0x01, 0x02]), name: 'note.txt', type: 'text/plain' }]));
    expect(binary.status).toBe(415);
  });

  it('answers 422 for an empty file, a form without one, or a body that is not a form', async () => {
    const empty = await post(uploadRequest([{ bytes: new Uint8Array(), name: 'empty.pdf' }]));
    expect(empty.status).toBe(422);
    expect(empty.json.error?.message).toMatch(/^This file is empty/);

    const noFile = await post(uploadRequest([{ bytes: PDF, name: 'x.pdf', field: 'attachment' }]));
    expect(noFile.status).toBe(422);
    expect(noFile.json.error?.message).toBe('Choose a file to upload.');

    const json = await post(new Request('http://localhost/api/uploads', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }));
    expect(json.status).toBe(422);
  });

  it('keeps the name as metadata only: control characters dropped, at most 255 characters', async () => {
    const name = `Ünïcode\u0007 ${'n'.repeat(300)}.pdf`;
    const { json } = await post(uploadRequest([{ bytes: textPdf([['Long name']]), name }]));
    expect(json.name).toBe(`Ünïcode ${'n'.repeat(247)}`);
    expect(Array.from(json.name as string)).toHaveLength(255);
  });
});

describe('plan upload limits', () => {
  let free: { id: string };
  beforeAll(async () => {
    free = await createClinic();
    await db().organization.update({ where: { id: free.id }, data: { planOverride: 'free' } });
  });
  beforeEach(async () => {
    const user = await createUser();
    await addMember(free.id, user.id, 'clinician');
    session.actor = await loadActor(db(), user.id, free.id);
  });

  /** An 11 MB "PDF": a real signature, then padding. */
  const tooBig = () => new Uint8Array(Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(11 * MB, 0x20)]));

  it('refuses a body whose Content-Length is over the Free plan limit before reading it', async () => {
    const { status, json } = await post(uploadRequest([{ bytes: tooBig(), name: 'big.pdf' }]));
    expect(status).toBe(413);
    expect(json.error?.message).toBe('Files can be up to 10 MB on the Free plan; this one is larger. Split or compress it, or upgrade the plan.');
  });

  it('stops reading a streamed upload as soon as it passes the limit and leaves nothing behind', async () => {
    const { body, contentType } = multipart([{ bytes: new Uint8Array(Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(30 * MB, 0x20)])), name: 'huge.pdf' }]);
    let pulled = 0;
    const stream = Readable.toWeb(Readable.from((function* () {
      for (let at = 0; at < body.length; at += 64 * 1024) {
        const chunk = body.subarray(at, at + 64 * 1024);
        pulled += chunk.length;
        yield chunk;
      }
    })())) as ReadableStream<Uint8Array>;
    const request = new Request('http://localhost/api/uploads', { method: 'POST', headers: { 'content-type': contentType }, body: stream, duplex: 'half' } as RequestInit);
    const { status, json } = await post(request);
    expect(status).toBe(413);
    expect(json.error?.message).toContain('10 MB on the Free plan');
    expect(pulled).toBeLessThan(12 * MB);
    expect(storedEntries(free.id)).toEqual([]);
    expect(await db().upload.count({ where: { organizationId: free.id } })).toBe(0);
  });

  it('accepts a file just under the limit', async () => {
    const bytes = new Uint8Array(Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(10 * MB - 9, 0x20)]));
    const { status, json } = await post(uploadRequest([{ bytes, name: 'edge.pdf' }], { contentLength: false }));
    expect(status).toBe(201);
    expect(json.byteSize).toBe(10 * MB);
  });
});

describe('GET /api/uploads/[id]', () => {
  it('streams the file to a member with a safe attachment name and audits it', async () => {
    const bytes = textPdf([['Download me']]);
    const { json } = await post(uploadRequest([{ bytes, name: 'Café "notes" März.pdf' }]));
    const response = await get(json.id as string);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-length')).toBe(String(bytes.length));
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="Cafe _notes_ Marz.pdf"; filename*=UTF-8''Caf%C3%A9%20%22notes%22%20M%C3%A4rz.pdf`);
    expect(Buffer.from(await response.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
    const audit = await db().auditLog.findFirstOrThrow({ where: { organizationId: clinic.clinic.id, event: 'file.downloaded', targetId: json.id as string } });
    expect(audit.metadata).toEqual({ kind: 'pdf', byteSize: bytes.length });
  });

  it('answers 404 for another clinic’s upload, an unknown id and a malformed one', async () => {
    const { json } = await post(uploadRequest([{ bytes: textPdf([['Private to clinic one']]), name: 'private.pdf' }]));
    const { clinic: other, members } = await createStaffedClinic();
    session.actor = await loadActor(db(), members.owner.id, other.id);
    expect((await get(json.id as string)).status).toBe(404);
    expect((await get(randomUUID())).status).toBe(404);
    expect((await get('../../etc/passwd')).status).toBe(404);
    expect(await db().auditLog.count({ where: { event: 'file.downloaded', targetId: json.id as string } })).toBe(0);
    await appError(readUploadBytes(db(), other.id, json.id as string)).then((e) => expect(e.code).toBe('not_found'));
  });

  it('answers 401 to an anonymous request', async () => {
    const { json } = await post(uploadRequest([{ bytes: textPdf([['Anonymous download']]), name: 'a.pdf' }]));
    session.actor = null;
    expect((await get(json.id as string)).status).toBe(401);
  });

  it('redirects to a short-lived S3 URL that carries no file name', async () => {
    const { json } = await post(uploadRequest([{ bytes: textPdf([['Through S3']]), name: 'Secret Patient.pdf' }]));
    const client = new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
    const result = await openUploadDownload(db(), s3Storage({ bucket: 'maneiro-test', region: 'eu-west-1', client }), clinic.clinician, json.id as string);
    expect(result.type).toBe('redirect');
    const url = new URL(result.type === 'redirect' ? result.url : '');
    const row = await db().upload.findUniqueOrThrow({ where: { id: json.id as string } });
    expect(url.pathname).toBe(`/${row.storageKey}`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('60');
    expect(url.href).not.toMatch(/Secret|Patient|disposition/i);
  });
});

describe('readUploadBytes', () => {
  it('reads a clinic’s upload and refuses a purged one clearly', async () => {
    const bytes = textPdf([['Read back for a job']]);
    const { json } = await post(uploadRequest([{ bytes, name: 'job.pdf' }]));
    const read = await readUploadBytes(db(), clinic.clinic.id, json.id as string);
    expect(read.upload.id).toBe(json.id);
    expect(Buffer.from(read.bytes).equals(Buffer.from(bytes))).toBe(true);

    await db().upload.update({ where: { id: json.id as string }, data: { deletedAt: new Date() } });
    const error = await appError(readUploadBytes(db(), clinic.clinic.id, json.id as string));
    expect(error.userMessage).toBe(PURGED_UPLOAD_MESSAGE);
    expect((await get(json.id as string)).status).toBe(409);
  });
});

describe('streaming storage', () => {
  it('local: writes a stream atomically, reads it back as a stream, and leaves nothing when the stream fails', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'maneiro-stream-'));
    const storage = localStorage(root);
    await storage.putStream('org/one', Readable.from([Buffer.from('hello '), Buffer.from('world')]), 'text/plain');
    const stored = await storage.getStream('org/one');
    expect(stored?.contentType).toBe('text/plain');
    expect(stored?.byteSize).toBe(11);
    expect(Buffer.concat(await stored!.stream.toArray()).toString()).toBe('hello world');
    expect(await storage.getStream('org/none')).toBeNull();
    expect(await storage.getDownloadUrl('org/one', { expiresInSeconds: 60 })).toBeNull();

    const failing = Readable.from((async function* () {
      yield Buffer.from('partial');
      throw new Error('client went away');
    })());
    await expect(storage.putStream('org/two', failing, 'text/plain')).rejects.toThrow('client went away');
    expect(fs.readdirSync(path.join(root, 'org')).sort()).toEqual(['.one.type', 'one']);
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('S3: streams with server-side encryption and the download disposition kept on the object', async () => {
    const s3 = mockClient(S3Client);
    s3.on(PutObjectCommand).resolves({});
    s3.on(GetObjectCommand).resolves({});
    const storage = s3Storage({ bucket: 'b', region: 'eu-west-1', client: new S3Client({ region: 'eu-west-1' }) });
    await storage.putStream('org/key', Readable.from([Buffer.from('bytes')]), 'application/pdf', { contentDisposition: 'attachment; filename="a.pdf"' });
    const input = s3.commandCalls(PutObjectCommand)[0]!.args[0].input;
    expect(input).toMatchObject({ Bucket: 'b', Key: 'org/key', ContentType: 'application/pdf', ContentDisposition: 'attachment; filename="a.pdf"', ServerSideEncryption: 'AES256' });
    s3.restore();
  });
});
