// Reading a clinic's audit log: one page of rows for the /audit page and the
// choices of its filter form. Only owners and admins read the log, and only
// their own clinic's chain (the account chain and other clinics never appear).
import { ADMIN_ROLES, assertRole, type Actor } from '@/lib/auth/authorize';
import type { Db } from '@/lib/db/client';
import type { Prisma } from '@/lib/db/generated/client';
import { AUDIT_EVENTS, auditEventLabel, type AuditEvent, type AuditOutcome } from './events';
import { AUDIT_PAGE_SIZE, isAuditEvent, parseAuditFilters, type AuditFilters } from './schemas';

export const DELETED_USER = 'Deleted user';

export interface AuditRow {
  id: string;
  createdAt: Date;
  event: string;
  eventLabel: string;
  outcome: AuditOutcome;
  actorUserId: string | null;
  /** null when no signed-in person acted (a failed sign-in); "Deleted user" when the account is gone. */
  actorName: string | null;
  actorEmail: string | null;
  targetType: string | null;
  targetId: string | null;
  /** The person's name when the target is a user, so the page need not show a bare id. */
  targetName: string | null;
  ip: string | null;
  userAgent: string | null;
  metadata: Prisma.JsonValue;
}

export interface AuditPage {
  rows: AuditRow[];
  total: number;
  page: number;
  pageSize: number;
  /** At least 1, so an empty log still reads "Page 1 of 1". */
  pageCount: number;
  filters: AuditFilters;
}

export interface AuditFilterOptions {
  members: { id: string; name: string; email: string }[];
  events: { value: AuditEvent; label: string }[];
}

/** Labels unknown event names (from older releases) by their raw name rather than failing. */
export function eventLabel(event: string): string {
  return isAuditEvent(event) ? auditEventLabel(event) : event;
}

const DAY_MS = 86_400_000;

/** The clinic-scoped condition for the filters; dates are whole UTC days, `to` inclusive. */
export function auditWhere(actor: Actor, filters: AuditFilters): Prisma.AuditLogWhereInput {
  const createdAt: Prisma.DateTimeFilter = {};
  if (filters.from) createdAt.gte = new Date(`${filters.from}T00:00:00.000Z`);
  if (filters.to) createdAt.lt = new Date(new Date(`${filters.to}T00:00:00.000Z`).getTime() + DAY_MS);
  return {
    organizationId: actor.organizationId,
    ...(filters.event ? { event: filters.event } : {}),
    ...(filters.actorUserId ? { actorUserId: filters.actorUserId } : {}),
    ...(filters.from || filters.to ? { createdAt } : {}),
  };
}

export const auditRowSelect = {
  id: true,
  createdAt: true,
  event: true,
  outcome: true,
  actorUserId: true,
  targetType: true,
  targetId: true,
  ip: true,
  userAgent: true,
  metadata: true,
} satisfies Prisma.AuditLogSelect;

type StoredRow = Prisma.AuditLogGetPayload<{ select: typeof auditRowSelect }>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Adds people's names and emails with one lookup by primary key. The log has no
 * foreign keys (it outlives deleted accounts), so a missing user is shown as
 * deleted rather than dropped. Only ids already in this clinic's log are looked up.
 */
export async function describeAuditRows(db: Db, stored: StoredRow[]): Promise<AuditRow[]> {
  const ids = new Set<string>();
  for (const row of stored) {
    if (row.actorUserId) ids.add(row.actorUserId);
    // target ids are free text; only well-formed uuids can be user ids (and the column is uuid).
    if (row.targetType === 'user' && row.targetId && UUID.test(row.targetId)) ids.add(row.targetId);
  }
  const users =
    ids.size > 0 ? await db.user.findMany({ where: { id: { in: [...ids] } }, select: { id: true, name: true, email: true } }) : [];
  const byId = new Map(users.map((u) => [u.id, u]));
  return stored.map((row) => {
    const actor = row.actorUserId ? byId.get(row.actorUserId) : undefined;
    const target = row.targetType === 'user' && row.targetId ? byId.get(row.targetId) : undefined;
    return {
      ...row,
      eventLabel: eventLabel(row.event),
      actorName: row.actorUserId ? (actor?.name ?? DELETED_USER) : null,
      actorEmail: actor?.email ?? null,
      targetName: row.targetType === 'user' && row.targetId ? (target?.name ?? DELETED_USER) : null,
    };
  });
}

/** One page of the clinic's audit log, newest first. */
export async function listAuditEvents(db: Db, actor: Actor, rawFilters: unknown): Promise<AuditPage> {
  assertRole(actor, ADMIN_ROLES);
  const filters = parseAuditFilters(rawFilters);
  const where = auditWhere(actor, filters);
  // One count and one page query, side by side; the page is by offset because
  // people jump between numbered pages, and it is bounded by AUDIT_MAX_PAGE.
  const [total, stored] = await Promise.all([
    db.auditLog.count({ where }),
    db.auditLog.findMany({
      where,
      orderBy: { seq: 'desc' },
      skip: (filters.page - 1) * AUDIT_PAGE_SIZE,
      take: AUDIT_PAGE_SIZE,
      select: auditRowSelect,
    }),
  ]);
  return {
    rows: await describeAuditRows(db, stored),
    total,
    page: filters.page,
    pageSize: AUDIT_PAGE_SIZE,
    pageCount: Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE)),
    filters,
  };
}

/** The choices of the filter form: the clinic's current members and every event. */
export async function listAuditFilterOptions(db: Db, actor: Actor): Promise<AuditFilterOptions> {
  assertRole(actor, ADMIN_ROLES);
  const memberships = await db.membership.findMany({
    where: { organizationId: actor.organizationId },
    select: { user: { select: { id: true, name: true, email: true } } },
  });
  const members = memberships
    .map((m) => m.user)
    .sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) || a.email.localeCompare(b.email));
  return { members, events: AUDIT_EVENTS.map((value) => ({ value, label: auditEventLabel(value) })) };
}
