// Stand-ins that keep a single development machine running without outside
// services. In production each one is either wrong with more than one instance or
// not what a clinic pays for, so the web server and the worker warn at boot, one
// line per fallback, naming what to configure.
import type { Config } from '@/lib/config';
import type { Logger } from '@/lib/logger';

export interface ActiveFallback {
  /** Stable id, for alerts and tests. */
  id: 'rate_limit_memory' | 'storage_local_disk' | 'email_mailbox' | 'analysis_offline';
  /** What is happening and what to set; names settings, never values. */
  message: string;
}

/** Which process asks: workers never check a rate limit (submissions are limited by the web tier). */
export type ProcessRole = 'web' | 'worker';

export function activeFallbacks(config: Config, role: ProcessRole = 'web'): ActiveFallback[] {
  if (!config.app.isProduction) return [];
  const found: ActiveFallback[] = [];
  if (!config.upstash && role === 'web') {
    found.push({
      id: 'rate_limit_memory',
      message: 'rate limits are counted in this process only: every instance allows the full limit. Set UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN.',
    });
  }
  if (!config.aws.s3.bucket) {
    found.push({
      id: 'storage_local_disk',
      message: 'uploads are stored on this server\'s disk (DATA_DIR): other instances and workers cannot read them. Set S3_BUCKET (and AWS_REGION, or S3_ENDPOINT).',
    });
  }
  if (!config.email.smtpUrl) {
    found.push({ id: 'email_mailbox', message: 'no email is delivered. Set SMTP_URL.' });
  }
  if (!config.openai.apiKey) {
    found.push({
      id: 'analysis_offline',
      message: 'analyses, triage and letters use the offline rule-based provider, and transcription is unavailable. Set OPENAI_API_KEY.',
    });
  }
  return found;
}

export function warnAboutFallbacks(config: Config, log: Logger, role: ProcessRole = 'web'): ActiveFallback[] {
  const found = activeFallbacks(config, role);
  for (const fallback of found) log.warn({ fallback: fallback.id }, `development fallback active in production: ${fallback.message}`);
  return found;
}
