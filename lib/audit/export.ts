// CSV export of a clinic's audit log, with the page's filters. The export is
// itself audited, because a copy of the log leaving the product is worth knowing
// about. Cells are neutralised against spreadsheet formula injection: names, user
// agents and target ids come from people and would otherwise run as formulas
// when the file is opened in Excel or Sheets.
import { recordAudit, type RequestContext } from '@/lib/audit/record';
import { ADMIN_ROLES, assertRole, type Actor } from '@/lib/auth/authorize';
import type { Db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { auditRowSelect, auditWhere, describeAuditRows, type AuditRow } from './list';
import { parseAuditFilters } from './schemas';

export const AUDIT_EXPORT_CHUNK = 1000;
export const AUDIT_EXPORT_MAX_ROWS = 100_000;

export const AUDIT_CSV_HEADER = [
  'time',
  'event',
  'outcome',
  'actor_name',
  'actor_email',
  'target_type',
  'target_id',
  'ip',
  'user_agent',
  'metadata',
] as const;

/**
 * One RFC 4180 field. A leading = + - @ tab or CR makes spreadsheets treat the
 * cell as a formula, so such cells get a leading apostrophe (OWASP's advice);
 * fields with a comma, quote or line break are quoted with quotes doubled.
 */
export function csvCell(value: string | null | undefined): string {
  let text = value ?? '';
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV record, CRLF-terminated as RFC 4180 asks. */
export function csvRecord(values: readonly (string | null | undefined)[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

function rowRecord(row: AuditRow): string {
  return csvRecord([
    row.createdAt.toISOString(),
    row.eventLabel,
    row.outcome,
    row.actorName,
    row.actorEmail,
    row.targetType,
    row.targetId,
    row.ip,
    row.userAgent,
    JSON.stringify(row.metadata ?? {}),
  ]);
}

function yyyymmdd(date: Date): string {
  return date.toISOString().slice(0, 10).replace(/-/g, '');
}

export interface AuditExportOptions {
  /** The day in the file name; defaults to now. */
  now?: Date;
  /** Overridable so tests can reach the cap and several chunks with a few rows. */
  maxRows?: number;
  chunkSize?: number;
}

/**
 * Every row matching the filters (the page number is ignored), newest first, as
 * CSV. Reads in chunks of 1000 by seq; at most 100,000 rows.
 */
export async function exportAuditCsv(
  db: Db,
  actor: Actor,
  rawFilters: unknown,
  request: RequestContext | null,
  options: AuditExportOptions = {},
): Promise<{ filename: string; csv: string }> {
  const { now = new Date(), maxRows = AUDIT_EXPORT_MAX_ROWS, chunkSize = AUDIT_EXPORT_CHUNK } = options;
  assertRole(actor, ADMIN_ROLES);
  const filters = parseAuditFilters(rawFilters);
  const clinic = await db.organization.findUnique({ where: { id: actor.organizationId }, select: { slug: true } });
  if (!clinic) throw new AppError('not_found');

  // The chain is append-only and numbered without gaps, and a row is only written
  // after its predecessor committed, so "seq <= the newest seq now" is a stable
  // snapshot: the count and every chunk see the same rows without holding a long
  // transaction open, and rows written meanwhile (this export's own event
  // included) are left out.
  const newest = await db.auditLog.findFirst({
    where: { organizationId: actor.organizationId },
    orderBy: { seq: 'desc' },
    select: { seq: true },
  });
  const ceiling = newest?.seq ?? 0n;
  const where = auditWhere(actor, filters);
  const total = await db.auditLog.count({ where: { ...where, seq: { lte: ceiling } } });
  if (total > maxRows) {
    throw new AppError('validation_failed', {
      message: 'audit export over the row cap',
      userMessage: `These filters match ${total.toLocaleString('en-US')} events; an export holds at most ${maxRows.toLocaleString('en-US')}. Choose a shorter date range or another filter and export in parts.`,
    });
  }

  const parts: string[] = [csvRecord(AUDIT_CSV_HEADER)];
  let rowCount = 0;
  let cursor = ceiling + 1n;
  for (;;) {
    const chunk = await db.auditLog.findMany({
      where: { ...where, seq: { lt: cursor } },
      orderBy: { seq: 'desc' },
      take: chunkSize,
      select: { ...auditRowSelect, seq: true },
    });
    for (const row of await describeAuditRows(db, chunk)) parts.push(rowRecord(row));
    rowCount += chunk.length;
    const last = chunk.at(-1);
    // The ceiling keeps the set at the counted size; stopping at the cap anyway keeps memory bounded.
    if (!last || chunk.length < chunkSize || rowCount >= maxRows) break;
    cursor = last.seq;
  }

  // Reading changes nothing, so the event is written in its own short transaction
  // just before the file is handed over, rather than holding one open for the read.
  await db.$transaction((tx) =>
    recordAudit(tx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      event: 'audit.exported',
      metadata: {
        rowCount,
        filteredByEvent: filters.event !== null,
        filteredByMember: filters.actorUserId !== null,
        filteredFrom: filters.from !== null,
        filteredTo: filters.to !== null,
      },
      request,
    }),
  );

  return { filename: `audit-${clinic.slug}-${yyyymmdd(now)}.csv`, csv: parts.join('') };
}
