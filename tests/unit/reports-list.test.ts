import { describe, expect, it } from 'vitest';
import {
  LETTER_STATUS_BADGES,
  LETTER_STATUSES,
  filtersFromForm,
  firstParams,
  hasActiveLetterFilters,
  letterActionLabel,
  lettersHref,
  lettersQuery,
  mayDuplicate,
  patientLabel,
  searchActionFilters,
} from '@/components/letters/list-filters';
import { LETTER_STATUS_FILTERS, letterFiltersSchema } from '@/lib/letters/letters';

const AUTHOR = '3f2b8c1e-6a4d-4e2f-9b1a-0c5d7e8f9a10';

describe('letter status badges', () => {
  it('offers exactly the statuses the data layer filters on, in the same order', () => {
    expect(LETTER_STATUSES).toEqual([...LETTER_STATUS_FILTERS]);
    expect(Object.keys(LETTER_STATUS_BADGES).sort()).toEqual([...LETTER_STATUS_FILTERS].sort());
  });

  it('labels and colours each status', () => {
    expect(LETTER_STATUS_BADGES).toEqual({
      drafting: { label: 'Drafting', variant: 'info' },
      failed: { label: 'Failed', variant: 'danger' },
      draft: { label: 'Draft', variant: 'neutral' },
      exported: { label: 'Exported', variant: 'success' },
    });
  });

  it('offers Duplicate only for letters that have text', () => {
    expect(LETTER_STATUSES.filter(mayDuplicate)).toEqual(['draft', 'exported']);
  });
});

describe('letter list URLs', () => {
  it('puts only the non-PHI filters in the query, leaving page 1 out', () => {
    expect(lettersQuery({ template: 'insurance', recipient: 'insurance', status: 'draft', author: AUTHOR, page: 3 })).toBe(
      `template=insurance&recipient=insurance&status=draft&author=${AUTHOR}&page=3`,
    );
    expect(lettersQuery({ page: 1 })).toBe('');
    expect(lettersHref({ page: 1 })).toBe('/reports');
    expect(lettersHref({ status: 'failed', page: 2 })).toBe('/reports?status=failed&page=2');
  });

  it('round-trips through the server schema', () => {
    const filters = { template: 'urgent_referral', recipient: 'specialist', status: 'exported', author: AUTHOR, page: 4 } as const;
    const params = Object.fromEntries(new URLSearchParams(lettersQuery(filters)));
    expect(letterFiltersSchema.parse(firstParams(params))).toEqual(filters);
  });

  it('reads repeated and blank parameters the way the page expects', () => {
    expect(firstParams({ template: ['referral', 'insurance'], status: '  ', page: ' 2 ' })).toEqual({ template: 'referral', status: undefined, page: '2' });
    expect(letterFiltersSchema.parse(firstParams({ template: 'nonsense', page: '-1', author: 'not-a-uuid' }))).toEqual({
      template: undefined,
      recipient: undefined,
      status: undefined,
      author: undefined,
      page: 1,
    });
  });

  it('keeps only known values from the filter form and starts again at page 1', () => {
    expect(filtersFromForm({ template: 'co_management', recipient: '', status: 'drafting', author: AUTHOR })).toEqual({
      template: 'co_management',
      recipient: undefined,
      status: 'drafting',
      author: AUTHOR,
      page: 1,
    });
    expect(filtersFromForm({ template: 'letter<script>', recipient: 'boss', status: 'deleted', author: 'Jane Doe' })).toEqual({
      template: undefined,
      recipient: undefined,
      status: undefined,
      author: undefined,
      page: 1,
    });
  });

  it('tells active filters from none (page alone is not a filter)', () => {
    expect(hasActiveLetterFilters({ page: 5 })).toBe(false);
    expect(hasActiveLetterFilters({ author: AUTHOR, page: 1 })).toBe(true);
    expect(hasActiveLetterFilters({ recipient: 'patient', page: 1 })).toBe(true);
  });

  it('passes the filters and page to the search action in a shape its schema accepts', () => {
    const sent = searchActionFilters({ template: 'patient_summary', page: 1 }, 3);
    expect(sent).toEqual({ template: 'patient_summary', recipient: undefined, status: undefined, author: undefined, page: '3' });
    expect(letterFiltersSchema.parse(sent)).toMatchObject({ template: 'patient_summary', page: 3 });
  });
});

describe('row labels', () => {
  it('names the patient, or says there is none', () => {
    expect(patientLabel('Jane Doe')).toBe('Jane Doe');
    expect(patientLabel(null)).toBe('Unnamed patient');
    expect(patientLabel('   ')).toBe('Unnamed patient');
  });

  it('gives each row button an accessible name that includes the patient', () => {
    expect(letterActionLabel('Delete', 'Jane Doe')).toBe('Delete the letter for Jane Doe');
    expect(letterActionLabel('Duplicate', 'Jane Doe')).toBe('Duplicate the letter for Jane Doe');
    expect(letterActionLabel('Open', null)).toBe('Open the letter for an unnamed patient');
  });
});
