// Names and chart colours of the job types, shared by the usage page (a server
// component) and its chart (a client component), so they live outside any
// 'use client' module.
import type { JobType } from '@/lib/db/generated/enums';

export const JOB_TYPE_SERIES: readonly { key: JobType; label: string; color: string }[] = [
  // Colours from the design tokens, each at least 3:1 against white (WCAG non-text contrast).
  { key: 'analysis', label: 'Analysis', color: '#0b8472' },
  { key: 'transcription', label: 'Transcription', color: '#2563eb' },
  { key: 'letter', label: 'Letter', color: '#d97706' },
  { key: 'triage', label: 'Fax triage', color: '#7c3aed' },
];

export function jobTypeLabel(type: JobType): string {
  return JOB_TYPE_SERIES.find((s) => s.key === type)?.label ?? type;
}
