// Structured JSON logs (pino). Anything that could carry PHI or a secret is
// redacted by key wherever it sits in the first three levels of a log object;
// tests/unit/logger.test.ts proves it. Log ids and counts, never content.
import pino, { type DestinationStream, type Logger } from 'pino';
import { createRequire } from 'node:module';
import { getConfig } from '@/lib/config';
import { currentLogContext } from '@/lib/observability/log-context';

export type { Logger };

/** Keys whose values never reach a log line. */
export const REDACTED_KEYS = [
  // credentials and secrets
  'password',
  'newPassword',
  'currentPassword',
  'passwordHash',
  'token',
  'accessToken',
  'refreshToken',
  'idToken',
  'apiKey',
  'secret',
  'clientSecret',
  'authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'databaseUrl',
  'DATABASE_URL',
  'AUTH_SECRET',
  'STRIPE_SECRET_KEY',
  'OPENAI_API_KEY',
  'connectionString',
  'secretKey',
  'webhookSecret',
  'smtpUrl',
  // clinical content and patient identity (PHI)
  'text',
  'noteText',
  'content',
  'transcript',
  'letter',
  'body',
  'html',
  'patient',
  'patientName',
  'name',
  'firstName',
  'lastName',
  'dateOfBirth',
  'dob',
  'mrn',
  'phone',
  'address',
  'email',
] as const;

export const REDACTION_CENSOR = '[redacted]';

/** The database URL carries a password; `url` alone is too common a key to redact everywhere. */
const SECRET_PATHS = ['database.url', '*.database.url', 'upstash.token', '*.upstash.token'];

function redactPaths(keys: readonly string[]): string[] {
  const paths: string[] = [];
  for (const key of keys) {
    const safe = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`;
    const join = (prefix: string) => (safe.startsWith('[') ? `${prefix}${safe}` : `${prefix}.${safe}`);
    paths.push(safe, join('*'), join('*.*'));
  }
  return paths;
}

export interface CreateLoggerOptions {
  level?: string;
  pretty?: boolean;
  destination?: DestinationStream;
  base?: Record<string, unknown>;
}

export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const config = getConfig();
  const level = options.level ?? config.app.logLevel;
  const pinoOptions: pino.LoggerOptions = {
    level,
    base: { service: 'maneiro', version: config.app.version, ...options.base },
    redact: { paths: [...redactPaths(REDACTED_KEYS), ...SECRET_PATHS], censor: REDACTION_CENSOR },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    // The request and job ids of the work in progress (lib/observability/log-context.ts),
    // unless this (child) logger already names them.
    mixin: (_object, _level, instance) => {
      const bound = instance.bindings();
      const extra: Record<string, string> = {};
      for (const [key, value] of Object.entries(currentLogContext())) {
        if (value !== undefined && !(key in bound)) extra[key] = value;
      }
      return extra;
    },
  };
  if (options.destination) return pino(pinoOptions, options.destination);
  if (options.pretty ?? config.app.logPretty) {
    const pretty = loadPretty();
    if (pretty) return pino(pinoOptions, pretty);
  }
  return pino(pinoOptions);
}

/** pino-pretty is a development dependency: absent in production images, so optional. */
function loadPretty(): DestinationStream | null {
  try {
    const require = createRequire(import.meta.url);
    const factory = require('pino-pretty') as (opts: Record<string, unknown>) => DestinationStream;
    return factory({ colorize: true, translateTime: 'HH:MM:ss', ignore: 'pid,hostname,service,version' });
  } catch {
    return null;
  }
}

const LOGGER_KEY = Symbol.for('maneiro.logger');

/** The process-wide logger. */
export function logger(): Logger {
  const g = globalThis as typeof globalThis & { [LOGGER_KEY]?: Logger };
  g[LOGGER_KEY] ??= createLogger();
  return g[LOGGER_KEY];
}
