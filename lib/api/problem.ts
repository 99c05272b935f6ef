// Errors of the REST API as RFC 9457 problem details (application/problem+json).
// Every AppError code maps to a status and a stable `code`; the API adds a few
// codes of its own (a bad key, a missing scope, a reused idempotency key). The
// `detail` is the error's user message, written to be safe to show: never PHI,
// never an internal message. Unknown errors become a generic 500.
import { AppError, ERROR_STATUS, type AppErrorOptions, type ErrorCode } from '@/lib/errors';

/** Codes only the API uses, on top of lib/errors.ts's. */
export const API_ONLY_CODES = ['invalid_api_key', 'insufficient_scope', 'idempotency_key_reused', 'clinic_paused'] as const;
export type ApiOnlyCode = (typeof API_ONLY_CODES)[number];
export type ProblemCode = ErrorCode | ApiOnlyCode;

export const PROBLEM_CODES = [...(Object.keys(ERROR_STATUS) as ErrorCode[]), ...API_ONLY_CODES] as const;

/**
 * The status each code is answered with. Where the web app's status differs it is
 * because an API client acts on the status: input errors are all 400, and a plan
 * that lacks the API is a refusal (403), not a payment prompt.
 */
export const PROBLEM_STATUS: Record<ProblemCode, number> = {
  ...ERROR_STATUS,
  validation_failed: 400,
  plan_required: 403,
  invalid_api_key: 401,
  insufficient_scope: 403,
  idempotency_key_reused: 422,
  clinic_paused: 403,
};

export const PROBLEM_TITLES: Record<ProblemCode, string> = {
  bad_request: 'Bad request',
  validation_failed: 'Invalid input',
  unauthenticated: 'Authentication required',
  forbidden: 'Forbidden',
  not_found: 'Not found',
  conflict: 'Conflict',
  payload_too_large: 'Payload too large',
  unsupported_media_type: 'Unsupported media type',
  quota_exceeded: 'Monthly job quota used',
  plan_required: 'Plan does not include the API',
  rate_limited: 'Too many requests',
  unavailable: 'Service unavailable',
  internal: 'Internal error',
  invalid_api_key: 'Invalid API key',
  insufficient_scope: 'Missing scope',
  idempotency_key_reused: 'Idempotency key reused',
  clinic_paused: 'Clinic paused',
};

/** When each code happens, for the reference page. */
export const PROBLEM_DESCRIPTIONS: Record<ProblemCode, string> = {
  bad_request: 'The request could not be read (a malformed body or content type).',
  validation_failed: 'A field is missing or invalid; `fieldErrors` names each field and what is wrong with it.',
  unauthenticated: 'No `Authorization: Bearer` header was sent.',
  forbidden: 'The role the key acts with (its creator’s current role) may not do this.',
  not_found: 'No such resource in the key’s clinic (another clinic’s ids are answered the same way).',
  conflict: 'The resource is not in a state that allows this (cancelling a finished job, a letter from an unfinished analysis).',
  payload_too_large: 'The file is larger than the plan allows.',
  unsupported_media_type: 'The body is neither JSON nor multipart/form-data, or the file type is not supported.',
  quota_exceeded: 'The clinic has used its monthly job quota.',
  plan_required: 'The clinic’s plan does not include the REST API (Enterprise only).',
  rate_limited: 'The key sent more requests than its plan allows; retry after `Retry-After` seconds.',
  unavailable: 'A dependency is temporarily unavailable; retry later.',
  internal: 'An unexpected error; quote the request id to support.',
  invalid_api_key: 'The key is unknown or revoked, or its creator is no longer a member of the clinic.',
  insufficient_scope: 'The key lacks the scope the operation needs.',
  idempotency_key_reused: 'The Idempotency-Key was already used (within 24 hours) for a different kind of job.',
  clinic_paused: 'Maneiro support has paused the key’s clinic; every request is refused until it is resumed.',
};

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** An AppError with an API-only code (or an API-specific reading of a shared one). */
export class ApiError extends AppError {
  readonly problemCode: ProblemCode;

  constructor(problemCode: ProblemCode, base: ErrorCode, options: AppErrorOptions = {}) {
    super(base, options);
    this.name = 'ApiError';
    this.problemCode = problemCode;
  }
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  code: ProblemCode;
  requestId: string;
  fieldErrors?: Record<string, string[]>;
}

/** The fragment of the reference page that explains a code (the problem's `type`). */
export function problemType(baseUrl: string, code: ProblemCode): string {
  return `${baseUrl.replace(/\/$/, '')}/docs/api#error-${code}`;
}

export function toProblem(error: unknown, context: { requestId: string; instance?: string; baseUrl: string }): Problem {
  const appError = error instanceof AppError ? error : new AppError('internal');
  const code: ProblemCode = appError instanceof ApiError ? appError.problemCode : appError.code;
  return {
    type: problemType(context.baseUrl, code),
    title: PROBLEM_TITLES[code],
    status: PROBLEM_STATUS[code],
    detail: appError.userMessage,
    ...(context.instance ? { instance: context.instance } : {}),
    code,
    requestId: context.requestId,
    ...(appError.fieldErrors ? { fieldErrors: appError.fieldErrors } : {}),
  };
}

export function problemResponse(problem: Problem, headers?: HeadersInit): Response {
  const response = new Response(JSON.stringify(problem), { status: problem.status, headers });
  response.headers.set('content-type', PROBLEM_CONTENT_TYPE);
  return response;
}
