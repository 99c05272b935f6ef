// The /api/v1 endpoints: each reads its request, calls the data layer with the
// key's actor and answers JSON (or the PDF). app/api/v1/**/route.ts wraps them
// with apiRoute; the benchmark calls them without the guard.
import 'server-only';
import { Readable } from 'node:stream';
import { db } from '@/lib/db/client';
import { getStorage } from '@/lib/storage';
import { json, type Endpoint } from './handler';
import { cancelApiJob, getApiJob, listApiJobs, submitApiJob } from './jobs';
import { getApiLetter, openApiLetterPdf, submitApiLetter } from './letters';
import { getApiUsage } from './usage';

type IdParams = { id: string };

export const createJobEndpoint: Endpoint<Record<string, never>> = {
  scope: 'jobs:write',
  async handle({ request, principal, context }) {
    const { job, replayed } = await submitApiJob(db(), principal, { headers: request.headers, body: request.body }, context);
    return json(job, { status: replayed ? 200 : 202, headers: { location: job.links.self, ...(replayed ? { 'idempotent-replayed': 'true' } : {}) } });
  },
};

export const listJobsEndpoint: Endpoint<Record<string, never>> = {
  scope: 'jobs:read',
  async handle({ request, principal }) {
    const query = Object.fromEntries(new URL(request.url).searchParams);
    return json(await listApiJobs(db(), principal.actor, query));
  },
};

export const getJobEndpoint: Endpoint<IdParams> = {
  scope: 'jobs:read',
  async handle({ principal, params, context }) {
    return json(await getApiJob(db(), principal, params.id, context));
  },
};

export const cancelJobEndpoint: Endpoint<IdParams> = {
  scope: 'jobs:write',
  async handle({ principal, params, context }) {
    return json(await cancelApiJob(db(), principal.actor, params.id, context));
  },
};

export const createLetterEndpoint: Endpoint<IdParams> = {
  scope: 'letters:write',
  async handle({ request, principal, params, context }) {
    const { letter, replayed } = await submitApiLetter(db(), principal, params.id, { headers: request.headers, body: request.body }, context);
    return json(letter, { status: replayed ? 200 : 202, headers: { location: letter.links.self, ...(replayed ? { 'idempotent-replayed': 'true' } : {}) } });
  },
};

export const getLetterEndpoint: Endpoint<IdParams> = {
  scope: 'letters:read',
  async handle({ principal, params, context }) {
    return json(await getApiLetter(db(), principal, params.id, context));
  },
};

export const letterPdfEndpoint: Endpoint<IdParams> = {
  scope: 'letters:read',
  async handle({ principal, params, context }) {
    const pdf = await openApiLetterPdf(db(), getStorage(), principal.actor, params.id, context);
    return new Response(Readable.toWeb(pdf.stream) as ReadableStream<Uint8Array>, {
      headers: {
        'content-type': 'application/pdf',
        'content-length': String(pdf.byteSize),
        'content-disposition': pdf.contentDisposition,
        etag: `"${pdf.sha256}"`,
      },
    });
  },
};

export const usageEndpoint: Endpoint<Record<string, never>> = {
  scope: 'usage:read',
  async handle({ principal }) {
    return json(await getApiUsage(db(), principal.actor));
  },
};
