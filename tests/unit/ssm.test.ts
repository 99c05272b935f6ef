import { GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, loadConfig, resetConfig } from '@/lib/config';
import { loadSsmParameters, SsmLoadError, variableNameOf } from '@/lib/config/ssm';
import { createLogger } from '@/lib/logger';

const ssm = mockClient(SSMClient);
const noSleep = () => Promise.resolve();

function throttling(): Error {
  const error = new Error('Rate exceeded');
  error.name = 'ThrottlingException';
  return Object.assign(error, { $metadata: { httpStatusCode: 400 } });
}

const SECRET_DB = 'postgresql://app:s3cr3t-db-password@db.internal:5432/maneiro';
const SECRET_AUTH = 'auth-secret-value-that-is-long-enough-0123456789';

beforeEach(() => {
  ssm.reset();
  resetConfig();
});
afterEach(() => resetConfig());

describe('SSM parameter loading', () => {
  it('follows pagination and asks for every parameter under the path, recursively and decrypted', async () => {
    ssm
      .on(GetParametersByPathCommand, { NextToken: undefined })
      .resolves({ Parameters: [{ Name: '/maneiro/prod/DATABASE_URL', Value: SECRET_DB }], NextToken: 'page-2' })
      .on(GetParametersByPathCommand, { NextToken: 'page-2' })
      .resolves({
        Parameters: [
          { Name: '/maneiro/prod/auth/AUTH_SECRET', Value: SECRET_AUTH },
          { Name: '/maneiro/prod/not-a-variable', Value: 'x' },
        ],
      });
    const result = await loadSsmParameters({ path: '/maneiro/prod/', client: new SSMClient({}), sleep: noSleep });
    expect(result.values).toEqual({ DATABASE_URL: SECRET_DB, AUTH_SECRET: SECRET_AUTH });
    expect(result.ignored).toEqual(['/maneiro/prod/not-a-variable']);
    const calls = ssm.commandCalls(GetParametersByPathCommand);
    expect(calls).toHaveLength(2);
    expect(calls[0]?.args[0].input).toMatchObject({ Path: '/maneiro/prod/', Recursive: true, WithDecryption: true });
  });

  it('retries throttling with growing, jittered delays, then succeeds', async () => {
    ssm
      .on(GetParametersByPathCommand)
      .rejectsOnce(throttling())
      .rejectsOnce(throttling())
      .rejectsOnce(throttling())
      .resolves({ Parameters: [{ Name: '/p/PORT', Value: '8080' }] });
    const delays: number[] = [];
    const result = await loadSsmParameters({
      path: '/p/',
      client: new SSMClient({}),
      baseDelayMs: 100,
      random: () => 0.5,
      sleep: async (ms) => {
        delays.push(ms);
      },
    });
    expect(result.values).toEqual({ PORT: '8080' });
    expect(delays).toEqual([50, 100, 200]);
  });

  it('gives up after the attempt limit on persistent throttling', async () => {
    ssm.on(GetParametersByPathCommand).rejects(throttling());
    await expect(
      loadSsmParameters({ path: '/p/', client: new SSMClient({}), maxAttempts: 3, sleep: noSleep }),
    ).rejects.toThrow(new SsmLoadError('Loading parameters from SSM failed after 3 attempt(s): ThrottlingException'));
    expect(ssm.commandCalls(GetParametersByPathCommand)).toHaveLength(3);
  });

  it('does not retry errors that cannot succeed (access denied)', async () => {
    const denied = Object.assign(new Error('not authorized'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } });
    ssm.on(GetParametersByPathCommand).rejects(denied);
    await expect(loadSsmParameters({ path: '/p/', client: new SSMClient({}), sleep: noSleep })).rejects.toThrow(
      /after 1 attempt\(s\): AccessDeniedException/,
    );
  });

  it('maps parameter names to variable names', () => {
    expect(variableNameOf('/maneiro/prod/stripe/STRIPE_SECRET_KEY')).toBe('STRIPE_SECRET_KEY');
  });
});

describe('boot with SSM', () => {
  const baseEnv = {
    NODE_ENV: 'production',
    SSM_PARAMETER_PATH: '/maneiro/prod/',
    APP_URL: 'https://app.example.com',
    SMTP_URL: 'smtp://mail.internal:25',
  };

  it('loads secrets from SSM, which take precedence over the environment', async () => {
    ssm.on(GetParametersByPathCommand).resolves({
      Parameters: [
        { Name: '/maneiro/prod/DATABASE_URL', Value: SECRET_DB },
        { Name: '/maneiro/prod/AUTH_SECRET', Value: SECRET_AUTH },
      ],
    });
    const config = await loadConfig({
      env: { ...baseEnv, DATABASE_URL: 'postgresql://stale@localhost/old' },
      ssmClient: new SSMClient({}),
    });
    expect(config.database.url).toBe(SECRET_DB);
    expect(config.auth.secret).toBe(SECRET_AUTH);
  });

  it('fails boot naming a required secret missing from SSM, without printing any value', async () => {
    ssm.on(GetParametersByPathCommand).resolves({
      Parameters: [{ Name: '/maneiro/prod/DATABASE_URL', Value: SECRET_DB }],
    });
    const error = await loadConfig({ env: baseEnv, ssmClient: new SSMClient({}) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.variable)).toEqual(['AUTH_SECRET']);
    expect((error as ConfigError).message).not.toContain('s3cr3t');
  });

  it('never writes parameter values to the logs', async () => {
    ssm.on(GetParametersByPathCommand).resolves({
      Parameters: [
        { Name: '/maneiro/prod/DATABASE_URL', Value: SECRET_DB },
        { Name: '/maneiro/prod/AUTH_SECRET', Value: SECRET_AUTH },
        { Name: '/maneiro/prod/bad-name', Value: 'ignored-value-xyz' },
      ],
    });
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const warn = vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
    const config = await loadConfig({
      env: baseEnv,
      ssmClient: new SSMClient({}),
      onIgnoredParameters: (names) => console.warn(`ignored: ${names.join(', ')}`),
    });
    const log = createLogger({ level: 'debug', destination: sink, pretty: false });
    log.info({ config }, 'configuration loaded');
    log.info({ env: { DATABASE_URL: SECRET_DB, AUTH_SECRET: SECRET_AUTH } }, 'environment');
    warn.mockRestore();
    const output = lines.join('\n');
    expect(output).toContain('ignored: /maneiro/prod/bad-name');
    expect(output).not.toContain('s3cr3t-db-password');
    expect(output).not.toContain(SECRET_AUTH);
    expect(output).not.toContain('ignored-value-xyz');
  });
});
