// npm run worker — a background worker process. Run as many as the load needs.
import { requireDatabaseUrl } from '@/lib/config';
import { jobHandlers } from '@/lib/jobs/handlers';
import { closeSharedListeners } from '@/lib/jobs/listener';
import { stopJobQueue } from '@/lib/jobs/queue';
import { startWorker } from '@/lib/jobs/worker';
import { logger } from '@/lib/logger';
import { bootConfig, exitWith } from '@/lib/config/boot';
import { warnAboutFallbacks } from '@/lib/observability/fallbacks';
import { startMetricsServer } from '@/lib/observability/metrics-server';
import { startWorkerTelemetry } from '@/lib/observability/telemetry';

const config = await bootConfig();
const log = logger().child({ process: 'worker' });
warnAboutFallbacks(config, log, 'worker');
const telemetry = await startWorkerTelemetry(config);
if (telemetry.sentry) log.info('worker errors are reported to Sentry');
const { metricsToken, workerMetricsPort } = config.observability;
if (workerMetricsPort !== undefined) {
  if (!metricsToken) log.warn('WORKER_METRICS_PORT is set without METRICS_TOKEN: the worker serves no metrics');
  else {
    const metrics = await startMetricsServer({ port: workerMetricsPort, token: metricsToken }).catch(exitWith);
    log.info({ port: metrics.port }, 'worker metrics listening');
  }
}
const worker = await startWorker({
  connectionString: requireDatabaseUrl(config),
  handlers: jobHandlers,
  concurrency: config.limits.workerConcurrency,
  batchSize: config.limits.workerBatchSize,
  pollSeconds: config.limits.workerPollSeconds,
  log,
}).catch(exitWith);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log.info({ signal }, 'stopping worker');
    // Stops fetching at once; running jobs get the grace period, then are handed back for retry.
    worker
      .stop()
      .then(() => Promise.all([closeSharedListeners(), stopJobQueue()]))
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  });
}
