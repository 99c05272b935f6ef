import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '@/lib/config';
import { SETTING_NAMES } from '@/lib/config/schema';

const SECRET = 'x'.repeat(40);
const production = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgresql://app:pw@db.internal:5432/maneiro',
  AUTH_SECRET: SECRET,
  APP_URL: 'https://app.maneiro.example',
  SMTP_URL: 'smtps://mailer:pw@smtp.example.com:465',
};

function problemsOf(env: Record<string, string | undefined>): { variable: string; message: string }[] {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('config', () => {
  it('has working defaults with nothing set (development)', () => {
    const config = parseConfig({}, '/srv/app');
    expect(config.app.env).toBe('development');
    expect(config.app.url).toBe('http://localhost:3000');
    expect(config.app.port).toBe(3000);
    expect(config.app.dataDir).toBe('/srv/app/.data');
    expect(config.app.defaultPlan).toBe('professional');
    expect(config.database.url).toBeUndefined();
    expect(config.database.embeddedPort).toBe(54329);
    expect(config.stripe.enabled).toBe(false);
    expect(config.upstash).toBeNull();
    expect(config.limits).toEqual({
      workerConcurrency: 4,
      workerBatchSize: 1,
      workerPollSeconds: 1,
      analysisMaxChars: 16_000,
      triageMaxChars: 10_000,
    });
  });

  it('accepts a complete production configuration', () => {
    const config = parseConfig(production);
    expect(config.app.isProduction).toBe(true);
    expect(config.database.url).toBe(production.DATABASE_URL);
    expect(config.auth.secret).toBe(SECRET);
    expect(config.app.logLevel).toBe('info');
  });

  it('refuses production without a database, naming the variable', () => {
    const problems = problemsOf({ ...production, DATABASE_URL: undefined });
    expect(problems).toEqual([
      { variable: 'DATABASE_URL', message: expect.stringContaining('required in production') },
    ]);
  });

  it('lists every offending variable at once and never their values', () => {
    const env = {
      NODE_ENV: 'production',
      APP_URL: 'http://public.example.com',
      PORT: 'eighty',
      STRIPE_SECRET_KEY: 'pk_live_should_be_secret_key_value',
      UPSTASH_REDIS_REST_URL: 'https://redis.example.com',
      WORKER_CONCURRENCY: '0',
    };
    let error: ConfigError | undefined;
    try {
      parseConfig(env);
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const variables = error!.problems.map((p) => p.variable).sort();
    expect(variables).toEqual(
      ['APP_URL', 'AUTH_SECRET', 'DATABASE_URL', 'PORT', 'SMTP_URL', 'STRIPE_PRICE_BASIC', 'STRIPE_PRICE_ENTERPRISE', 'STRIPE_PRICE_PROFESSIONAL', 'STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET', 'UPSTASH_REDIS_REST_TOKEN', 'WORKER_CONCURRENCY'].sort(),
    );
    for (const [name, value] of Object.entries(env)) {
      if (name === 'NODE_ENV') continue;
      expect(error!.message).not.toContain(value);
    }
    expect(error!.message).toContain('STRIPE_SECRET_KEY must start with sk_');
    expect(error!.message).toContain('PORT must be a whole number from 1 to 65535');
  });

  it('treats empty variables as unset', () => {
    const config = parseConfig({ DATABASE_URL: '', OPENAI_API_KEY: '  ', PORT: '' });
    expect(config.database.url).toBeUndefined();
    expect(config.openai.apiKey).toBeUndefined();
    expect(config.app.port).toBe(3000);
  });

  it('parses booleans and numbers strictly', () => {
    expect(parseConfig({ S3_FORCE_PATH_STYLE: 'true' }).aws.s3.forcePathStyle).toBe(true);
    expect(parseConfig({ S3_FORCE_PATH_STYLE: '0' }).aws.s3.forcePathStyle).toBe(false);
    expect(problemsOf({ S3_FORCE_PATH_STYLE: 'maybe' })[0]?.variable).toBe('S3_FORCE_PATH_STYLE');
    expect(problemsOf({ DATABASE_POOL_MAX: '2.5' })[0]?.variable).toBe('DATABASE_POOL_MAX');
    expect(problemsOf({ DEFAULT_PLAN: 'platinum' })[0]?.variable).toBe('DEFAULT_PLAN');
    expect(problemsOf({ SSM_PARAMETER_PATH: 'maneiro/prod' })[0]?.variable).toBe('SSM_PARAMETER_PATH');
  });

  it('bounds the OpenAI timeout and retries', () => {
    expect(parseConfig({}).openai).toMatchObject({ timeoutMs: 60_000, maxRetries: 3 });
    expect(parseConfig({ OPENAI_TIMEOUT_MS: '15000', OPENAI_MAX_RETRIES: '0' }).openai).toMatchObject({ timeoutMs: 15_000, maxRetries: 0 });
    expect(problemsOf({ OPENAI_TIMEOUT_MS: '10' })[0]?.variable).toBe('OPENAI_TIMEOUT_MS');
    expect(problemsOf({ OPENAI_MAX_RETRIES: '-1' })[0]?.variable).toBe('OPENAI_MAX_RETRIES');
  });

  it('keeps rate-limit counters under a prefix that deployments sharing one Redis can set apart', () => {
    expect(parseConfig({}).rateLimit).toEqual({ timeoutMs: 1_000, prefix: 'maneiro:rl' });
    expect(parseConfig({ RATE_LIMIT_PREFIX: 'staging:rl' }).rateLimit.prefix).toBe('staging:rl');
    for (const bad of ['has space', 'a'.repeat(65), 'emoji✓']) {
      expect(problemsOf({ RATE_LIMIT_PREFIX: bad })).toEqual([{ variable: 'RATE_LIMIT_PREFIX', message: 'must be 1–64 letters, digits, colons, dashes or underscores' }]);
    }
  });

  it('generates a development secret once and keeps it in the data folder', () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'maneiro-config-'));
    const first = parseConfig({}, cwd).auth.secret;
    const second = parseConfig({}, cwd).auth.secret;
    expect(first).toHaveLength(43);
    expect(second).toBe(first);
    const file = path.join(cwd, '.data', 'secrets.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    fs.rmSync(cwd, { recursive: true, force: true });
  });

  it('declares each setting once', () => {
    expect(new Set(SETTING_NAMES).size).toBe(SETTING_NAMES.length);
  });
});
