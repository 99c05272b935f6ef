// Capacity of a scaled-out deployment on this machine: two web instances and two
// workers behind a round-robin proxy, one PostgreSQL, one Redis through the Upstash
// bridge (tests/support/cluster.ts, the same set-up as the scale-out test).
//
//   1. Signed-in dashboard: closed-loop clients at rising concurrency request
//      GET /dashboard (a server-rendered page: session check, clinic, quota, recent
//      jobs). Prints requests/s and p50/p95 per step; the capacity is the highest rate
//      whose p95 stays under 300 ms.
//   2. Job submissions: clinicians submit pasted notes through the dashboard's server
//      action at rising concurrency while both workers process them. Prints accepted
//      and completed jobs per second and the backlog left at the end of each step;
//      the sustained rate is the highest step whose p95 stays under 300 ms and whose
//      backlog the workers keep up with.
//   3. Where the time goes: CPU seconds per component (web instances, workers,
//      PostgreSQL, Redis, and this process: the load generator, proxy and Redis bridge)
//      during each step, and the bottleneck named from them.
// Rates only: nothing here asserts a time. Standalone (on DATABASE_URL's server, or
// 127.0.0.1:5432; needs `npm run build` and Redis on 127.0.0.1:6379):
//   npx tsx tests/bench/capacity.ts
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { encode } from 'next-auth/jwt';
import pg from 'pg';
import { migrate } from '@/lib/db/migrations';
import { startCluster, type Cluster } from '../support/cluster';
import { callServerAction } from '../support/http-client';
import { admin, assertLocal } from './scratch-database';

const P95_TARGET_MS = 300;
const DASHBOARD_STEPS = [1, 2, 4, 8, 16, 32];
const SUBMIT_STEPS = [1, 2, 4, 8, 16];
const STEP_SECONDS = 6;
/** Enterprise allows 600 submissions a minute per clinic; the load is spread over this many. */
const CLINICS = 24;
const NOTE = `Ophthalmology follow-up. Assessment: primary open-angle glaucoma, both eyes, moderate stage.
IOP 22 mmHg OD, 21 mmHg OS on latanoprost 0.005% nightly. Plan: add timolol 0.5% twice daily, repeat visual fields in 3 months.`;

const CLOCK_TICKS = 100; // USER_HZ on Linux

interface Member {
  clinicId: string;
  cookie: string;
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

// ---- CPU accounting from /proc -------------------------------------------------

interface ProcInfo {
  ppid: number;
  comm: string;
  ticks: number;
}

function readProcs(): Map<number, ProcInfo> {
  const procs = new Map<number, ProcInfo>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      // After "(comm) ": state ppid … utime is field 14 and stime 15 of the whole line (11 and 12 here).
      procs.set(Number(entry), { ppid: Number(fields[1]), comm, ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // the process ended while we read
    }
  }
  return procs;
}

type Component = 'web' | 'workers' | 'postgres' | 'redis' | 'harness';
const COMPONENT_LABEL: Record<Component, string> = {
  web: 'web instances',
  workers: 'workers',
  postgres: 'PostgreSQL',
  redis: 'Redis',
  harness: 'load generator, proxy and bridge',
};

function descendants(procs: Map<number, ProcInfo>, roots: number[]): Set<number> {
  const found = new Set(roots);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, info] of procs) {
      if (!found.has(pid) && found.has(info.ppid)) {
        found.add(pid);
        grew = true;
      }
    }
  }
  return found;
}

/** CPU ticks per process, labelled by component; a process is counted from when it appears. */
function cpuSample(cluster: Cluster): Map<number, { component: Component; ticks: number }> {
  const procs = readProcs();
  const web = descendants(procs, cluster.web.map((w) => w.child.pid!));
  const workers = descendants(procs, cluster.workers.map((w) => w.child.pid!));
  const sample = new Map<number, { component: Component; ticks: number }>();
  for (const [pid, info] of procs) {
    let component: Component | null = null;
    if (web.has(pid)) component = 'web';
    else if (workers.has(pid)) component = 'workers';
    else if (info.comm === 'postgres') component = 'postgres';
    else if (info.comm.startsWith('redis-server')) component = 'redis';
    else if (pid === process.pid) component = 'harness';
    if (component) sample.set(pid, { component, ticks: info.ticks });
  }
  return sample;
}

interface CpuShare {
  cores: Record<Component, number>;
  busy: number;
}

async function withCpu<T>(cluster: Cluster, run: () => Promise<T>): Promise<{ value: T; cpu: CpuShare; seconds: number }> {
  const before = cpuSample(cluster);
  const started = performance.now();
  const value = await run();
  const seconds = (performance.now() - started) / 1000;
  const after = cpuSample(cluster);
  const cores: Record<Component, number> = { web: 0, workers: 0, postgres: 0, redis: 0, harness: 0 };
  // Per process: a PostgreSQL backend that started during the step counts from zero; one
  // that ended during it is missed (a small undercount, never a negative).
  for (const [pid, { component, ticks }] of after) cores[component] += (ticks - (before.get(pid)?.ticks ?? 0)) / CLOCK_TICKS / seconds;
  const busy = Object.values(cores).reduce((a, b) => a + b, 0);
  return { value, cpu: { cores, busy }, seconds };
}

function describeCpu(cpu: CpuShare): string {
  return (Object.keys(cpu.cores) as Component[]).map((c) => `${c} ${cpu.cores[c].toFixed(2)}`).join(', ');
}

// ---- load ------------------------------------------------------------------------

/** A call's outcome: true, or why it failed (an HTTP status or the action's message), tallied per reason. */
type Outcome = true | string;

async function closedLoop(concurrency: number, seconds: number, call: (n: number) => Promise<Outcome>) {
  const latencies: number[] = [];
  const reasons = new Map<string, number>();
  let errors = 0;
  let next = 0;
  const deadline = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const n = next++;
        const t0 = performance.now();
        const outcome = await call(n).catch((error: unknown) => (error instanceof Error ? error.message : String(error)));
        latencies.push(performance.now() - t0);
        if (outcome !== true) {
          errors += 1;
          reasons.set(outcome, (reasons.get(outcome) ?? 0) + 1);
        }
      }
    }),
  );
  return { requests: latencies.length, errors, reasons, p50: percentile(latencies, 50), p95: percentile(latencies, 95) };
}

/** The reasons behind an error count, most frequent first, for the line under the table. */
function describeReasons(reasons: Map<string, number>): string {
  return [...reasons.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([reason, n]) => `${n}× ${reason.slice(0, 120)}`)
    .join('; ');
}

async function arrange(databaseUrl: string, authSecret: string): Promise<Member[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const members: Member[] = [];
    for (let i = 0; i < CLINICS; i += 1) {
      const clinicId = randomUUID();
      const userId = randomUUID();
      await client.query(`INSERT INTO organizations (id, name, slug, plan_override, updated_at) VALUES ($1, $2, $3, 'enterprise', now())`, [
        clinicId,
        `Capacity clinic ${i + 1}`,
        `capacity-${i}-${randomBytes(4).toString('hex')}`,
      ]);
      await client.query(`INSERT INTO users (id, email, name, email_verified_at, updated_at) VALUES ($1, $2, $3, now(), now())`, [
        userId,
        `clinician-${i}-${randomBytes(4).toString('hex')}@capacity.test`,
        `Dr Capacity ${i + 1}`,
      ]);
      await client.query(`INSERT INTO memberships (id, organization_id, user_id, role) VALUES ($1, $2, $3, 'clinician')`, [randomUUID(), clinicId, userId]);
      const token = await encode({ secret: authSecret, token: { uid: userId, sv: 1 } });
      members.push({ clinicId, cookie: `next-auth.session-token=${token}` });
    }
    return members;
  } finally {
    await client.end();
  }
}

async function jobCounts(client: pg.Client): Promise<{ done: number; backlog: number }> {
  const { rows } = await client.query<{ done: number; backlog: number }>(
    `SELECT count(*) FILTER (WHERE status IN ('succeeded', 'failed', 'canceled'))::int AS done,
            count(*) FILTER (WHERE status IN ('queued', 'running'))::int AS backlog FROM jobs`,
  );
  return rows[0]!;
}

async function drain(client: pg.Client, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await jobCounts(client)).backlog > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
}

function bottleneck(cpu: CpuShare, queueBehind: boolean): string {
  const cores = os.availableParallelism();
  const [top, used] = (Object.entries(cpu.cores) as [Component, number][]).sort((a, b) => b[1] - a[1])[0]!;
  const share = `${used.toFixed(2)} of ${cores} cores`;
  if (cpu.busy >= 0.85 * cores) {
    if (top === 'postgres') return `database: the machine's CPU is saturated (${cpu.busy.toFixed(2)} of ${cores} cores busy) and PostgreSQL uses the most (${share})`;
    return `CPU: the machine's ${cores} cores are saturated (${cpu.busy.toFixed(2)} busy); the largest consumer is the ${COMPONENT_LABEL[top]} (${share})`;
  }
  if (queueBehind) return `queue: the workers fall behind (backlog grows) with CPU to spare (${cpu.busy.toFixed(2)} of ${cores} cores busy)`;
  if (top === 'postgres') return `database: PostgreSQL uses the most CPU (${share}) with the machine not saturated`;
  return `latency, not throughput: ${cpu.busy.toFixed(2)} of ${cores} cores busy, the ${COMPONENT_LABEL[top]} the largest consumer (${share})`;
}

function redisAnswers(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(6379, '127.0.0.1');
    const settle = (answered: boolean) => {
      socket.destroy();
      resolve(answered);
    };
    socket.once('connect', () => settle(true));
    socket.once('error', () => settle(false));
  });
}

export async function benchCapacity(serverUrl: string): Promise<void> {
  assertLocal(serverUrl);
  if (!(await redisAnswers())) {
    console.log('Capacity (./capacity.ts): skipped, no Redis on 127.0.0.1:6379 for the shared rate limits\n');
    return;
  }
  const name = `maneiro_bench_capacity_${randomBytes(4).toString('hex')}`;
  await admin(serverUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  let cluster: Cluster | undefined;
  const client = new pg.Client({ connectionString: databaseUrl });
  try {
    await migrate({ connectionString: databaseUrl });
    cluster = await startCluster({ databaseUrl, env: { LOG_LEVEL: 'warn' } });
    await client.connect();
    const members = await arrange(databaseUrl, cluster.authSecret);
    const c = cluster;
    console.log(`Capacity: 2 web instances + 2 workers (concurrency 4 each) behind a round-robin proxy, one PostgreSQL, Redis via the Upstash bridge (./capacity.ts)`);
    console.log(`  all on this machine's ${os.availableParallelism()} cores, with the load generator; CPU in cores used during each ${STEP_SECONDS} s step\n`);

    const dashboard = async (n: number): Promise<Outcome> => {
      const response = await fetch(`${c.url}/dashboard`, { headers: { cookie: members[n % CLINICS]!.cookie } });
      await response.arrayBuffer();
      return response.status === 200 || `HTTP ${response.status}`;
    };
    // A warm-up: the first requests of each instance load the page's code.
    await closedLoop(4, 2, dashboard);

    console.log('  Signed-in dashboard (GET /dashboard through the proxy)');
    console.log('  clients   req/s     p50      p95   errors   CPU (cores)');
    let bestDashboard: { rate: number; clients: number; cpu: CpuShare } | null = null;
    let lastDashboard: CpuShare | null = null;
    for (const clients of DASHBOARD_STEPS) {
      const { value: r, cpu, seconds } = await withCpu(c, () => closedLoop(clients, STEP_SECONDS, dashboard));
      const rate = r.requests / seconds;
      lastDashboard = cpu;
      console.log(`  ${String(clients).padStart(7)} ${rate.toFixed(1).padStart(7)} ${r.p50.toFixed(0).padStart(6)} ms ${r.p95.toFixed(0).padStart(5)} ms ${String(r.errors).padStart(6)}   ${describeCpu(cpu)}`);
      if (r.errors > 0) console.log(`          errors: ${describeReasons(r.reasons)}`);
      if (r.p95 < P95_TARGET_MS && r.errors === 0 && (!bestDashboard || rate > bestDashboard.rate)) bestDashboard = { rate, clients, cpu };
    }

    console.log('\n  Job submissions (the dashboard\'s server action through the proxy, pasted notes, both workers running)');
    console.log('  clients  accepted/s  completed/s  backlog   p50      p95   errors   CPU (cores)');
    let bestSubmit: { rate: number; clients: number; cpu: CpuShare } | null = null;
    let lastSubmit: { cpu: CpuShare; behind: boolean } | null = null;
    for (const clients of SUBMIT_STEPS) {
      await drain(client, 120_000);
      const before = await jobCounts(client);
      const { value: r, cpu, seconds } = await withCpu(c, () =>
        closedLoop(clients, STEP_SECONDS, async (n) => {
          const member = members[n % CLINICS]!;
          const answer = await callServerAction<{ ok: true } | { ok: false; error: string }>({
            base: c.url,
            page: '/dashboard',
            cookie: member.cookie,
            file: 'app/(app)/dashboard/actions.ts',
            name: 'submitAnalysisJobAction',
            args: [{ text: `${NOTE}\nVisit ${n}.`, idempotencyKey: `capacity-${clients}-${n}-${randomBytes(3).toString('hex')}` }],
          });
          return answer.result.ok || answer.result.error;
        }),
      );
      const after = await jobCounts(client);
      const accepted = r.requests - r.errors;
      const completed = after.done - before.done;
      // Behind: more than a second's worth of accepted jobs still waiting when the step ends.
      const behind = after.backlog > Math.max(8, accepted / seconds);
      lastSubmit = { cpu, behind };
      console.log(
        `  ${String(clients).padStart(7)} ${(accepted / seconds).toFixed(1).padStart(11)} ${(completed / seconds).toFixed(1).padStart(12)} ${String(after.backlog).padStart(8)} ${r.p50.toFixed(0).padStart(5)} ms ${r.p95.toFixed(0).padStart(5)} ms ${String(r.errors).padStart(6)}   ${describeCpu(cpu)}`,
      );
      if (r.errors > 0) console.log(`          errors: ${describeReasons(r.reasons)}`);
      if (r.p95 < P95_TARGET_MS && r.errors === 0 && !behind && (!bestSubmit || accepted / seconds > bestSubmit.rate)) {
        bestSubmit = { rate: accepted / seconds, clients, cpu };
      }
    }
    await drain(client, 120_000);

    console.log('\n  Capacity report');
    if (bestDashboard) console.log(`    signed-in dashboard: ${bestDashboard.rate.toFixed(1)} req/s at p95 < ${P95_TARGET_MS} ms (${bestDashboard.clients} concurrent clients)`);
    else console.log(`    signed-in dashboard: no step kept p95 under ${P95_TARGET_MS} ms`);
    if (lastDashboard) console.log(`      bottleneck at the heaviest step: ${bottleneck(lastDashboard, false)}`);
    if (bestSubmit) console.log(`    job submissions, sustained (workers keep up): ${bestSubmit.rate.toFixed(1)} jobs/s at p95 < ${P95_TARGET_MS} ms (${bestSubmit.clients} concurrent clients)`);
    else console.log(`    job submissions: no step kept p95 under ${P95_TARGET_MS} ms with the workers keeping up`);
    if (lastSubmit) console.log(`      bottleneck at the heaviest step: ${bottleneck(lastSubmit.cpu, lastSubmit.behind)}`);
    console.log(`    per month at that rate: ${bestSubmit ? Math.round(bestSubmit.rate * 3600 * 8 * 22).toLocaleString('en-US') : 0} jobs in 8-hour weekdays\n`);
  } finally {
    await client.end().catch(() => undefined);
    await cluster?.stop();
    await admin(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await benchCapacity(process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres');
}
