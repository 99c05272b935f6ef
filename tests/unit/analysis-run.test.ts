import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AnalysisFailure } from '@/lib/analysis/errors';
import type { AnalysisContext, AnalysisProvider, AnalysisStage } from '@/lib/analysis/provider';
import { runAnalysis } from '@/lib/analysis/run';
import { analysisResultSchema } from '@/lib/analysis/schema';
import { sampleAnalysisOutput } from '@/tests/support/fake-openai';

const NOTE = 'Glaucoma follow-up. IOP 28 mmHg OD, 18 mmHg OS. Plan: add timolol OD.';

/** A provider that returns `output` after reporting `stages`, recording what it was given. */
function fakeProvider(output: unknown, stages: AnalysisStage[] = [], name: 'offline' | 'openai' = 'offline') {
  const calls: { text: string; specialty: string | null }[] = [];
  const provider: AnalysisProvider = {
    name,
    async analyze(input, context) {
      calls.push(input);
      for (const stage of stages) await context.onStage(stage);
      return { output, model: 'test-model-1', promptVersion: 'test-prompt-1' };
    },
  };
  return { provider, calls };
}

function context(signal = new AbortController().signal) {
  const stages: AnalysisStage[] = [];
  const ctx: AnalysisContext = { signal, onStage: (stage) => void stages.push(stage) };
  return { ctx, stages };
}

const input = { text: NOTE, specialty: 'ophthalmology' as const, truncated: false };

describe('runAnalysis', () => {
  it('validates the output and adds meta', async () => {
    const { provider, calls } = fakeProvider(sampleAnalysisOutput(), [], 'openai');
    const { ctx } = context();
    const result = await runAnalysis({ ...input, truncated: true }, ctx, provider);
    expect(analysisResultSchema.safeParse(result).success).toBe(true);
    expect(calls).toEqual([{ text: NOTE, specialty: 'ophthalmology' }]);
    expect(result.meta).toEqual({
      schemaVersion: 1,
      provider: 'openai',
      model: 'test-model-1',
      promptVersion: 'test-prompt-1',
      inputChecksum: createHash('sha256').update(NOTE).digest('hex'),
      repaired: false,
      truncated: true,
    });
    expect(result.diagnoses).toEqual(sampleAnalysisOutput().diagnoses);
  });

  it.each<[string, AnalysisStage[], AnalysisStage[]]>([
    ['none', [], ['references', 'validating']],
    ['the first two', ['analyzing', 'structuring'], ['analyzing', 'structuring', 'references', 'validating']],
    ['all', ['analyzing', 'structuring', 'references', 'validating'], ['analyzing', 'structuring', 'references', 'validating']],
  ])('reports each stage once, in order, when the provider reports %s', async (_label, reported, expected) => {
    const { provider } = fakeProvider(sampleAnalysisOutput(), reported);
    const { ctx, stages } = context();
    await runAnalysis(input, ctx, provider);
    expect(stages).toEqual(expected);
  });

  it('repairs invalid output once and records it', async () => {
    const raw = sampleAnalysisOutput() as Record<string, unknown>;
    delete raw.allergies;
    raw.diagnoses = [{ ...sampleAnalysisOutput().diagnoses[0]!, laterality: 'Right', number: '1' }];
    const { provider } = fakeProvider(raw);
    const result = await runAnalysis(input, context().ctx, provider);
    expect(result.meta.repaired).toBe(true);
    expect(result.allergies).toEqual([]);
    expect(result.diagnoses[0]).toMatchObject({ number: 1, laterality: 'right' });
    // The plan item for the dropped diagnosis 2 no longer points at it.
    expect(result.plan.map((p) => p.diagnosisNumbers)).toEqual([[1], []]);
  });

  it('fails with analysis_invalid when the output cannot be repaired', async () => {
    const raw = { ...sampleAnalysisOutput(), quality: { level: 'good' } };
    const { provider } = fakeProvider(raw);
    const error = await runAnalysis(input, context().ctx, provider).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AnalysisFailure);
    expect(error).toMatchObject({
      code: 'analysis_invalid',
      retryable: false,
      userMessage: 'The analysis came back in a form we could not read. Please try again.',
    });
    // The internal message names paths, never values from the output.
    expect(String((error as Error).cause)).toContain('quality.score');
    expect(String((error as Error).cause)).not.toContain('Carter');
  });

  it('drops links to references and diagnoses that do not exist, without calling it a repair', async () => {
    const raw = sampleAnalysisOutput();
    raw.diagnoses[0]!.referenceNumbers = [1, 7];
    raw.plan[0]!.diagnosisNumbers = [1, 9];
    raw.plan[0]!.referenceNumbers = [3];
    const { provider } = fakeProvider(raw);
    const result = await runAnalysis(input, context().ctx, provider);
    expect(result.meta.repaired).toBe(false);
    expect(result.diagnoses[0]!.referenceNumbers).toEqual([1]);
    expect(result.plan[0]).toMatchObject({ diagnosisNumbers: [1], referenceNumbers: [] });
  });

  it('checks ICD-10 codes against the billable table', async () => {
    const raw = sampleAnalysisOutput();
    Object.assign(raw.diagnoses[0]!, { icd10Code: 'H40.11', icd10Description: 'POAG' });
    Object.assign(raw.diagnoses[1]!, { icd10Description: 'cataract' });
    const { provider } = fakeProvider(raw);
    const result = await runAnalysis(input, context().ctx, provider);
    expect(result.diagnoses[0]).toMatchObject({ icd10Code: null, icd10Description: null });
    expect(result.diagnoses[0]!.codingNotes).toEqual(['H40.11 is not a billable ICD-10-CM code (FY2026); choose a more specific code.']);
    expect(result.diagnoses[1]).toMatchObject({ icd10Code: 'H25.12', icd10Description: 'Age-related nuclear cataract, left eye' });
  });

  it('passes provider failures through unchanged', async () => {
    const failure = new AnalysisFailure('ai_timeout', 'The AI provider did not answer in time.', true);
    const provider: AnalysisProvider = { name: 'openai', analyze: () => Promise.reject(failure) };
    await expect(runAnalysis(input, context().ctx, provider)).rejects.toBe(failure);
  });

  it('does not start when the signal is already aborted', async () => {
    const controller = new AbortController();
    const reason = new Error('job canceled');
    controller.abort(reason);
    const { provider, calls } = fakeProvider(sampleAnalysisOutput());
    await expect(runAnalysis(input, context(controller.signal).ctx, provider)).rejects.toBe(reason);
    expect(calls).toHaveLength(0);
  });

  it('throws the abort reason when canceled while the provider runs', async () => {
    const controller = new AbortController();
    const reason = new Error('worker shutting down');
    const provider: AnalysisProvider = {
      name: 'offline',
      async analyze() {
        controller.abort(reason);
        return { output: sampleAnalysisOutput(), model: 'm', promptVersion: 'p' };
      },
    };
    const { ctx, stages } = context(controller.signal);
    await expect(runAnalysis(input, ctx, provider)).rejects.toBe(reason);
    expect(stages).toEqual([]);
  });
});
