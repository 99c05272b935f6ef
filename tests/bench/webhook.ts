// Stripe webhook benchmark: signed events with distinct ids posted to the route
// handler's POST in-process (no HTTP server in front; the Stripe API is the fake
// on loopback, re-read for every subscription event as in production), against a
// scratch database, with every event delivered twice and several deliveries in
// flight. Printed beside the rate: how many outcomes were wrong (an event not
// recorded exactly once, a duplicate that had an effect, a subscription that does
// not match Stripe, an audit trail with a missing or extra row). It must be 0.
//
// The billing modules import 'server-only', which plain Node refuses; Next
// resolves it under the react-server condition, so the measurement runs in a
// child process started with that condition. Standalone:
//   npx tsx tests/bench/webhook.ts       (starts its own embedded PostgreSQL)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { scratchDir, startEmbeddedPostgres, type EmbeddedDatabase } from '@/lib/db/embedded';
import { migrate } from '@/lib/db/migrations';

const CHILD_FLAG = 'MANEIRO_BENCH_WEBHOOK_CHILD';
const CLINICS = 40;
const SECRET = 'whsec_bench_webhook';

export async function benchWebhook(database: EmbeddedDatabase): Promise<void> {
  await database.ensureDatabase('maneiro_bench_webhook');
  const url = database.urlFor('maneiro_bench_webhook');
  await migrate({ connectionString: url });
  const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', fileURLToPath(import.meta.url)], {
    stdio: 'inherit',
    env: { ...process.env, [CHILD_FLAG]: '1', DATABASE_URL: url, NODE_ENV: 'production', LOG_LEVEL: 'silent' },
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`webhook benchmark exited with code ${code}`);
}

interface Delivery {
  id: string;
  body: string;
  signature: string;
}

interface RoundResult {
  distinct: number;
  deliveries: number;
  seconds: number;
  wrong: number;
}

/** The measurement itself (in the child). */
async function measure(): Promise<void> {
  const { setEnvironment } = await import('@/lib/config');
  const { startFakeStripe } = await import('../support/fake-stripe');
  const fake = await startFakeStripe({ webhook: { url: 'http://127.0.0.1:9/unused', secret: SECRET } });
  setEnvironment({
    STRIPE_SECRET_KEY: 'sk_test_bench',
    STRIPE_WEBHOOK_SECRET: SECRET,
    STRIPE_PRICE_BASIC: 'price_basic',
    STRIPE_PRICE_PROFESSIONAL: 'price_professional',
    STRIPE_PRICE_ENTERPRISE: 'price_enterprise',
    STRIPE_API_URL: fake.url,
    // Production refuses to start without these; nothing here signs a session or sends mail.
    AUTH_SECRET: 'bench-only-secret-'.padEnd(40, 'x'),
    SMTP_URL: 'smtp://127.0.0.1:2525',
  });
  const { POST } = await import('@/app/api/stripe/webhook/route');
  const { stripe } = await import('@/lib/billing/stripe');
  const { db, disconnectDb } = await import('@/lib/db/client');

  async function post(delivery: Delivery): Promise<{ status: number; json: Record<string, unknown> }> {
    const request = new Request('http://localhost/api/stripe/webhook', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': delivery.signature },
      body: delivery.body,
    });
    const response = await POST(request, { params: Promise.resolve({}) });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  }

  /** Delivers everything with `concurrency` in flight; returns the answers by event id. */
  async function deliverAll(deliveries: Delivery[], concurrency: number) {
    const answers = new Map<string, { status: number; json: Record<string, unknown> }[]>();
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < deliveries.length) {
          const delivery = deliveries[next++]!;
          const answer = await post(delivery);
          answers.set(delivery.id, [...(answers.get(delivery.id) ?? []), answer]);
        }
      }),
    );
    return answers;
  }

  /** Each event twice, shuffled, so duplicates arrive both later and at the same time. */
  function twiceShuffled(events: Delivery[]): Delivery[] {
    const all = [...events, ...events];
    for (let i = all.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [all[i], all[j]] = [all[j]!, all[i]!];
    }
    return all;
  }

  async function round(concurrency: number): Promise<RoundResult> {
    const clinics: { id: string; customerId: string; subscriptionId: string; changed: boolean }[] = [];
    const phase1: Delivery[] = [];
    for (let i = 0; i < CLINICS; i++) {
      const clinic = await db().organization.create({ data: { name: `Bench clinic ${concurrency}-${i}`, slug: `bench-${concurrency}-${i}-${Date.now()}` }, select: { id: true } });
      const customer = await stripe().customers.create({ name: `Bench clinic ${i}` });
      const metadata = { organizationId: clinic.id };
      const session = await stripe().checkout.sessions.create({
        mode: 'subscription',
        customer: customer.id,
        client_reference_id: clinic.id,
        line_items: [{ price: 'price_basic', quantity: 1 }],
        metadata,
        subscription_data: { metadata },
        success_url: 'http://localhost/ok',
        cancel_url: 'http://localhost/no',
      });
      const subscription = fake.completeCheckout(session.id);
      clinics.push({ id: clinic.id, customerId: customer.id, subscriptionId: subscription.id, changed: i % 2 === 0 });
      const invoice = { id: `in_${i}`, object: 'invoice', customer: customer.id, parent: { type: 'subscription_details', subscription_details: { subscription: subscription.id, metadata } } };
      phase1.push(
        fake.signedEvent('checkout.session.completed', fake.sessions.get(session.id)!),
        fake.signedEvent('customer.subscription.created', subscription),
        fake.signedEvent('invoice.paid', invoice),
      );
    }
    const started = performance.now();
    const answers1 = await deliverAll(twiceShuffled(phase1), concurrency);
    const phase1Ms = performance.now() - started;

    // Half the clinics change plan (or fall past due) at Stripe; everyone gets an update and an event we ignore.
    const phase2: Delivery[] = [];
    clinics.forEach((clinic, i) => {
      const subscription = clinic.changed
        ? fake.updateSubscription(clinic.subscriptionId, i % 4 === 0 ? { status: 'past_due' } : { price: 'price_professional' })
        : fake.subscriptions.get(clinic.subscriptionId)!;
      phase2.push(fake.signedEvent('customer.subscription.updated', subscription), fake.signedEvent('customer.updated', { id: clinic.customerId, object: 'customer' }));
    });
    const restarted = performance.now();
    const answers2 = await deliverAll(twiceShuffled(phase2), concurrency);
    const seconds = (phase1Ms + (performance.now() - restarted)) / 1000;

    // Correctness: every delivery answered 200, exactly one of each event's deliveries applied it.
    let wrong = 0;
    const expectedOutcome = new Map<string, string>();
    for (const e of phase1) expectedOutcome.set(e.id, 'applied');
    phase2.forEach((e, i) => expectedOutcome.set(e.id, i % 2 === 0 ? 'applied' : 'ignored'));
    for (const answers of [answers1, answers2]) {
      for (const [, list] of answers) {
        if (list.length !== 2 || list.some((a) => a.status !== 200)) wrong++;
        else if (list.filter((a) => a.json.duplicate === true).length !== 1) wrong++;
      }
    }
    const recorded = await db().stripeEvent.findMany({ where: { id: { in: [...expectedOutcome.keys()] } }, select: { id: true, outcome: true } });
    if (recorded.length !== expectedOutcome.size) wrong += expectedOutcome.size - recorded.length;
    for (const row of recorded) if (row.outcome !== expectedOutcome.get(row.id)) wrong++;
    // The stored subscription is Stripe's, and the audit trail has one row per real change.
    for (const clinic of clinics) {
      const atStripe = fake.subscriptions.get(clinic.subscriptionId)!;
      const row = await db().subscription.findUnique({ where: { id: clinic.subscriptionId } });
      const price = atStripe.items.data[0]!.price.id;
      if (!row || row.organizationId !== clinic.id || row.status !== atStripe.status || row.priceId !== price || row.plan !== price.replace('price_', '')) wrong++;
      const audits = await db().auditLog.count({ where: { organizationId: clinic.id, event: { startsWith: 'subscription.' } } });
      if (audits !== (clinic.changed ? 2 : 1)) wrong++;
    }
    return { distinct: phase1.length + phase2.length, deliveries: 2 * (phase1.length + phase2.length), seconds, wrong };
  }

  console.log(`Stripe webhook (${CLINICS} clinics, 5 events each, every event delivered twice; route handler in-process, Stripe re-read from a loopback fake)`);
  await round(4); // warm-up: JIT, the pool, prepared plans
  const results: [number, RoundResult][] = [];
  for (const concurrency of [1, 8]) {
    const r = await round(concurrency);
    results.push([concurrency, r]);
    console.log(
      `  ${`${concurrency} in flight`.padEnd(12)} ${(r.distinct / r.seconds).toFixed(0).padStart(6)} events/s   ${(r.deliveries / r.seconds).toFixed(0).padStart(6)} deliveries/s   wrong outcomes ${r.wrong} of ${r.distinct} events`,
    );
  }
  const [one, eight] = [results[0]![1], results[1]![1]];
  console.log(`  8 in flight give ${((eight.distinct / eight.seconds) / (one.distinct / one.seconds)).toFixed(2)}× the rate of 1 (events of one clinic queue on its row lock)\n`);
  await fake.close();
  await disconnectDb();
}

const isChild = process.env[CHILD_FLAG] === '1';
const isMain = !isChild && process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isChild) {
  await measure();
} else if (isMain) {
  const dir = scratchDir('maneiro-bench-webhook-');
  const database = await startEmbeddedPostgres({ dir, port: 58000 + Math.floor(Math.random() * 1000) });
  try {
    await benchWebhook(database);
  } finally {
    await database.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
