import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/auth/authorize';
import { db } from '@/lib/db/client';
import { stopJobQueue } from '@/lib/jobs/queue';
import { submitAnalysisJob } from '@/lib/jobs/submit';
import { withAppDatabase } from '../support/app-database';
import { createStaffedClinic } from '../support/factories';
import { key, SAMPLE_NOTE, waitForStatus } from '../support/jobs';

const database = withAppDatabase({ DEFAULT_PLAN: 'basic' });
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await stopJobQueue();
});

/** A worker in its own process; resolves once it printed `line`. */
function startChild(args: string[], waitFor: string): Promise<ChildProcess> {
  // The tsx loader inside this very process (not the tsx CLI, whose script runs in a grandchild a kill would miss).
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/support/jobs-worker-child.ts', ...args], {
    env: { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes(waitFor)) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`worker child exited (${code}) before printing "${waitFor}"`)));
  });
}

describe('crash recovery', () => {
  it('finishes a job exactly once after its worker is killed mid-job', async () => {
    const { clinic, members } = await createStaffedClinic();
    const actor: Actor = { userId: members.clinician.id, organizationId: clinic.id, role: 'clinician' };
    // The slow worker creates the queue (short heartbeat) before anything is sent.
    const doomed = await startChild(['--slow'], 'ready');
    const started = new Promise<void>((resolve) => doomed.stdout?.on('data', (c: Buffer) => c.toString().includes('started') && resolve()));
    const { jobId } = await submitAnalysisJob(db(), actor, { text: SAMPLE_NOTE, idempotencyKey: key() }, null);
    await started;
    expect((await db().job.findUniqueOrThrow({ where: { id: jobId } })).status).toBe('running');
    const exited = new Promise((r) => doomed.once('exit', r));
    doomed.kill('SIGKILL');
    await exited;

    await startChild([], 'ready');
    expect(await waitForStatus(jobId, ['succeeded', 'failed', 'canceled'], 60_000)).toBe('succeeded');
    const job = await db().job.findUniqueOrThrow({ where: { id: jobId } });
    expect(job.attempts).toBe(2);
    expect(await db().auditLog.count({ where: { targetId: jobId, event: 'job.completed' } })).toBe(1);
    expect((await db().usageRecord.findMany({ where: { jobId }, select: { state: true } })).map((r) => r.state)).toEqual(['committed']);
    const counter = await db().usageCounter.findFirstOrThrow({ where: { organizationId: clinic.id } });
    expect(counter.used).toBe(1);
  }, 90_000);
});
