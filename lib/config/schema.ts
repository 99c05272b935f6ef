// Every setting Maneiro reads, as one zod schema over environment variable names,
// declared in groups. The README's configuration table is checked against this
// file by tests/unit/readme-config.test.ts, so a new variable must be documented.
import { z } from 'zod';
import { PLAN_IDS } from '@/lib/billing/plans';

/** Unset and empty variables are the same thing (compose files often write `X=`). */
const optionalString = () => z.string().min(1).optional();
const wholeNumber = (min: number, max: number, fallback: number) => {
  const message = `must be a whole number from ${min} to ${max}`;
  return z.coerce.number({ message }).int({ message }).min(min, { message }).max(max, { message }).default(fallback);
};
const port = (fallback: number) => wholeNumber(1, 65535, fallback);
const positiveInt = (fallback: number, max = 1_000_000) => wholeNumber(1, max, fallback);
const boolText = () => z.enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' });
const isTrue = (v: string) => v === 'true' || v === '1' || v === 'yes';
const bool = (fallback: boolean) => boolText().default(fallback ? 'true' : 'false').transform(isTrue);
/** A boolean whose default depends on other settings: undefined when unset. */
const optionalBool = () => boolText().optional().transform((v) => (v === undefined ? undefined : isTrue(v)));

export const appSettings = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  APP_URL: z.url({ message: 'must be an absolute URL such as https://app.example.com' }).default('http://localhost:3000'),
  PORT: port(3000),
  APP_VERSION: optionalString(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  LOG_PRETTY: optionalBool(),
  DATA_DIR: z.string().min(1).default('.data'),
  DEFAULT_PLAN: z.enum(PLAN_IDS).default('professional'),
  /** Proxies in front of the app that append to X-Forwarded-For (0: none, no client IP is trusted). */
  TRUSTED_PROXY_HOPS: wholeNumber(0, 10, 0),
};

export const databaseSettings = {
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// or postgresql:// URL' })
    .optional(),
  DATABASE_POOL_MAX: positiveInt(10, 500),
  EMBEDDED_PG_PORT: port(54329),
};

export const authSettings = {
  AUTH_SECRET: z.string().min(32, { message: 'must be at least 32 characters' }).optional(),
  /** Platform operators (the /admin console): comma-separated emails, compared case-insensitively. */
  PLATFORM_OPERATORS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((e) => e.trim().toLowerCase()).filter((e) => e !== ''))
    .pipe(z.array(z.email({ message: 'must be a comma-separated list of email addresses' }))),
};

export const stripeSettings = {
  STRIPE_SECRET_KEY: z.string().startsWith('sk_', { message: 'must start with sk_' }).optional(),
  STRIPE_WEBHOOK_SECRET: z.string().startsWith('whsec_', { message: 'must start with whsec_' }).optional(),
  STRIPE_PRICE_BASIC: z.string().startsWith('price_', { message: 'must start with price_' }).optional(),
  STRIPE_PRICE_PROFESSIONAL: z.string().startsWith('price_', { message: 'must start with price_' }).optional(),
  STRIPE_PRICE_ENTERPRISE: z.string().startsWith('price_', { message: 'must start with price_' }).optional(),
  /** Where the SDK sends API calls; Stripe's own API unless set (tests use a local fake). */
  STRIPE_API_URL: z.url({ message: 'must be an absolute URL such as https://api.stripe.com' }).optional(),
  BILLING_GRACE_DAYS: wholeNumber(0, 60, 7),
};

export const awsSettings = {
  AWS_REGION: z.string().min(1).default('us-east-1'),
  SSM_PARAMETER_PATH: z
    .string()
    .regex(/^\/[\w.\-/]*\/$/, { message: 'must start and end with a slash, e.g. /maneiro/prod/' })
    .optional(),
  S3_BUCKET: optionalString(),
  S3_ENDPOINT: z.url({ message: 'must be an absolute URL' }).optional(),
  S3_FORCE_PATH_STYLE: bool(false),
};

export const openaiSettings = {
  OPENAI_API_KEY: optionalString(),
  OPENAI_BASE_URL: z.url({ message: 'must be an absolute URL' }).optional(),
  OPENAI_MODEL: z.string().min(1).default('gpt-4o-mini'),
  OPENAI_TRANSCRIBE_MODEL: z.string().min(1).default('gpt-4o-transcribe'),
  /** Per-request timeout for analysis and letter calls. */
  OPENAI_TIMEOUT_MS: wholeNumber(1_000, 600_000, 60_000),
  /** Retries of 408/409/429/5xx and connection errors, with the SDK's backoff. */
  OPENAI_MAX_RETRIES: wholeNumber(0, 10, 3),
  /** Transcription may use another OpenAI-compatible server (e.g. a local Whisper); unset: OPENAI_BASE_URL. */
  OPENAI_TRANSCRIBE_BASE_URL: z.url({ message: 'must be an absolute URL' }).optional(),
  /** Unset: OPENAI_API_KEY. */
  OPENAI_TRANSCRIBE_API_KEY: optionalString(),
  /** Per-request timeout of one transcription call (a chunk of up to ~25 MB of audio). */
  OPENAI_TRANSCRIBE_TIMEOUT_MS: wholeNumber(1_000, 1_800_000, 300_000),
};

export const transcriptionSettings = {
  /** Long recordings are cut at a silence near every this many seconds. */
  TRANSCRIBE_CHUNK_SECONDS: wholeNumber(10, 1_500, 600),
  /** Unset: the binaries installed with npm (@ffmpeg-installer/ffmpeg, @ffprobe-installer/ffprobe). */
  FFMPEG_PATH: optionalString(),
  FFPROBE_PATH: optionalString(),
};

export const upstashSettings = {
  UPSTASH_REDIS_REST_URL: z.url({ message: 'must be an absolute URL' }).optional(),
  UPSTASH_REDIS_REST_TOKEN: optionalString(),
  /** A rate-limit check slower than this counts as a limiter failure (auth and job submissions then fail closed). */
  RATE_LIMIT_TIMEOUT_MS: wholeNumber(50, 10_000, 1_000),
  /** Where the counters live in Redis: separate deployments sharing one database need their own. */
  RATE_LIMIT_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]{1,64}$/, { message: 'must be 1–64 letters, digits, colons, dashes or underscores' })
    .default('maneiro:rl'),
};

export const emailSettings = {
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, { message: 'must be an smtp:// or smtps:// URL' })
    .optional(),
  EMAIL_FROM: z.string().min(3).default('Maneiro <no-reply@maneiro.localhost>'),
};

export const limitSettings = {
  WORKER_CONCURRENCY: positiveInt(4, 256),
  WORKER_BATCH_SIZE: positiveInt(1, 100),
  WORKER_POLL_SECONDS: z.coerce.number().min(0.5).max(60).default(1),
  ANALYSIS_MAX_CHARS: positiveInt(16_000),
  TRIAGE_MAX_CHARS: positiveInt(10_000),
};

export const observabilitySettings = {
  /** Bearer token for GET /api/metrics (and the worker's metrics listener); unset: no metrics endpoint. */
  METRICS_TOKEN: z.string().min(16, { message: 'must be at least 16 characters' }).optional(),
  /** Port of the worker's own metrics listener (scripts/worker.ts); unset: the worker exposes none. */
  WORKER_METRICS_PORT: z.coerce.number({ message: 'must be a port number' }).int().min(1).max(65535, { message: 'must be a port number' }).optional(),
  /** Sentry project DSN; unset: no error reporting. Events are scrubbed of PHI (lib/observability/scrub.ts). */
  SENTRY_DSN: z.url({ message: 'must be a URL such as https://<key>@o0.ingest.sentry.io/<project>' }).optional(),
  /** OTLP/HTTP collector base URL; unset: no traces. @vercel/otel reads it (and the other OTEL_* variables) itself. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ message: 'must be an absolute URL such as http://otel-collector:4318' }).optional(),
};

export const settingGroups = {
  app: appSettings,
  database: databaseSettings,
  auth: authSettings,
  stripe: stripeSettings,
  aws: awsSettings,
  openai: openaiSettings,
  transcription: transcriptionSettings,
  upstash: upstashSettings,
  email: emailSettings,
  limits: limitSettings,
  observability: observabilitySettings,
} as const;

export const envSchema = z.object({
  ...appSettings,
  ...databaseSettings,
  ...authSettings,
  ...stripeSettings,
  ...awsSettings,
  ...openaiSettings,
  ...transcriptionSettings,
  ...upstashSettings,
  ...emailSettings,
  ...limitSettings,
  ...observabilitySettings,
});

export interface CrossFieldIssue {
  path: [string];
  message: string;
}

/**
 * Rules that span variables. They read the raw (unparsed) values so that they
 * are reported in the same boot as per-variable problems.
 */
export function crossFieldIssues(env: Record<string, string | undefined>): CrossFieldIssue[] {
  const issues: CrossFieldIssue[] = [];
  const require = (name: string, message: string) => {
    if (env[name] === undefined) issues.push({ path: [name], message });
  };
  if (env.NODE_ENV === 'production') {
    require('DATABASE_URL', 'is required in production (the embedded database is for development only)');
    require('AUTH_SECRET', 'is required in production');
    require('SMTP_URL', 'is required in production (invitations, verification and password resets are sent by email)');
    const url = env.APP_URL;
    if (url !== undefined && !url.startsWith('https://') && !/^http:\/\/(localhost|127\.0\.0\.1)(:|\/|$)/.test(url)) {
      issues.push({ path: ['APP_URL'], message: 'must use https in production' });
    }
  }
  const pairs: [string, string][] = [
    ['UPSTASH_REDIS_REST_URL', 'UPSTASH_REDIS_REST_TOKEN'],
    ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET'],
  ];
  if (env.STRIPE_SECRET_KEY !== undefined) {
    for (const name of ['STRIPE_PRICE_BASIC', 'STRIPE_PRICE_PROFESSIONAL', 'STRIPE_PRICE_ENTERPRISE']) {
      require(name, 'is required when STRIPE_SECRET_KEY is set (one price per paid plan)');
    }
  }
  for (const [a, b] of pairs) {
    if ((env[a] === undefined) !== (env[b] === undefined)) {
      const [missing, other] = env[a] === undefined ? [a, b] : [b, a];
      issues.push({ path: [missing], message: `is required when ${other} is set` });
    }
  }
  return issues;
}

export type Env = z.infer<typeof envSchema>;

/** Names of every variable the schema knows, in declaration order. */
export const SETTING_NAMES = Object.values(settingGroups).flatMap((group) => Object.keys(group));

/** Variables a production deployment must provide (the rest have defaults or are optional features). */
export const REQUIRED_IN_PRODUCTION = ['DATABASE_URL', 'AUTH_SECRET', 'APP_URL', 'SMTP_URL'] as const;
