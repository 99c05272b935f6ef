import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadActor, type Actor, type Role } from '@/lib/auth/authorize';
import { setEnvironment } from '@/lib/config';
import { db, disconnectDb } from '@/lib/db/client';
import { getClinicImage, getClinicSettings, removeClinicImage, setClinicImage, updateClinicDetails } from '@/lib/orgs/update-clinic';
import { localStorage, type ObjectStorage } from '@/lib/storage';
import { IMAGE_SIZE_LIMITS } from '@/lib/storage/images';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { createStaffedClinic } from '../support/factories';
import { appError } from '../support/errors';

let database: TestDatabase;
let root: string;
let storage: ObjectStorage;
const request = { ip: '198.51.100.9', userAgent: 'vitest' };

/** A real 1×1 PNG. */
const PNG = new Uint8Array(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64'));
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, ...Buffer.from('JFIF\0'), 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9]);
/** What a text file renamed to logo.png contains: its name changes nothing. */
const TEXT_NAMED_PNG = new Uint8Array(Buffer.from('Referral for J. Doe, DOB 01/02/1960\n'));

beforeAll(async () => {
  database = await createTestDatabase();
  setEnvironment({ DATABASE_URL: database.url });
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'maneiro-clinic-images-'));
  storage = localStorage(root);
});
afterAll(async () => {
  await disconnectDb();
  await database.drop();
  fs.rmSync(root, { recursive: true, force: true });
});

/** A clinic with one member of each role, and an actor for each. */
async function staffedClinic() {
  const { clinic, members } = await createStaffedClinic();
  const actors = {} as Record<Role, Actor>;
  for (const role of ['owner', 'admin', 'clinician', 'staff'] as const) actors[role] = await loadActor(db(), members[role].id, clinic.id);
  return { clinic, actors };
}

async function clinicRow(id: string) {
  return db().organization.findUniqueOrThrow({ where: { id }, select: { name: true, address: true, phone: true, fax: true, logoKey: true, signatureKey: true } });
}

async function events(organizationId: string, event?: string) {
  return db().auditLog.findMany({ where: { organizationId, ...(event ? { event } : {}) }, orderBy: { seq: 'asc' } });
}

/** Every object file under the clinic's folder in the storage root (type files excluded). */
function storedFiles(organizationId: string): string[] {
  const dir = path.join(root, 'clinics', organizationId);
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => !f.startsWith('.')).sort() : [];
}

const details = {
  name: 'Harbour Eye Clinic',
  address: '12 Quay Street\r\nSuite 4  \nPortsmouth PO1 2AB',
  phone: '+44 (0)23 9200 0000',
  fax: '023.9200.0001',
};

describe('clinic details', () => {
  it('lets an admin save them and audits which fields changed, never the values', async () => {
    const { clinic, actors } = await staffedClinic();
    const result = await updateClinicDetails(db(), actors.admin, details, request);
    expect(result.changed).toBe(true);
    expect(await clinicRow(clinic.id)).toMatchObject({
      name: 'Harbour Eye Clinic',
      address: '12 Quay Street\nSuite 4\nPortsmouth PO1 2AB',
      phone: '+44 (0)23 9200 0000',
      fax: '023.9200.0001',
    });
    const [first] = await events(clinic.id, 'clinic.settings_changed');
    expect(first).toMatchObject({ actorUserId: actors.admin.userId, targetId: clinic.id, ip: request.ip });
    expect(first?.metadata).toEqual({ name: true, address: true, phone: true, fax: true, pageSize: false });
    const serialized = JSON.stringify(first?.metadata);
    for (const value of ['Harbour', 'Quay', '9200']) expect(serialized).not.toContain(value);

    // The owner changes only the phone; clearing the fax counts as a change too.
    await updateClinicDetails(db(), actors.owner, { ...details, phone: '023 9200 0002', fax: '' }, request);
    const second = (await events(clinic.id, 'clinic.settings_changed'))[1];
    expect(second?.metadata).toEqual({ name: false, address: false, phone: true, fax: true, pageSize: false });
    expect((await clinicRow(clinic.id)).fax).toBeNull();

    // Saving the same values again is not a change and writes nothing.
    const again = await updateClinicDetails(db(), actors.owner, { ...details, phone: '023 9200 0002', fax: '' }, request);
    expect(again.changed).toBe(false);
    expect(await events(clinic.id, 'clinic.settings_changed')).toHaveLength(2);

    // The paper size of exported PDFs: A4 is saved; a form that does not send it keeps it; a bad value changes nothing.
    await updateClinicDetails(db(), actors.admin, { ...details, phone: '023 9200 0002', fax: '', pageSize: 'a4' }, request);
    expect((await events(clinic.id, 'clinic.settings_changed'))[2]?.metadata).toEqual({ name: false, address: false, phone: false, fax: false, pageSize: true });
    expect((await updateClinicDetails(db(), actors.admin, { ...details, phone: '023 9200 0002', fax: '' }, request)).details.pageSize).toBe('a4');
    const badSize = await appError(updateClinicDetails(db(), actors.admin, { ...details, pageSize: 'legal' }, request));
    expect(badSize.fieldErrors?.pageSize).toEqual(['Choose US Letter or A4.']);
    expect((await getClinicSettings(db(), actors.admin)).pageSize).toBe('a4');

    const settings = await getClinicSettings(db(), actors.staff);
    expect(settings).toMatchObject({ name: 'Harbour Eye Clinic', canEdit: false, images: { logo: null, signature: null } });
    expect((await getClinicSettings(db(), actors.admin)).canEdit).toBe(true);
  });

  it.each(['clinician', 'staff'] as const)('is forbidden to a %s and changes nothing', async (role) => {
    const { clinic, actors } = await staffedClinic();
    const before = await clinicRow(clinic.id);
    const error = await appError(updateClinicDetails(db(), actors[role], details, request));
    expect(error.code).toBe('forbidden');
    expect(await clinicRow(clinic.id)).toEqual(before);
    expect(await events(clinic.id, 'clinic.settings_changed')).toHaveLength(0);
  });

  it("keeps another clinic's admin out", async () => {
    const a = await staffedClinic();
    const b = await staffedClinic();
    const before = await clinicRow(a.clinic.id);
    // Membership is read from the database: an admin of B is nobody in A.
    await expect(loadActor(db(), b.actors.admin.userId, a.clinic.id)).rejects.toMatchObject({ code: 'not_found' });
    // Acting as B's admin only ever reaches B.
    await updateClinicDetails(db(), b.actors.admin, { ...details, name: 'Clinic B Renamed' }, request);
    expect(await clinicRow(a.clinic.id)).toEqual(before);
    expect((await clinicRow(b.clinic.id)).name).toBe('Clinic B Renamed');
    await setClinicImage(db(), storage, a.actors.admin, 'logo', PNG, request);
    expect(await getClinicImage(db(), storage, b.actors.admin, 'logo')).toBeNull();
    expect(await removeClinicImage(db(), storage, b.actors.admin, 'logo', request)).toBe(false);
    expect((await clinicRow(a.clinic.id)).logoKey).not.toBeNull();
  });

  it('names every invalid field and changes nothing', async () => {
    const { clinic, actors } = await staffedClinic();
    const before = await clinicRow(clinic.id);
    const error = await appError(
      updateClinicDetails(db(), actors.owner, { name: 'A', address: 'x'.repeat(301), phone: 'call me maybe', fax: '1'.repeat(41) }, request),
    );
    expect(error.code).toBe('validation_failed');
    expect(error.fieldErrors).toEqual({
      name: ["Enter your clinic's name."],
      address: ['Use at most 300 characters.'],
      phone: ['Use only digits, spaces and + - ( ) .'],
      fax: ['Use at most 40 characters.'],
    });
    const more = await appError(updateClinicDetails(db(), actors.owner, { name: 'Fine Name', address: 'Bell\u0007 Street', phone: '---', fax: 42 }, request));
    expect(Object.keys(more.fieldErrors ?? {}).sort()).toEqual(['address', 'fax', 'phone']);
    expect(more.fieldErrors?.phone).toEqual(['Include the digits of the phone number.']);
    expect(await clinicRow(clinic.id)).toEqual(before);
    expect(await events(clinic.id)).toHaveLength(0);
  });
});

describe('logo and signature', () => {
  it('stores a PNG under a fresh key, audits it and serves it back to members', async () => {
    const { clinic, actors } = await staffedClinic();
    expect(await setClinicImage(db(), storage, actors.admin, 'logo', PNG, request)).toEqual({ kind: 'logo', type: 'png', bytes: PNG.byteLength });
    const { logoKey } = await clinicRow(clinic.id);
    expect(logoKey).toMatch(new RegExp(`^clinics/${clinic.id}/logo-[0-9a-f]{24}\\.png$`));
    expect(storedFiles(clinic.id)).toEqual([path.basename(logoKey!)]);

    const served = await getClinicImage(db(), storage, actors.staff, 'logo');
    expect(served?.contentType).toBe('image/png');
    expect(Buffer.from(served!.bytes).equals(Buffer.from(PNG))).toBe(true);
    expect(await getClinicImage(db(), storage, actors.staff, 'signature')).toBeNull();

    const [uploaded] = await events(clinic.id, 'clinic.file_uploaded');
    expect(uploaded?.metadata).toEqual({ kind: 'logo', bytes: PNG.byteLength, type: 'png' });
    expect((await getClinicSettings(db(), actors.clinician)).images.logo).toMatch(/^[0-9a-f]{12}$/);
  });

  it('refuses a text file named .png by its bytes, and stores nothing', async () => {
    const { clinic, actors } = await staffedClinic();
    const error = await appError(setClinicImage(db(), storage, actors.owner, 'logo', TEXT_NAMED_PNG, request));
    expect(error.code).toBe('unsupported_media_type');
    expect(error.fieldErrors?.file?.[0]).toMatch(/PNG, JPEG or WebP/);
    expect(storedFiles(clinic.id)).toEqual([]);
    expect((await clinicRow(clinic.id)).logoKey).toBeNull();
    expect(await events(clinic.id)).toHaveLength(0);
  });

  it('refuses an image over 2 MB, and stores nothing', async () => {
    const { clinic, actors } = await staffedClinic();
    const big = new Uint8Array(IMAGE_SIZE_LIMITS.signature + 1);
    big.set(PNG);
    const error = await appError(setClinicImage(db(), storage, actors.owner, 'signature', big, request));
    expect(error.code).toBe('payload_too_large');
    expect(error.userMessage).toMatch(/2 MB or smaller/);
    expect(storedFiles(clinic.id)).toEqual([]);
    expect((await clinicRow(clinic.id)).signatureKey).toBeNull();
  });

  it('deletes the previous object when an image is replaced', async () => {
    const { clinic, actors } = await staffedClinic();
    await setClinicImage(db(), storage, actors.admin, 'signature', PNG, request);
    const first = (await clinicRow(clinic.id)).signatureKey!;
    const firstVersion = (await getClinicSettings(db(), actors.admin)).images.signature;
    await setClinicImage(db(), storage, actors.admin, 'signature', JPEG, request);
    const second = (await clinicRow(clinic.id)).signatureKey!;
    expect(second).not.toBe(first);
    expect(second).toMatch(/\/signature-[0-9a-f]{24}\.jpg$/);
    expect(await storage.get(first)).toBeNull();
    expect(storedFiles(clinic.id)).toEqual([path.basename(second)]);
    expect((await getClinicSettings(db(), actors.admin)).images.signature).not.toBe(firstVersion);
    expect((await getClinicImage(db(), storage, actors.clinician, 'signature'))?.contentType).toBe('image/jpeg');
  });

  it('removes an image, once', async () => {
    const { clinic, actors } = await staffedClinic();
    await setClinicImage(db(), storage, actors.owner, 'logo', PNG, request);
    const key = (await clinicRow(clinic.id)).logoKey!;
    expect(await removeClinicImage(db(), storage, actors.owner, 'logo', request)).toBe(true);
    expect((await clinicRow(clinic.id)).logoKey).toBeNull();
    expect(await storage.get(key)).toBeNull();
    expect(await getClinicImage(db(), storage, actors.staff, 'logo')).toBeNull();
    expect((await events(clinic.id, 'clinic.file_deleted')).map((e) => e.metadata)).toEqual([{ kind: 'logo' }]);

    expect(await removeClinicImage(db(), storage, actors.owner, 'logo', request)).toBe(false);
    expect(await events(clinic.id, 'clinic.file_deleted')).toHaveLength(1);
  });

  it('is forbidden to clinicians and staff', async () => {
    const { clinic, actors } = await staffedClinic();
    await setClinicImage(db(), storage, actors.admin, 'logo', PNG, request);
    const before = await clinicRow(clinic.id);
    for (const role of ['clinician', 'staff'] as const) {
      expect((await appError(setClinicImage(db(), storage, actors[role], 'logo', JPEG, request))).code).toBe('forbidden');
      expect((await appError(removeClinicImage(db(), storage, actors[role], 'logo', request))).code).toBe('forbidden');
    }
    expect(await clinicRow(clinic.id)).toEqual(before);
    expect(storedFiles(clinic.id)).toHaveLength(1);
  });

  it('refuses kinds other than logo and signature', async () => {
    const { actors } = await staffedClinic();
    const kind = 'letterhead' as 'logo';
    expect((await appError(setClinicImage(db(), storage, actors.owner, kind, PNG, request))).code).toBe('not_found');
    expect((await appError(getClinicImage(db(), storage, actors.owner, kind))).code).toBe('not_found');
  });

  it('leaves no orphan file when the database update fails', async () => {
    const ghost: Actor = { userId: randomUUID(), organizationId: randomUUID(), role: 'owner' };
    const error = await appError(setClinicImage(db(), storage, ghost, 'logo', PNG, request));
    expect(error.code).toBe('not_found');
    expect(storedFiles(ghost.organizationId)).toEqual([]);
  });
});
