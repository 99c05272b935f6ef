// The jobs list's filters as they travel in the URL. Only non-PHI filters go
// there (type, status, member id, dates, page); the text search over titles and
// patient names never does: it is posted to a server action and kept in memory.
import type { JobStatus, JobType } from '@/lib/jobs/types';

export const JOBS_PAGE_SIZE = 20;

const TYPES: readonly JobType[] = ['analysis', 'transcription', 'letter', 'triage'];
const STATUSES: readonly JobStatus[] = ['queued', 'running', 'succeeded', 'failed', 'canceled'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export interface UrlJobFilters {
  type?: JobType;
  status?: JobStatus;
  memberId?: string;
  from?: string;
  to?: string;
  page: number;
}

type SearchParams = Record<string, string | string[] | undefined>;

const first = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value)?.trim() || undefined;
const validDay = (value: string | undefined): string | undefined =>
  value && DAY.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) ? value : undefined;

/** Reads the filters from a request's search params; anything unknown or malformed is dropped (never an error page). */
export function parseJobFilters(params: SearchParams): UrlJobFilters {
  const type = first(params.type);
  const status = first(params.status);
  const member = first(params.member);
  const page = Number.parseInt(first(params.page) ?? '1', 10);
  return {
    type: TYPES.find((t) => t === type),
    status: STATUSES.find((s) => s === status),
    memberId: member && UUID.test(member) ? member : undefined,
    from: validDay(first(params.from)),
    to: validDay(first(params.to)),
    page: Number.isFinite(page) && page >= 1 && page <= 100_000 ? page : 1,
  };
}

/** The query string of filters (without `?`); page 1 is left out. */
export function jobFiltersQuery(filters: Partial<UrlJobFilters>): string {
  const params = new URLSearchParams();
  if (filters.type) params.set('type', filters.type);
  if (filters.status) params.set('status', filters.status);
  if (filters.memberId) params.set('member', filters.memberId);
  if (filters.from) params.set('from', filters.from);
  if (filters.to) params.set('to', filters.to);
  if (filters.page && filters.page > 1) params.set('page', String(filters.page));
  return params.toString();
}

export function hasActiveFilters(filters: UrlJobFilters): boolean {
  return Boolean(filters.type || filters.status || filters.memberId || filters.from || filters.to);
}
