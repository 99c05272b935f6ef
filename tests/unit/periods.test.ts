import { describe, expect, it } from 'vitest';
import { addMonthsClamped, calendarMonth, monthlyPeriodAt } from '@/lib/billing/periods';

const d = (iso: string) => new Date(iso);

describe('quota periods', () => {
  it('uses the calendar month in UTC for Free clinics, whatever the local time', () => {
    expect(calendarMonth(d('2026-02-28T23:59:59.999Z'))).toEqual({ start: d('2026-02-01T00:00:00Z'), end: d('2026-03-01T00:00:00Z') });
    expect(calendarMonth(d('2026-12-31T12:00:00Z'))).toEqual({ start: d('2026-12-01T00:00:00Z'), end: d('2027-01-01T00:00:00Z') });
    expect(calendarMonth(d('2028-02-29T00:00:00Z')).end).toEqual(d('2028-03-01T00:00:00Z'));
  });

  it('clamps anchors on the 29th to 31st to the end of shorter months without drifting', () => {
    const anchor = d('2026-01-31T10:00:00Z');
    expect(addMonthsClamped(anchor, 1)).toEqual(d('2026-02-28T10:00:00Z'));
    expect(addMonthsClamped(anchor, 2)).toEqual(d('2026-03-31T10:00:00Z'));
    expect(addMonthsClamped(anchor, 3)).toEqual(d('2026-04-30T10:00:00Z'));
    expect(addMonthsClamped(anchor, 13)).toEqual(d('2027-02-28T10:00:00Z'));
    expect(addMonthsClamped(d('2027-01-29T00:00:00Z'), 13)).toEqual(d('2028-02-29T00:00:00Z'));
    expect(addMonthsClamped(d('2026-11-30T00:00:00Z'), 3)).toEqual(d('2027-02-28T00:00:00Z'));
  });

  it('finds the period containing any moment, so consecutive periods neither overlap nor leave gaps', () => {
    for (const anchorIso of ['2026-01-29T08:00:00Z', '2026-01-30T08:00:00Z', '2026-01-31T08:00:00Z', '2026-03-15T08:00:00Z']) {
      const anchor = d(anchorIso);
      let previous = monthlyPeriodAt(anchor, anchor);
      expect(previous.start).toEqual(anchor);
      for (let i = 0; i < 30; i += 1) {
        const next = monthlyPeriodAt(anchor, previous.end);
        expect(next.start).toEqual(previous.end);
        expect(next.end.getTime()).toBeGreaterThan(next.start.getTime());
        // The last millisecond of a period belongs to it.
        expect(monthlyPeriodAt(anchor, new Date(previous.end.getTime() - 1))).toEqual(previous);
        previous = next;
      }
    }
  });

  it('places a moment in February correctly for a subscription anchored on the 31st', () => {
    const period = monthlyPeriodAt(d('2026-01-31T10:00:00Z'), d('2026-03-05T00:00:00Z'));
    expect(period).toEqual({ start: d('2026-02-28T10:00:00Z'), end: d('2026-03-31T10:00:00Z') });
  });
});
