// The tamper-evidence hash of an audit row: SHA-256 over the previous row's hash
// and a canonical encoding of every stored field. Changing, removing or reordering
// any row of a chain breaks every hash after it.
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedFields {
  id: string;
  organizationId: string | null;
  seq: bigint;
  actorUserId: string | null;
  event: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  userAgent: string | null;
  outcome: string;
  metadata: unknown;
  createdAt: Date;
}

/** JSON with object keys sorted, so equal content always encodes the same way. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function auditRowHash(prevHash: string, row: ChainedFields): string {
  const payload = canonicalJson({
    id: row.id,
    organizationId: row.organizationId,
    seq: row.seq.toString(),
    actorUserId: row.actorUserId,
    event: row.event,
    targetType: row.targetType,
    targetId: row.targetId,
    ip: row.ip,
    userAgent: row.userAgent,
    outcome: row.outcome,
    metadata: row.metadata,
    createdAt: row.createdAt.toISOString(),
  });
  return createHash('sha256').update(prevHash).update('\n').update(payload).digest('hex');
}
