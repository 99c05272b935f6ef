// Writes one audit row inside the caller's transaction, so the record and the
// change it describes commit or roll back together. Rows of one chain (a clinic,
// or the account chain for events outside any clinic) are serialized with a
// transaction-scoped advisory lock so that each links to exactly one predecessor.
import { randomUUID } from 'node:crypto';
import type { Prisma } from '@/lib/db/generated/client';
import { auditRowHash, GENESIS_HASH } from './chain';
import type { AuditEvent, AuditMetadata, AuditOutcome } from './events';

export type Tx = Prisma.TransactionClient;

export interface RequestContext {
  ip: string | null;
  userAgent: string | null;
}

export interface AuditInput {
  organizationId: string | null;
  actorUserId: string | null;
  event: AuditEvent;
  targetType?: string;
  targetId?: string;
  outcome?: AuditOutcome;
  /** Ids, counts and flags only: never PHI, never secrets. */
  metadata?: AuditMetadata;
  request?: RequestContext | null;
}

const ACCOUNT_CHAIN = 'account';

async function lockChain(tx: Tx, organizationId: string | null): Promise<void> {
  const chain = organizationId ?? ACCOUNT_CHAIN;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`audit:${chain}`}, 0))`;
}

export async function recordAudit(tx: Tx, input: AuditInput): Promise<void> {
  await lockChain(tx, input.organizationId);
  const previous = await tx.auditLog.findFirst({
    where: { organizationId: input.organizationId },
    orderBy: { seq: 'desc' },
    select: { seq: true, hash: true },
  });
  const row = {
    id: randomUUID(),
    organizationId: input.organizationId,
    seq: (previous?.seq ?? 0n) + 1n,
    actorUserId: input.actorUserId,
    event: input.event,
    targetType: input.targetType ?? null,
    targetId: input.targetId ?? null,
    ip: input.request?.ip?.slice(0, 64) ?? null,
    userAgent: input.request?.userAgent?.slice(0, 512) ?? null,
    outcome: input.outcome ?? 'success',
    metadata: input.metadata ?? {},
    createdAt: new Date(),
  };
  const prevHash = previous?.hash ?? GENESIS_HASH;
  await tx.auditLog.create({ data: { ...row, prevHash, hash: auditRowHash(prevHash, row) } });
}

/** A view repeated within this window by the same member, of the same thing, with the same details, is one view. */
export const VIEW_WINDOW_SECONDS = 300;

/**
 * Records that a member viewed clinical content (`job.viewed`, `letter.viewed`), once per
 * window: a page that refreshes itself (after a save, when a job completes) or an API
 * client reading a result again does not bury the log in identical rows. A view with
 * other details (another letter version, a job that has finished since, another API key)
 * is recorded. Returns whether a row was written.
 */
export async function recordView(tx: Tx, input: AuditInput & { targetType: string; targetId: string }, now = new Date()): Promise<boolean> {
  // Under the chain's lock, so two refreshes at once write one row.
  await lockChain(tx, input.organizationId);
  const recent = await tx.auditLog.findFirst({
    where: {
      organizationId: input.organizationId,
      actorUserId: input.actorUserId,
      event: input.event,
      targetType: input.targetType,
      targetId: input.targetId,
      createdAt: { gte: new Date(now.getTime() - VIEW_WINDOW_SECONDS * 1000) },
      metadata: { equals: input.metadata ?? {} },
    },
    select: { id: true },
  });
  if (recent) return false;
  await recordAudit(tx, input);
  return true;
}
