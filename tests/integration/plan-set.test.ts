// `npm run plan:set`: its main function against a real database.
import { beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditChains } from '@/lib/audit/verify';
import { getClinicPlan } from '@/lib/billing/entitlements';
import { setEnvironment } from '@/lib/config';
import { db } from '@/lib/db/client';
import { parsePlanSetArgs, planSet, PLAN_SET_USAGE } from '@/scripts/plan-set';
import { withAppDatabase } from '../support/app-database';
import { createClinic } from '../support/factories';

const BILLING_ON = {
  STRIPE_SECRET_KEY: 'sk_test_x',
  STRIPE_WEBHOOK_SECRET: 'whsec_x',
  STRIPE_PRICE_BASIC: 'price_basic',
  STRIPE_PRICE_PROFESSIONAL: 'price_professional',
  STRIPE_PRICE_ENTERPRISE: 'price_enterprise',
};

withAppDatabase({ DEFAULT_PLAN: 'professional', ...BILLING_ON });
beforeEach(() => setEnvironment(BILLING_ON));

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await planSet(argv, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function slugOf(id: string) {
  return (await db().organization.findUniqueOrThrow({ where: { id }, select: { slug: true } })).slug;
}

describe('plan:set', () => {
  it('sets an override that wins over billing, audited in the same transaction, and prints the effective plan', async () => {
    const clinic = await createClinic({ name: 'Harbour Eye Clinic' });
    const slug = await slugOf(clinic.id);
    expect((await getClinicPlan(db(), clinic.id)).plan.id).toBe('free');

    const result = await run('--clinic', slug, '--plan', 'enterprise');
    expect(result).toEqual({
      code: 0,
      out: `Plan override of Harbour Eye Clinic (${slug}) set to Enterprise.\nEffective plan: Enterprise (operator override).`,
      err: '',
    });
    expect(await getClinicPlan(db(), clinic.id)).toMatchObject({ plan: { id: 'enterprise' }, source: 'override' });
    const events = await db().auditLog.findMany({ where: { organizationId: clinic.id, event: 'subscription.changed' } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorUserId: null, targetType: 'organization', targetId: clinic.id, metadata: { override: 'enterprise', by: 'operator' } });
  });

  it('clears the override with `default`, and changes (and audits) nothing when the value is already set', async () => {
    const clinic = await createClinic();
    const slug = await slugOf(clinic.id);
    await run(`--clinic=${slug}`, '--plan=basic');
    const again = await run('--clinic', slug, '--plan', 'BASIC');
    expect(again.code).toBe(0);
    expect(again.out).toContain('was already Basic; nothing changed.');

    const cleared = await run('--plan', 'default', '--clinic', slug);
    expect(cleared.code).toBe(0);
    expect(cleared.out).toContain('cleared.');
    expect(cleared.out).toContain('Effective plan: Free (no subscription).');
    const rows = await db().auditLog.findMany({ where: { organizationId: clinic.id, event: 'subscription.changed' }, orderBy: { seq: 'asc' } });
    expect(rows.map((r) => r.metadata)).toEqual([
      { override: 'basic', by: 'operator' },
      { override: null, by: 'operator' },
    ]);
    expect((await db().organization.findUniqueOrThrow({ where: { id: clinic.id } })).planOverride).toBeNull();

    // With billing off the effective plan is DEFAULT_PLAN again.
    setEnvironment(Object.fromEntries(Object.keys(BILLING_ON).map((k) => [k, ''])));
    expect((await run('--clinic', slug, '--plan', 'default')).out).toContain('Effective plan: Professional (billing off: DEFAULT_PLAN).');
    expect((await verifyAuditChains(db())).broken).toEqual([]);
  });

  it('explains an unknown clinic or plan and bad arguments, changing nothing', async () => {
    const clinic = await createClinic();
    const slug = await slugOf(clinic.id);
    expect(await run('--clinic', 'no-such-clinic', '--plan', 'basic')).toMatchObject({ code: 1, err: expect.stringContaining('No clinic has the slug "no-such-clinic"') });
    expect(await run('--clinic', slug, '--plan', 'platinum')).toMatchObject({
      code: 1,
      err: 'Unknown plan "platinum". Choose free, basic, professional, enterprise, or default to clear the override.',
    });
    expect(await run('--clinic', slug)).toMatchObject({ code: 1, err: PLAN_SET_USAGE });
    expect(await run('--clinic', slug, '--plan')).toMatchObject({ code: 1, err: expect.stringContaining('--plan needs a value.') });
    expect(await run('--clinic', slug, '--plan', 'basic', '--force')).toMatchObject({ code: 1, err: expect.stringContaining('Unexpected argument "--force"') });
    expect((await db().organization.findUniqueOrThrow({ where: { id: clinic.id } })).planOverride).toBeNull();
    expect(await db().auditLog.count({ where: { organizationId: clinic.id } })).toBe(0);
  });

  it('parses both --name value and --name=value', () => {
    expect(parsePlanSetArgs(['--clinic=a-b', '--plan', 'free'])).toEqual({ ok: true, slug: 'a-b', override: 'free' });
    expect(parsePlanSetArgs(['--plan=default', '--clinic', 'x'])).toEqual({ ok: true, slug: 'x', override: null });
  });
});
