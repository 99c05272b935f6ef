// Shapes the job pages and routes receive. Client-safe: types only.
import type { AnalysisResult } from '@/lib/analysis/schema';
import type { FileKind, JobStatus, JobType } from '@/lib/db/generated/client';
import type { SpecialtyChoice } from './analysis-input';

export type { JobStatus, JobType };

export interface JobSummary {
  id: string;
  type: JobType;
  status: JobStatus;
  stage: string;
  progress: number;
  errorMessage: string | null;
  /** A cancel was asked for while the job ran; it stops at its next stage. */
  cancelRequested: boolean;
}

/** For polling and the live stream: no PHI. */
export interface JobStatusView {
  id: string;
  status: JobStatus;
  stage: string;
  progress: number;
  errorMessage: string | null;
  /** The newest JobEvent id (decimal string), for resuming the stream. */
  lastEventId: string | null;
  updatedAt: Date;
}

export interface JobListItem {
  id: string;
  type: JobType;
  status: JobStatus;
  stage: string;
  progress: number;
  /** PHI: shown to clinic members only. */
  title: string | null;
  /** PHI: shown to clinic members only. */
  patientName: string | null;
  source: 'upload' | 'text';
  specialty: SpecialtyChoice | null;
  createdBy: { id: string; name: string } | null;
  createdAt: Date;
  finishedAt: Date | null;
  errorMessage: string | null;
}

export interface JobEventView {
  id: string;
  status: JobStatus;
  stage: string;
  progress: number;
  message: string | null;
  createdAt: Date;
}

export interface JobDetail extends JobListItem {
  /** The job this one was made from (a letter's analysis, a transcript's analysis). */
  sourceJobId: string | null;
  handwritten: boolean;
  attempts: number;
  errorCode: string | null;
  cancelRequested: boolean;
  startedAt: Date | null;
  updatedAt: Date;
  /** The validated analysis, or null until the job succeeds (or if a stored result no longer parses). */
  result: AnalysisResult | null;
  notices: string[];
  /** PHI: the text that was analysed (after extraction and the cap). */
  extractedText: string | null;
  /** PHI: the pasted input, for text jobs. */
  inputText: string | null;
  upload: { id: string; name: string; kind: FileKind; deleted: boolean } | null;
  events: JobEventView[];
  /** The job this one retried, and the job that retried it, when any. */
  retryOf: string | null;
  retriedBy: string | null;
  /** Whether the viewer may cancel or retry (role and state). */
  canCancel: boolean;
  canRetry: boolean;
}
