// The only module that reads process.env. Settings are validated once by the zod
// schema in ./schema.ts; when SSM_PARAMETER_PATH is set, loadConfig() must run at
// boot (instrumentation.ts, scripts/worker.ts) before anything calls getConfig().
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { PlanId } from '@/lib/billing/plans';
import packageJson from '@/package.json';
import { crossFieldIssues, envSchema, type Env } from './schema';
import { createSsmClient, loadSsmParameters } from './ssm';

export type RawEnv = Record<string, string | undefined>;

export interface ConfigProblem {
  variable: string;
  message: string;
}

/** Invalid settings. The message names variables and never includes their values. */
export class ConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p.variable} ${p.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

export interface Config {
  app: {
    env: Env['NODE_ENV'];
    isProduction: boolean;
    url: string;
    port: number;
    version: string;
    logLevel: NonNullable<Env['LOG_LEVEL']>;
    logPretty: boolean;
    /** Absolute path of the folder for embedded data (database, uploads, dev secrets). */
    dataDir: string;
    defaultPlan: PlanId;
    /** Proxies in front of the app; the client IP is the Nth X-Forwarded-For entry from the right (lib/http/client-ip.ts). */
    trustedProxyHops: number;
  };
  database: {
    /** Undefined only in development before the embedded database has started. */
    url: string | undefined;
    poolMax: number;
    embeddedPort: number;
  };
  auth: {
    readonly secret: string;
    /** Lower-cased emails of the platform operators who may open /admin (PLATFORM_OPERATORS). */
    platformOperators: readonly string[];
  };
  stripe: {
    enabled: boolean;
    secretKey: string | undefined;
    webhookSecret: string | undefined;
    prices: Record<Exclude<PlanId, 'free'>, string | undefined>;
    /** STRIPE_API_URL, when set. */
    apiUrl: string | undefined;
    /** Days a past_due subscription keeps its plan. */
    graceDays: number;
  };
  aws: {
    region: string;
    ssmParameterPath: string | undefined;
    s3: { bucket: string | undefined; endpoint: string | undefined; forcePathStyle: boolean };
  };
  openai: {
    apiKey: string | undefined;
    baseUrl: string | undefined;
    model: string;
    transcribeModel: string;
    timeoutMs: number;
    maxRetries: number;
  };
  /** Audio transcription: its own OpenAI-compatible endpoint (falling back to the analysis one) and ffmpeg. */
  transcription: {
    apiKey: string | undefined;
    baseUrl: string | undefined;
    model: string;
    timeoutMs: number;
    maxRetries: number;
    chunkSeconds: number;
    /** Explicit binaries; undefined: the npm-installed ones. */
    ffmpegPath: string | undefined;
    ffprobePath: string | undefined;
  };
  upstash: { url: string; token: string } | null;
  rateLimit: { timeoutMs: number; prefix: string };
  email: { smtpUrl: string | undefined; from: string };
  limits: {
    workerConcurrency: number;
    workerBatchSize: number;
    workerPollSeconds: number;
    analysisMaxChars: number;
    triageMaxChars: number;
  };
  observability: {
    /** Bearer token for the metrics endpoints; undefined: they answer 404. */
    metricsToken: string | undefined;
    workerMetricsPort: number | undefined;
    /** Sentry DSN; undefined: no error reporting. */
    sentryDsn: string | undefined;
    /** OTLP collector base URL; undefined: no tracing. */
    otlpEndpoint: string | undefined;
  };
}

/** Drops unset and empty variables so that `X=` means "not set". */
function normalize(source: RawEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(source)) {
    if (value !== undefined && value.trim() !== '') out[key] = value;
  }
  return out;
}

/** Development-only secret, generated once and kept in the data folder. */
function developmentSecret(dataDir: string): string {
  const file = path.join(dataDir, 'secrets.json');
  try {
    const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as { authSecret?: unknown };
    if (typeof stored.authSecret === 'string' && stored.authSecret.length >= 32) return stored.authSecret;
  } catch {
    // Missing or unreadable: create it below.
  }
  const authSecret = randomBytes(32).toString('base64url');
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ authSecret }, null, 2) + '\n', { mode: 0o600 });
  return authSecret;
}

/** Validates raw variables into the typed, grouped config. Throws ConfigError listing every problem. */
export function parseConfig(source: RawEnv, cwd = process.cwd()): Config {
  const raw = normalize(source);
  const result = envSchema.safeParse(raw);
  // Cross-field rules run on the raw values too, so one boot lists every problem.
  const problems = [...(result.success ? [] : result.error.issues), ...crossFieldIssues(raw)]
    .map((issue) => ({ variable: String(issue.path[0] ?? '(settings)'), message: issue.message }))
    .filter((p, i, all) => all.findIndex((q) => q.variable === p.variable && q.message === p.message) === i);
  if (!result.success || problems.length > 0) throw new ConfigError(problems);
  const env = result.data;
  const isProduction = env.NODE_ENV === 'production';
  const dataDir = path.resolve(cwd, env.DATA_DIR);
  let authSecret = env.AUTH_SECRET;
  return {
    app: {
      env: env.NODE_ENV,
      isProduction,
      url: env.APP_URL.replace(/\/$/, ''),
      port: env.PORT,
      version: env.APP_VERSION ?? packageJson.version,
      logLevel: env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'silent' : env.NODE_ENV === 'development' ? 'debug' : 'info'),
      logPretty: env.LOG_PRETTY ?? env.NODE_ENV === 'development',
      dataDir,
      defaultPlan: env.DEFAULT_PLAN,
      trustedProxyHops: env.TRUSTED_PROXY_HOPS,
    },
    database: { url: env.DATABASE_URL, poolMax: env.DATABASE_POOL_MAX, embeddedPort: env.EMBEDDED_PG_PORT },
    auth: {
      get secret() {
        // Production always has AUTH_SECRET (the schema requires it).
        authSecret ??= developmentSecret(dataDir);
        return authSecret;
      },
      platformOperators: env.PLATFORM_OPERATORS,
    },
    stripe: {
      enabled: env.STRIPE_SECRET_KEY !== undefined,
      secretKey: env.STRIPE_SECRET_KEY,
      webhookSecret: env.STRIPE_WEBHOOK_SECRET,
      prices: {
        basic: env.STRIPE_PRICE_BASIC,
        professional: env.STRIPE_PRICE_PROFESSIONAL,
        enterprise: env.STRIPE_PRICE_ENTERPRISE,
      },
      apiUrl: env.STRIPE_API_URL,
      graceDays: env.BILLING_GRACE_DAYS,
    },
    aws: {
      region: env.AWS_REGION,
      ssmParameterPath: env.SSM_PARAMETER_PATH,
      s3: { bucket: env.S3_BUCKET, endpoint: env.S3_ENDPOINT, forcePathStyle: env.S3_FORCE_PATH_STYLE },
    },
    openai: {
      apiKey: env.OPENAI_API_KEY,
      baseUrl: env.OPENAI_BASE_URL,
      model: env.OPENAI_MODEL,
      transcribeModel: env.OPENAI_TRANSCRIBE_MODEL,
      timeoutMs: env.OPENAI_TIMEOUT_MS,
      maxRetries: env.OPENAI_MAX_RETRIES,
    },
    transcription: {
      apiKey: env.OPENAI_TRANSCRIBE_API_KEY ?? env.OPENAI_API_KEY,
      baseUrl: env.OPENAI_TRANSCRIBE_BASE_URL ?? env.OPENAI_BASE_URL,
      model: env.OPENAI_TRANSCRIBE_MODEL,
      timeoutMs: env.OPENAI_TRANSCRIBE_TIMEOUT_MS,
      maxRetries: env.OPENAI_MAX_RETRIES,
      chunkSeconds: env.TRANSCRIBE_CHUNK_SECONDS,
      ffmpegPath: env.FFMPEG_PATH,
      ffprobePath: env.FFPROBE_PATH,
    },
    upstash:
      env.UPSTASH_REDIS_REST_URL && env.UPSTASH_REDIS_REST_TOKEN
        ? { url: env.UPSTASH_REDIS_REST_URL, token: env.UPSTASH_REDIS_REST_TOKEN }
        : null,
    rateLimit: { timeoutMs: env.RATE_LIMIT_TIMEOUT_MS, prefix: env.RATE_LIMIT_PREFIX },
    email: { smtpUrl: env.SMTP_URL, from: env.EMAIL_FROM },
    limits: {
      workerConcurrency: env.WORKER_CONCURRENCY,
      workerBatchSize: env.WORKER_BATCH_SIZE,
      workerPollSeconds: env.WORKER_POLL_SECONDS,
      analysisMaxChars: env.ANALYSIS_MAX_CHARS,
      triageMaxChars: env.TRIAGE_MAX_CHARS,
    },
    observability: {
      metricsToken: env.METRICS_TOKEN,
      workerMetricsPort: env.WORKER_METRICS_PORT,
      sentryDsn: env.SENTRY_DSN,
      otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT,
    },
  };
}

interface ConfigState {
  config?: Config;
  loading?: Promise<Config>;
}

// Kept on globalThis so every bundle of the same process (Next compiles route
// handlers and instrumentation separately) shares one loaded config.
const STATE_KEY = Symbol.for('maneiro.config');
function state(): ConfigState {
  const g = globalThis as typeof globalThis & { [STATE_KEY]?: ConfigState };
  g[STATE_KEY] ??= {};
  return g[STATE_KEY];
}

export interface LoadConfigOptions {
  env?: RawEnv;
  ssmClient?: SSMClient;
  /** Called with parameter names (never values) that were skipped. */
  onIgnoredParameters?: (names: string[]) => void;
}

/**
 * Loads the config once per process. With SSM_PARAMETER_PATH set, every parameter
 * under that path is fetched first; SSM values take precedence over environment
 * variables of the same name, and the environment fills in the rest.
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<Config> {
  const s = state();
  if (s.config) return s.config;
  s.loading ??= (async () => {
    const env = options.env ?? process.env;
    const ssmPath = env.SSM_PARAMETER_PATH?.trim();
    let merged: RawEnv = env;
    if (ssmPath) {
      const region = env.AWS_REGION?.trim() || 'us-east-1';
      const { values, ignored } = await loadSsmParameters({
        path: ssmPath,
        client: options.ssmClient ?? createSsmClient(region),
      });
      if (ignored.length > 0) options.onIgnoredParameters?.(ignored);
      merged = { ...env, ...values };
    }
    const config = parseConfig(merged);
    s.config = config;
    return config;
  })();
  try {
    return await s.loading;
  } finally {
    s.loading = undefined;
  }
}

/** The loaded config. Without SSM it is parsed from the environment on first use. */
export function getConfig(): Config {
  const s = state();
  if (s.config) return s.config;
  if (process.env.SSM_PARAMETER_PATH?.trim()) {
    throw new Error('Configuration comes from SSM but was not loaded: call loadConfig() at boot.');
  }
  s.config = parseConfig(process.env);
  return s.config;
}

/** The database URL, or a clear error when none is configured yet. */
export function requireDatabaseUrl(config: Config = getConfig()): string {
  if (!config.database.url) {
    throw new ConfigError([
      { variable: 'DATABASE_URL', message: 'is not set (run `npm run dev` to use the embedded database)' },
    ]);
  }
  return config.database.url;
}

/** Forgets the loaded config (tests, and the dev launcher after it sets DATABASE_URL). */
export function resetConfig(): void {
  const s = state();
  s.config = undefined;
  s.loading = undefined;
}

/** Sets variables for this process and its children (dev launcher, test harness). */
export function setEnvironment(values: Record<string, string>): void {
  Object.assign(process.env, values);
  resetConfig();
}

/** The environment for a child process: this process's variables plus overrides. */
export function childEnvironment(overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...process.env };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}

/**
 * next-auth 4 reads its URL and secret from the environment itself; hand it the
 * validated values once at boot so both come from this module.
 */
export function exportAuthEnvironment(config: Config): void {
  process.env.NEXTAUTH_URL = config.app.url;
  process.env.NEXTAUTH_SECRET = config.auth.secret;
}

/** True when running inside CI (CI=true): skipped tests count as failures there. */
export function isCi(): boolean {
  return process.env.CI === 'true' || process.env.CI === '1';
}
