// One error type for the whole app. `message` is for logs (no PHI, no secrets);
// `userMessage` is safe to show. Unknown errors never reach users: they become a
// generic 500 that carries the request id.

export const ERROR_STATUS = {
  bad_request: 400,
  validation_failed: 422,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  quota_exceeded: 402,
  plan_required: 402,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

const DEFAULT_USER_MESSAGES: Record<ErrorCode, string> = {
  bad_request: 'The request could not be understood.',
  validation_failed: 'Some fields need attention.',
  unauthenticated: 'Please sign in to continue.',
  forbidden: 'You do not have permission to do that.',
  not_found: 'We could not find what you were looking for.',
  conflict: 'That conflicts with something that already exists.',
  payload_too_large: 'That file is too large.',
  unsupported_media_type: 'That kind of file is not supported.',
  quota_exceeded: "Your clinic has used this month's jobs.",
  plan_required: "Your clinic's plan does not include this.",
  rate_limited: 'Too many requests. Please wait a moment and try again.',
  unavailable: 'The service is temporarily unavailable. Please try again shortly.',
  internal: 'Something went wrong on our side. Please try again.',
};

export interface AppErrorOptions {
  message?: string;
  userMessage?: string;
  fieldErrors?: Record<string, string[]>;
  /** Response headers that belong with the error (Retry-After and RateLimit-* on a 429). */
  headers?: Record<string, string>;
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly userMessage: string;
  readonly fieldErrors: Record<string, string[]> | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(code: ErrorCode, options: AppErrorOptions = {}) {
    super(options.message ?? code, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.userMessage = options.userMessage ?? DEFAULT_USER_MESSAGES[code];
    this.fieldErrors = options.fieldErrors;
    this.headers = options.headers;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; requestId: string; fieldErrors?: Record<string, string[]> };
}

/** The public shape of any error: AppErrors keep their user message, anything else is a generic 500. */
export function toErrorBody(error: unknown, requestId: string): { status: number; body: ErrorBody } {
  if (error instanceof AppError) {
    return {
      status: error.status,
      body: {
        error: {
          code: error.code,
          message: error.userMessage,
          requestId,
          ...(error.fieldErrors ? { fieldErrors: error.fieldErrors } : {}),
        },
      },
    };
  }
  return {
    status: 500,
    body: { error: { code: 'internal', message: DEFAULT_USER_MESSAGES.internal, requestId } },
  };
}

/**
 * What may be logged about an error: its type, code and stack frames. The message
 * line is dropped because messages can echo input (a note, a name).
 */
export function describeError(error: unknown): { type: string; code?: string; frames?: string } {
  if (!(error instanceof Error)) return { type: typeof error };
  const frames = error.stack?.split('\n').slice(1).join('\n');
  const code = error instanceof AppError ? error.code : (error as { code?: unknown }).code;
  return { type: error.name, ...(typeof code === 'string' ? { code } : {}), ...(frames ? { frames } : {}) };
}
