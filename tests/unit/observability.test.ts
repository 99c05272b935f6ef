import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '@/lib/config';
import { createLogger } from '@/lib/logger';
import { activeFallbacks, warnAboutFallbacks } from '@/lib/observability/fallbacks';
import { currentLogContext, jobLogContext, jobPayloadFor, withLogContext } from '@/lib/observability/log-context';
import { metricsAccess } from '@/lib/observability/metrics-auth';
import { startMetricsServer } from '@/lib/observability/metrics-server';
import { recordProviderError, resetProcessMetrics, routeLabel } from '@/lib/observability/metrics';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, log: createLogger({ level: 'info', destination }) };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('request and job ids in logs', () => {
  it('carries the creating request id through the queue payload into the job log lines', async () => {
    const { lines, log } = capture();
    // The web side: a job created while a request is handled.
    const payload = withLogContext({ requestId: 'req-0000abcd' }, () => jobPayloadFor('0b8a6f1e-2c1d-4e8f-9a7b-3c2d1e0f9a8b'));
    expect(payload).toEqual({ jobId: '0b8a6f1e-2c1d-4e8f-9a7b-3c2d1e0f9a8b', requestId: 'req-0000abcd' });
    expect(jobPayloadFor('x-job')).toEqual({ jobId: 'x-job' });
    // The worker side: the payload arrives as JSON and the handler logs with an ordinary child logger.
    const data: unknown = JSON.parse(JSON.stringify(payload));
    await withLogContext(jobLogContext('analysis', 'boss-1', data), async () => {
      await Promise.resolve();
      log.child({ queue: 'analysis' }).info({ attempt: 1 }, 'analysis started');
    });
    log.info('outside any job');
    await flush();
    expect(lines[0]).toMatchObject({ msg: 'analysis started', jobId: payload.jobId, requestId: 'req-0000abcd', queue: 'analysis' });
    expect(lines[1]).not.toHaveProperty('jobId');
    expect(lines[1]).not.toHaveProperty('requestId');
    expect(currentLogContext()).toEqual({});
  });

  it('never lets a malformed payload value into the context', () => {
    expect(jobLogContext('q', 'boss-2', { jobId: 'a b <c>', requestId: 'x'.repeat(500) })).toEqual({ queue: 'q', jobId: 'boss-2' });
    expect(jobLogContext('q', 'boss-3', null)).toEqual({ queue: 'q', jobId: 'boss-3' });
  });
});

describe('metrics', () => {
  it('labels routes by pattern, never by id or token', () => {
    expect(routeLabel('/api/jobs/0b8a6f1e-2c1d-4e8f-9a7b-3c2d1e0f9a8b/events')).toBe('/api/jobs/:id/events');
    expect(routeLabel('/api/v1/letters/42')).toBe('/api/v1/letters/:id');
    expect(routeLabel('/api/auth/verify/AbCdEfGhIjKlMnOpQrStUvWxYz012345')).toBe('/api/auth/verify/:id');
    expect(routeLabel('/api/health')).toBe('/api/health');
  });

  it('admits only the configured bearer token, and hides the endpoint without one', () => {
    const token = 'a-long-metrics-token-123';
    expect(metricsAccess(`Bearer ${token}`, token)).toBe('allowed');
    expect(metricsAccess(`bearer ${token}`, token)).toBe('allowed');
    expect(metricsAccess(`Bearer ${token}x`, token)).toBe('unauthorized');
    expect(metricsAccess(`Bearer ${token.slice(0, -1)}`, token)).toBe('unauthorized');
    expect(metricsAccess(null, token)).toBe('unauthorized');
    expect(metricsAccess(token, token)).toBe('unauthorized');
    expect(metricsAccess(`Bearer ${token}`, undefined)).toBe('not_found');
  });

  it('serves the worker registry on its own port behind the same token', async () => {
    resetProcessMetrics();
    recordProviderError('provider_rate_limited', true);
    const server = await startMetricsServer({ port: 0, token: 'worker-token-0123456789', host: '127.0.0.1' });
    try {
      const url = `http://127.0.0.1:${server.port}/metrics`;
      expect((await fetch(url)).status).toBe(401);
      expect((await fetch(`http://127.0.0.1:${server.port}/other`, { headers: { authorization: 'Bearer worker-token-0123456789' } })).status).toBe(404);
      const ok = await fetch(url, { headers: { authorization: 'Bearer worker-token-0123456789' } });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('maneiro_provider_errors_total{code="provider_rate_limited",retryable="true"} 1');
    } finally {
      await server.close();
    }
  });
});

describe('boot warnings about development fallbacks', () => {
  const production = {
    NODE_ENV: 'production',
    APP_URL: 'https://app.example.com',
    DATABASE_URL: 'postgresql://u@db/x',
    AUTH_SECRET: 's'.repeat(40),
    SMTP_URL: 'smtp://mail.example.com',
  };

  it('lists each in-process stand-in active in production, naming what to set', () => {
    const found = activeFallbacks(parseConfig(production));
    expect(found.map((f) => f.id)).toEqual(['rate_limit_memory', 'storage_local_disk', 'analysis_offline']);
    expect(found[0]?.message).toContain('UPSTASH_REDIS_REST_URL');
    expect(found[1]?.message).toContain('S3_BUCKET');
  });

  it('does not tell a worker about the rate limiter, which only the web tier uses', () => {
    expect(activeFallbacks(parseConfig(production), 'worker').map((f) => f.id)).toEqual(['storage_local_disk', 'analysis_offline']);
  });

  it('is silent when every service is configured, and outside production', () => {
    const complete = { ...production, UPSTASH_REDIS_REST_URL: 'https://redis.example.com', UPSTASH_REDIS_REST_TOKEN: 't', S3_BUCKET: 'b', OPENAI_API_KEY: 'sk-x' };
    expect(activeFallbacks(parseConfig(complete))).toEqual([]);
    expect(activeFallbacks(parseConfig({ NODE_ENV: 'development' }))).toEqual([]);
  });

  it('warns once per fallback', async () => {
    const { lines, log } = capture();
    warnAboutFallbacks(parseConfig(production), log);
    await flush();
    expect(lines.map((l) => [l.level, l.fallback])).toEqual([
      ['warn', 'rate_limit_memory'],
      ['warn', 'storage_local_disk'],
      ['warn', 'analysis_offline'],
    ]);
  });
});
