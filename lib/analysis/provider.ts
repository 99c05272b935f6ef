// What an analysis provider is. The pipeline (lib/analysis/run.ts) picks one from
// config (OpenAI when OPENAI_API_KEY is set, else the offline analyzer), feeds it
// the extracted text, repairs its output once if it fails the schema, validates
// it and adds `meta`.
import type { ProviderOutput, Specialty } from './schema';

/** The analysis stages after extraction, in order, with their progress (DOMAIN.md). */
export const ANALYSIS_STAGE_PROGRESS = {
  analyzing: 35,
  structuring: 60,
  references: 75,
  validating: 90,
} as const;
export type AnalysisStage = keyof typeof ANALYSIS_STAGE_PROGRESS;

export interface AnalysisInput {
  /** The note's text, already capped (about 16,000 characters). */
  text: string;
  /** The specialty the user chose, or null for "auto". */
  specialty: Specialty | null;
}

export interface AnalysisContext {
  /** Aborted when the job is canceled or the worker shuts down: stop at the next boundary. */
  signal: AbortSignal;
  /** Called as the provider reaches each stage (never with PHI). */
  onStage: (stage: AnalysisStage) => Promise<void> | void;
}

export interface ProviderResult {
  /** Raw output: validated (and repaired once if needed) by the pipeline, not trusted. */
  output: unknown;
  model: string;
  promptVersion: string;
}

export interface AnalysisProvider {
  readonly name: 'offline' | 'openai';
  analyze(input: AnalysisInput, context: AnalysisContext): Promise<ProviderResult>;
}

export type { ProviderOutput };
