// How dates and the patient line are printed in a letter. ISO dates are read as
// calendar dates (no time zone), so a letter dated 2026-11-28 says 28 November
// wherever the server runs.

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

function parseIsoDate(value: string): CalendarDate | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:$|T)/.exec(value.trim());
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1) return null;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return null;
  return { year, month, day };
}

/** "28 November 2026"; anything that is not an ISO date is printed as given. */
export function formatLongDate(value: string): string {
  const date = parseIsoDate(value);
  return date ? `${date.day} ${MONTHS[date.month - 1]} ${date.year}` : value.trim();
}

/** "12 Mar 1950" (for the compact patient line); anything else as given. */
export function formatShortDate(value: string): string {
  const date = parseIsoDate(value);
  return date ? `${date.day} ${MONTHS[date.month - 1]?.slice(0, 3)} ${date.year}` : value.trim();
}

export interface PatientLineInput {
  name: string | null;
  dateOfBirth: string | null;
  identifiers: readonly { kind: string; value: string }[];
}

/** "Patient: Jane Doe · DOB 12 Mar 1950 · MRN 123456", leaving out what is missing; null when nothing is known. */
export function patientLine(patient: PatientLineInput): string | null {
  const parts: string[] = [];
  const name = patient.name?.trim();
  if (name) parts.push(`Patient: ${name}`);
  const dob = patient.dateOfBirth?.trim();
  if (dob) parts.push(`DOB ${formatShortDate(dob)}`);
  for (const id of patient.identifiers) {
    const value = id.value.trim();
    if (value) parts.push(`${id.kind.trim()} ${value}`.trim());
  }
  if (parts.length === 0) return null;
  if (!name) parts[0] = `Patient: ${parts[0]}`;
  return parts.join(' · ');
}
