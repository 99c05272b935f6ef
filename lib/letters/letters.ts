// Letters in the data layer: the /reports list, one letter with its versions
// and PDFs, saving an edit as a new version, restoring a version, duplicating a
// letter as a new draft, and soft deletion. Every query is scoped to the
// actor's clinic; a deleted letter is not found. Changes write their audit
// event in the same transaction.
import { z } from 'zod';
import { recordAudit, recordView, type RequestContext, type Tx } from '@/lib/audit/record';
import type { Actor } from '@/lib/auth/authorize';
import type { Db } from '@/lib/db/client';
import type { JobStatus, LetterStatus, Prisma } from '@/lib/db/generated/client';
import { AppError } from '@/lib/errors';
import { assertLetterId, assertMayWriteTemplate, letterNotFound, mayWriteTemplate, storedTemplate } from './access';
import { MAX_BLOCKS, letterBlockSchema, letterContentSchema, normalizeContent, type LetterBlock, type LetterContent } from './content';
import { LETTER_TEMPLATES, RECIPIENT_TYPES, STAFF_TEMPLATES, letterKind, type LetterKind, type LetterTemplate, type RecipientType } from './options';
import type { LetterMeta } from './provider';
import { isoDate } from './submit';

export const LETTERS_PAGE_SIZE = 25;

/** How a letter's state reads on the page: drafting and failed come from its job. */
export type LetterDisplayStatus = 'drafting' | 'failed' | 'draft' | 'exported';
export const LETTER_STATUS_FILTERS = ['drafting', 'failed', 'draft', 'exported'] as const satisfies readonly LetterDisplayStatus[];

export interface LetterPatient {
  name: string | null;
  dateOfBirth: string | null;
  identifiers: { kind: string; value: string }[];
}

export interface LetterListItem {
  id: string;
  template: LetterTemplate;
  recipientType: RecipientType;
  patientName: string | null;
  subject: string | null;
  toLine: string;
  author: string | null;
  status: LetterDisplayStatus;
  currentVersion: number;
  updatedAt: Date;
  createdAt: Date;
}

export interface LetterVersionItem {
  version: number;
  source: 'generated' | 'edited' | 'restored' | 'duplicated';
  restoredFromVersion: number | null;
  author: string | null;
  createdAt: Date;
}

export interface LetterPdfItem {
  id: string;
  version: number;
  sha256: string;
  byteSize: number;
  pageCount: number;
  pageSize: 'letter' | 'a4';
  whiteLabel: boolean;
  fileName: string;
  provider: string;
  model: string;
  promptVersion: string;
  createdBy: string | null;
  createdAt: Date;
}

export interface LetterView {
  id: string;
  template: LetterTemplate;
  kind: LetterKind;
  recipientType: RecipientType;
  language: string;
  status: LetterDisplayStatus;
  jobId: string | null;
  jobStatus: JobStatus | null;
  jobError: string | null;
  analysisJobId: string | null;
  duplicatedFromId: string | null;
  toLine: string;
  fromLine: string;
  subject: string | null;
  letterDate: string;
  patient: LetterPatient;
  author: string | null;
  meta: LetterMeta | null;
  notices: string[];
  currentVersion: number;
  /** The version shown (the current one unless another was asked for). */
  shown: { version: number; content: LetterContent } | null;
  versions: LetterVersionItem[];
  pdfs: LetterPdfItem[];
  canEdit: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export function displayStatus(status: LetterStatus, currentVersion: number, jobStatus: JobStatus | null): LetterDisplayStatus {
  if (currentVersion === 0) return jobStatus === 'failed' || jobStatus === 'canceled' ? 'failed' : 'drafting';
  return status === 'exported' ? 'exported' : 'draft';
}

export function parsePatient(value: Prisma.JsonValue): LetterPatient {
  const o = (value ?? {}) as { name?: unknown; dateOfBirth?: unknown; identifiers?: unknown };
  const identifiers = Array.isArray(o.identifiers)
    ? o.identifiers.filter((i): i is { kind: string; value: string } => typeof i === 'object' && i !== null && typeof (i as { kind?: unknown }).kind === 'string' && typeof (i as { value?: unknown }).value === 'string')
    : [];
  return { name: typeof o.name === 'string' ? o.name : null, dateOfBirth: typeof o.dateOfBirth === 'string' ? o.dateOfBirth : null, identifiers };
}

export function parseMeta(value: Prisma.JsonValue | null): LetterMeta | null {
  const o = (value ?? null) as Partial<Record<keyof LetterMeta, unknown>> | null;
  if (!o || (o.provider !== 'offline' && o.provider !== 'openai') || typeof o.model !== 'string' || typeof o.promptVersion !== 'string') return null;
  const language = typeof o.language === 'string' && ['en', 'pt', 'es', 'fr'].includes(o.language) ? (o.language as LetterMeta['language']) : 'en';
  return { provider: o.provider, model: o.model, promptVersion: o.promptVersion, language, repaired: o.repaired === true };
}

/** Stored content, validated (a row that fails is shown as unreadable, never rendered raw). */
export function parseContent(value: Prisma.JsonValue): LetterContent | null {
  const parsed = letterContentSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

const strings = (value: Prisma.JsonValue): string[] => (Array.isArray(value) ? value.filter((n): n is string => typeof n === 'string') : []);
const recipient = (value: string): RecipientType => ((RECIPIENT_TYPES as readonly string[]).includes(value) ? (value as RecipientType) : 'other');
const VERSION_SOURCES = ['generated', 'edited', 'restored', 'duplicated'] as const;
const versionSource = (value: string): LetterVersionItem['source'] => ((VERSION_SOURCES as readonly string[]).includes(value) ? (value as LetterVersionItem['source']) : 'edited');

// ---------------------------------------------------------------------------
// The list

export const letterFiltersSchema = z.object({
  template: z.enum(LETTER_TEMPLATES).optional().catch(undefined),
  recipient: z.enum(RECIPIENT_TYPES).optional().catch(undefined),
  status: z.enum(LETTER_STATUS_FILTERS).optional().catch(undefined),
  author: z.uuid().optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).default(1).catch(1),
});
export type LetterFilters = z.infer<typeof letterFiltersSchema> & {
  /** Patient name, addressee or subject (PHI: given through a server action, never in the URL). */
  q?: string;
};

export interface LetterList {
  letters: LetterListItem[];
  total: number;
  page: number;
  pageSize: number;
  authors: { id: string; name: string }[];
}

function statusWhere(status: LetterDisplayStatus | undefined): Prisma.LetterWhereInput {
  switch (status) {
    case 'drafting':
      return { currentVersion: 0, OR: [{ job: null }, { job: { status: { in: ['queued', 'running', 'succeeded'] } } }] };
    case 'failed':
      return { currentVersion: 0, job: { status: { in: ['failed', 'canceled'] } } };
    case 'draft':
      return { currentVersion: { gt: 0 }, status: { not: 'exported' } };
    case 'exported':
      return { currentVersion: { gt: 0 }, status: 'exported' };
    default:
      return {};
  }
}

export async function listLetters(db: Db, actor: Actor, filters: LetterFilters): Promise<LetterList> {
  const q = filters.q?.trim().slice(0, 200);
  const where: Prisma.LetterWhereInput = {
    ...visibleLettersWhere(actor),
    ...(filters.recipient ? { recipientType: filters.recipient } : {}),
    ...(filters.author ? { createdById: filters.author } : {}),
    AND: [
      // Inside AND so a filter can only narrow what the role may see.
      filters.template ? { template: filters.template } : {},
      statusWhere(filters.status),
      q
        ? {
            OR: [
              { patientName: { contains: q, mode: 'insensitive' } },
              { toLine: { contains: q, mode: 'insensitive' } },
              { subject: { contains: q, mode: 'insensitive' } },
            ],
          }
        : {},
    ],
  };
  const [rows, total, members] = await Promise.all([
    db.letter.findMany({
      where,
      orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }],
      skip: (filters.page - 1) * LETTERS_PAGE_SIZE,
      take: LETTERS_PAGE_SIZE,
      select: {
        id: true,
        template: true,
        recipientType: true,
        patientName: true,
        subject: true,
        toLine: true,
        status: true,
        currentVersion: true,
        updatedAt: true,
        createdAt: true,
        createdBy: { select: { name: true } },
        job: { select: { status: true } },
      },
    }),
    db.letter.count({ where }),
    db.membership.findMany({
      where: { organizationId: actor.organizationId },
      select: { user: { select: { id: true, name: true } } },
      orderBy: { user: { name: 'asc' } },
    }),
  ]);
  return {
    letters: rows.map((r) => ({
      id: r.id,
      template: storedTemplate(r.template),
      recipientType: recipient(r.recipientType),
      patientName: r.patientName,
      subject: r.subject,
      toLine: r.toLine,
      author: r.createdBy?.name ?? null,
      status: displayStatus(r.status, r.currentVersion, r.job?.status ?? null),
      currentVersion: r.currentVersion,
      updatedAt: r.updatedAt,
      createdAt: r.createdAt,
    })),
    total,
    page: filters.page,
    pageSize: LETTERS_PAGE_SIZE,
    authors: members.map((m) => m.user),
  };
}

// ---------------------------------------------------------------------------
// One letter

/** Staff see the patient and insurance letters only; everyone else sees every letter of the clinic. */
export function visibleLettersWhere(actor: Actor): Prisma.LetterWhereInput {
  return actor.role === 'staff' ? { organizationId: actor.organizationId, deletedAt: null, template: { in: [...STAFF_TEMPLATES] } } : { organizationId: actor.organizationId, deletedAt: null };
}

export async function findLetter(db: Db | Tx, actor: Actor, letterId: string) {
  assertLetterId(letterId);
  const letter = await db.letter.findFirst({
    where: { id: letterId, ...visibleLettersWhere(actor) },
    include: {
      createdBy: { select: { name: true } },
      job: { select: { status: true, errorMessage: true } },
    },
  });
  if (!letter) throw letterNotFound();
  return letter;
}

/** A letter's page. Records that the member viewed it (ids only). `version` shows an older version read-only. */
export async function getLetter(db: Db, actor: Actor, letterId: string, context: RequestContext | null, options: { version?: number } = {}): Promise<LetterView> {
  const letter = await findLetter(db, actor, letterId);
  const wanted = options.version && options.version >= 1 && options.version <= letter.currentVersion ? options.version : letter.currentVersion;
  const [versions, pdfs, shownRow] = await Promise.all([
    db.letterVersion.findMany({
      where: { letterId: letter.id, organizationId: actor.organizationId },
      orderBy: { version: 'desc' },
      select: { version: true, source: true, restoredFromVersion: true, createdAt: true, author: { select: { name: true } } },
    }),
    db.letterPdf.findMany({
      where: { letterId: letter.id, organizationId: actor.organizationId },
      orderBy: { createdAt: 'desc' },
      include: { createdBy: { select: { name: true } } },
    }),
    wanted > 0 ? db.letterVersion.findUnique({ where: { letterId_version: { letterId: letter.id, version: wanted } }, select: { version: true, content: true } }) : null,
  ]);
  await db.$transaction((tx) =>
    recordView(tx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      event: 'letter.viewed',
      targetType: 'letter',
      targetId: letter.id,
      metadata: { version: wanted },
      request: context,
    }),
  );
  const template = storedTemplate(letter.template);
  const content = shownRow ? parseContent(shownRow.content) : null;
  return {
    id: letter.id,
    template,
    kind: letterKind(template),
    recipientType: recipient(letter.recipientType),
    language: letter.language,
    status: displayStatus(letter.status, letter.currentVersion, letter.job?.status ?? null),
    jobId: letter.jobId,
    jobStatus: letter.job?.status ?? null,
    jobError: letter.job?.errorMessage ?? null,
    analysisJobId: letter.analysisJobId,
    duplicatedFromId: letter.duplicatedFromId,
    toLine: letter.toLine,
    fromLine: letter.fromLine,
    subject: letter.subject,
    letterDate: isoDate(letter.letterDate),
    patient: parsePatient(letter.patient),
    author: letter.createdBy?.name ?? null,
    meta: parseMeta(letter.meta),
    notices: strings(letter.notices),
    currentVersion: letter.currentVersion,
    shown: shownRow && content ? { version: shownRow.version, content } : null,
    versions: versions.map((v) => ({ version: v.version, source: versionSource(v.source), restoredFromVersion: v.restoredFromVersion, author: v.author?.name ?? null, createdAt: v.createdAt })),
    pdfs: pdfs.map((p) => ({
      id: p.id,
      version: p.version,
      sha256: p.sha256,
      byteSize: p.byteSize,
      pageCount: p.pageCount,
      pageSize: p.pageSize,
      whiteLabel: p.whiteLabel,
      fileName: p.fileName,
      provider: p.provider,
      model: p.model,
      promptVersion: p.promptVersion,
      createdBy: p.createdBy?.name ?? null,
      createdAt: p.createdAt,
    })),
    canEdit: mayWriteTemplate(actor, template) && letter.currentVersion > 0,
    createdAt: letter.createdAt,
    updatedAt: letter.updatedAt,
  };
}

// ---------------------------------------------------------------------------
// Versions

export const saveLetterSchema = z.object({
  letterId: z.string(),
  baseVersion: z.number({ message: 'The editor did not say which version it started from; reload the page.' }).int().min(1),
  content: z.unknown(),
});

/** Locks the letter row for the rest of the transaction: concurrent saves take turns. */
async function lockLetter(tx: Tx, actor: Actor, letterId: string) {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM letters WHERE id = ${letterId}::uuid AND organization_id = ${actor.organizationId}::uuid AND deleted_at IS NULL FOR UPDATE`;
  if (rows.length === 0) throw letterNotFound();
  return findLetter(tx, actor, letterId);
}

function conflict(current: number): AppError {
  return new AppError('conflict', {
    message: 'letter changed since the editor loaded it',
    userMessage: `Someone saved version ${current} of this letter while you were editing. Your text is still in the editor: copy it, reload the page, and apply your changes to the latest version.`,
  });
}

async function insertVersion(
  tx: Tx,
  actor: Actor,
  letterId: string,
  version: number,
  content: LetterContent,
  source: LetterVersionItem['source'],
  restoredFromVersion: number | null = null,
): Promise<Date> {
  const row = await tx.letterVersion.create({
    data: { letterId, organizationId: actor.organizationId, version, content: content as unknown as Prisma.InputJsonValue, source, restoredFromVersion, authorId: actor.userId },
    select: { createdAt: true },
  });
  // Editing after an export makes the letter a draft again: the PDF on file is of an older version.
  await tx.letter.update({ where: { id: letterId }, data: { currentVersion: version, status: 'draft' } });
  return row.createdAt;
}

/** Saves the editor's content as the next version. Refuses when someone saved in between (nothing is lost: the editor keeps the text). */
export async function saveLetterVersion(db: Db, actor: Actor, input: unknown, context: RequestContext | null): Promise<{ version: number; savedAt: Date }> {
  const parsed = saveLetterSchema.safeParse(input);
  if (!parsed.success) throw new AppError('validation_failed', { userMessage: parsed.error.issues[0]?.message ?? 'The letter could not be read.' });
  const content = letterContentSchema.safeParse(normalizeContent(readBlocks(parsed.data.content)));
  if (!content.success) throw new AppError('validation_failed', { message: 'letter content invalid', userMessage: content.error.issues[0]?.message ?? 'The letter could not be read.' });
  assertLetterId(parsed.data.letterId);
  return db.$transaction(async (tx) => {
    const letter = await lockLetter(tx, actor, parsed.data.letterId);
    assertMayWriteTemplate(actor, storedTemplate(letter.template), 'edit');
    if (letter.currentVersion === 0) throw new AppError('conflict', { message: 'letter still drafting', userMessage: 'The letter is still being drafted. Wait for it to finish.' });
    if (letter.currentVersion !== parsed.data.baseVersion) throw conflict(letter.currentVersion);
    const version = letter.currentVersion + 1;
    const savedAt = await insertVersion(tx, actor, letter.id, version, content.data, 'edited');
    await recordAudit(tx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      event: 'letter.edited',
      targetType: 'letter',
      targetId: letter.id,
      metadata: { version, baseVersion: parsed.data.baseVersion },
      request: context,
    });
    return { version, savedAt };
  });
}

/** The editor's blocks, or a specific refusal when they are not ours (nothing else is stored). */
function readBlocks(value: unknown): { blocks: LetterBlock[] } {
  const parsed = z.object({ blocks: z.array(letterBlockSchema).max(MAX_BLOCKS) }).safeParse(value);
  if (!parsed.success) throw new AppError('validation_failed', { message: 'letter blocks invalid', userMessage: 'The letter contains formatting we cannot store. Remove it and try again.' });
  return parsed.data;
}

/** Makes an older version the current one, as a new version (history is never rewritten). */
export async function restoreLetterVersion(
  db: Db,
  actor: Actor,
  input: { letterId: string; version: number; baseVersion: number },
  context: RequestContext | null,
): Promise<{ version: number }> {
  assertLetterId(input.letterId);
  return db.$transaction(async (tx) => {
    const letter = await lockLetter(tx, actor, input.letterId);
    assertMayWriteTemplate(actor, storedTemplate(letter.template), 'edit');
    if (letter.currentVersion !== input.baseVersion) throw conflict(letter.currentVersion);
    if (!Number.isInteger(input.version) || input.version < 1 || input.version >= letter.currentVersion) {
      throw new AppError('validation_failed', { message: 'restore of a missing or current version', userMessage: 'Choose an earlier version to restore.' });
    }
    const old = await tx.letterVersion.findUnique({ where: { letterId_version: { letterId: letter.id, version: input.version } }, select: { content: true } });
    const content = old ? parseContent(old.content) : null;
    if (!content) throw new AppError('not_found', { message: 'version unreadable', userMessage: 'That version could not be read, so it cannot be restored.' });
    const version = letter.currentVersion + 1;
    await insertVersion(tx, actor, letter.id, version, content, 'restored', input.version);
    await recordAudit(tx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      event: 'letter.restored',
      targetType: 'letter',
      targetId: letter.id,
      metadata: { version, restoredFromVersion: input.version },
      request: context,
    });
    return { version };
  });
}

/** A new draft with the same request and the current text, dated today, without a job or quota. */
export async function duplicateLetter(db: Db, actor: Actor, letterId: string, context: RequestContext | null, now = new Date()): Promise<{ letterId: string }> {
  return db.$transaction(async (tx) => {
    const letter = await findLetter(tx, actor, letterId);
    assertMayWriteTemplate(actor, storedTemplate(letter.template), 'duplicate');
    if (letter.currentVersion === 0) throw new AppError('conflict', { message: 'duplicate of a letter without text', userMessage: 'This letter has no text yet, so there is nothing to duplicate.' });
    const current = await tx.letterVersion.findUnique({ where: { letterId_version: { letterId: letter.id, version: letter.currentVersion } }, select: { content: true } });
    const content = current ? parseContent(current.content) : null;
    if (!content) throw new AppError('not_found', { message: 'current version unreadable', userMessage: 'This letter could not be read, so it cannot be duplicated.' });
    const copy = await tx.letter.create({
      data: {
        organizationId: actor.organizationId,
        analysisJobId: letter.analysisJobId,
        duplicatedFromId: letter.id,
        createdById: actor.userId,
        template: letter.template,
        recipientType: letter.recipientType,
        language: letter.language,
        request: letter.request as Prisma.InputJsonValue,
        toLine: letter.toLine,
        fromLine: letter.fromLine,
        subject: letter.subject,
        letterDate: new Date(`${isoDate(now)}T00:00:00Z`),
        patient: letter.patient as Prisma.InputJsonValue,
        patientName: letter.patientName,
        meta: letter.meta ?? undefined,
        notices: letter.notices as Prisma.InputJsonValue,
        status: 'draft',
        currentVersion: 1,
      },
      select: { id: true },
    });
    await tx.letterVersion.create({
      data: { letterId: copy.id, organizationId: actor.organizationId, version: 1, content: content as unknown as Prisma.InputJsonValue, source: 'duplicated', authorId: actor.userId },
    });
    await recordAudit(tx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      event: 'letter.duplicated',
      targetType: 'letter',
      targetId: copy.id,
      metadata: { sourceLetterId: letter.id, sourceVersion: letter.currentVersion },
      request: context,
    });
    return { letterId: copy.id };
  });
}

/** Soft deletion: the letter leaves every list and page; its rows, versions and PDFs stay for the record. */
export async function deleteLetter(db: Db, actor: Actor, letterId: string, context: RequestContext | null): Promise<void> {
  await db.$transaction(async (tx) => {
    const letter = await lockLetter(tx, actor, letterId);
    assertMayWriteTemplate(actor, storedTemplate(letter.template), 'delete');
    if (letter.currentVersion === 0 && letter.job && (letter.job.status === 'queued' || letter.job.status === 'running')) {
      throw new AppError('conflict', { message: 'delete of a drafting letter', userMessage: 'The letter is still being drafted. Wait for it to finish, then delete it.' });
    }
    await tx.letter.update({ where: { id: letter.id }, data: { deletedAt: new Date(), deletedById: actor.userId } });
    await recordAudit(tx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      event: 'letter.deleted',
      targetType: 'letter',
      targetId: letter.id,
      metadata: { template: letter.template, versions: letter.currentVersion },
      request: context,
    });
  });
}
