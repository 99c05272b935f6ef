// npm run plan:set -- --clinic <slug> --plan <free|basic|professional|enterprise|default>
// Sets an operator's plan override on a clinic (it wins over its subscription and
// over DEFAULT_PLAN), or clears it with `default`, then prints the clinic's
// effective plan. The change and its audit event commit in one transaction.
import { pathToFileURL } from 'node:url';
import { recordAudit } from '@/lib/audit/record';
import { getClinicPlan } from '@/lib/billing/entitlements';
import { PLAN_IDS, PLANS, type PlanId } from '@/lib/billing/plans';
import { bootConfig, exitWith } from '@/lib/config/boot';
import { db, disconnectDb } from '@/lib/db/client';
import { resolveDatabase } from './lib/database';

export const PLAN_SET_USAGE = `Usage: npm run plan:set -- --clinic <slug> --plan <${[...PLAN_IDS, 'default'].join('|')}>`;

export interface PlanSetIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

export type PlanSetArgs = { ok: true; slug: string; override: PlanId | null } | { ok: false; error: string };

export function parsePlanSetArgs(argv: readonly string[]): PlanSetArgs {
  const values: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    const match = /^--(clinic|plan)(?:=(.*))?$/.exec(arg);
    if (!match) return { ok: false, error: `Unexpected argument "${arg}".\n${PLAN_SET_USAGE}` };
    const value = match[2] ?? argv[(i += 1)];
    if (value === undefined || value === '') return { ok: false, error: `--${match[1]} needs a value.\n${PLAN_SET_USAGE}` };
    values[match[1]!] = value;
  }
  if (!values.clinic || !values.plan) return { ok: false, error: PLAN_SET_USAGE };
  const plan = values.plan.toLowerCase();
  if (plan !== 'default' && !(PLAN_IDS as readonly string[]).includes(plan)) {
    return { ok: false, error: `Unknown plan "${values.plan}". Choose ${PLAN_IDS.join(', ')}, or default to clear the override.` };
  }
  return { ok: true, slug: values.clinic, override: plan === 'default' ? null : (plan as PlanId) };
}

/** The command itself (the tests call it); returns the exit code. */
export async function planSet(argv: readonly string[], io: PlanSetIo = { out: console.log, err: console.error }): Promise<number> {
  const args = parsePlanSetArgs(argv);
  if (!args.ok) {
    io.err(args.error);
    return 1;
  }
  const { slug, override } = args;
  const result = await db().$transaction(async (tx) => {
    // Locked, so two operators setting the same clinic at once are applied (and audited) one after the other.
    const [clinic] = await tx.$queryRaw<{ id: string; name: string; plan_override: PlanId | null }[]>`
      SELECT id, name, plan_override FROM organizations WHERE slug = ${slug} FOR UPDATE`;
    if (!clinic) return null;
    const changed = clinic.plan_override !== override;
    if (changed) {
      await tx.organization.update({ where: { id: clinic.id }, data: { planOverride: override } });
      await recordAudit(tx, {
        organizationId: clinic.id,
        actorUserId: null,
        event: 'subscription.changed',
        targetType: 'organization',
        targetId: clinic.id,
        metadata: { override, by: 'operator' },
      });
    }
    return { ...clinic, changed };
  });
  if (!result) {
    io.err(`No clinic has the slug "${slug}". The slug is the clinic's short name in lower case with dashes, e.g. northside-eye-care.`);
    return 1;
  }

  const effective = await getClinicPlan(db(), result.id);
  const what = override ? `set to ${PLANS[override].name}` : 'cleared';
  io.out(result.changed ? `Plan override of ${result.name} (${slug}) ${what}.` : `Plan override of ${result.name} (${slug}) was already ${override ? PLANS[override].name : 'clear'}; nothing changed.`);
  const source = {
    override: 'operator override',
    subscription: 'Stripe subscription',
    free: 'no subscription',
    default: 'billing off: DEFAULT_PLAN',
  }[effective.source];
  io.out(`Effective plan: ${effective.plan.name} (${source}).`);
  return 0;
}

// Run as a command (not when a test imports the module).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = parsePlanSetArgs(process.argv.slice(2));
  if (!args.ok) {
    console.error(args.error);
    process.exit(1);
  }
  const config = await bootConfig();
  const database = await resolveDatabase(config).catch(exitWith);
  let code = 1;
  try {
    code = await planSet(process.argv.slice(2));
  } catch (error) {
    console.error(`plan:set failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await disconnectDb();
    await database.embedded?.stop();
  }
  process.exit(code);
}
