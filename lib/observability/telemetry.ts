// Optional outside telemetry: Sentry for errors (scrubbed of PHI, see scrub.ts) and
// OpenTelemetry traces over OTLP. Both are off unless configured, and both SDKs are
// imported dynamically so that an unconfigured process never loads them.
import type { Config } from '@/lib/config';
import { scrubEvent } from '@/lib/observability/scrub';

/**
 * Web server: traces first (Sentry must then leave OpenTelemetry to @vercel/otel,
 * or both would register a global tracer provider), then Sentry.
 * Returns what was started, for the boot log.
 */
export async function startServerTelemetry(config: Config): Promise<{ sentry: boolean; traces: boolean }> {
  const { sentryDsn, otlpEndpoint } = config.observability;
  const traces = otlpEndpoint !== undefined;
  if (traces) {
    // @vercel/otel reads OTEL_EXPORTER_OTLP_ENDPOINT (and _HEADERS, _PROTOCOL,
    // OTEL_SERVICE_NAME, OTEL_TRACES_SAMPLER) from the process environment itself; passing
    // our own exporter as well would export every span twice. The config only decides
    // whether tracing starts and rejects a malformed URL at boot.
    const { registerOTel } = await import('@vercel/otel');
    registerOTel({ serviceName: 'maneiro-web' });
  }
  if (sentryDsn !== undefined) await startSentry(config, sentryDsn, { skipOpenTelemetrySetup: traces });
  return { sentry: sentryDsn !== undefined, traces };
}

/** Worker: Sentry only (it serves no requests to trace). */
export async function startWorkerTelemetry(config: Config): Promise<{ sentry: boolean }> {
  const { sentryDsn } = config.observability;
  if (sentryDsn !== undefined) await startSentry(config, sentryDsn, { skipOpenTelemetrySetup: false });
  return { sentry: sentryDsn !== undefined };
}

async function startSentry(config: Config, dsn: string, options: { skipOpenTelemetrySetup: boolean }): Promise<void> {
  const Sentry = await import('@sentry/nextjs');
  Sentry.init({
    dsn,
    environment: config.app.env,
    release: config.app.version,
    // No IP addresses, cookies or request bodies attached by the SDK; scrubEvent removes the rest.
    sendDefaultPii: false,
    // Errors only: performance data would carry URLs and span attributes for no use.
    tracesSampleRate: 0,
    skipOpenTelemetrySetup: options.skipOpenTelemetrySetup,
    beforeSend: scrubEvent,
    beforeSendTransaction: scrubEvent,
  });
}
