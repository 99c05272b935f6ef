// The recordings API (app/api/recordings/**) against a real database and the
// local disk store: chunks in order, repeats, out-of-order refusals, completion
// into an Upload (single stream and a resumed recording joined with ffmpeg),
// discarding, and scoping to the clinic and the member who recorded.
import { execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DELETE as discardRoute } from '@/app/api/recordings/[id]/route';
import { PUT as chunkRoute } from '@/app/api/recordings/[id]/chunks/[index]/route';
import { POST as completeRoute } from '@/app/api/recordings/[id]/complete/route';
import { GET as listRoute, POST as createRoute } from '@/app/api/recordings/route';
import { loadActor, type Actor } from '@/lib/auth/authorize';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { withAppDatabase } from '../support/app-database';
import { createStaffedClinic } from '../support/factories';

const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock('@/lib/web/session', () => ({
  requireMembership: async () => {
    if (!session.actor) throw new AppError('unauthenticated');
    return session.actor;
  },
}));

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'maneiro-recordings-'));
const uploadsRoot = path.join(dataDir, 'uploads');
withAppDatabase({ DATA_DIR: dataDir });
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const ffmpeg = (createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as { path: string }).path;
const ffprobe = (createRequire(import.meta.url)('@ffprobe-installer/ffprobe') as { path: string }).path;

/** A tone of `seconds` as WebM/Opus, as MediaRecorder would send it. */
function toneWebm(seconds: number, frequency: number): Buffer {
  const file = path.join(dataDir, `tone-${frequency}-${seconds}.webm`);
  execFileSync(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `sine=frequency=${frequency}:duration=${seconds}`, '-c:a', 'libopus', '-b:a', '32k', file]);
  return fs.readFileSync(file);
}

function durationSeconds(file: string): number {
  return Number(execFileSync(ffprobe, ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file]).toString().trim());
}

function split(bytes: Buffer, parts: number): Buffer[] {
  const size = Math.ceil(bytes.length / parts);
  return Array.from({ length: parts }, (_, i) => bytes.subarray(i * size, (i + 1) * size)).filter((b) => b.length > 0);
}

const params = <P>(value: P) => ({ params: Promise.resolve(value) });
const json = async (response: Response) => (await response.json()) as Record<string, unknown>;

async function create(contentType = 'audio/webm;codecs=opus'): Promise<Response> {
  return createRoute(new Request('http://app.test/api/recordings', { method: 'POST', body: JSON.stringify({ contentType }), headers: { 'content-type': 'application/json' } }), params({}));
}

async function put(id: string, index: number | string, bytes: Uint8Array): Promise<Response> {
  return chunkRoute(new Request(`http://app.test/api/recordings/${id}/chunks/${index}`, { method: 'PUT', body: new Uint8Array(bytes) }), params({ id, index: String(index) }));
}

const complete = (id: string) => completeRoute(new Request(`http://app.test/api/recordings/${id}/complete`, { method: 'POST' }), params({ id }));
const discard = (id: string) => discardRoute(new Request(`http://app.test/api/recordings/${id}`, { method: 'DELETE' }), params({ id }));
const list = () => listRoute(new Request('http://app.test/api/recordings?status=recording'), params({}));

const chunkDir = (organizationId: string, id: string) => path.join(uploadsRoot, organizationId, 'recordings', id);

let clinic: Awaited<ReturnType<typeof createStaffedClinic>>;
let other: Awaited<ReturnType<typeof createStaffedClinic>>;
let clinician: Actor;
let admin: Actor;
let outsider: Actor;
let tone: Buffer;

beforeAll(async () => {
  clinic = await createStaffedClinic();
  other = await createStaffedClinic();
  await db().organization.update({ where: { id: clinic.clinic.id }, data: { planOverride: 'basic' } });
  clinician = await loadActor(db(), clinic.members.clinician.id, clinic.clinic.id);
  admin = await loadActor(db(), clinic.members.admin.id, clinic.clinic.id);
  outsider = await loadActor(db(), other.members.owner.id, other.clinic.id);
  tone = toneWebm(3, 440);
});

beforeEach(() => {
  session.actor = clinician;
});

describe('creating', () => {
  it('accepts the browser’s WebM and Ogg types and refuses others', async () => {
    const webm = await create('audio/webm;codecs=opus');
    expect(webm.status).toBe(201);
    expect(await json(webm)).toMatchObject({ status: 'recording', contentType: 'audio/webm', chunkCount: 0, byteSize: 0 });
    expect((await json(await create('audio/ogg; codecs=opus'))).contentType).toBe('audio/ogg');
    const mp4 = await create('audio/mp4');
    expect(mp4.status).toBe(415);
  });

  it('is for clinicians, admins and owners of a clinic whose plan includes transcription', async () => {
    session.actor = await loadActor(db(), clinic.members.staff.id, clinic.clinic.id);
    expect((await create()).status).toBe(403);
    session.actor = null;
    expect((await create()).status).toBe(401);
    // The other clinic has no plan override; with billing off the default plan applies, so make it Free.
    await db().organization.update({ where: { id: other.clinic.id }, data: { planOverride: 'free' } });
    session.actor = outsider;
    const free = await create();
    expect(free.status).toBe(402);
    await db().organization.update({ where: { id: other.clinic.id }, data: { planOverride: null } });
  });
});

describe('chunks', () => {
  it('are stored in order; a repeat is harmless, a gap or a later index is refused', async () => {
    const { id } = (await json(await create())) as { id: string };
    const parts = split(tone, 3);
    const first = await put(id, 0, parts[0]!);
    expect(first.status).toBe(201);
    expect(await json(first)).toEqual({ chunkCount: 1, byteSize: parts[0]!.length, duplicate: false });

    const repeat = await put(id, 0, parts[0]!);
    expect(repeat.status).toBe(200);
    expect(await json(repeat)).toEqual({ chunkCount: 1, byteSize: parts[0]!.length, duplicate: true });

    expect((await put(id, 2, parts[2]!)).status).toBe(409);
    expect((await put(id, 'x', parts[1]!)).status).toBe(422);
    expect((await put(id, 1, new Uint8Array(0))).status).toBe(422);
    expect((await put(id, 1, parts[1]!)).status).toBe(201);
    expect(fs.readdirSync(chunkDir(clinic.clinic.id, id)).filter((f) => !f.startsWith('.')).sort()).toEqual(['0', '1']);

    const row = await db().recording.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ chunkCount: 2, byteSize: parts[0]!.length + parts[1]!.length });
  });

  it('refuses a chunk that would take the recording past the plan’s upload size', async () => {
    const { id } = (await json(await create())) as { id: string };
    // Basic allows 25 MB; pretend 24.99 MB are already stored.
    await db().recording.update({ where: { id }, data: { byteSize: 25 * 1024 * 1024 - 10, chunkCount: 0 } });
    const response = await put(id, 0, tone.subarray(0, 100));
    expect(response.status).toBe(413);
    expect(fs.existsSync(path.join(chunkDir(clinic.clinic.id, id), '0'))).toBe(false);
  });
});

describe('completing', () => {
  it('streams the chunks into one Upload with its hash and audit event, then removes the chunks', async () => {
    const { id } = (await json(await create())) as { id: string };
    const parts = split(tone, 4);
    for (const [i, part] of parts.entries()) expect((await put(id, i, part)).status).toBe(201);

    const response = await complete(id);
    expect(response.status).toBe(200);
    const body = (await json(response)) as { uploadId: string; duplicate: boolean; recording: { status: string } };
    expect(body.recording.status).toBe('complete');
    const upload = await db().upload.findUniqueOrThrow({ where: { id: body.uploadId } });
    expect(upload).toMatchObject({ organizationId: clinic.clinic.id, kind: 'webm', contentType: 'audio/webm', byteSize: tone.length, uploadedById: clinician.userId });
    expect(upload.sha256).toBe(createHash('sha256').update(tone).digest('hex'));
    expect(Buffer.from(fs.readFileSync(path.join(uploadsRoot, ...upload.storageKey.split('/')))).equals(tone)).toBe(true);
    expect(fs.readdirSync(chunkDir(clinic.clinic.id, id)).filter((f) => !f.startsWith('.'))).toEqual([]);
    const audit = await db().auditLog.findFirst({ where: { event: 'file.uploaded', targetId: upload.id } });
    expect(audit).not.toBeNull();

    // Completing again answers the same upload; appending is over.
    expect(((await json(await complete(id))) as { uploadId: string }).uploadId).toBe(upload.id);
    expect((await put(id, parts.length, parts[0]!)).status).toBe(409);
    expect((await discard(id)).status).toBe(409);
  });

  it('joins a recording resumed after a closed tab (two streams) into one playable file', async () => {
    const second = toneWebm(2, 660);
    const { id } = (await json(await create())) as { id: string };
    const parts = [...split(tone, 2), ...split(second, 2)];
    for (const [i, part] of parts.entries()) expect((await put(id, i, part)).status).toBe(201);
    const { uploadId } = (await json(await complete(id))) as { uploadId: string };
    const upload = await db().upload.findUniqueOrThrow({ where: { id: uploadId } });
    expect(upload.kind).toBe('webm');
    const duration = durationSeconds(path.join(uploadsRoot, ...upload.storageKey.split('/')));
    // 3 s + 2 s; a plain concatenation would read as 3 s.
    expect(duration).toBeGreaterThan(4.8);
    expect(duration).toBeLessThan(5.3);
  });

  it('refuses a recording with nothing in it, and bytes that are not audio', async () => {
    const empty = (await json(await create())) as { id: string };
    expect((await complete(empty.id)).status).toBe(422);
    const junk = (await json(await create())) as { id: string };
    await put(junk.id, 0, new TextEncoder().encode('definitely not a webm file, just words'));
    expect((await complete(junk.id)).status).toBe(415);
    expect(await db().recording.findUniqueOrThrow({ where: { id: junk.id } })).toMatchObject({ status: 'recording', uploadId: null });
  });
});

describe('discarding and listing', () => {
  it('lists the member’s unfinished recordings and discards one with its chunks and an audit event', async () => {
    const { id } = (await json(await create())) as { id: string };
    await put(id, 0, tone.subarray(0, 1000));
    const listed = (await json(await list())) as { recordings: { id: string }[] };
    expect(listed.recordings.map((r) => r.id)).toContain(id);

    const response = await discard(id);
    expect(response.status).toBe(200);
    expect(((await json(response)) as { status: string }).status).toBe('discarded');
    expect(fs.readdirSync(chunkDir(clinic.clinic.id, id)).filter((f) => !f.startsWith('.'))).toEqual([]);
    expect(await db().auditLog.count({ where: { event: 'recording.discarded', targetId: id } })).toBe(1);
    expect(((await json(await list())) as { recordings: { id: string }[] }).recordings.map((r) => r.id)).not.toContain(id);
    expect((await put(id, 1, tone.subarray(0, 10))).status).toBe(409);
    // Discarding twice is fine.
    expect((await discard(id)).status).toBe(200);
  });

  it('hides a recording from other members and other clinics (404), and unknown ids too', async () => {
    const { id } = (await json(await create())) as { id: string };
    for (const actor of [admin, outsider]) {
      session.actor = actor;
      expect((await put(id, 0, tone.subarray(0, 100))).status).toBe(404);
      expect((await complete(id)).status).toBe(404);
      expect((await discard(id)).status).toBe(404);
      expect(((await json(await list())) as { recordings: { id: string }[] }).recordings.map((r) => r.id)).not.toContain(id);
    }
    session.actor = clinician;
    expect((await discard(randomUUID())).status).toBe(404);
    expect((await discard('not-a-uuid')).status).toBe(404);
    expect(await db().recording.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'recording', chunkCount: 0 });
  });
});
