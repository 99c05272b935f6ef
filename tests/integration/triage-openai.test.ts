// The OpenAI triage provider through the real SDK against the scripted fake
// server: the structured-output request, success, repair and a clean failure.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AnalysisFailure } from '@/lib/analysis/errors';
import type { Config } from '@/lib/config';
import { createOpenAITriageProvider } from '@/lib/triage/openai';
import { TRIAGE_PROMPT_VERSION } from '@/lib/triage/prompt';
import type { TriageStage } from '@/lib/triage/provider';
import { runTriage } from '@/lib/triage/run';
import { invalidJson, malformed, ok, startFakeOpenAI, status, type FakeOpenAI } from '@/tests/support/fake-openai';

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(async () => {
  await fake.close();
});
afterEach(() => {
  fake.requests.length = 0;
});

const settings = (): Config['openai'] => ({ apiKey: 'sk-test-key', baseUrl: fake.url, model: 'gpt-test-mini', transcribeModel: 'gpt-4o-transcribe', timeoutMs: 5_000, maxRetries: 0 });
const TEXT = 'Referral request. Patient: Jane Sample. Please see within 24 hours for sudden vision loss.';
const OUTPUT = {
  documentType: 'referral_request',
  urgency: 'urgent',
  from: { provider: 'Dr. Amy Fields, MD', clinic: 'Elm Family Practice', fax: '(555) 777-8888', phone: null },
  regarding: { patientName: 'Jane Sample', dateOfBirth: null },
  keyClinicalInfo: ['Sudden vision loss'],
  reasoning: 'A referral marked to be seen within 24 hours for a red-flag symptom.',
  frontDeskTasks: ['Schedule new-patient consult within 24–48 hours'],
  doctorTasks: ['Review urgent referral today'],
};

function context() {
  const stages: TriageStage[] = [];
  return { stages, ctx: { signal: new AbortController().signal, onStage: (s: TriageStage) => void stages.push(s) } };
}

describe('OpenAI triage', () => {
  it('sends a strict structured-output request and stores a valid result', async () => {
    fake.script(ok(OUTPUT, 'gpt-test-mini-2026'));
    const { ctx, stages } = context();
    const result = await runTriage({ text: TEXT, truncated: false }, ctx, createOpenAITriageProvider(settings()));
    expect(result).toMatchObject({ ...OUTPUT, meta: { provider: 'openai', model: 'gpt-test-mini-2026', promptVersion: TRIAGE_PROMPT_VERSION, repaired: false, truncated: false } });
    expect(stages).toEqual(['triaging', 'validating']);
    const body = fake.requests[0]!.body as { response_format: { type: string; json_schema: { name: string; strict: boolean } } };
    expect(body.response_format.json_schema).toMatchObject({ name: 'fax_triage', strict: true });
  });

  it('repairs malformed output once and marks it repaired', async () => {
    fake.script(malformed({ ...OUTPUT, documentType: 'Referral Request', urgency: 'asap', doctorTasks: 'Review today' }));
    const result = await runTriage({ text: TEXT, truncated: true }, context().ctx, createOpenAITriageProvider(settings()));
    expect(result.documentType).toBe('referral_request');
    expect(result.urgency).toBe('urgent');
    expect(result.doctorTasks).toEqual(['Review today']);
    expect(result.meta).toMatchObject({ repaired: true, truncated: true });
  });

  it('fails cleanly on unreadable output and on a rejected key', async () => {
    fake.script(invalidJson());
    const bad = await runTriage({ text: TEXT, truncated: false }, context().ctx, createOpenAITriageProvider(settings())).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(AnalysisFailure);
    expect(bad).toMatchObject({ code: 'triage_invalid', retryable: false });
    fake.script(status(401));
    const auth = await runTriage({ text: TEXT, truncated: false }, context().ctx, createOpenAITriageProvider(settings())).catch((e: unknown) => e);
    expect(auth).toMatchObject({ code: 'ai_auth_failed', retryable: false });
    expect(String((auth as Error).message)).not.toContain('Jane');
  });
});
