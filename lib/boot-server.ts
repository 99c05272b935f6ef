// Boot of the web server process (called from instrumentation.ts).
import { exportAuthEnvironment } from '@/lib/config';
import { bootConfig } from '@/lib/config/boot';
import { verifyAgainstDummy } from '@/lib/auth/password';
import { logger } from '@/lib/logger';
import { warnAboutFallbacks } from '@/lib/observability/fallbacks';
import { startServerTelemetry } from '@/lib/observability/telemetry';

export async function bootServer(): Promise<void> {
  const config = await bootConfig();
  // Before anything else runs, so that errors and traces of the warm-up are covered too.
  const telemetry = await startServerTelemetry(config);
  exportAuthEnvironment(config);
  // The first dummy verification also derives the dummy hash: do it before the first sign-in.
  await verifyAgainstDummy('warm-up');
  logger().info({ env: config.app.env, sentry: telemetry.sentry, traces: telemetry.traces }, 'web server configured');
  warnAboutFallbacks(config, logger());
}
