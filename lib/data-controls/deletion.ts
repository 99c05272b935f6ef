// Deleting a clinic. An owner confirms with their password and the clinic's
// name; the clinic then waits out a 7-day grace period, during which every
// member sees a banner, no new job starts, and owners can restore it or export
// its data. After the grace period the hourly `clinic.deletion` job cancels its
// Stripe subscription, deletes every stored file, then every row of the clinic
// in every table (the audit chain included) and keeps one pseudonymised audit
// record: a hash of the clinic id, the dates and the counts, no names.
//
// Members keep their accounts: a person's account is theirs, not the clinic's
// (the same as being removed from a clinic). Someone left without a clinic can
// be invited to another one; their sign-in page says so.
import { createHash } from 'node:crypto';
import { recordAudit, type RequestContext } from '@/lib/audit/record';
import type { AuditMetadata } from '@/lib/audit/events';
import type { Actor } from '@/lib/auth/authorize';
import { verifyPassword } from '@/lib/auth/password';
import { getConfig } from '@/lib/config';
import type { Db } from '@/lib/db/client';
import { sendEmail } from '@/lib/email/send';
import { clinicDeletionScheduledMessage, clinicRestoredMessage, type EmailContent } from '@/lib/email/templates';
import { AppError, describeError } from '@/lib/errors';
import { logger, type Logger } from '@/lib/logger';
import type { ObjectStorage } from '@/lib/storage/object-storage';
import { assertOwner, DATA_SETTINGS_PATH } from './owners';
import { dateLabel } from './state';
import { clinicStoredFiles } from './stored-files';
import { clinicTables, countClinicRows, ident } from './tables';

export { assertClinicAcceptsJobs, getClinicDeletionState, type ClinicDeletionState } from './state';

export const DELETION_GRACE_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The one-way name the deletion record keeps for a clinic: an operator holding the id can confirm it was deleted; nobody can get the id back. */
export function clinicPseudonym(organizationId: string): string {
  return createHash('sha256').update(`maneiro:deleted-clinic:${organizationId.toLowerCase()}`).digest('hex');
}

/** The typed confirmation: the clinic's name, compared after trimming and collapsing spaces (case matters). */
function sameName(typed: string, name: string): boolean {
  const normal = (value: string) => value.normalize('NFC').replace(/\s+/g, ' ').trim();
  return normal(typed) !== '' && normal(typed) === normal(name);
}

export interface ScheduleDeletionInput {
  password: unknown;
  confirmName: unknown;
}

export async function scheduleClinicDeletion(
  db: Db,
  actor: Actor,
  input: ScheduleDeletionInput,
  request: RequestContext | null,
  options: { now?: Date; log?: Logger } = {},
): Promise<{ scheduledAt: Date }> {
  assertOwner(actor, 'delete it');
  const now = options.now ?? new Date();
  const password = typeof input.password === 'string' ? input.password : '';
  const confirmName = typeof input.confirmName === 'string' ? input.confirmName : '';

  // Re-authentication, as for deleting one's own account.
  const user = await db.user.findUnique({ where: { id: actor.userId }, select: { passwordHash: true } });
  const verified = user?.passwordHash ? await verifyPassword(user.passwordHash, password) : { ok: false };
  if (!verified.ok) throw new AppError('validation_failed', { fieldErrors: { password: ['That password is not correct.'] } });

  const scheduledAt = new Date(now.getTime() + DELETION_GRACE_DAYS * DAY_MS);
  const clinicName = await db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM organizations WHERE id = ${actor.organizationId}::uuid FOR UPDATE`;
    const clinic = await tx.organization.findUnique({ where: { id: actor.organizationId }, select: { name: true, deletionScheduledAt: true } });
    if (!clinic) throw new AppError('not_found');
    if (!sameName(confirmName, clinic.name)) {
      throw new AppError('validation_failed', { fieldErrors: { confirmName: [`Type the clinic’s name exactly as shown: ${clinic.name}`] } });
    }
    if (clinic.deletionScheduledAt) {
      throw new AppError('conflict', { message: 'deletion already scheduled', userMessage: `This clinic is already scheduled for deletion on ${dateLabel(clinic.deletionScheduledAt)}.` });
    }
    await tx.organization.update({
      where: { id: actor.organizationId },
      data: { deletionRequestedAt: now, deletionScheduledAt: scheduledAt, deletionRequestedById: actor.userId },
    });
    await recordAudit(tx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      event: 'clinic.deletion_scheduled',
      targetType: 'organization',
      targetId: actor.organizationId,
      metadata: { scheduledFor: scheduledAt.toISOString(), graceDays: DELETION_GRACE_DAYS },
      request,
    });
    return clinic.name;
  });
  const url = `${getConfig().app.url}${DATA_SETTINGS_PATH}`;
  await emailMembers(db, actor.organizationId, (name) => clinicDeletionScheduledMessage({ name, clinicName, deletionDate: scheduledAt, url }), options.log);
  return { scheduledAt };
}

/**
 * Cancels the scheduled deletion. Refused once the grace period is over (the
 * deletion may already be removing files). Restoring a clinic that is not
 * scheduled changes nothing and answers false.
 */
export async function restoreClinic(db: Db, actor: Actor, request: RequestContext | null, options: { now?: Date; log?: Logger } = {}): Promise<{ restored: boolean }> {
  assertOwner(actor, 'restore it');
  const now = options.now ?? new Date();
  const clinicName = await db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM organizations WHERE id = ${actor.organizationId}::uuid FOR UPDATE`;
    const clinic = await tx.organization.findUnique({ where: { id: actor.organizationId }, select: { name: true, deletionScheduledAt: true } });
    if (!clinic) throw new AppError('not_found');
    if (!clinic.deletionScheduledAt) return null;
    if (clinic.deletionScheduledAt <= now) {
      throw new AppError('conflict', { message: 'grace period over', userMessage: 'The grace period is over and the clinic is being deleted; it can no longer be restored.' });
    }
    await tx.organization.update({ where: { id: actor.organizationId }, data: { deletionRequestedAt: null, deletionScheduledAt: null, deletionRequestedById: null } });
    await recordAudit(tx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      event: 'clinic.restored',
      targetType: 'organization',
      targetId: actor.organizationId,
      metadata: { wasScheduledFor: clinic.deletionScheduledAt.toISOString() },
      request,
    });
    return clinic.name;
  });
  if (clinicName === null) return { restored: false };
  await emailMembers(db, actor.organizationId, (name) => clinicRestoredMessage({ name, clinicName }), options.log);
  return { restored: true };
}

/** Best effort: the change is made and audited whether or not the notices go out. */
async function emailMembers(db: Db, organizationId: string, message: (name: string) => EmailContent, log: Logger = logger()): Promise<void> {
  const members = await db.membership.findMany({ where: { organizationId }, select: { user: { select: { name: true, email: true } } } });
  let failed = 0;
  for (const { user } of members) {
    await sendEmail({ to: user.email, ...message(user.name) }).catch(() => {
      failed++;
    });
  }
  if (failed > 0) log.warn({ organizationId, failed }, 'clinic deletion notices not all sent');
}

/** Cancels one Stripe subscription at once. The default uses the configured Stripe account. */
export type CancelSubscription = (subscriptionId: string, idempotencyKey: string) => Promise<void>;

const stripeCancel: CancelSubscription = async (subscriptionId, idempotencyKey) => {
  // Loaded only when a clinic with a subscription is deleted: a worker with billing off never loads the SDK.
  const { stripe } = await import('@/lib/billing/stripe');
  try {
    await stripe().subscriptions.cancel(subscriptionId, {}, { idempotencyKey });
  } catch (error) {
    // Already gone at Stripe: nothing left to cancel.
    if ((error as { code?: unknown }).code === 'resource_missing') return;
    // Our copy can lag behind Stripe (a webhook not yet processed): one that already ended is done.
    const current = await stripe().subscriptions.retrieve(subscriptionId).catch(() => null);
    if (current && (current.status === 'canceled' || current.status === 'incomplete_expired')) return;
    throw error;
  }
};

export interface EraseOptions {
  now?: Date;
  log?: Logger;
  /** For tests; Stripe (when billing is on) otherwise. */
  cancelSubscription?: CancelSubscription;
}

export interface ErasedClinic {
  pseudonym: string;
  rows: number;
  files: number;
  subscriptionsCanceled: number;
}

/**
 * Deletes one clinic whose grace period is over: subscription, files, rows, in
 * that order, so that a failure part-way leaves the rows that name what is left
 * and the next run finishes the job. Returns null when the clinic is not (or no
 * longer) due.
 */
export async function eraseClinic(db: Db, storage: ObjectStorage, organizationId: string, options: EraseOptions = {}): Promise<ErasedClinic | null> {
  const now = options.now ?? new Date();
  const log = options.log ?? logger().child({ queue: 'clinic.deletion' });
  const due = await db.organization.findFirst({
    where: { id: organizationId, deletionScheduledAt: { lte: now } },
    select: { deletionRequestedAt: true, deletionScheduledAt: true },
  });
  if (!due) return null;

  // 1. Billing: a deleted clinic is never charged again.
  const live = await db.subscription.findMany({
    where: { organizationId, endedAt: null, status: { notIn: ['canceled', 'incomplete_expired'] } },
    select: { id: true },
  });
  const cancel = options.cancelSubscription ?? (getConfig().stripe.enabled ? stripeCancel : null);
  let subscriptionsCanceled = 0;
  if (live.length > 0 && !cancel) {
    // Billing was turned off on this deployment: there is no Stripe account to cancel in.
    log.warn({ subscriptions: live.length }, 'clinic deleted with subscriptions that could not be canceled (billing is off)');
  }
  for (const subscription of live) {
    if (!cancel) break;
    await cancel(subscription.id, `clinic-deletion-${subscription.id}`);
    subscriptionsCanceled++;
  }

  // 2. Stored files, named by the rows (storage has no listing here).
  const deletedKeys = new Set<string>();
  for await (const ref of clinicStoredFiles(db, organizationId, { forDeletion: true })) {
    if (deletedKeys.has(ref.key)) continue;
    await storage.delete(ref.key);
    deletedKeys.add(ref.key);
  }

  // 3. Rows: the cascade from the clinic, then whatever has no foreign key to it (the audit chain, Stripe events).
  const erased = await db.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT id FROM organizations WHERE id = ${organizationId}::uuid FOR UPDATE`;
      const still = await tx.organization.findFirst({ where: { id: organizationId, deletionScheduledAt: { lte: now } }, select: { id: true } });
      if (!still) return null;
      // Files stored since step 2 (a recording chunk, a PDF): listed now, deleted once the rows are gone.
      const late: string[] = [];
      for await (const ref of clinicStoredFiles(tx, organizationId, { forDeletion: true })) if (!deletedKeys.has(ref.key)) late.push(ref.key);
      const tables = await clinicTables(tx);
      const counts = await countClinicRows(tx, tables, organizationId);
      await tx.$executeRaw`SELECT set_config('maneiro.erase_audit_of', ${organizationId}, true)`;
      await tx.$executeRaw`DELETE FROM organizations WHERE id = ${organizationId}::uuid`;
      for (const table of tables) {
        await tx.$executeRawUnsafe(`DELETE FROM ${ident(table.name)} WHERE "organization_id" = $1::uuid`, organizationId);
      }
      const rows = Object.values(counts).reduce((sum, n) => sum + n, 0) + 1;
      const pseudonym = clinicPseudonym(organizationId);
      const metadata: AuditMetadata = {
        requestedAt: due.deletionRequestedAt?.toISOString() ?? null,
        scheduledFor: due.deletionScheduledAt?.toISOString() ?? null,
        deletedAt: now.toISOString(),
        rows,
        files: deletedKeys.size + late.length,
        subscriptionsCanceled,
      };
      for (const [table, count] of Object.entries(counts)) if (count > 0) metadata[`rows.${table}`] = count;
      // The account chain (no clinic): the only trace left, and it names no one.
      await recordAudit(tx, { organizationId: null, actorUserId: null, event: 'clinic.deleted', targetType: 'clinic', targetId: pseudonym, metadata });
      return { pseudonym, rows, late };
    },
    { timeout: 10 * 60 * 1000, maxWait: 30_000 },
  );
  if (!erased) return null;
  for (const key of erased.late) await storage.delete(key).catch(() => undefined);
  const result = { pseudonym: erased.pseudonym, rows: erased.rows, files: deletedKeys.size + erased.late.length, subscriptionsCanceled };
  log.info(result, 'clinic deleted');
  return result;
}

/** Hourly: every clinic whose grace period is over, a few per run; one failing clinic does not stop the others. */
export async function deleteDueClinics(db: Db, storage: ObjectStorage, options: EraseOptions & { limit?: number } = {}): Promise<{ deleted: number; failed: number }> {
  const now = options.now ?? new Date();
  const log = options.log ?? logger().child({ queue: 'clinic.deletion' });
  const due = await db.organization.findMany({
    where: { deletionScheduledAt: { lte: now } },
    select: { id: true },
    orderBy: { deletionScheduledAt: 'asc' },
    take: options.limit ?? 10,
  });
  let deleted = 0;
  let failed = 0;
  for (const { id } of due) {
    try {
      if (await eraseClinic(db, storage, id, { ...options, now, log })) deleted++;
    } catch (error) {
      failed++;
      // By pseudonym: the log outlives the clinic too.
      log.error({ clinic: clinicPseudonym(id), err: describeError(error) }, 'clinic deletion failed; retried next run');
    }
  }
  return { deleted, failed };
}
