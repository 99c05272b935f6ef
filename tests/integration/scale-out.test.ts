// Scale-out proof: two web instances (`next start` of the production build) and two
// workers on their own ports, one PostgreSQL database, one Redis behind the Upstash
// REST bridge, and a round-robin proxy in front (tests/support/cluster.ts). Checks
// that nothing a second instance needs lives in one process's memory:
//   - a session signed in on one instance is honoured by the other, and signing out
//     everywhere on one ends it on the other;
//   - rate limits are counted once for the whole cluster;
//   - live progress of a job submitted on one instance reaches a browser (and an event
//     stream) open on the other, pushed by a worker process;
//   - 200 jobs submitted across both instances are each processed exactly once;
//   - the last quota units are granted exactly once under concurrent submissions;
//   - no process counts rate limits in its own memory (its boot log would say so).
// Needs `npm run build` (the test command builds first); without a build it is
// skipped here, and CI=true counts a skipped test as a failure.
import { randomBytes } from 'node:crypto';
import { chromium } from '@playwright/test';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import { reserveJobQuota } from '@/lib/usage/quota';
import { withAppDatabase } from '../support/app-database';
import { hasProductionBuild, metricValue, startCluster, type Cluster } from '../support/cluster';
import { addMember, createClinic, createUser, TEST_PASSWORD } from '../support/factories';
import { callServerAction, readEventStream, signInOverHttp } from '../support/http-client';
import { SAMPLE_NOTE } from '../support/jobs';

const built = hasProductionBuild();
if (!built) console.warn('scale-out test skipped: no production build (.next/BUILD_ID); run `npm run build` first');

type SubmitResult = { ok: true; data: { jobId: string; duplicate: boolean } } | { ok: false; error: string };

const DASHBOARD = { page: '/dashboard', file: 'app/(app)/dashboard/actions.ts', name: 'submitAnalysisJobAction' } as const;
const uniqueIp = () => `198.51.100.${1 + Math.floor(Math.random() * 254)}`;

describe.skipIf(!built)('two web instances and two workers behind a round-robin proxy', { timeout: 300_000 }, () => {
  const database = withAppDatabase();
  let cluster: Cluster;
  let failed = false;

  beforeAll(async () => {
    cluster = await startCluster({ databaseUrl: database.url, startWorkers: false, env: { WORKER_CONCURRENCY: '2' } });
  }, 180_000);
  afterEach((context) => {
    if (context.task.result?.state === 'fail') failed = true;
  });
  afterAll(async () => {
    if (failed && cluster) {
      for (const proc of [...cluster.web, ...cluster.workers]) console.error(`--- ${proc.name}\n${proc.output.slice(-40).join('\n')}`);
    }
    await cluster?.stop();
  }, 60_000);

  async function member(plan: 'basic' | 'enterprise' | null = null) {
    const clinic = await createClinic();
    if (plan) await db().organization.update({ where: { id: clinic.id }, data: { planOverride: plan } });
    const user = await createUser({ name: 'Dr Scale' });
    await addMember(clinic.id, user.id, 'owner');
    const signedIn = await signInOverHttp(cluster.web[0]!.url, user.email, TEST_PASSWORD, uniqueIp());
    if (!signedIn.cookie) throw new Error(`sign-in refused: ${signedIn.error}`);
    return { clinic, user, cookie: signedIn.cookie };
  }

  const submit = (base: string, cookie: string, input: Record<string, unknown>) =>
    callServerAction<SubmitResult>({ base, cookie, ...DASHBOARD, args: [input] });

  it('honours a session signed in on one instance on the other, and ends it there when signed out everywhere', async () => {
    const { clinic, cookie } = await member();
    const [a, b] = cluster.web;
    const onB = await fetch(`${b!.url}/dashboard`, { headers: { cookie }, redirect: 'manual' });
    expect(onB.status).toBe(200);
    expect(await onB.text()).toContain(clinic.name);

    const out = await callServerAction<{ ok: boolean }>({ base: b!.url, page: '/dashboard', cookie, file: 'app/(app)/actions.ts', name: 'signOutEverywhereAction', args: [] });
    expect(out.result.ok).toBe(true);
    const onA = await fetch(`${a!.url}/dashboard`, { headers: { cookie }, redirect: 'manual' });
    expect(onA.status).toBe(307);
    expect(onA.headers.get('location')).toContain('/auth/session-ended');
  });

  it('counts rate limits once for the whole cluster, not per instance', async () => {
    const user = await createUser();
    const ip = uniqueIp();
    // The sign-in limit per email is 20 per 15 minutes (lib/ratelimit/policies.ts). Twenty
    // successful sign-ins alternate between the instances: each one sees only ten.
    for (let i = 0; i < 20; i += 1) {
      const result = await signInOverHttp(cluster.web[i % 2]!.url, user.email, TEST_PASSWORD, ip);
      expect(result.error).toBeNull();
    }
    for (const instance of cluster.web) {
      const refused = await signInOverHttp(instance.url, user.email, TEST_PASSWORD, ip);
      expect(refused.cookie).toBeNull();
      expect(refused.error).toMatch(/^throttled:\d+$/);
    }
    // Refused by the shared limiter, not by the database throttle (which counts failures only).
    expect(await db().loginThrottle.count({ where: { failures: { gt: 0 } } })).toBe(0);
    const denied = await Promise.all(
      cluster.web.map(async (w) => metricValue(await (await fetch(`${w.url}/api/metrics`, { headers: { authorization: `Bearer ${cluster.metricsToken}` } })).text(), 'maneiro_rate_limit_denials_total', { policy: 'signIn' })),
    );
    expect(denied).toEqual([1, 1]);
  });

  it('pushes live progress from a worker to a browser, and an event stream, open on the other instance', async () => {
    // The workers are not running yet: the job waits in the queue until they start.
    const { cookie } = await member();
    const [a, b] = cluster.web;
    const submitted = await submit(a!.url, cookie, { text: SAMPLE_NOTE, specialty: 'auto', idempotencyKey: `live-${randomBytes(6).toString('hex')}` });
    if (!submitted.result.ok) throw new Error(submitted.result.error);
    const jobId = submitted.result.data.jobId;

    // A real browser on instance B's job page (its EventSource goes to B)…
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
    try {
      const context = await browser.newContext({ baseURL: b!.url });
      const [name, value] = cookie.split(/=(.*)/s);
      await context.addCookies([{ name: name!, value: value!, url: b!.url }]);
      const page = await context.newPage();
      await page.goto(`/jobs/${jobId}`);
      // Survives only if the document is never reloaded.
      await page.evaluate(() => document.documentElement.setAttribute('data-scale-out-marker', 'set'));
      const status = page.getByRole('status').filter({ hasText: /Waiting for a worker|Complete\./ });
      await expect.poll(() => status.textContent(), { timeout: 30_000 }).toBe('Waiting for a worker to pick it up.');

      // …and an event stream read directly from B.
      const seen: { status: string; stage: string; progress: number }[] = [];
      let workersStarted: Promise<void> | undefined;
      await readEventStream(`${b!.url}/api/jobs/${jobId}/events`, { cookie }, (event) => {
        if (event.event !== 'stage') return false;
        seen.push(JSON.parse(event.data) as { status: string; stage: string; progress: number });
        // The first event is the queued state, replayed on connect; everything after it is live.
        workersStarted ??= cluster.startWorkers();
        return seen.at(-1)!.status === 'succeeded';
      }, AbortSignal.timeout(120_000));
      await workersStarted;

      expect(seen[0]).toMatchObject({ status: 'queued', stage: 'received' });
      expect(seen.at(-1)).toMatchObject({ status: 'succeeded', stage: 'complete', progress: 100 });
      expect(seen.map((e) => e.stage)).toEqual(expect.arrayContaining(['extracting', 'analyzing', 'complete']));
      const progress = seen.map((e) => e.progress);
      expect(progress).toEqual([...progress].sort((x, y) => x - y));

      // The page followed the job to its end by itself, without a reload.
      await expect.poll(() => status.textContent(), { timeout: 30_000 }).toBe('Complete.');
      expect(await page.evaluate(() => document.documentElement.getAttribute('data-scale-out-marker'))).toBe('set');
      await context.close();
    } finally {
      await browser.close();
    }
  });

  it('processes 200 jobs submitted across both instances exactly once, with exact quota counts', async () => {
    await cluster.startWorkers(); // started by the previous test; here too when it runs alone
    const { clinic, cookie } = await member('enterprise');
    const keys = Array.from({ length: 200 }, (_, i) => `bulk-${i}-${randomBytes(6).toString('hex')}`);
    const upstreams: Record<string, number> = {};
    const jobIds: string[] = [];
    // Ten browsers at a time, all through the proxy.
    for (let i = 0; i < keys.length; i += 10) {
      const batch = await Promise.all(keys.slice(i, i + 10).map((key, j) => submit(cluster.url, cookie, { text: `${SAMPLE_NOTE}\nVisit ${i + j}.`, idempotencyKey: key })));
      for (const answer of batch) {
        if (!answer.result.ok) throw new Error(answer.result.error);
        jobIds.push(answer.result.data.jobId);
        upstreams[answer.upstream ?? '?'] = (upstreams[answer.upstream ?? '?'] ?? 0) + 1;
      }
    }
    expect(upstreams).toEqual({ '0': 100, '1': 100 });
    expect(new Set(jobIds).size).toBe(200);

    // A resubmitted form (same idempotency key) on the other instance returns the first job.
    const again = await Promise.all(keys.slice(0, 10).map((key) => submit(cluster.url, cookie, { text: SAMPLE_NOTE, idempotencyKey: key })));
    expect(again.map((a) => (a.result.ok ? a.result.data : null))).toEqual(jobIds.slice(0, 10).map((jobId) => ({ jobId, duplicate: true })));

    const deadline = Date.now() + 180_000;
    while ((await db().job.count({ where: { organizationId: clinic.id, status: { in: ['queued', 'running'] } } })) > 0) {
      if (Date.now() > deadline) throw new Error('the workers did not finish 200 jobs in 3 minutes');
      await new Promise((r) => setTimeout(r, 250));
    }

    const jobs = await db().job.findMany({ where: { organizationId: clinic.id }, select: { id: true, status: true, attempts: true, result: true } });
    expect(jobs).toHaveLength(200);
    expect(jobs.filter((j) => j.status !== 'succeeded' || j.attempts !== 1 || j.result === null)).toEqual([]);
    const completions = await db().jobEvent.groupBy({ by: ['jobId'], where: { organizationId: clinic.id, status: 'succeeded' }, _count: { _all: true } });
    expect(completions).toHaveLength(200);
    expect(completions.filter((c) => c._count._all !== 1)).toEqual([]);
    const audits = await db().auditLog.count({ where: { organizationId: clinic.id, event: 'job.completed' } });
    expect(audits).toBe(200);

    const counter = await db().usageCounter.findMany({ where: { organizationId: clinic.id }, select: { used: true } });
    expect(counter).toEqual([{ used: 200 }]);
    const records = await db().usageRecord.groupBy({ by: ['state'], where: { organizationId: clinic.id }, _count: { _all: true } });
    expect(records.map((r) => [r.state, r._count._all])).toEqual([['committed', 200]]);

    // Both workers took a share; between them, one completed run per analysis that succeeded in this database.
    const runs = await Promise.all(
      cluster.workers.map(async (w) => metricValue(await (await fetch(w.metricsUrl, { headers: { authorization: `Bearer ${cluster.metricsToken}` } })).text(), 'maneiro_job_run_duration_seconds_count', { queue: 'analysis', result: 'completed' })),
    );
    expect(runs.every((n) => n > 0)).toBe(true);
    expect(runs.reduce((x, y) => x + y, 0)).toBe(await db().job.count({ where: { type: 'analysis', status: 'succeeded' } }));
  });

  it('grants the last quota units exactly once when both instances are asked at once', async () => {
    const { clinic, user, cookie } = await member('basic');
    // Basic allows 50 jobs a month; 45 are already used.
    for (let i = 0; i < 45; i += 1) {
      await db().$transaction((tx) => reserveJobQuota(tx, { organizationId: clinic.id, userId: user.id, jobType: 'analysis' }));
    }
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => submit(cluster.url, cookie, { text: `${SAMPLE_NOTE}\nLast visit ${i}.`, idempotencyKey: `last-${i}-${randomBytes(4).toString('hex')}` })),
    );
    const accepted = answers.filter((a) => a.result.ok);
    const refused = answers.flatMap((a) => (a.result.ok ? [] : [a.result.error]));
    expect(accepted).toHaveLength(5);
    expect(refused).toHaveLength(5);
    for (const message of refused) expect(message).toMatch(/used all 50 jobs of the Basic plan/);
    expect(new Set(answers.map((a) => a.upstream))).toEqual(new Set(['0', '1']));
    expect(await db().job.count({ where: { organizationId: clinic.id } })).toBe(5);
    expect(await db().usageCounter.findMany({ where: { organizationId: clinic.id }, select: { used: true } })).toEqual([{ used: 50 }]);
  });

  it('has no instance or worker warn at boot that it counts rate limits in its own memory', () => {
    for (const proc of [...cluster.web, ...cluster.workers]) {
      const warnings = proc.output.filter((line) => line.includes('development fallback active in production'));
      expect(warnings.some((line) => line.includes('rate_limit_memory')), proc.name).toBe(false);
    }
  });
});
