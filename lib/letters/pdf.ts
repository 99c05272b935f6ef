// Exporting and downloading a letter as a PDF. A PDF is rendered once per
// letter version and rendering inputs (the letterhead, images, paper size,
// white-label), stored under its SHA-256 with the version, provider, model and
// prompt version, and served from storage afterwards: the same letter version
// always yields the same document, and the letter page lists exactly what was
// sent. Generation writes `pdf.exported`; every download writes `pdf.downloaded`.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { recordAudit, type RequestContext } from '@/lib/audit/record';
import type { Actor } from '@/lib/auth/authorize';
import { getClinicPlan } from '@/lib/billing/entitlements';
import type { Db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import type { ObjectStorage } from '@/lib/storage';
import { contentDisposition } from '@/lib/uploads/content-disposition';
import { renderLetterPdf, type LetterPdfInput } from '@/lib/pdf/letter-pdf';
import { storedTemplate } from './access';
import { letterFileName } from './file-name';
import { findLetter, parseContent, parseMeta, parsePatient } from './letters';
import { letterKind } from './options';

/** Bumped whenever the PDF layout changes, so stored PDFs of the old layout are not served for new exports. */
export const PDF_LAYOUT_VERSION = 'letter-pdf-2';

export interface LetterPdfRecord {
  id: string;
  letterId: string;
  version: number;
  sha256: string;
  storageKey: string;
  byteSize: number;
  pageCount: number;
  fileName: string;
}

export interface PdfDownload {
  stream: Readable;
  byteSize: number;
  fileName: string;
  contentDisposition: string;
  sha256: string;
}

const isUniqueViolation = (error: unknown): boolean => (error as { code?: unknown }).code === 'P2002';

/** Renders in flight in this process: concurrent downloads of a new version render it once. */
const inFlight = new Map<string, Promise<{ record: LetterPdfRecord; created: boolean }>>();

const pdfSelect = { id: true, letterId: true, version: true, sha256: true, storageKey: true, byteSize: true, pageCount: true, fileName: true } as const;

async function imageBytes(storage: ObjectStorage, key: string | null): Promise<Uint8Array | null> {
  if (!key) return null;
  const object = await storage.get(key);
  return object ? object.bytes : null;
}

/**
 * The stored PDF of the letter's version (the current one unless `version` is given),
 * rendering and storing it first when there is none for today's letterhead.
 */
export async function exportLetterPdf(
  db: Db,
  storage: ObjectStorage,
  actor: Actor,
  letterId: string,
  context: RequestContext | null,
  options: { version?: number } = {},
): Promise<{ record: LetterPdfRecord; created: boolean }> {
  const letter = await findLetter(db, actor, letterId);
  if (letter.currentVersion === 0) throw new AppError('conflict', { message: 'export of a letter without text', userMessage: 'The letter is still being drafted. Export it once it is ready.' });
  const version = options.version ?? letter.currentVersion;
  if (!Number.isInteger(version) || version < 1 || version > letter.currentVersion) {
    throw new AppError('not_found', { message: 'no such letter version', userMessage: 'That version of the letter does not exist.' });
  }
  const [row, clinic, clinicPlan] = await Promise.all([
    db.letterVersion.findUnique({ where: { letterId_version: { letterId: letter.id, version } }, select: { content: true, createdAt: true } }),
    db.organization.findUniqueOrThrow({
      where: { id: actor.organizationId },
      select: { name: true, address: true, phone: true, fax: true, logoKey: true, signatureKey: true, pageSize: true },
    }),
    getClinicPlan(db, actor.organizationId),
  ]);
  const content = row ? parseContent(row.content) : null;
  if (!row || !content) throw new AppError('not_found', { message: 'letter version unreadable', userMessage: 'That version of the letter could not be read.' });
  const whiteLabel = clinicPlan.plan.features.has('whiteLabel');
  const template = storedTemplate(letter.template);
  const patient = parsePatient(letter.patient);
  const meta = parseMeta(letter.meta);
  const header = { to: letter.toLine, from: letter.fromLine, date: letter.letterDate.toISOString().slice(0, 10), re: letter.subject ?? '' };
  const renderKey = createHash('sha256')
    .update(
      JSON.stringify({
        layout: PDF_LAYOUT_VERSION,
        clinic: { name: clinic.name, address: clinic.address, phone: clinic.phone, fax: clinic.fax, logo: clinic.logoKey, signature: clinic.signatureKey },
        pageSize: clinic.pageSize,
        whiteLabel,
        header,
        patient,
        template,
      }),
    )
    .digest('hex');

  const existing = await db.letterPdf.findUnique({ where: { letterId_version_renderKey: { letterId: letter.id, version, renderKey } }, select: pdfSelect });
  if (existing) return { record: existing, created: false };

  const flightKey = `${letter.id}:${version}:${renderKey}`;
  const running = inFlight.get(flightKey);
  if (running) return running;
  const work = (async () => {
    const [logo, signature] = await Promise.all([imageBytes(storage, clinic.logoKey), imageBytes(storage, clinic.signatureKey)]);
    const input: LetterPdfInput = {
      pageSize: clinic.pageSize,
      whiteLabel,
      clinic: { name: clinic.name, address: clinic.address, phone: clinic.phone, fax: clinic.fax, logo },
      header,
      patient,
      urgent: template === 'urgent_referral',
      content,
      signature: { image: signature, name: letter.fromLine },
      title: header.re || 'Letter',
      createdAt: row.createdAt,
    };
    const rendered = await renderLetterPdf(input);
    const fileName = letterFileName({ clinicName: clinic.name, providerName: letter.fromLine, patientName: patient.name, date: header.date, kind: letterKind(template) });
    // Named by content: two instances racing to store the same document write the same bytes.
    const storageKey = `${actor.organizationId}/letters/${letter.id}/${rendered.sha256}.pdf`;
    await storage.put(storageKey, rendered.bytes, 'application/pdf');
    try {
      const record = await db.$transaction(async (tx) => {
        const created = await tx.letterPdf.create({
          data: {
            letterId: letter.id,
            organizationId: actor.organizationId,
            version,
            renderKey,
            sha256: rendered.sha256,
            storageKey,
            byteSize: rendered.bytes.byteLength,
            pageCount: rendered.pageCount,
            pageSize: clinic.pageSize,
            whiteLabel,
            fileName,
            provider: meta?.provider ?? 'unknown',
            model: meta?.model ?? 'unknown',
            promptVersion: meta?.promptVersion ?? 'unknown',
            createdById: actor.userId,
          },
          select: pdfSelect,
        });
        // Only an export of the current version makes the letter "exported"; a later edit makes it a draft again.
        await tx.letter.updateMany({ where: { id: letter.id, currentVersion: version }, data: { status: 'exported' } });
        await recordAudit(tx, {
          organizationId: actor.organizationId,
          actorUserId: actor.userId,
          event: 'pdf.exported',
          targetType: 'letter',
          targetId: letter.id,
          metadata: { pdfId: created.id, version, pages: rendered.pageCount, bytes: rendered.bytes.byteLength, pageSize: clinic.pageSize, whiteLabel },
          request: context,
        });
        return created;
      });
      return { record, created: true };
    } catch (error) {
      if (isUniqueViolation(error)) {
        const winner = await db.letterPdf.findUnique({ where: { letterId_version_renderKey: { letterId: letter.id, version, renderKey } }, select: pdfSelect });
        if (winner) return { record: winner, created: false };
      }
      throw error;
    }
  })();
  inFlight.set(flightKey, work);
  try {
    return await work;
  } finally {
    inFlight.delete(flightKey);
  }
}

/** One stored PDF of a letter of the clinic, by id (the letter page's history). */
async function storedPdf(db: Db, actor: Actor, letterId: string, pdfId: string): Promise<LetterPdfRecord> {
  const letter = await findLetter(db, actor, letterId);
  if (!/^[0-9a-f-]{36}$/i.test(pdfId)) throw new AppError('not_found', { message: 'malformed pdf id', userMessage: 'We could not find that PDF.' });
  const record = await db.letterPdf.findFirst({ where: { id: pdfId, letterId: letter.id, organizationId: actor.organizationId }, select: pdfSelect });
  if (!record) throw new AppError('not_found', { message: 'no such pdf for the letter', userMessage: 'We could not find that PDF.' });
  return record;
}

/**
 * Opens a letter's PDF for download: a stored one by id, or the given (default: current)
 * version, exported first when needed. Records `pdf.downloaded` before the bytes go out.
 */
export async function openLetterPdf(
  db: Db,
  storage: ObjectStorage,
  actor: Actor,
  letterId: string,
  context: RequestContext | null,
  options: { pdfId?: string; version?: number } = {},
): Promise<PdfDownload> {
  const record = options.pdfId ? await storedPdf(db, actor, letterId, options.pdfId) : (await exportLetterPdf(db, storage, actor, letterId, context, { version: options.version })).record;
  const object = await storage.getStream(record.storageKey);
  if (!object) throw new AppError('not_found', { message: 'stored pdf missing', userMessage: 'The stored PDF could not be found. Export the letter again.' });
  await db.$transaction((tx) =>
    recordAudit(tx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      event: 'pdf.downloaded',
      targetType: 'letter',
      targetId: record.letterId,
      metadata: { pdfId: record.id, version: record.version, sha256: record.sha256 },
      request: context,
    }),
  );
  return {
    stream: object.stream,
    byteSize: object.byteSize ?? record.byteSize,
    fileName: record.fileName,
    contentDisposition: contentDisposition(record.fileName, 'pdf'),
    sha256: record.sha256,
  };
}
