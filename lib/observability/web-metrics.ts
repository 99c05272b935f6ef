// The web server's /api/metrics: this process's counters and histograms plus the
// job and queue gauges read from the database at scrape time.
import 'server-only';
import { db } from '@/lib/db/client';
import { registerJobMetrics } from './job-metrics';
import { processMetrics } from './metrics';

const KEY = Symbol.for('maneiro.metrics.jobs');

export async function webMetricsText(): Promise<{ contentType: string; body: string }> {
  const { registry } = processMetrics();
  // The database gauges only exist in the web process (the worker has no use for them).
  const g = globalThis as typeof globalThis & { [KEY]?: boolean };
  if (!g[KEY]) {
    registerJobMetrics(registry, db);
    g[KEY] = true;
  }
  return { contentType: registry.contentType, body: await registry.metrics() };
}
