import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { GET as metrics } from '@/app/api/metrics/route';
import { GET as health } from '@/app/api/health/route';
import type { Actor } from '@/lib/auth/authorize';
import { setEnvironment } from '@/lib/config';
import { db } from '@/lib/db/client';
import { writeJobEvent } from '@/lib/jobs/events';
import { stopJobQueue } from '@/lib/jobs/queue';
import { submitAnalysisJob } from '@/lib/jobs/submit';
import { classifyFailure } from '@/lib/jobs/attempt';
import { AnalysisFailure } from '@/lib/analysis/errors';
import { logger } from '@/lib/logger';
import { resetProcessMetrics } from '@/lib/observability/metrics';
import { checkRateLimit, resetRateLimitStore } from '@/lib/ratelimit';
import { withAppDatabase } from '../support/app-database';
import { createStaffedClinic } from '../support/factories';
import { key, SAMPLE_NOTE } from '../support/jobs';

const TOKEN = 'metrics-token-0123456789abcdef';
withAppDatabase({ METRICS_TOKEN: TOKEN, DEFAULT_PLAN: 'basic' });
afterAll(() => stopJobQueue());
beforeEach(() => resetProcessMetrics());

const segment = { params: Promise.resolve({}) };
const scrape = (authorization?: string) =>
  metrics(new Request('http://localhost/api/metrics', { headers: authorization ? { authorization } : {} }), segment);

/** The value of one sample, by metric name and exact labels; undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const match = /^([^{\s]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v) && Object.keys(found).length === Object.keys(labels).length) return Number(match[3]);
  }
  return undefined;
}

describe('GET /api/metrics', () => {
  it('does not exist without METRICS_TOKEN', async () => {
    setEnvironment({ METRICS_TOKEN: '' });
    try {
      expect((await scrape(`Bearer ${TOKEN}`)).status).toBe(404);
    } finally {
      setEnvironment({ METRICS_TOKEN: TOKEN });
    }
  });

  it('refuses a missing or wrong token', async () => {
    const missing = await scrape();
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await scrape(`Bearer ${TOKEN}x`)).status).toBe(401);
    expect((await scrape(`Basic ${TOKEN}`)).status).toBe(401);
    // Nothing is leaked in the refusal.
    expect(await missing.text()).not.toContain('maneiro_');
  });

  it('answers in the Prometheus text format with request counts and latencies by route', async () => {
    await health(new Request('http://localhost/api/health'), segment);
    await health(new Request('http://localhost/api/health'), segment);
    const response = await scrape(`Bearer ${TOKEN}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(sample(text, 'maneiro_http_requests_total', { method: 'GET', route: '/api/health', status: '200' })).toBe(2);
    expect(sample(text, 'maneiro_http_request_duration_seconds_count', { method: 'GET', route: '/api/health', status: '200' })).toBe(2);
    expect(text).toContain('# TYPE maneiro_http_request_duration_seconds histogram');
    // The refused scrapes of this test are not counted (metrics were reset), the current one is counted after it answers.
    expect(sample(text, 'maneiro_http_requests_total', { method: 'GET', route: '/api/metrics', status: '401' })).toBeUndefined();
  });

  it('reports an empty queue, without a failure, before pg-boss has made its schema', async () => {
    const [schema] = await db().$queryRaw<{ present: boolean }[]>`SELECT to_regclass('pgboss.job') IS NOT NULL AS present`;
    expect(schema?.present).toBe(false);
    const warn = vi.spyOn(logger(), 'warn');
    try {
      const text = await (await scrape(`Bearer ${TOKEN}`)).text();
      expect(text).toContain('# TYPE maneiro_queue_jobs gauge');
      expect(text).not.toMatch(/^maneiro_queue_jobs\{/m);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  it('reports jobs by type and status, queue depth and the oldest waiting job from the database', async () => {
    const { clinic, members } = await createStaffedClinic();
    const actor: Actor = { userId: members.clinician.id, organizationId: clinic.id, role: 'clinician' };
    const ctx = { ip: '203.0.113.9', userAgent: 'vitest' };
    for (let i = 0; i < 3; i++) await submitAnalysisJob(db(), actor, { text: SAMPLE_NOTE, idempotencyKey: key() }, ctx);
    // Let the oldest queue entry age a little.
    await db().$executeRaw`UPDATE pgboss.job SET start_after = now() - interval '90 seconds' WHERE name = 'analysis'`;

    const text = await (await scrape(`Bearer ${TOKEN}`)).text();
    expect(sample(text, 'maneiro_jobs', { type: 'analysis', status: 'queued' })).toBe(3);
    expect(sample(text, 'maneiro_queue_jobs', { queue: 'analysis', state: 'ready' })).toBe(3);
    expect(sample(text, 'maneiro_queue_jobs', { queue: 'analysis', state: 'active' })).toBe(0);
    const age = sample(text, 'maneiro_queue_oldest_ready_age_seconds', { queue: 'analysis' });
    expect(age).toBeGreaterThanOrEqual(89);
    expect(age).toBeLessThan(300);
  });

  it('reports job stage durations from the last hour of job events', async () => {
    const { clinic, members } = await createStaffedClinic();
    const actor: Actor = { userId: members.clinician.id, organizationId: clinic.id, role: 'clinician' };
    const { jobId } = await submitAnalysisJob(db(), actor, { text: SAMPLE_NOTE, idempotencyKey: key() }, null);
    // One base time: the writes below take time, which must not stretch the stages.
    const base = Date.now() - 600_000;
    const at = (seconds: number) => new Date(base + seconds * 1000);
    // received (already written) → extracting at 0 s, two progress events, analyzing at 12 s, complete at 42 s.
    await db().jobEvent.deleteMany({ where: { jobId } });
    const stages: [string, number][] = [['extracting', 0], ['extracting', 4], ['extracting', 8], ['analyzing', 12], ['complete', 42]];
    for (const [stage, seconds] of stages) {
      const id = await writeJobEvent(db(), { jobId, organizationId: clinic.id, status: stage === 'complete' ? 'succeeded' : 'running', stage, progress: 50 });
      await db().jobEvent.update({ where: { id }, data: { createdAt: at(seconds) } });
    }
    const text = await (await scrape(`Bearer ${TOKEN}`)).text();
    expect(sample(text, 'maneiro_job_stage_duration_last_hour_count', { type: 'analysis', stage: 'extracting' })).toBe(1);
    expect(sample(text, 'maneiro_job_stage_duration_last_hour_seconds', { type: 'analysis', stage: 'extracting', quantile: '0.5' })).toBeCloseTo(12, 1);
    expect(sample(text, 'maneiro_job_stage_duration_last_hour_seconds_sum', { type: 'analysis', stage: 'analyzing' })).toBeCloseTo(30, 1);
    // The final stage has no end.
    expect(sample(text, 'maneiro_job_stage_duration_last_hour_count', { type: 'analysis', stage: 'complete' })).toBeUndefined();
  });

  it('counts rate-limit denials and provider errors', async () => {
    resetRateLimitStore();
    for (let i = 0; i < 4; i++) await checkRateLimit('passwordReset', 'email:metrics@example.test');
    classifyFailure(new AnalysisFailure('provider_timeout', 'The analysis took too long.', true));
    classifyFailure(new Error('not a provider failure'));
    const text = await (await scrape(`Bearer ${TOKEN}`)).text();
    expect(sample(text, 'maneiro_rate_limit_denials_total', { policy: 'passwordReset', reason: 'limit' })).toBe(1);
    expect(sample(text, 'maneiro_provider_errors_total', { code: 'provider_timeout', retryable: 'true' })).toBe(1);
    expect(text).not.toContain('metrics@example.test');
  });
});
