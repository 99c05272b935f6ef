// The /reports list's vocabulary and URL filters. Client-safe: lib/letters/letters.ts
// is server code, so only its types are imported here. Only non-PHI filters travel
// in the URL (template, recipient, status, author id, page); the text search over
// patient names, addressees and subjects is posted to a server action instead.
import type { BadgeVariant } from '@/components/ui/badge';
import type { LetterDisplayStatus, LetterFilters } from '@/lib/letters/letters';
import { LETTER_TEMPLATES, RECIPIENT_TYPES, type LetterTemplate, type RecipientType } from '@/lib/letters/options';

export type UrlLetterFilters = Omit<LetterFilters, 'q'>;

export const LETTER_STATUS_BADGES: Record<LetterDisplayStatus, { label: string; variant: BadgeVariant }> = {
  drafting: { label: 'Drafting', variant: 'info' },
  failed: { label: 'Failed', variant: 'danger' },
  draft: { label: 'Draft', variant: 'neutral' },
  exported: { label: 'Exported', variant: 'success' },
};

export const LETTER_STATUSES: readonly LetterDisplayStatus[] = ['drafting', 'failed', 'draft', 'exported'];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type SearchParams = Record<string, string | string[] | undefined>;

/** One value per key (a repeated parameter keeps its first value), ready for letterFiltersSchema. */
export function firstParams(params: SearchParams): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(params)) out[key] = (Array.isArray(value) ? value[0] : value)?.trim() || undefined;
  return out;
}

/**
 * The filters chosen in the filter form. The server parses the URL again with
 * letterFiltersSchema; this only drops what is empty or not one of ours, so the
 * URL never carries anything else.
 */
export function filtersFromForm(values: Record<string, string | undefined>): UrlLetterFilters {
  const template = LETTER_TEMPLATES.find((t): t is LetterTemplate => t === values.template);
  const recipient = RECIPIENT_TYPES.find((r): r is RecipientType => r === values.recipient);
  const status = LETTER_STATUSES.find((s) => s === values.status);
  const author = values.author && UUID.test(values.author) ? values.author : undefined;
  return { template, recipient, status, author, page: 1 };
}

/** The query string of filters (without `?`); page 1 is left out. */
export function lettersQuery(filters: Partial<UrlLetterFilters>): string {
  const params = new URLSearchParams();
  if (filters.template) params.set('template', filters.template);
  if (filters.recipient) params.set('recipient', filters.recipient);
  if (filters.status) params.set('status', filters.status);
  if (filters.author) params.set('author', filters.author);
  if (filters.page && filters.page > 1) params.set('page', String(filters.page));
  return params.toString();
}

export function lettersHref(filters: Partial<UrlLetterFilters>): string {
  const query = lettersQuery(filters);
  return query ? `/reports?${query}` : '/reports';
}

export function hasActiveLetterFilters(filters: Partial<UrlLetterFilters>): boolean {
  return Boolean(filters.template || filters.recipient || filters.status || filters.author);
}

/** The filters in the shape searchLettersAction takes (it parses them with letterFiltersSchema). */
export function searchActionFilters(filters: Partial<UrlLetterFilters>, page: number): Record<string, string | undefined> {
  return { template: filters.template, recipient: filters.recipient, status: filters.status, author: filters.author, page: String(page) };
}

export function patientLabel(name: string | null): string {
  return name?.trim() || 'Unnamed patient';
}

/** "Delete the letter for Jane Doe": names a row's button for assistive technology (DOM only, never a URL). */
export function letterActionLabel(verb: 'Open' | 'Duplicate' | 'Delete', patientName: string | null): string {
  return `${verb} the letter for ${patientName?.trim() || 'an unnamed patient'}`;
}

/** A letter still being drafted, or whose drafting failed, has no text to copy. */
export function mayDuplicate(status: LetterDisplayStatus): boolean {
  return status === 'draft' || status === 'exported';
}
