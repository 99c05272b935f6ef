// What a triage provider is: the offline rules or an OpenAI-compatible model.
// The pipeline (run.ts) validates the raw output, repairs it once and adds meta.

/** Triage stages after extraction, with their progress. */
export const TRIAGE_STAGE_PROGRESS = { triaging: 50, validating: 90 } as const;
export type TriageStage = keyof typeof TRIAGE_STAGE_PROGRESS;

export interface TriageContext {
  signal: AbortSignal;
  onStage: (stage: TriageStage) => Promise<void> | void;
}

export interface TriageProviderResult {
  /** Raw output: validated (and repaired once if needed) by the pipeline. */
  output: unknown;
  model: string;
  promptVersion: string;
}

export interface TriageProvider {
  readonly name: 'offline' | 'openai';
  triage(text: string, context: TriageContext): Promise<TriageProviderResult>;
}
