// The OpenAPI 3.1 document of /api/v1, generated from the zod schemas the
// handlers use (lib/api/schemas.ts) with zod 4's z.toJSONSchema. Served at
// GET /api/v1/openapi.json, rendered at /docs/api, and the source of the typed
// client in tests/support/api-types.ts (`npm run api:types`).
import { z } from 'zod';
import { analysisResultSchema } from '@/lib/analysis/schema';
import { letterContentSchema } from '@/lib/letters/content';
import { triageResultSchema } from '@/lib/triage/schema';
import { RATE_LIMIT_POLICIES } from '@/lib/ratelimit/policies';
import { PROBLEM_CODES, PROBLEM_CONTENT_TYPE, PROBLEM_DESCRIPTIONS, PROBLEM_STATUS, PROBLEM_TITLES, type ProblemCode } from './problem';
import {
  jobListQuerySchema,
  jobListSchema,
  jobSchema,
  jobSubmitFormSchema,
  jobSubmitJsonSchema,
  jobSummarySchema,
  letterCreateSchema,
  letterSchema,
  problemSchema,
  transcriptResultSchema,
  usageSchema,
} from './schemas';
import { API_SCOPES, SCOPE_DESCRIPTIONS, type ApiScope } from './scopes';

export type JsonSchema = { [key: string]: unknown };

export interface ParameterObject {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  description?: string;
  schema: JsonSchema;
}
export interface HeaderObject {
  description: string;
  schema: JsonSchema;
}
export interface MediaTypeObject {
  schema: JsonSchema;
  example?: unknown;
}
export interface ResponseObject {
  description: string;
  headers?: Record<string, HeaderObject | { $ref: string }>;
  content?: Record<string, MediaTypeObject>;
}
export interface OperationObject {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  security: Record<string, string[]>[];
  parameters?: (ParameterObject | { $ref: string })[];
  requestBody?: { required: boolean; description?: string; content: Record<string, MediaTypeObject> };
  responses: Record<string, ResponseObject | { $ref: string }>;
  'x-codeSamples': { lang: string; label: string; source: string }[];
}
export type Method = 'get' | 'post';

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; summary: string; description: string; contact: { name: string; url: string }; license: { name: string } };
  servers: { url: string; description: string }[];
  security: Record<string, string[]>[];
  tags: { name: string; description: string }[];
  paths: Record<string, Partial<Record<Method, OperationObject>>>;
  components: {
    securitySchemes: Record<string, { type: 'http'; scheme: 'bearer'; bearerFormat: string; description: string }>;
    schemas: Record<string, JsonSchema>;
    parameters: Record<string, ParameterObject>;
    headers: Record<string, HeaderObject>;
    responses: Record<string, ResponseObject>;
  };
}

export const API_VERSION = '1.0.0';
const SECURITY_SCHEME = 'apiKey';

// ---------------------------------------------------------------------------
// Schemas

/** Formats already say what the (long, generated) regular expressions say. */
function dropFormatPatterns(ctx: { jsonSchema: { format?: string; pattern?: string } }): void {
  if (ctx.jsonSchema.format && ctx.jsonSchema.pattern) delete ctx.jsonSchema.pattern;
}

function componentsOf(entries: [string, z.ZodType][], io: 'input' | 'output'): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of entries) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { io, uri: (id) => `#/components/schemas/${id}`, override: dropFormatPatterns });
  const out: Record<string, JsonSchema> = {};
  for (const [id, schema] of Object.entries(schemas)) {
    const { $schema: _schema, $id: _id, ...rest } = schema as JsonSchema;
    out[id] = rest;
  }
  return out;
}

function buildSchemas(): Record<string, JsonSchema> {
  return {
    ...componentsOf(
      [
        ['JobSubmitJson', jobSubmitJsonSchema],
        ['JobSubmitForm', jobSubmitFormSchema],
        ['LetterRequest', letterCreateSchema],
      ],
      'input',
    ),
    ...componentsOf(
      [
        ['JobSummary', jobSummarySchema],
        ['Job', jobSchema],
        ['JobList', jobListSchema],
        ['AnalysisResult', analysisResultSchema],
        ['TriageResult', triageResultSchema],
        ['TranscriptResult', transcriptResultSchema],
        ['Letter', letterSchema],
        ['LetterContent', letterContentSchema],
        ['Usage', usageSchema],
        ['Problem', problemSchema],
      ],
      'output',
    ),
  };
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function queryParameters(): ParameterObject[] {
  const schema = z.toJSONSchema(jobListQuerySchema, { io: 'input' }) as { properties: Record<string, JsonSchema & { description?: string }> };
  return Object.entries(schema.properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return { name, in: 'query' as const, required: false, description: description ?? `Only jobs with this ${name}.`, schema: rest };
  });
}

// ---------------------------------------------------------------------------
// Shared parameters, headers and responses

const RATE_LIMIT_HEADERS = { 'RateLimit-Limit': { $ref: '#/components/headers/RateLimit-Limit' }, 'RateLimit-Remaining': { $ref: '#/components/headers/RateLimit-Remaining' }, 'RateLimit-Reset': { $ref: '#/components/headers/RateLimit-Reset' } };
const STANDARD_HEADERS = { ...RATE_LIMIT_HEADERS, 'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' } };

const PROBLEM_RESPONSES: Record<string, { status: number; codes: ProblemCode[]; description: string }> = {
  BadRequest: { status: 400, codes: ['validation_failed', 'bad_request'], description: 'The input is invalid; `fieldErrors` says which fields and why.' },
  Unauthorized: { status: 401, codes: ['unauthenticated', 'invalid_api_key'], description: 'No key, or the key is not valid (unknown, revoked, or its creator left the clinic).' },
  Forbidden: { status: 403, codes: ['insufficient_scope', 'plan_required', 'forbidden'], description: 'The key lacks the scope, the clinic’s plan lacks the API, or the role the key acts with may not do this.' },
  NotFound: { status: 404, codes: ['not_found'], description: 'No such resource in the key’s clinic.' },
  Conflict: { status: 409, codes: ['conflict'], description: 'The resource is not in a state that allows this.' },
  PayloadTooLarge: { status: 413, codes: ['payload_too_large'], description: 'The file or body is too large.' },
  UnsupportedMediaType: { status: 415, codes: ['unsupported_media_type'], description: 'Neither JSON nor multipart/form-data.' },
  TooManyRequests: { status: 429, codes: ['rate_limited'], description: 'Rate limited: wait `Retry-After` seconds.' },
};

function problemExample(code: ProblemCode, serverUrl: string): Record<string, unknown> {
  return {
    type: `${serverUrl}/docs/api#error-${code}`,
    title: PROBLEM_TITLES[code],
    status: PROBLEM_STATUS[code],
    detail: EXAMPLE_DETAILS[code],
    instance: '/api/v1/jobs',
    code,
    requestId: '6c1f7d0e-3b7a-4c59-9a55-0d3f3f1f2a10',
    ...(code === 'validation_failed' ? { fieldErrors: { text: ['The pasted text is too short to analyse: paste at least 20 characters of the note.'] } } : {}),
  };
}

const EXAMPLE_DETAILS: Partial<Record<ProblemCode, string>> = {
  validation_failed: 'Some fields need attention.',
  bad_request: 'The body is not valid JSON.',
  unauthenticated: 'Send your API key in the Authorization header: "Authorization: Bearer mk_live_…".',
  invalid_api_key: 'This API key is not valid: it may have been revoked, or the person who created it may have left the clinic. Create a new key in Settings → API keys.',
  insufficient_scope: 'This API key does not have the "jobs:write" scope. Create a key with that scope in Settings → API keys.',
  plan_required: 'REST API access needs the Enterprise plan or higher; your clinic is on Professional.',
  forbidden: 'Only clinicians, admins and owners can start clinical analyses. Ask one of them to do it for you.',
  not_found: 'We could not find that job.',
  conflict: 'This job already finished, so there is nothing to cancel.',
  payload_too_large: 'Files can be up to 100 MB on the Enterprise plan; this one is larger. Split or compress it, or upgrade the plan.',
  unsupported_media_type: 'Send the job as application/json (pasted text) or multipart/form-data (a file in a part named "file").',
  rate_limited: 'This API key sent too many requests. Try again in 12 seconds.',
};

function problemResponses(serverUrl: string): Record<string, ResponseObject> {
  const out: Record<string, ResponseObject> = {};
  for (const [name, r] of Object.entries(PROBLEM_RESPONSES)) {
    out[name] = {
      description: r.description,
      headers:
        name === 'TooManyRequests'
          ? { ...STANDARD_HEADERS, 'Retry-After': { $ref: '#/components/headers/Retry-After' } }
          : name === 'Unauthorized'
            ? { 'WWW-Authenticate': { $ref: '#/components/headers/WWW-Authenticate' }, 'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' } }
            : STANDARD_HEADERS,
      content: { [PROBLEM_CONTENT_TYPE]: { schema: ref('Problem'), example: problemExample(r.codes[0] ?? 'internal', serverUrl) } },
    };
  }
  return out;
}

const problems = (...names: (keyof typeof PROBLEM_RESPONSES)[]) => Object.fromEntries(names.map((n) => [String(PROBLEM_RESPONSES[n]?.status), { $ref: `#/components/responses/${n}` }]));

// ---------------------------------------------------------------------------
// Operations

const EXAMPLE_JOB_ID = '0b8f5a2e-6c1d-4f3a-9e7b-2d4c6a8e0f13';
const EXAMPLE_LETTER_ID = '5e2a9c71-3f4b-4d8e-a6c0-7b1d9e3f5a24';

const EXAMPLE_LETTER_REQUEST = {
  template: 'referral',
  recipientType: 'specialist',
  language: 'en',
  to: 'Dr. Ana Silva, Glaucoma Service, City Eye Hospital',
  from: 'Dr. Alex Sample',
  reason: { kind: 'diagnosis', diagnosisNumber: 1 },
  referralFocus: null,
  specialRequests: null,
  tone: null,
  detail: null,
  insuranceLetterType: null,
  procedure: null,
  insurer: null,
  justification: null,
};

function curl(serverUrl: string, method: Method, path: string, extra: string[] = []): string {
  const lines = [`curl${method === 'post' ? ' -X POST' : ''} "${serverUrl}${path}"`, '  -H "Authorization: Bearer $MANEIRO_API_KEY"', ...extra];
  return lines.join(' \\\n');
}

const scoped = (scope: ApiScope) => [{ [SECURITY_SCHEME]: [scope] }];
const scopeLine = (scope: ApiScope) => `Scope: \`${scope}\` (${SCOPE_DESCRIPTIONS[scope].toLowerCase()}).`;

function operations(serverUrl: string): OpenApiDocument['paths'] {
  const ok = (description: string, schema: string, extraHeaders: Record<string, { $ref: string }> = {}): ResponseObject => ({
    description,
    headers: { ...STANDARD_HEADERS, ...extraHeaders },
    content: { 'application/json': { schema: ref(schema) } },
  });
  return {
    '/api/v1/jobs': {
      post: {
        operationId: 'createJob',
        summary: 'Start a job',
        description: [
          'Starts an analysis or triage of a document, or a transcription of a recording.',
          'Send **application/json** with pasted `text` (analysis and triage), or **multipart/form-data** with the file in a part named `file` and the other fields as text parts (any type; transcription needs a file).',
          'Send an `Idempotency-Key` to make retries safe: within 24 hours the same key answers with the job it first created (`200` and `Idempotent-Replayed: true`) and nothing is started or uploaded again.',
          'The job runs in the background: poll `GET /api/v1/jobs/{id}` until its status is `succeeded`, `failed` or `canceled`.',
          'Job submissions also count against the clinic’s job-submission burst limit and its monthly quota.',
          scopeLine('jobs:write'),
        ].join('\n\n'),
        tags: ['Jobs'],
        security: scoped('jobs:write'),
        parameters: [{ $ref: '#/components/parameters/IdempotencyKey' }],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: ref('JobSubmitJson'),
              example: { type: 'analysis', text: 'Assessment: primary open-angle glaucoma, right eye. Plan: add timolol 0.5% twice daily OD; review in 6 weeks.', specialty: 'auto' },
            },
            'multipart/form-data': { schema: ref('JobSubmitForm') },
          },
        },
        responses: {
          '200': ok('A replay: the job this Idempotency-Key started in the last 24 hours.', 'JobSummary', { 'Idempotent-Replayed': { $ref: '#/components/headers/Idempotent-Replayed' } }),
          '202': ok('Accepted: the job is queued.', 'JobSummary', { Location: { $ref: '#/components/headers/Location' } }),
          ...problems('BadRequest', 'Unauthorized', 'Forbidden', 'NotFound', 'PayloadTooLarge', 'UnsupportedMediaType', 'TooManyRequests'),
        },
        'x-codeSamples': [
          {
            lang: 'shell',
            label: 'curl (text)',
            source: curl(serverUrl, 'post', '/api/v1/jobs', ['  -H "Content-Type: application/json"', '  -H "Idempotency-Key: $(uuidgen)"', `  -d '{"type":"analysis","text":"Assessment: primary open-angle glaucoma, right eye. Plan: review in 6 weeks."}'`]),
          },
          {
            lang: 'shell',
            label: 'curl (file)',
            source: curl(serverUrl, 'post', '/api/v1/jobs', ['  -H "Idempotency-Key: $(uuidgen)"', '  -F type=triage', '  -F file=@incoming-fax.pdf']),
          },
        ],
      },
      get: {
        operationId: 'listJobs',
        summary: 'List jobs',
        description: [
          'The clinic’s jobs, newest first, one page at a time. Follow `nextCursor` (or `links.next`) until it is null; the order is by creation time and id, so a page never skips or repeats a job while new ones arrive.',
          'List items carry no result: fetch a job by id for it.',
          scopeLine('jobs:read'),
        ].join('\n\n'),
        tags: ['Jobs'],
        security: scoped('jobs:read'),
        parameters: queryParameters(),
        responses: { '200': ok('A page of jobs.', 'JobList'), ...problems('BadRequest', 'Unauthorized', 'Forbidden', 'TooManyRequests') },
        'x-codeSamples': [{ lang: 'shell', label: 'curl', source: curl(serverUrl, 'get', '/api/v1/jobs?status=succeeded&limit=50') }],
      },
    },
    '/api/v1/jobs/{id}': {
      get: {
        operationId: 'getJob',
        summary: 'Get a job',
        description: [
          'A job’s status, stage and progress, and its result once it succeeded: the structured analysis, the triage, or the transcript. Letter jobs link to their letter.',
          'A response that carries a result is recorded in the clinic’s audit log (`job.viewed`), as viewing the job in the app is.',
          scopeLine('jobs:read'),
        ].join('\n\n'),
        tags: ['Jobs'],
        security: scoped('jobs:read'),
        parameters: [{ $ref: '#/components/parameters/JobId' }],
        responses: { '200': ok('The job.', 'Job'), ...problems('Unauthorized', 'Forbidden', 'NotFound', 'TooManyRequests') },
        'x-codeSamples': [{ lang: 'shell', label: 'curl', source: curl(serverUrl, 'get', `/api/v1/jobs/${EXAMPLE_JOB_ID}`) }],
      },
    },
    '/api/v1/jobs/{id}/cancel': {
      post: {
        operationId: 'cancelJob',
        summary: 'Cancel a job',
        description: [
          'A queued job is canceled at once; a running one stops at its next stage (`cancelRequested` is true until then). Either way it does not count against the monthly quota. A finished job cannot be canceled (409).',
          scopeLine('jobs:write'),
        ].join('\n\n'),
        tags: ['Jobs'],
        security: scoped('jobs:write'),
        parameters: [{ $ref: '#/components/parameters/JobId' }],
        responses: { '200': ok('The job after the request.', 'JobSummary'), ...problems('Unauthorized', 'Forbidden', 'NotFound', 'Conflict', 'TooManyRequests') },
        'x-codeSamples': [{ lang: 'shell', label: 'curl', source: curl(serverUrl, 'post', `/api/v1/jobs/${EXAMPLE_JOB_ID}/cancel`) }],
      },
    },
    '/api/v1/jobs/{id}/letters': {
      post: {
        operationId: 'createLetter',
        summary: 'Start a letter from an analysis',
        description: [
          'Starts a letter (referral, patient summary, insurance letter, …) from a completed analysis. The body is the letter request of the app’s letter form; every field is used. The letter is drafted in the background: poll `GET /api/v1/letters/{id}` until its status is `draft` (or `failed`).',
          'Idempotency-Key works as for jobs.',
          scopeLine('letters:write'),
        ].join('\n\n'),
        tags: ['Letters'],
        security: scoped('letters:write'),
        parameters: [{ $ref: '#/components/parameters/JobId' }, { $ref: '#/components/parameters/IdempotencyKey' }],
        requestBody: { required: true, content: { 'application/json': { schema: ref('LetterRequest'), example: EXAMPLE_LETTER_REQUEST } } },
        responses: {
          '200': ok('A replay: the letter this Idempotency-Key started in the last 24 hours.', 'Letter', { 'Idempotent-Replayed': { $ref: '#/components/headers/Idempotent-Replayed' } }),
          '202': ok('Accepted: the letter is being drafted.', 'Letter', { Location: { $ref: '#/components/headers/Location' } }),
          ...problems('BadRequest', 'Unauthorized', 'Forbidden', 'NotFound', 'Conflict', 'UnsupportedMediaType', 'TooManyRequests'),
        },
        'x-codeSamples': [
          {
            lang: 'shell',
            label: 'curl',
            source: curl(serverUrl, 'post', `/api/v1/jobs/${EXAMPLE_JOB_ID}/letters`, ['  -H "Content-Type: application/json"', `  -d '${JSON.stringify(EXAMPLE_LETTER_REQUEST)}'`]),
          },
        ],
      },
    },
    '/api/v1/letters/{id}': {
      get: {
        operationId: 'getLetter',
        summary: 'Get a letter',
        description: [
          'The letter’s status, header (To, From, date, Re, patient) and the current version’s structured content: headings, paragraphs and lists of text runs that may be bold or italic.',
          'Reading content is recorded in the audit log (`letter.viewed`).',
          scopeLine('letters:read'),
        ].join('\n\n'),
        tags: ['Letters'],
        security: scoped('letters:read'),
        parameters: [{ $ref: '#/components/parameters/LetterId' }],
        responses: { '200': ok('The letter.', 'Letter'), ...problems('Unauthorized', 'Forbidden', 'NotFound', 'TooManyRequests') },
        'x-codeSamples': [{ lang: 'shell', label: 'curl', source: curl(serverUrl, 'get', `/api/v1/letters/${EXAMPLE_LETTER_ID}`) }],
      },
    },
    '/api/v1/letters/{id}/pdf': {
      get: {
        operationId: 'getLetterPdf',
        summary: 'Download a letter as PDF',
        description: [
          'The current version on the clinic’s letterhead. The first download of a version renders and stores it (the letter becomes `exported`); later downloads return the same bytes (the ETag is their SHA-256). Recorded in the audit log (`pdf.downloaded`).',
          scopeLine('letters:read'),
        ].join('\n\n'),
        tags: ['Letters'],
        security: scoped('letters:read'),
        parameters: [{ $ref: '#/components/parameters/LetterId' }],
        responses: {
          '200': {
            description: 'The PDF.',
            headers: { ...STANDARD_HEADERS, 'Content-Disposition': { $ref: '#/components/headers/Content-Disposition' }, ETag: { $ref: '#/components/headers/ETag' } },
            content: { 'application/pdf': { schema: { type: 'string', contentMediaType: 'application/pdf' } } },
          },
          ...problems('Unauthorized', 'Forbidden', 'NotFound', 'Conflict', 'TooManyRequests'),
        },
        'x-codeSamples': [{ lang: 'shell', label: 'curl', source: curl(serverUrl, 'get', `/api/v1/letters/${EXAMPLE_LETTER_ID}/pdf`, ['  -o letter.pdf']) }],
      },
    },
    '/api/v1/usage': {
      get: {
        operationId: 'getUsage',
        summary: 'Get usage',
        description: ['The clinic’s plan and usage in the current quota period: jobs counted, by type and by day, from the same ledger the quota enforces.', scopeLine('usage:read')].join('\n\n'),
        tags: ['Usage'],
        security: scoped('usage:read'),
        responses: { '200': ok('Usage this period.', 'Usage'), ...problems('Unauthorized', 'Forbidden', 'TooManyRequests') },
        'x-codeSamples': [{ lang: 'shell', label: 'curl', source: curl(serverUrl, 'get', '/api/v1/usage') }],
      },
    },
  };
}

function apiLimit(): number {
  const rule = RATE_LIMIT_POLICIES.api.rules.key;
  return rule && !('limit' in rule) ? rule.enterprise.limit : 0;
}

const DESCRIPTION = (serverUrl: string) =>
  [
    'Maneiro’s REST API for Enterprise clinics: start analyses, triages and transcriptions, read their results, write letters and download them as PDFs, and read usage.',
    '## Authentication',
    `Create a key in **Settings → API keys** (owners and admins of an Enterprise clinic). Send it as \`Authorization: Bearer mk_live_…\`. The key is shown once; Maneiro stores only its SHA-256. A key acts for its clinic with the role its creator has **now** (demoting the creator narrows the key; if the creator leaves the clinic the key stops working). Revoked keys are refused at once.`,
    '## Scopes',
    API_SCOPES.map((s) => `- \`${s}\`: ${SCOPE_DESCRIPTIONS[s]}`).join('\n'),
    '## Errors',
    `Errors are \`application/problem+json\` (RFC 9457) with a stable \`code\`, a \`detail\` for people (never PHI), the \`requestId\` (also in \`X-Request-Id\`) and, for invalid input, \`fieldErrors\`. See ${serverUrl}/docs/api#errors for every code.`,
    '## Rate limits',
    `Each key may send ${apiLimit()} requests a minute (fixed one-minute windows). Every response to a valid key carries \`RateLimit-Limit\`, \`RateLimit-Remaining\` and \`RateLimit-Reset\` (seconds until the window resets); a refused request gets \`429\` with \`Retry-After\`. Job submissions are also limited per clinic.`,
    '## Idempotency',
    'POST /api/v1/jobs and POST /api/v1/jobs/{id}/letters accept an `Idempotency-Key` header (1–255 printable characters, e.g. a UUID). Within 24 hours, repeating a request with the same key (and the same API key) returns what the first one created, with `Idempotent-Replayed: true`; after 24 hours the key starts a new job.',
    '## Pagination',
    'GET /api/v1/jobs returns `data` and `nextCursor`: pass it back as `cursor` for the next page. Cursors are opaque.',
    '## This document',
    `Served without a key at ${serverUrl}/api/v1/openapi.json; a readable reference is at ${serverUrl}/docs/api.`,
  ].join('\n\n');

export function buildOpenApiDocument(options: { serverUrl: string }): OpenApiDocument {
  const serverUrl = options.serverUrl.replace(/\/$/, '');
  return {
    openapi: '3.1.0',
    info: {
      title: 'Maneiro REST API',
      version: API_VERSION,
      summary: 'Clinical documentation: analyses, triage, transcription, letters and usage.',
      description: DESCRIPTION(serverUrl),
      contact: { name: 'Maneiro support', url: `${serverUrl}/docs/api` },
      // Not open source: use is governed by the clinic's subscription, so there is no SPDX identifier or licence URL to give.
      license: { name: 'Proprietary: use is governed by the clinic’s Maneiro subscription' },
    },
    servers: [{ url: serverUrl, description: 'This Maneiro server' }],
    security: [{ [SECURITY_SCHEME]: [] }],
    tags: [
      { name: 'Jobs', description: 'Analyses, triages and transcriptions: start, list, read, cancel.' },
      { name: 'Letters', description: 'Letters written from completed analyses, and their PDFs.' },
      { name: 'Usage', description: 'The clinic’s usage this period.' },
    ],
    paths: operations(serverUrl),
    components: {
      securitySchemes: {
        [SECURITY_SCHEME]: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'mk_live_<prefix>_<secret>',
          description: 'An API key from Settings → API keys. Each operation lists the scope it needs.',
        },
      },
      schemas: buildSchemas(),
      parameters: {
        JobId: { name: 'id', in: 'path', required: true, description: 'The job’s id.', schema: { type: 'string', format: 'uuid' } },
        LetterId: { name: 'id', in: 'path', required: true, description: 'The letter’s id.', schema: { type: 'string', format: 'uuid' } },
        IdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description: 'Makes retries safe for 24 hours: the same key returns what the first request created.',
          schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' },
        },
      },
      headers: {
        'RateLimit-Limit': { description: 'Requests this key may send in the current window.', schema: { type: 'integer' } },
        'RateLimit-Remaining': { description: 'Requests left in the current window.', schema: { type: 'integer' } },
        'RateLimit-Reset': { description: 'Seconds until the window resets.', schema: { type: 'integer' } },
        'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer' } },
        'WWW-Authenticate': { description: 'The scheme to authenticate with: Bearer (RFC 6750).', schema: { type: 'string' } },
        'X-Request-Id': { description: 'The request’s id: quote it to support.', schema: { type: 'string' } },
        Location: { description: 'The new resource.', schema: { type: 'string' } },
        'Idempotent-Replayed': { description: 'Present (true) when the response replays an earlier request with the same Idempotency-Key.', schema: { type: 'string', enum: ['true'] } },
        'Content-Disposition': { description: 'attachment, with the letter’s file name.', schema: { type: 'string' } },
        ETag: { description: 'The PDF’s SHA-256, quoted.', schema: { type: 'string' } },
      },
      responses: problemResponses(serverUrl),
    },
  };
}

/** Every problem code with its status, title and meaning (the reference page's error table). */
export function problemCatalogue(): { code: ProblemCode; status: number; title: string; description: string }[] {
  return PROBLEM_CODES.map((code) => ({ code, status: PROBLEM_STATUS[code], title: PROBLEM_TITLES[code], description: PROBLEM_DESCRIPTIONS[code] })).sort((a, b) => a.status - b.status || a.code.localeCompare(b.code));
}
