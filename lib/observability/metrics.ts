// Prometheus metrics of this process (prom-client). The web server and each worker
// keep their own registry, as Prometheus expects of separate processes; the web
// server adds the job and queue figures read from the database at scrape time
// (./job-metrics.ts), the same for every instance. Labels are routes, codes and
// types, never ids or anything a member typed.
import { Counter, Histogram, Registry } from 'prom-client';

export interface ProcessMetrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  rateLimitDenials: Counter<'policy' | 'reason'>;
  providerErrors: Counter<'code' | 'retryable'>;
  webhookAttempts: Counter<'outcome'>;
  jobRuns: Histogram<'queue' | 'result'>;
}

function createProcessMetrics(): ProcessMetrics {
  const registry = new Registry();
  const registers = [registry];
  return {
    registry,
    httpRequests: new Counter({
      name: 'maneiro_http_requests_total',
      help: 'Route handler requests by route pattern, method and status',
      labelNames: ['method', 'route', 'status'],
      registers,
    }),
    httpDuration: new Histogram({
      name: 'maneiro_http_request_duration_seconds',
      help: 'Route handler latency by route pattern, method and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.3, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    rateLimitDenials: new Counter({
      name: 'maneiro_rate_limit_denials_total',
      help: 'Requests refused by a rate limit, by policy; reason failed_closed: the shared limiter was unreachable',
      labelNames: ['policy', 'reason'],
      registers,
    }),
    providerErrors: new Counter({
      name: 'maneiro_provider_errors_total',
      help: 'Failed attempts of analysis, triage, letter and transcription providers, by failure code (worker)',
      labelNames: ['code', 'retryable'],
      registers,
    }),
    webhookAttempts: new Counter({
      name: 'maneiro_webhook_attempts_total',
      help: 'Webhook delivery attempts by outcome: delivered, retryable_error (timeout, 5xx, 429) or permanent_error (worker)',
      labelNames: ['outcome'],
      registers,
    }),
    jobRuns: new Histogram({
      name: 'maneiro_job_run_duration_seconds',
      help: 'Time one queue job spent in its handler, by queue and result (worker)',
      labelNames: ['queue', 'result'],
      buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 3600],
      registers,
    }),
  };
}

// On globalThis: Next.js compiles route handlers and instrumentation into separate
// bundles of one process, and they must count into the same registry.
const KEY = Symbol.for('maneiro.metrics');

export function processMetrics(): ProcessMetrics {
  const g = globalThis as typeof globalThis & { [KEY]?: ProcessMetrics };
  g[KEY] ??= createProcessMetrics();
  return g[KEY];
}

/** Forgets every value (tests). */
export function resetProcessMetrics(): void {
  processMetrics().registry.resetMetrics();
}

const ID_SEGMENT = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d+|[\w-]{20,})$/i;

/**
 * The route pattern of a path: ids, numbers and token-like segments become `:id`,
 * so a label never carries an identifier (and the series count stays bounded).
 */
export function routeLabel(pathname: string): string {
  const segments = pathname.split('/').map((segment) => (ID_SEGMENT.test(segment) ? ':id' : segment));
  return segments.join('/').slice(0, 120) || '/';
}

export function recordHttpRequest(request: { method: string; url: string }, status: number, seconds: number): void {
  let pathname = '/';
  try {
    pathname = new URL(request.url).pathname;
  } catch {
    // A relative or odd URL: counted under '/'.
  }
  const labels = { method: request.method, route: routeLabel(pathname), status: String(status) };
  const m = processMetrics();
  m.httpRequests.inc(labels);
  m.httpDuration.observe(labels, seconds);
}

export function recordRateLimitDenial(policy: string, failedClosed: boolean): void {
  processMetrics().rateLimitDenials.inc({ policy, reason: failedClosed ? 'failed_closed' : 'limit' });
}

export function recordProviderError(code: string, retryable: boolean): void {
  processMetrics().providerErrors.inc({ code, retryable: String(retryable) });
}

export function recordWebhookAttempt(outcome: 'delivered' | 'retryable_error' | 'permanent_error'): void {
  processMetrics().webhookAttempts.inc({ outcome });
}

export function recordJobRun(queue: string, result: 'completed' | 'failed', seconds: number): void {
  processMetrics().jobRuns.observe({ queue, result }, seconds);
}
