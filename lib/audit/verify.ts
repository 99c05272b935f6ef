// Walks each chain in order and reports the first row whose link or hash does not match.
import type { Db } from '@/lib/db/client';
import { auditRowHash, GENESIS_HASH } from './chain';

export interface BrokenLink {
  organizationId: string | null;
  seq: bigint;
  id: string;
  reason: 'hash mismatch' | 'previous hash mismatch' | 'sequence gap';
}

export interface VerifyResult {
  chains: number;
  rows: number;
  broken: BrokenLink[];
}

const PAGE = 1000;

export async function verifyAuditChains(db: Db, options: { organizationId?: string | null } = {}): Promise<VerifyResult> {
  const chains =
    options.organizationId !== undefined
      ? [options.organizationId]
      : (await db.auditLog.findMany({ distinct: ['organizationId'], select: { organizationId: true } })).map((r) => r.organizationId);
  let rows = 0;
  const broken: BrokenLink[] = [];
  for (const organizationId of chains) {
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1n;
    let cursor = 0n;
    chain: for (;;) {
      const page = await db.auditLog.findMany({
        where: { organizationId, seq: { gt: cursor } },
        orderBy: { seq: 'asc' },
        take: PAGE,
      });
      for (const row of page) {
        rows++;
        const at = { organizationId, seq: row.seq, id: row.id };
        if (row.seq !== expectedSeq) {
          broken.push({ ...at, reason: 'sequence gap' });
          break chain;
        }
        if (row.prevHash !== prevHash) {
          broken.push({ ...at, reason: 'previous hash mismatch' });
          break chain;
        }
        if (auditRowHash(prevHash, row) !== row.hash) {
          broken.push({ ...at, reason: 'hash mismatch' });
          break chain;
        }
        prevHash = row.hash;
        expectedSeq++;
        cursor = row.seq;
      }
      if (page.length < PAGE) break;
    }
  }
  return { chains: chains.length, rows, broken };
}
