// The pure helpers of the triage pages and the staff inbox (components/triage/format.ts).
import { describe, expect, it } from 'vitest';
import {
  applyTick,
  describeCounts,
  documentTypeLabel,
  doneByName,
  formatAge,
  formatTaskCount,
  inboxHref,
  isTriageUrgency,
  parseInboxParams,
  taskListText,
  urgencyWithWindow,
  type TaskState,
} from '@/components/triage/format';
import { stagesFor, timeline } from '@/components/jobs/stages';

const NOW = new Date('2026-11-29T12:00:00Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const MIN = 60_000;

describe('formatAge', () => {
  it('says minutes, hours and days, then the date', () => {
    expect(formatAge(ago(20_000), NOW)).toBe('just now');
    expect(formatAge(ago(5 * MIN), NOW)).toBe('5 min ago');
    expect(formatAge(ago(59 * MIN), NOW)).toBe('59 min ago');
    expect(formatAge(ago(2 * 60 * MIN + 5 * MIN), NOW)).toBe('2 h ago');
    expect(formatAge(ago(24 * 60 * MIN), NOW)).toBe('1 day ago');
    expect(formatAge(ago(3 * 24 * 60 * MIN), NOW)).toBe('3 days ago');
    expect(formatAge(new Date('2026-09-04T08:00:00Z'), NOW)).toBe('4 Sept 2026');
  });

  it('takes ISO strings as the backend sends them, and a clock slightly behind the server', () => {
    expect(formatAge(ago(3 * 60 * MIN).toISOString(), NOW)).toBe('3 h ago');
    expect(formatAge(new Date(NOW.getTime() + 30_000), NOW)).toBe('just now');
  });
});

describe('task lists', () => {
  const tasks: TaskState[] = [
    { key: 'front_desk:0', list: 'front_desk', text: 'Call the patient   to book\nwithin 48 hours', done: true, doneAt: '2026-11-29T10:00:00Z', doneBy: 'Rita Lopes' },
    { key: 'front_desk:1', list: 'front_desk', text: 'Fax the acknowledgement to 555-0100', done: false, doneAt: null, doneBy: null },
  ];

  it('copies as plain text with a box per task, whitespace folded to one line each', () => {
    expect(taskListText('Front-desk tasks', tasks)).toBe(
      'Front-desk tasks\n[x] Call the patient to book within 48 hours\n[ ] Fax the acknowledgement to 555-0100',
    );
    expect(taskListText('Doctor tasks', [])).toBe('Doctor tasks\n(no tasks)');
  });

  it('applies a tick to one task only, with who and when; untick clears both', () => {
    const at = new Date('2026-11-29T11:00:00Z');
    const ticked = applyTick(tasks, 'front_desk:1', true, 'Ana Souza', at);
    expect(ticked[1]).toMatchObject({ done: true, doneBy: 'Ana Souza', doneAt: at });
    expect(ticked[0]).toBe(tasks[0]);
    const unticked = applyTick(ticked, 'front_desk:0', false, 'Ana Souza', at);
    expect(unticked[0]).toMatchObject({ done: false, doneBy: null, doneAt: null });
    expect(tasks[1]!.done).toBe(false);
  });

  it('names who ticked a task, whatever shape the server sends', () => {
    expect(doneByName('Rita Lopes')).toBe('Rita Lopes');
    expect(doneByName({ id: 'x', name: 'Ana Souza' })).toBe('Ana Souza');
    expect(doneByName(null)).toBeNull();
  });

  it('counts open tasks in words', () => {
    expect(formatTaskCount(2, 5)).toBe('2 of 5 tasks open');
    expect(formatTaskCount(1, 1)).toBe('1 of 1 task open');
    expect(formatTaskCount(0, 4)).toBe('All 4 tasks done');
    expect(formatTaskCount(0, 1)).toBe('The task is done');
    expect(formatTaskCount(0, 0)).toBe('No tasks');
  });
});

describe('urgency and type labels', () => {
  it('gives each urgency its window', () => {
    expect(urgencyWithWindow('urgent')).toBe('Urgent (within 24–48 hours)');
    expect(urgencyWithWindow('soon')).toBe('Soon (within 1–2 weeks)');
    expect(urgencyWithWindow('routine')).toBe('Routine (within 4–6 weeks)');
  });

  it('labels document types, unknown ones as Other, missing ones as not triaged', () => {
    expect(documentTypeLabel('referral_request')).toBe('Referral request');
    expect(documentTypeLabel('fax_cover')).toBe('Other');
    expect(documentTypeLabel(null)).toBe('Not triaged yet');
    expect(isTriageUrgency('urgent')).toBe(true);
    expect(isTriageUrgency('URGENT')).toBe(false);
    expect(isTriageUrgency(null)).toBe(false);
  });

  it('describes the counts in one sentence for screen readers', () => {
    expect(describeCounts({ urgent: 2, soon: 1, routine: 4, pending: 0 })).toBe('2 urgent, 1 soon and 4 routine documents with open tasks.');
    expect(describeCounts({ urgent: 1, soon: 0, routine: 0, pending: 3 })).toBe('1 urgent, 0 soon and 0 routine document with open tasks; 3 being triaged.');
  });
});

describe('inbox URL parameters', () => {
  it('reads the filter and page, dropping anything malformed', () => {
    expect(parseInboxParams({})).toEqual({ status: 'open', page: 1 });
    expect(parseInboxParams({ status: 'all', page: '3' })).toEqual({ status: 'all', page: 3 });
    expect(parseInboxParams({ status: ['all', 'open'], page: ['2'] })).toEqual({ status: 'all', page: 2 });
    expect(parseInboxParams({ status: 'urgent', page: '-1' })).toEqual({ status: 'open', page: 1 });
    expect(parseInboxParams({ page: 'abc' })).toEqual({ status: 'open', page: 1 });
    expect(parseInboxParams({ page: '999999999' })).toEqual({ status: 'open', page: 1 });
  });

  it('writes links without the defaults, and round-trips', () => {
    expect(inboxHref({})).toBe('/triage');
    expect(inboxHref({ status: 'open', page: 1 })).toBe('/triage');
    expect(inboxHref({ status: 'all' })).toBe('/triage?status=all');
    expect(inboxHref({ status: 'open', page: 4 })).toBe('/triage?page=4');
    const href = inboxHref({ status: 'all', page: 2 });
    expect(parseInboxParams(Object.fromEntries(new URL(href, 'http://x').searchParams))).toEqual({ status: 'all', page: 2 });
  });
});

describe('triage stages on the live status panel', () => {
  it('shows triage stages, with OCR only when expected or visited', () => {
    expect(stagesFor('triage').map((s) => s.stage)).toEqual(['received', 'extracting', 'ocr', 'triaging', 'validating', 'complete']);
    const steps = timeline('triage', { status: 'running', stage: 'triaging' }, ['received', 'extracting'], false);
    expect(steps.map((s) => `${s.stage}:${s.state}`)).toEqual(['received:done', 'extracting:done', 'triaging:current', 'validating:pending', 'complete:pending']);
  });
});
