// The clinic's letterhead: its name, address, phone and fax, and the logo and
// signature images printed on exported PDFs. Every member may read them; only
// owners and admins change them. Every query is scoped to the actor's clinic.
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { recordAudit, type RequestContext, type Tx } from '@/lib/audit/record';
import { ADMIN_ROLES, assertRole, type Actor } from '@/lib/auth/authorize';
import { clinicNameField } from '@/lib/auth/schemas';
import type { Db } from '@/lib/db/client';
import { AppError, describeError } from '@/lib/errors';
import { logger } from '@/lib/logger';
import { checkImage, CLINIC_IMAGE_KINDS, type ClinicImageKind } from '@/lib/storage/images';
import type { ObjectStorage, StoredObject } from '@/lib/storage/object-storage';

export const ADDRESS_MAX_LENGTH = 300;
export const PHONE_MAX_LENGTH = 40;

/** Control characters other than line breaks and tabs have no place on a letterhead (and can confuse PDF and email renderers). */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

const addressField = z
  .string({ message: 'Enter the address as text.' })
  .default('')
  // One line-break convention, no trailing spaces on lines, no blank lines at either end.
  .transform((v) => v.replace(/\r\n?/g, '\n').split('\n').map((line) => line.trimEnd()).join('\n').trim())
  // abort: one clear message per field rather than every rule the value breaks.
  .refine((v) => !CONTROL.test(v), { message: 'Remove the special characters from the address.', abort: true })
  .refine((v) => [...v].length <= ADDRESS_MAX_LENGTH, { message: `Use at most ${ADDRESS_MAX_LENGTH} characters.` })
  .transform((v) => (v === '' ? null : v));

function phoneField(what: 'phone' | 'fax') {
  return z
    .string({ message: `Enter the ${what} number as text.` })
    .default('')
    .transform((v) => v.trim().replace(/\s+/g, ' '))
    .refine((v) => v.length <= PHONE_MAX_LENGTH, { message: `Use at most ${PHONE_MAX_LENGTH} characters.`, abort: true })
    .refine((v) => /^[0-9 +\-().]*$/.test(v), { message: 'Use only digits, spaces and + - ( ) .', abort: true })
    .refine((v) => v === '' || /\d/.test(v), { message: `Include the digits of the ${what} number.` })
    .transform((v) => (v === '' ? null : v));
}

/** Empty address, phone or fax clear the value. */
export const PAGE_SIZES = ['letter', 'a4'] as const;
export type PageSize = (typeof PAGE_SIZES)[number];

export const clinicDetailsSchema = z.object({
  name: clinicNameField,
  address: addressField,
  phone: phoneField('phone'),
  fax: phoneField('fax'),
  /** Paper size of exported PDFs; left as it is when not sent. */
  pageSize: z.enum(PAGE_SIZES, { message: 'Choose US Letter or A4.' }).optional(),
});

export const clinicImageKindField = z.enum(CLINIC_IMAGE_KINDS, { message: 'Choose the logo or the signature.' });

export interface ClinicDetails {
  name: string;
  address: string | null;
  phone: string | null;
  fax: string | null;
  pageSize: PageSize;
}

export interface ClinicSettings extends ClinicDetails {
  /** A short fingerprint of each stored image (for preview URLs that change with the image), or null when there is none. */
  images: Record<ClinicImageKind, string | null>;
  canEdit: boolean;
}

const KEY_COLUMN = { logo: 'logoKey', signature: 'signatureKey' } as const satisfies Record<ClinicImageKind, string>;

function fingerprint(key: string | null): string | null {
  return key ? createHash('sha256').update(key).digest('hex').slice(0, 12) : null;
}

function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) (out[String(issue.path[0] ?? 'form')] ??= []).push(issue.message);
  return out;
}

/** The kind as a checked value: callers pass route and form input through here too. */
function checkedKind(kind: unknown): ClinicImageKind {
  const parsed = clinicImageKindField.safeParse(kind);
  if (!parsed.success) throw new AppError('not_found', { userMessage: 'Clinics have a logo and a signature image only.' });
  return parsed.data;
}

async function lockClinic(tx: Tx, organizationId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM organizations WHERE id = ${organizationId}::uuid FOR UPDATE`;
}

export async function getClinicSettings(db: Db, actor: Actor): Promise<ClinicSettings> {
  const clinic = await db.organization.findUnique({
    where: { id: actor.organizationId },
    select: { name: true, address: true, phone: true, fax: true, pageSize: true, logoKey: true, signatureKey: true },
  });
  if (!clinic) throw new AppError('not_found');
  return {
    name: clinic.name,
    address: clinic.address,
    phone: clinic.phone,
    fax: clinic.fax,
    pageSize: clinic.pageSize,
    images: { logo: fingerprint(clinic.logoKey), signature: fingerprint(clinic.signatureKey) },
    canEdit: ADMIN_ROLES.includes(actor.role),
  };
}

/** Saves the letterhead details. The audit row says which fields changed, never their values. */
export async function updateClinicDetails(
  db: Db,
  actor: Actor,
  input: { name: unknown; address?: unknown; phone?: unknown; fax?: unknown; pageSize?: unknown },
  request: RequestContext,
): Promise<{ details: ClinicDetails; changed: boolean }> {
  assertRole(actor, ADMIN_ROLES);
  const parsed = clinicDetailsSchema.safeParse(input);
  if (!parsed.success) throw new AppError('validation_failed', { fieldErrors: fieldErrorsOf(parsed.error) });
  return db.$transaction(async (tx) => {
    await lockClinic(tx, actor.organizationId);
    const current = await tx.organization.findUnique({
      where: { id: actor.organizationId },
      select: { name: true, address: true, phone: true, fax: true, pageSize: true },
    });
    if (!current) throw new AppError('not_found');
    const details: ClinicDetails = { ...parsed.data, pageSize: parsed.data.pageSize ?? current.pageSize };
    const changes = {
      name: current.name !== details.name,
      address: current.address !== details.address,
      phone: current.phone !== details.phone,
      fax: current.fax !== details.fax,
      pageSize: current.pageSize !== details.pageSize,
    };
    if (!Object.values(changes).some(Boolean)) return { details, changed: false };
    await tx.organization.update({ where: { id: actor.organizationId }, data: details });
    await recordAudit(tx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      event: 'clinic.settings_changed',
      targetType: 'organization',
      targetId: actor.organizationId,
      metadata: changes,
      request,
    });
    return { details, changed: true };
  });
}

/** The clinic's logo or signature, for any member, or null when there is none. */
export async function getClinicImage(db: Db, storage: ObjectStorage, actor: Actor, rawKind: ClinicImageKind): Promise<StoredObject | null> {
  const kind = checkedKind(rawKind);
  const clinic = await db.organization.findUnique({ where: { id: actor.organizationId }, select: { logoKey: true, signatureKey: true } });
  const key = clinic?.[KEY_COLUMN[kind]];
  return key ? storage.get(key) : null;
}

/** Deleting a replaced object is tidying up: a failure leaves an orphan file, never a broken clinic. */
async function deleteQuietly(storage: ObjectStorage, key: string, kind: ClinicImageKind): Promise<void> {
  try {
    await storage.delete(key);
  } catch (error) {
    logger().warn({ err: describeError(error), kind }, 'old clinic image not deleted');
  }
}

/**
 * Stores a new logo or signature and makes it the clinic's. The object is
 * written before the database points at it, and the previous one is deleted
 * only after that commits, so the clinic never references a missing file.
 */
export async function setClinicImage(
  db: Db,
  storage: ObjectStorage,
  actor: Actor,
  rawKind: ClinicImageKind,
  bytes: Uint8Array,
  request: RequestContext,
): Promise<{ kind: ClinicImageKind; type: string; bytes: number }> {
  assertRole(actor, ADMIN_ROLES);
  const kind = checkedKind(rawKind);
  const image = checkImage(kind, bytes);
  // A fresh random name per upload: previews and caches never mix the old and new image.
  const key = `clinics/${actor.organizationId}/${kind}-${randomBytes(12).toString('hex')}.${image.extension}`;
  await storage.put(key, bytes, image.contentType);

  let previous: string | null;
  try {
    previous = await db.$transaction(async (tx) => {
      await lockClinic(tx, actor.organizationId);
      const clinic = await tx.organization.findUnique({ where: { id: actor.organizationId }, select: { logoKey: true, signatureKey: true } });
      if (!clinic) throw new AppError('not_found');
      await tx.organization.update({ where: { id: actor.organizationId }, data: { [KEY_COLUMN[kind]]: key } });
      await recordAudit(tx, {
        organizationId: actor.organizationId,
        actorUserId: actor.userId,
        event: 'clinic.file_uploaded',
        targetType: 'organization',
        targetId: actor.organizationId,
        metadata: { kind, bytes: bytes.byteLength, type: image.type },
        request,
      });
      return clinic[KEY_COLUMN[kind]];
    });
  } catch (error) {
    await deleteQuietly(storage, key, kind);
    throw error;
  }
  if (previous && previous !== key) await deleteQuietly(storage, previous, kind);
  return { kind, type: image.type, bytes: bytes.byteLength };
}

/** Removes the logo or signature. Returns false (and records nothing) when there was none. */
export async function removeClinicImage(
  db: Db,
  storage: ObjectStorage,
  actor: Actor,
  rawKind: ClinicImageKind,
  request: RequestContext,
): Promise<boolean> {
  assertRole(actor, ADMIN_ROLES);
  const kind = checkedKind(rawKind);
  const previous = await db.$transaction(async (tx) => {
    await lockClinic(tx, actor.organizationId);
    const clinic = await tx.organization.findUnique({ where: { id: actor.organizationId }, select: { logoKey: true, signatureKey: true } });
    if (!clinic) throw new AppError('not_found');
    const key = clinic[KEY_COLUMN[kind]];
    if (!key) return null;
    await tx.organization.update({ where: { id: actor.organizationId }, data: { [KEY_COLUMN[kind]]: null } });
    await recordAudit(tx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      event: 'clinic.file_deleted',
      targetType: 'organization',
      targetId: actor.organizationId,
      metadata: { kind },
      request,
    });
    return key;
  });
  if (!previous) return false;
  await deleteQuietly(storage, previous, kind);
  return true;
}
