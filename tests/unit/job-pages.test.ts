import { describe, expect, it } from 'vitest';
import { citationsOf, describeCitations } from '@/components/analysis/citations';
import { hasActiveFilters, jobFiltersQuery, parseJobFilters } from '@/components/jobs/filters';
import { formatBytes, formatJobTime, formatShortDay } from '@/components/jobs/format';
import { stageLabel, timeline } from '@/components/jobs/stages';
import { parseLiveStatus } from '@/components/jobs/use-job-progress';
import type { Diagnosis, PlanItem } from '@/lib/analysis/schema';

const diagnosis = (number: number, referenceNumbers: number[]): Diagnosis => ({
  number,
  label: `Diagnosis ${number}`,
  icd10Code: null,
  icd10Description: null,
  laterality: 'n/a',
  severity: 'unspecified',
  urgency: 'routine',
  supporting: [],
  referenceNumbers,
  codingNotes: [],
});
const planItem = (number: number, referenceNumbers: number[]): PlanItem => ({
  number,
  title: `Plan ${number}`,
  bullets: [],
  diagnosisNumbers: [],
  timeline: null,
  referenceNumbers,
});

describe('reference citations', () => {
  const diagnoses = [diagnosis(1, [1, 2]), diagnosis(2, [3]), diagnosis(3, [2])];
  const plan = [planItem(1, [2]), planItem(2, [])];

  it('finds the diagnoses and plan items that cite a reference, and only those', () => {
    expect(citationsOf(2, diagnoses, plan)).toEqual({ diagnoses: [1, 3], plan: [1] });
    expect(citationsOf(3, diagnoses, plan)).toEqual({ diagnoses: [2], plan: [] });
    expect(citationsOf(9, diagnoses, plan)).toEqual({ diagnoses: [], plan: [] });
  });

  it('says in words what it highlights', () => {
    expect(describeCitations(2, { diagnoses: [1, 3], plan: [1] })).toBe('Reference 2 is cited by diagnoses 1 and 3 and plan item 1.');
    expect(describeCitations(3, { diagnoses: [2], plan: [] })).toBe('Reference 3 is cited by diagnosis 2.');
    expect(describeCitations(4, { diagnoses: [], plan: [1, 2, 5] })).toBe('Reference 4 is cited by plan items 1, 2 and 5.');
    expect(describeCitations(9, { diagnoses: [], plan: [] })).toBe('Reference 9 is not cited by any diagnosis or plan item.');
  });
});

describe('the stage timeline', () => {
  const states = (steps: ReturnType<typeof timeline>) => steps.map((s) => `${s.stage}:${s.state}`);

  it('marks the stages before the current one done and hides OCR unless expected or visited', () => {
    expect(states(timeline('analysis', { status: 'running', stage: 'structuring' }, ['received', 'extracting', 'analyzing'], false))).toEqual([
      'received:done',
      'extracting:done',
      'analyzing:done',
      'structuring:current',
      'references:pending',
      'validating:pending',
      'complete:pending',
    ]);
    expect(timeline('analysis', { status: 'running', stage: 'ocr' }, [], false).map((s) => s.stage)).toContain('ocr');
    expect(timeline('analysis', { status: 'queued', stage: 'received' }, [], true).map((s) => s.stage)).toContain('ocr');
  });

  it('marks every stage done when the job succeeded, and the stopping stage when it failed or was canceled', () => {
    expect(timeline('analysis', { status: 'succeeded', stage: 'complete' }, [], false).every((s) => s.state === 'done')).toBe(true);
    const failed = timeline('analysis', { status: 'failed', stage: 'extracting' }, [], false);
    expect(failed.find((s) => s.stage === 'extracting')?.state).toBe('failed');
    expect(failed.find((s) => s.stage === 'analyzing')?.state).toBe('pending');
    const canceled = timeline('analysis', { status: 'canceled', stage: 'received' }, [], false);
    expect(canceled[0]?.state).toBe('failed');
  });

  it('keeps a stage it does not know, before "Complete"', () => {
    const steps = timeline('analysis', { status: 'running', stage: 'thinking_hard' }, [], false);
    expect(steps.at(-2)).toMatchObject({ stage: 'thinking_hard', state: 'current', label: 'thinking hard' });
    expect(steps.at(-1)?.stage).toBe('complete');
    expect(stageLabel('analysis', 'references')).toBe('Finding references');
    expect(stageLabel('letter', 'drafting')).toBe('Drafting');
  });
});

describe('jobs list filters in the URL', () => {
  it('keeps valid filters and drops unknown or malformed ones', () => {
    expect(
      parseJobFilters({ type: 'analysis', status: 'failed', member: '3f1c1a52-8f7e-4a7a-9d5e-0b6c2f9e1a11', from: '2026-11-01', to: '2026-11-30', page: '3' }),
    ).toEqual({ type: 'analysis', status: 'failed', memberId: '3f1c1a52-8f7e-4a7a-9d5e-0b6c2f9e1a11', from: '2026-11-01', to: '2026-11-30', page: 3 });
    expect(parseJobFilters({ type: 'poem', status: ['queued', 'failed'], member: 'me', from: '2026-13-45', to: 'yesterday', page: '-2' })).toEqual({
      type: undefined,
      status: 'queued',
      memberId: undefined,
      from: undefined,
      to: undefined,
      page: 1,
    });
  });

  it('writes only the filters that are set, never a search term', () => {
    expect(jobFiltersQuery({ status: 'failed', page: 1 })).toBe('status=failed');
    expect(jobFiltersQuery({ type: 'analysis', memberId: 'abc', page: 2 })).toBe('type=analysis&member=abc&page=2');
    const withTerm = { page: 1, q: 'Harold Vennick' } as Parameters<typeof jobFiltersQuery>[0];
    expect(jobFiltersQuery(withTerm)).toBe('');
    expect(hasActiveFilters({ page: 4 })).toBe(false);
    expect(hasActiveFilters({ page: 1, to: '2026-01-01' })).toBe(true);
  });
});

describe('formatting', () => {
  it('prints sizes the way people read them', () => {
    expect(formatBytes(1)).toBe('1 byte');
    expect(formatBytes(900)).toBe('900 bytes');
    expect(formatBytes(20 * 1024)).toBe('20 KB');
    expect(formatBytes(2.5 * 1024 * 1024)).toBe('2.5 MB');
    expect(formatBytes(10 * 1024 * 1024)).toBe('10 MB');
    expect(formatBytes(11 * 1024 * 1024 + 5)).toBe('11 MB');
  });

  it('prints times and period ends in UTC', () => {
    expect(formatJobTime(new Date('2026-11-29T14:05:09Z'))).toBe('29 Nov 2026, 14:05 UTC');
    expect(formatShortDay(new Date('2026-12-01T00:00:00Z'))).toBe('1 Dec');
  });
});

describe('live status payloads', () => {
  it('accepts the stream and polling shapes and rejects anything else', () => {
    expect(parseLiveStatus({ status: 'running', stage: 'analyzing', progress: 35, errorMessage: null, id: 'x' })).toEqual({
      status: 'running',
      stage: 'analyzing',
      progress: 35,
      errorMessage: null,
    });
    expect(parseLiveStatus({ status: 'failed', stage: 'extracting', progress: 10, errorMessage: 'The PDF is password-protected.' })?.errorMessage).toBe(
      'The PDF is password-protected.',
    );
    expect(parseLiveStatus({ status: 'exploded', stage: 'x', progress: 1 })).toBeNull();
    expect(parseLiveStatus({ status: 'running', progress: 1 })).toBeNull();
    expect(parseLiveStatus(null)).toBeNull();
    expect(parseLiveStatus('running')).toBeNull();
  });
});
