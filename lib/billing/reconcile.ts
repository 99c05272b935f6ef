// Nightly reconciliation (queue billing.reconcile, 03:00 UTC): every clinic with
// a Stripe customer gets its subscriptions re-read from Stripe and stored as
// they are, which repairs anything a lost or long-failing webhook left behind.
// Each clinic is its own transaction under the same row lock the webhook takes,
// so the two never interleave, and one clinic's failure does not stop the rest.
import type { Db } from '@/lib/db/client';
import { describeError } from '@/lib/errors';
import { logger, type Logger } from '@/lib/logger';
import { stripe } from './stripe';
import { syncSubscription } from './sync';
import { BILLING_TRANSACTION, lockClinic } from './webhook';

export interface ReconcileResult {
  /** Clinics with a Stripe customer that were looked at. */
  clinics: number;
  /** Subscriptions Stripe listed for the clinics that succeeded. */
  subscriptions: number;
  /** Of those, rows created or changed. */
  changed: number;
  /** Clinics whose reconciliation failed (logged; retried the next night). */
  failed: number;
}

const PAGE = 200;

/** One clinic: its customer's subscriptions, every status, synced under the clinic lock. */
export async function reconcileClinic(db: Db, organizationId: string, now: Date): Promise<{ subscriptions: number; changed: number }> {
  return db.$transaction(async (tx) => {
    if (!(await lockClinic(tx, organizationId))) return { subscriptions: 0, changed: 0 };
    // Re-read under the lock: the customer may have been re-linked since the clinic was listed.
    const clinic = await tx.organization.findUnique({ where: { id: organizationId }, select: { stripeCustomerId: true } });
    if (!clinic?.stripeCustomerId) return { subscriptions: 0, changed: 0 };
    let subscriptions = 0;
    let changed = 0;
    for await (const subscription of stripe().subscriptions.list({ customer: clinic.stripeCustomerId, status: 'all', limit: 100 })) {
      const result = await syncSubscription(tx, organizationId, subscription, { now });
      subscriptions += 1;
      if (result.outcome === 'created' || result.outcome === 'changed') changed += 1;
    }
    return { subscriptions, changed };
  }, BILLING_TRANSACTION);
}

export async function reconcileAllClinics(db: Db, now: Date, options: { log?: Logger } = {}): Promise<ReconcileResult> {
  const log = options.log ?? logger();
  const result: ReconcileResult = { clinics: 0, subscriptions: 0, changed: 0, failed: 0 };
  let after: string | undefined;
  for (;;) {
    const page = await db.organization.findMany({
      where: { stripeCustomerId: { not: null }, ...(after ? { id: { gt: after } } : {}) },
      orderBy: { id: 'asc' },
      take: PAGE,
      select: { id: true },
    });
    for (const { id } of page) {
      result.clinics += 1;
      try {
        const clinic = await reconcileClinic(db, id, now);
        result.subscriptions += clinic.subscriptions;
        result.changed += clinic.changed;
      } catch (error) {
        result.failed += 1;
        log.warn({ organizationId: id, err: describeError(error) }, 'billing reconciliation failed for a clinic');
      }
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1]!.id;
  }
  log.info({ ...result }, 'billing reconciliation finished');
  return result;
}
