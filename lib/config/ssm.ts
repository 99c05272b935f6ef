// Loads every parameter under an SSM Parameter Store path (recursive, decrypted,
// paginated), retrying throttling and transient errors with backoff and full jitter.
import {
  GetParametersByPathCommand,
  SSMClient,
  type GetParametersByPathCommandOutput,
} from '@aws-sdk/client-ssm';

export interface SsmLoadOptions {
  path: string;
  client: SSMClient;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface SsmLoadResult {
  /** Variable name → value. Values are secrets: never log them. */
  values: Record<string, string>;
  /** Parameter names that are not valid variable names and were ignored. */
  ignored: string[];
}

const RETRYABLE_NAMES = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'ThrottledException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
]);

function isRetryable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (RETRYABLE_NAMES.has(error.name)) return true;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return status === 429 || (status !== undefined && status >= 500);
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class SsmLoadError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SsmLoadError';
  }
}

async function withRetry<T>(operation: () => Promise<T>, options: Required<Omit<SsmLoadOptions, 'path' | 'client'>>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (!isRetryable(error) || attempt >= options.maxAttempts) {
        const name = error instanceof Error ? error.name : 'UnknownError';
        throw new SsmLoadError(`Loading parameters from SSM failed after ${attempt} attempt(s): ${name}`, { cause: error });
      }
      const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
      await options.sleep(Math.floor(options.random() * ceiling));
    }
  }
}

/** `/maneiro/prod/stripe/STRIPE_SECRET_KEY` → `STRIPE_SECRET_KEY`. */
export function variableNameOf(parameterName: string): string {
  return parameterName.slice(parameterName.lastIndexOf('/') + 1);
}

export async function loadSsmParameters(options: SsmLoadOptions): Promise<SsmLoadResult> {
  const retry = {
    maxAttempts: options.maxAttempts ?? 6,
    baseDelayMs: options.baseDelayMs ?? 200,
    maxDelayMs: options.maxDelayMs ?? 5_000,
    sleep: options.sleep ?? defaultSleep,
    random: options.random ?? Math.random,
  };
  const values: Record<string, string> = {};
  const ignored: string[] = [];
  let nextToken: string | undefined;
  do {
    const page: GetParametersByPathCommandOutput = await withRetry(
      () =>
        options.client.send(
          new GetParametersByPathCommand({
            Path: options.path,
            Recursive: true,
            WithDecryption: true,
            MaxResults: 10,
            NextToken: nextToken,
          }),
        ),
      retry,
    );
    for (const parameter of page.Parameters ?? []) {
      if (!parameter.Name || parameter.Value === undefined) continue;
      const variable = variableNameOf(parameter.Name);
      if (/^[A-Z][A-Z0-9_]*$/.test(variable)) values[variable] = parameter.Value;
      else ignored.push(parameter.Name);
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return { values, ignored };
}

export function createSsmClient(region: string): SSMClient {
  // Our own retry loop above handles throttling; keep the SDK's short so the two don't multiply.
  return new SSMClient({ region, maxAttempts: 2 });
}
