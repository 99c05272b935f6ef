// Analysis job benchmark: end-to-end jobs per second (submit → queue → worker →
// extraction → offline analysis → stored result) at worker concurrency 1, 2 and
// 4, on a scratch database; and the queue's overhead: end-to-end time per job at
// concurrency 1 divided by the time of a direct runAnalysis call on the same note.
// Workers are woken by NOTIFY on send, so latency is not the poll interval.
// Rates only: nothing here asserts a time.
// Standalone (on DATABASE_URL's server, or 127.0.0.1:5432):
//   npx tsx tests/bench/jobs.ts
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import type { Actor } from '@/lib/auth/authorize';
import { getConfig, setEnvironment } from '@/lib/config';
import { db, disconnectDb } from '@/lib/db/client';
import { migrate } from '@/lib/db/migrations';
import { preparePastedText } from '@/lib/extraction';
import { createAnalysisHandler, defaultAnalyzer } from '@/lib/jobs/analysis-handler';
import { closeSharedListeners } from '@/lib/jobs/listener';
import { stopJobQueue } from '@/lib/jobs/queue';
import { submitAnalysisJob } from '@/lib/jobs/submit';
import { startWorker } from '@/lib/jobs/worker';
import { createLogger } from '@/lib/logger';
import { admin, assertLocal } from './scratch-database';

const JOBS = 60;
const NOTE = `Ophthalmology follow-up visit.
Patient: Jordan Example, DOB 1961-02-03, MRN 00451234. 64-year-old female.
Chief complaint: blurred vision in the right eye for three weeks.
History: primary open-angle glaucoma both eyes, on latanoprost 0.005% one drop nightly OU. Type 2 diabetes on metformin 1000 mg twice daily. No known drug allergies.
Exam: VA OD 20/40, OS 20/25. IOP OD 26 mmHg, OS 19 mmHg. Cup-to-disc ratio OD 0.8, OS 0.6. Anterior segment quiet. Mild nuclear sclerosis OU. BP 142/88, HR 76.
Assessment: 1. Primary open-angle glaucoma, right eye, moderate stage, IOP above target. 2. Age-related nuclear cataract, both eyes. 3. Type 2 diabetes without retinopathy.
Plan: add timolol 0.5% one drop twice daily OD; repeat visual field and OCT RNFL in 6 weeks; follow-up in 6 weeks for IOP check.
Dr. Alex Sample, Riverside Eye Clinic.`;

const silent = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, done) => done() }) });

async function directMs(runs: number): Promise<number> {
  const prepared = preparePastedText(NOTE, getConfig().limits.analysisMaxChars);
  const signal = new AbortController().signal;
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) await defaultAnalyzer({ text: prepared.text, specialty: null, truncated: false }, { signal, onStage: () => undefined });
  return (performance.now() - t0) / runs;
}

async function endToEnd(actor: Actor, concurrency: number, url: string): Promise<number> {
  const worker = await startWorker({
    connectionString: url,
    handlers: [createAnalysisHandler({ log: silent })],
    concurrency,
    batchSize: concurrency,
    pollSeconds: 0.5,
    notifyPollSeconds: 0.5,
    log: silent,
  });
  try {
    const t0 = performance.now();
    const ids: string[] = [];
    for (let i = 0; i < JOBS; i++) ids.push((await submitAnalysisJob(db(), actor, { text: NOTE, idempotencyKey: `bench-${randomBytes(8).toString('hex')}` }, null)).jobId);
    for (;;) {
      const open = await db().job.count({ where: { id: { in: ids }, status: { in: ['queued', 'running'] } } });
      if (open === 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const seconds = (performance.now() - t0) / 1000;
    const failed = await db().job.count({ where: { id: { in: ids }, status: { not: 'succeeded' } } });
    if (failed > 0) throw new Error(`${failed} benchmark jobs did not succeed`);
    return seconds;
  } finally {
    await worker.stop();
  }
}

export async function benchJobs(serverUrl: string): Promise<void> {
  assertLocal(serverUrl);
  const name = `maneiro_bench_jobs_${randomBytes(4).toString('hex')}`;
  await admin(serverUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  try {
    await migrate({ connectionString: url.toString() });
    setEnvironment({ DATABASE_URL: url.toString(), STRIPE_SECRET_KEY: '', STRIPE_WEBHOOK_SECRET: '', OPENAI_API_KEY: '', LOG_LEVEL: 'silent' });
    const clinic = await db().organization.create({ data: { name: 'Bench', slug: `bench-${randomBytes(4).toString('hex')}`, planOverride: 'enterprise' } });
    const user = await db().user.create({ data: { email: `bench-${randomBytes(4).toString('hex')}@example.test`, name: 'Bench' } });
    await db().membership.create({ data: { organizationId: clinic.id, userId: user.id, role: 'clinician' } });
    const actor: Actor = { userId: user.id, organizationId: clinic.id, role: 'clinician' };

    console.log(`Analysis jobs end to end (${JOBS} pasted notes of ${NOTE.length} characters, offline analyzer, one worker process)`);
    await directMs(5); // warm: the ICD-10 table and the JIT
    const direct = await directMs(20);
    console.log(`  direct runAnalysis: ${direct.toFixed(1)} ms per note`);
    await endToEnd(actor, 1, url.toString()); // warm the queue path, unmeasured
    let perJobAt1 = 0;
    for (const concurrency of [1, 2, 4]) {
      const seconds = await endToEnd(actor, concurrency, url.toString());
      if (concurrency === 1) perJobAt1 = (seconds * 1000) / JOBS;
      console.log(`  concurrency ${concurrency}: ${(JOBS / seconds).toFixed(1)} jobs/s (${((seconds * 1000) / JOBS).toFixed(1)} ms per job)`);
    }
    console.log(`  queue overhead at concurrency 1: ${(perJobAt1 / direct).toFixed(2)}× a direct call\n`);
  } finally {
    await Promise.all([stopJobQueue(), closeSharedListeners()]);
    await disconnectDb();
    await admin(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchJobs(process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres');
}
