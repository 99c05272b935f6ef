// Job statuses and stages as the pages show them. Client-safe (no server imports)
// so the live status panel and the server-rendered lists share one vocabulary.
import type { BadgeVariant } from '@/components/ui/badge';
import type { JobStatus, JobType } from '@/lib/jobs/types';

export const TERMINAL_STATUSES: readonly JobStatus[] = ['succeeded', 'failed', 'canceled'];
export const isTerminal = (status: JobStatus): boolean => TERMINAL_STATUSES.includes(status);

export const STATUS_BADGES: Record<JobStatus, { label: string; variant: BadgeVariant }> = {
  queued: { label: 'Queued', variant: 'neutral' },
  running: { label: 'Running', variant: 'info' },
  succeeded: { label: 'Complete', variant: 'success' },
  failed: { label: 'Failed', variant: 'danger' },
  canceled: { label: 'Canceled', variant: 'warning' },
};

export const JOB_STATUSES: readonly JobStatus[] = ['queued', 'running', 'succeeded', 'failed', 'canceled'];

export const JOB_TYPE_LABELS: Record<JobType, string> = {
  analysis: 'Analysis',
  transcription: 'Transcription',
  letter: 'Letter',
  triage: 'Fax triage',
};

export interface StageStep {
  stage: string;
  label: string;
  progress: number;
  /** Only shown when the job passes through it (OCR runs for scans and images only). */
  optional?: boolean;
}

/** DOMAIN.md: received 0 → extracting 10 → (ocr 15) → analyzing 35 → structuring 60 → references 75 → validating 90 → complete 100. */
const ANALYSIS_STAGES: readonly StageStep[] = [
  { stage: 'received', label: 'Received', progress: 0 },
  { stage: 'extracting', label: 'Reading the document', progress: 10 },
  { stage: 'ocr', label: 'Recognising text (OCR)', progress: 15, optional: true },
  { stage: 'analyzing', label: 'Analysing the note', progress: 35 },
  { stage: 'structuring', label: 'Structuring the result', progress: 60 },
  { stage: 'references', label: 'Finding references', progress: 75 },
  { stage: 'validating', label: 'Checking the result', progress: 90 },
  { stage: 'complete', label: 'Complete', progress: 100 },
];

const LETTER_STAGES: readonly StageStep[] = [
  { stage: 'received', label: 'Received', progress: 0 },
  { stage: 'loading_context', label: 'Loading the analysis', progress: 15 },
  { stage: 'drafting', label: 'Drafting', progress: 50 },
  { stage: 'formatting', label: 'Formatting', progress: 80 },
  { stage: 'complete', label: 'Complete', progress: 100 },
];

/** Triage: extraction as for analysis, then lib/triage/provider.ts TRIAGE_STAGE_PROGRESS. */
const TRIAGE_STAGES: readonly StageStep[] = [
  { stage: 'received', label: 'Received', progress: 0 },
  { stage: 'extracting', label: 'Reading the document', progress: 10 },
  { stage: 'ocr', label: 'Recognising text (OCR)', progress: 15, optional: true },
  { stage: 'triaging', label: 'Triaging the document', progress: 50 },
  { stage: 'validating', label: 'Checking the result', progress: 90 },
  { stage: 'complete', label: 'Complete', progress: 100 },
];

export function stagesFor(type: JobType): readonly StageStep[] {
  if (type === 'triage') return TRIAGE_STAGES;
  return type === 'letter' ? LETTER_STAGES : ANALYSIS_STAGES;
}

export function stageLabel(type: JobType, stage: string): string {
  return stagesFor(type).find((s) => s.stage === stage)?.label ?? stage.replace(/_/g, ' ');
}

export type StepState = 'done' | 'current' | 'failed' | 'pending';

export interface TimelineStep extends StageStep {
  state: StepState;
}

/**
 * The steps to show and the state of each, from the job's current status and
 * stage and the stages it has been through. Optional steps appear only when
 * visited or expected; a stage the list does not know is shown before
 * "Complete", so nothing the worker reports is hidden.
 */
export function timeline(
  type: JobType,
  current: { status: JobStatus; stage: string },
  visited: readonly string[],
  expectOptional: boolean,
): TimelineStep[] {
  const known = stagesFor(type);
  const seen = new Set([...visited, current.stage]);
  const steps = known.filter((s) => !s.optional || expectOptional || seen.has(s.stage));
  if (!known.some((s) => s.stage === current.stage)) {
    steps.splice(Math.max(0, steps.length - 1), 0, { stage: current.stage, label: current.stage.replace(/_/g, ' '), progress: -1 });
  }
  const index = steps.findIndex((s) => s.stage === current.stage);
  return steps.map((step, i): TimelineStep => {
    if (current.status === 'succeeded') return { ...step, state: 'done' };
    if (i < index) return { ...step, state: 'done' };
    if (i === index) {
      if (current.status === 'failed' || current.status === 'canceled') return { ...step, state: 'failed' };
      return { ...step, state: 'current' };
    }
    return { ...step, state: 'pending' };
  });
}
