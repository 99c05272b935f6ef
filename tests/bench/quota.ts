// Quota benchmark: job-quota reservations per second with 50 clients at once,
// each reservation in its own transaction as when a job is accepted, against a
// scratch database. Every round offers a clinic more reservations than its plan
// allows, so some are refused, and then checks the ledger. Printed beside the
// rate: how many outcomes were wrong (a reservation accepted beyond the limit, a
// counter or ledger that differs from the accepted count, a refusal while the
// clinic was still below its limit, an unexpected error). It must be 0.
//
// Two shapes: all 50 clients on one clinic (every reservation queues on the same
// counter row), and 50 clinics with one client each (no shared row), so the cost
// of that row lock shows as a ratio. Rates only: nothing here asserts a time.
// Standalone (on DATABASE_URL's server, or 127.0.0.1:5432):
//   npx tsx tests/bench/quota.ts
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { setEnvironment } from '@/lib/config';
import { db, disconnectDb } from '@/lib/db/client';
import { migrate } from '@/lib/db/migrations';
import { AppError } from '@/lib/errors';
import { PLANS } from '@/lib/billing/plans';
import { reserveJobQuota } from '@/lib/usage/quota';
import { admin, assertLocal } from './scratch-database';

const CLIENTS = 50;
/** Measured time per shape, at least (whole rounds). */
const SECONDS = 6;

type LimitedPlan = 'basic' | 'professional';

/** Offered per clinic and round: the plan's limit and a fifth more, to be refused. */
function offeredFor(plan: LimitedPlan): { limit: number; offered: number } {
  const limit = PLANS[plan].monthlyJobQuota ?? 0;
  return { limit, offered: Math.round(limit * 1.2) };
}

interface Tally {
  accepted: number;
  refused: number;
  errors: number;
  overLimit: number;
  counterMismatch: number;
  refusedBelowLimit: number;
  rounds: number;
  seconds: number;
}

async function newClinic(plan: LimitedPlan): Promise<string> {
  const clinic = await db().organization.create({
    data: { name: 'Bench clinic', slug: `bench-${randomBytes(6).toString('hex')}`, planOverride: plan },
    select: { id: true },
  });
  return clinic.id;
}

/** Offers the plan's limit and a fifth more to each clinic, `clientsPerClinic` at a time, and checks the ledger afterwards. */
async function round(plan: LimitedPlan, clinicCount: number, clientsPerClinic: number, tally: Tally): Promise<void> {
  const { limit, offered: OFFERED } = offeredFor(plan);
  const clinics = await Promise.all(Array.from({ length: clinicCount }, () => newClinic(plan)));
  const started = performance.now();
  const results = await Promise.all(
    clinics.map(async (organizationId) => {
      let offered = 0;
      const outcome = { accepted: 0, refused: 0, errors: 0 };
      await Promise.all(
        Array.from({ length: clientsPerClinic }, async () => {
          while (offered < OFFERED) {
            offered += 1;
            try {
              await db().$transaction((tx) => reserveJobQuota(tx, { organizationId, userId: null, jobType: 'analysis' }));
              outcome.accepted += 1;
            } catch (error) {
              if (error instanceof AppError && error.code === 'quota_exceeded') outcome.refused += 1;
              else outcome.errors += 1;
            }
          }
        }),
      );
      return { organizationId, ...outcome };
    }),
  );
  tally.seconds += (performance.now() - started) / 1000;
  tally.rounds += 1;

  for (const r of results) {
    const [counter, records] = await Promise.all([
      db().usageCounter.findFirst({ where: { organizationId: r.organizationId }, select: { used: true } }),
      db().usageRecord.count({ where: { organizationId: r.organizationId, state: { not: 'released' } } }),
    ]);
    tally.accepted += r.accepted;
    tally.refused += r.refused;
    tally.errors += r.errors;
    tally.overLimit += Math.max(0, r.accepted - limit);
    tally.counterMismatch += Math.abs((counter?.used ?? 0) - r.accepted) + Math.abs(records - r.accepted);
    // No releases happen in a round, so the count only grows: a refusal with the
    // final count still under the limit was refused while below it.
    tally.refusedBelowLimit += Math.min(r.refused, Math.max(0, limit - r.accepted));
  }
}

function emptyTally(): Tally {
  return { accepted: 0, refused: 0, errors: 0, overLimit: 0, counterMismatch: 0, refusedBelowLimit: 0, rounds: 0, seconds: 0 };
}

async function measure(label: string, plan: LimitedPlan, clinicCount: number, clientsPerClinic: number): Promise<number> {
  const tally = emptyTally();
  while (tally.seconds < SECONDS) await round(plan, clinicCount, clientsPerClinic, tally);
  const perSecond = (tally.accepted + tally.refused + tally.errors) / tally.seconds;
  const wrong = tally.overLimit + tally.counterMismatch + tally.refusedBelowLimit + tally.errors;
  console.log(
    `  ${label.padEnd(46)} ${perSecond.toFixed(0).padStart(6)} reservations/s  ` +
      `(${(tally.accepted / tally.seconds).toFixed(0)} accepted/s, ${(tally.refused / tally.seconds).toFixed(0)} refused/s, ${tally.rounds} ${tally.rounds === 1 ? 'round' : 'rounds'})  ` +
      `wrong outcomes ${wrong}: over the limit ${tally.overLimit}, counter ≠ accepted ${tally.counterMismatch}, ` +
      `refused below the limit ${tally.refusedBelowLimit}, errors ${tally.errors}`,
  );
  return perSecond;
}

/** Runs the benchmark on a scratch database created on `serverUrl`'s server, dropped afterwards. */
export async function benchQuota(serverUrl: string): Promise<void> {
  assertLocal(serverUrl);
  const name = `maneiro_bench_quota_${randomBytes(4).toString('hex')}`;
  await admin(serverUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  try {
    await migrate({ connectionString: url.toString() });
    // A connection per client, so the clients really run at once; billing off, so
    // the plan is the clinic's override and the period the calendar month.
    setEnvironment({ DATABASE_URL: url.toString(), DATABASE_POOL_MAX: String(CLIENTS), STRIPE_SECRET_KEY: '', STRIPE_WEBHOOK_SECRET: '' });
    console.log(
      `Job quota reservations (${CLIENTS} concurrent clients, each reservation its own transaction; ` +
        `every clinic is offered its plan's limit and a fifth more per round)`,
    );
    // One round first, unmeasured, so the pool's connections and the JIT are warm.
    await round('basic', 1, CLIENTS, emptyTally());
    const shared = await measure(`one Professional clinic (${offeredFor('professional').limit} jobs), ${CLIENTS} clients`, 'professional', 1, CLIENTS);
    const spread = await measure(`${CLIENTS} Basic clinics (${offeredFor('basic').limit} jobs), a client each`, 'basic', CLIENTS, 1);
    console.log(`  all clients on one counter row run at ${((shared / spread) * 100).toFixed(0)}% of the rate of ${CLIENTS} separate rows\n`);
  } finally {
    await disconnectDb();
    await admin(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchQuota(process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres');
}
