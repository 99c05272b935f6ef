// The job-submission limit, per clinic by plan. Each submit function calls it after
// its idempotency lookup (a resubmitted form finds its job without using the
// allowance) and before its transaction, so a refused submission writes nothing.
import type { Tx } from '@/lib/audit/record';
import type { Actor } from '@/lib/auth/authorize';
import { getClinicPlan } from '@/lib/billing/entitlements';
import type { PlanId } from '@/lib/billing/plans';
import type { Db } from '@/lib/db/client';
import { checkRateLimit, clinicKey, rateLimitedErrorWith } from './index';

/** Throws a 429 AppError when the clinic has started too many jobs in the current window. `plan` saves a lookup when the caller has it. */
export async function assertJobSubmissionAllowed(db: Db | Tx, actor: Actor, plan?: PlanId): Promise<void> {
  const planId = plan ?? (await getClinicPlan(db, actor.organizationId)).plan.id;
  const decision = await checkRateLimit('jobSubmit', clinicKey(actor.organizationId), { plan: planId });
  if (!decision.allowed) throw rateLimitedErrorWith(decision, 'Your clinic has started too many jobs in a short time.');
}
