// The analysis pipeline: whatever the provider, its raw output is validated
// against the one schema, repaired once if it fails, its links and ICD-10 codes
// checked, and stamped with `meta` before anything stores it.
import { createHash } from 'node:crypto';
import { ANALYSIS_INVALID_MESSAGE, AnalysisFailure } from './errors';
import {
  ANALYSIS_STAGE_PROGRESS,
  type AnalysisContext,
  type AnalysisInput,
  type AnalysisProvider,
  type AnalysisStage,
} from './provider';
import { checkIcd10Codes, describeIssues, linkConsistently, repairAnalysisOutput } from './repair';
import { ANALYSIS_SCHEMA_VERSION, analysisResultSchema, providerOutputSchema, type AnalysisResult } from './schema';

export function inputChecksum(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Runs one analysis. Stages the provider did not report are reported here, in
 * order. Throws AnalysisFailure for provider and output problems, and the
 * signal's reason when the job is canceled.
 */
export async function runAnalysis(
  input: AnalysisInput & { truncated: boolean },
  context: AnalysisContext,
  provider?: AnalysisProvider,
): Promise<AnalysisResult> {
  const { signal } = context;
  signal.throwIfAborted();
  // Loaded on demand so callers that pass their own provider never load the SDKs.
  const chosen = provider ?? (await import('./index')).getAnalysisProvider();

  let reached = -1;
  const stageOrder = Object.keys(ANALYSIS_STAGE_PROGRESS) as AnalysisStage[];
  const reach = async (stage: AnalysisStage) => {
    const index = stageOrder.indexOf(stage);
    if (index <= reached) return;
    reached = index;
    await context.onStage(stage);
  };
  const tracked: AnalysisContext = { signal, onStage: reach };

  const result = await chosen.analyze({ text: input.text, specialty: input.specialty }, tracked);
  signal.throwIfAborted();

  const first = providerOutputSchema.safeParse(result.output);
  const repaired = !first.success;
  const output = first.success ? first.data : repairAnalysisOutput(result.output);

  await reach('references');
  const checked = checkIcd10Codes(linkConsistently(output, 'when_ambiguous'));
  signal.throwIfAborted();

  await reach('validating');
  const final = analysisResultSchema.safeParse({
    ...checked,
    meta: {
      schemaVersion: ANALYSIS_SCHEMA_VERSION,
      provider: chosen.name,
      model: result.model,
      promptVersion: result.promptVersion,
      inputChecksum: inputChecksum(input.text),
      repaired,
      truncated: input.truncated,
    },
  });
  if (!final.success) {
    throw new AnalysisFailure('analysis_invalid', ANALYSIS_INVALID_MESSAGE, false, {
      cause: new Error(`Invalid after checks at: ${describeIssues(final.error.issues)}`),
    });
  }
  signal.throwIfAborted();
  return final.data;
}
