// Filters of the audit log page and its CSV export. They travel in the URL query,
// so they are limited to values that can never carry PHI: an event name from the
// fixed list, a user id and two calendar days.
import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { AUDIT_EVENTS, type AuditEvent } from './events';

/** Rows per page of the audit log; fixed so page links stay stable. */
export const AUDIT_PAGE_SIZE = 50;
/** Far beyond any real log; stops absurd offsets from reaching the database. */
export const AUDIT_MAX_PAGE = 100_000;

export function isAuditEvent(value: string): value is AuditEvent {
  return (AUDIT_EVENTS as readonly string[]).includes(value);
}

/** A real calendar day written as YYYY-MM-DD (2026-02-30 and 0099-01-01 are refused). */
export function isIsoDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00.000Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

const uuid = z.uuid();

// Missing and empty both mean "no filter": an unfilled GET form sends `event=`.
const optionalText = z.preprocess((v) => (v === undefined || v === null ? '' : v), z.string({ message: 'Enter text.' }).trim().max(64, { message: 'That value is too long.' }));

const dayField = optionalText
  .refine((v) => v === '' || isIsoDay(v), { message: 'Enter a date as YYYY-MM-DD.' })
  .transform((v) => v || null);

export const auditFiltersSchema = z
  .object({
    event: optionalText
      .refine((v) => v === '' || isAuditEvent(v), { message: 'Choose an event from the list.' })
      .transform((v): AuditEvent | null => (isAuditEvent(v) ? v : null)),
    actorUserId: optionalText
      .refine((v) => v === '' || uuid.safeParse(v).success, { message: 'Choose a member from the list.' })
      .transform((v) => (v ? v.toLowerCase() : null)),
    from: dayField,
    to: dayField,
    page: z.preprocess(
      (v) => (v === undefined || v === null || v === '' ? 1 : v),
      z.coerce
        .number({ message: 'The page must be a whole number.' })
        .int({ message: 'The page must be a whole number.' })
        .min(1, { message: 'The page must be 1 or more.' })
        .max(AUDIT_MAX_PAGE, { message: 'That page is out of range.' }),
    ),
  })
  .superRefine((filters, ctx) => {
    // ISO days compare correctly as strings.
    if (filters.from && filters.to && filters.from > filters.to) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'The end date must be on or after the start date.' });
    }
  });

export type AuditFilters = z.output<typeof auditFiltersSchema>;
export type AuditFilterField = keyof AuditFilters;

/** The filters, or a validation_failed error with one message list per field. */
export function parseAuditFilters(raw: unknown): AuditFilters {
  const parsed = auditFiltersSchema.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) (fieldErrors[String(issue.path[0] ?? 'form')] ??= []).push(issue.message);
  throw new AppError('validation_failed', { userMessage: 'Some filters need attention.', fieldErrors });
}

type QueryLike = URLSearchParams | Record<string, string | string[] | undefined>;

/** A plain object of the filter fields from a URL query (the first value of a repeated key). */
export function filtersFromSearchParams(query: QueryLike): Record<AuditFilterField, string | undefined> {
  const get = (key: AuditFilterField): string | undefined => {
    if (query instanceof URLSearchParams) return query.get(key) ?? undefined;
    const value = query[key];
    return Array.isArray(value) ? value[0] : value;
  };
  return { event: get('event'), actorUserId: get('actorUserId'), from: get('from'), to: get('to'), page: get('page') };
}

/** The query string of the filters in use (empty ones left out), for page and export links. */
export function auditFiltersQuery(filters: AuditFilters, page = 1): string {
  const query = new URLSearchParams();
  if (filters.event) query.set('event', filters.event);
  if (filters.actorUserId) query.set('actorUserId', filters.actorUserId);
  if (filters.from) query.set('from', filters.from);
  if (filters.to) query.set('to', filters.to);
  if (page > 1) query.set('page', String(page));
  return query.toString();
}

/** Whether any filter (other than the page) narrows the log. */
export function hasAuditFilters(filters: AuditFilters): boolean {
  return Boolean(filters.event || filters.actorUserId || filters.from || filters.to);
}
