// Quota periods. Paid plans count per Stripe billing period; Free (and billing
// off) count per calendar month in UTC. Monthly periods anchored on the 29th-31st
// are clamped to the end of shorter months, as Stripe does (Jan 31 → Feb 28 →
// Mar 31), so no period is skipped or doubled.

export interface Period {
  start: Date;
  /** Exclusive. */
  end: Date;
}

export function calendarMonth(now: Date): Period {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return { start, end };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

/** The anchor moved `months` months on, its day clamped to the target month's length. */
export function addMonthsClamped(anchor: Date, months: number): Date {
  const total = anchor.getUTCMonth() + months;
  const year = anchor.getUTCFullYear() + Math.floor(total / 12);
  const month = ((total % 12) + 12) % 12;
  const day = Math.min(anchor.getUTCDate(), daysInMonth(year, month));
  return new Date(
    Date.UTC(year, month, day, anchor.getUTCHours(), anchor.getUTCMinutes(), anchor.getUTCSeconds(), anchor.getUTCMilliseconds()),
  );
}

/**
 * The monthly period containing `now` for a subscription whose periods are
 * anchored at `anchor` (its billing cycle anchor or any period start). Used when
 * the stored period has ended and Stripe's renewal has not reached us yet.
 */
export function monthlyPeriodAt(anchor: Date, now: Date): Period {
  let months = (now.getUTCFullYear() - anchor.getUTCFullYear()) * 12 + (now.getUTCMonth() - anchor.getUTCMonth());
  // Step back or forward until start <= now < end.
  while (months > 0 && addMonthsClamped(anchor, months) > now) months -= 1;
  while (addMonthsClamped(anchor, months + 1) <= now) months += 1;
  if (months < 0) months = 0;
  return { start: addMonthsClamped(anchor, months), end: addMonthsClamped(anchor, months + 1) };
}
