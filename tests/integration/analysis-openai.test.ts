// The OpenAI provider through the real SDK against a scripted loopback server:
// request shape, retries with backoff, timeouts, error mapping, repair and abort.
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '@/lib/config';
import { resetConfig, setEnvironment } from '@/lib/config';
import { AnalysisFailure } from '@/lib/analysis/errors';
import { createOpenAIProvider } from '@/lib/analysis/openai';
import { PROMPT_VERSION } from '@/lib/analysis/prompt';
import type { AnalysisContext, AnalysisStage } from '@/lib/analysis/provider';
import { runAnalysis } from '@/lib/analysis/run';
import {
  hang,
  invalidJson,
  malformed,
  ok,
  sampleAnalysisOutput,
  startFakeOpenAI,
  status,
  type FakeOpenAI,
} from '@/tests/support/fake-openai';

const NOTE = 'Patient John Carter, MRN LX-20931. Glaucoma follow-up. IOP 28 mmHg OD, 18 mmHg OS. Plan: add timolol OD.';
const input = { text: NOTE, specialty: 'ophthalmology' as const, truncated: false };

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

function settings(overrides: Partial<Config['openai']> = {}): Config['openai'] {
  return {
    apiKey: 'sk-test-key',
    baseUrl: fake.url,
    model: 'gpt-test-mini',
    transcribeModel: 'gpt-4o-transcribe',
    timeoutMs: 5_000,
    maxRetries: 3,
    ...overrides,
  };
}

function context(signal = new AbortController().signal) {
  const stages: AnalysisStage[] = [];
  const ctx: AnalysisContext = { signal, onStage: (stage) => void stages.push(stage) };
  return { ctx, stages };
}

async function failureOf(promise: Promise<unknown>): Promise<AnalysisFailure> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AnalysisFailure);
  return error as AnalysisFailure;
}

describe('OpenAI analysis provider', () => {
  it('analyzes a note with structured output and reports every stage', async () => {
    fake.script(ok(sampleAnalysisOutput(), 'gpt-test-mini-2026-01-01'));
    const { ctx, stages } = context();
    const result = await runAnalysis(input, ctx, createOpenAIProvider(settings()));

    expect(stages).toEqual(['analyzing', 'structuring', 'references', 'validating']);
    expect(result.meta).toMatchObject({
      provider: 'openai',
      model: 'gpt-test-mini-2026-01-01',
      promptVersion: PROMPT_VERSION,
      repaired: false,
    });
    expect(result.diagnoses[0]!.icd10Code).toBe('H40.1112');

    expect(fake.requests).toHaveLength(1);
    const request = fake.requests[0]!;
    expect(request.authorization).toBe('Bearer sk-test-key');
    expect(request.body.model).toBe('gpt-test-mini');
    const format = request.body.response_format!;
    expect(format.type).toBe('json_schema');
    expect(format.json_schema).toMatchObject({ name: 'clinical_analysis', strict: true });
    const schemaText = JSON.stringify(format.json_schema!.schema);
    // Keywords strict mode rejects are stripped; the real constraints stay.
    expect(schemaText).not.toContain('minLength');
    expect(schemaText).not.toContain('"format":"uri"');
    expect(schemaText).toContain('"pattern"');
    expect(format.json_schema!.schema).toMatchObject({ type: 'object', additionalProperties: false });
    const [system, user] = request.body.messages!;
    expect(system!.role).toBe('system');
    expect(system!.content).toContain('NEVER the patient');
    expect(system!.content).toContain('paediatric');
    expect(user!.content).toContain(NOTE);
    expect(user!.content).toContain('from Ophthalmology');
  });

  it('asks the model to detect the specialty when the user chose auto', async () => {
    fake.script(ok(sampleAnalysisOutput()));
    await runAnalysis({ ...input, specialty: null }, context().ctx, createOpenAIProvider(settings()));
    expect(fake.requests[0]!.body.messages![1]!.content).toContain('Detect the specialty');
  });

  it('retries rate limits with backoff and succeeds', async () => {
    fake.script(status(429), status(429), ok(sampleAnalysisOutput()));
    const result = await runAnalysis(input, context().ctx, createOpenAIProvider(settings()));
    expect(result.meta.provider).toBe('openai');
    expect(fake.requests.map((r) => r.retryCount)).toEqual([0, 1, 2]);
  });

  it('gives up after the configured retries with a retryable failure', async () => {
    fake.script(status(503));
    const failure = await failureOf(runAnalysis(input, context().ctx, createOpenAIProvider(settings({ maxRetries: 2 }))));
    expect(failure).toMatchObject({ code: 'ai_unavailable', retryable: true });
    expect(failure.userMessage).toBe('The AI provider is having problems right now. Please try again in a few minutes.');
    expect(fake.requests).toHaveLength(3);
  });

  it('maps an exhausted rate limit to a retryable failure', async () => {
    fake.script(status(429));
    const failure = await failureOf(runAnalysis(input, context().ctx, createOpenAIProvider(settings({ maxRetries: 1 }))));
    expect(failure).toMatchObject({ code: 'ai_rate_limited', retryable: true });
    expect(fake.requests).toHaveLength(2);
  });

  it('treats an exhausted account as a non-retryable failure', async () => {
    fake.script(status(429, { code: 'insufficient_quota', message: 'You exceeded your current quota' }));
    const failure = await failureOf(runAnalysis(input, context().ctx, createOpenAIProvider(settings({ maxRetries: 0 }))));
    expect(failure).toMatchObject({ code: 'ai_quota_exhausted', retryable: false });
  });

  it('times out a request that never answers', async () => {
    fake.script(hang());
    const failure = await failureOf(
      runAnalysis(input, context().ctx, createOpenAIProvider(settings({ timeoutMs: 200, maxRetries: 1 }))),
    );
    expect(failure).toMatchObject({ code: 'ai_timeout', retryable: true });
    expect(failure.userMessage).toBe('The AI provider did not answer in time. Please try again in a few minutes.');
    // The SDK retries timeouts too.
    expect(fake.requests).toHaveLength(2);
  });

  it('fails at once on a rejected API key, without retrying', async () => {
    fake.script(status(401, { code: 'invalid_api_key', message: 'Incorrect API key provided: sk-test-key' }));
    const failure = await failureOf(runAnalysis(input, context().ctx, createOpenAIProvider(settings())));
    expect(failure).toMatchObject({
      code: 'ai_auth_failed',
      retryable: false,
      userMessage: 'The AI provider rejected the API key. An administrator must update OPENAI_API_KEY.',
    });
    expect(fake.requests).toHaveLength(1);
    // Neither the key nor the provider's text is carried along.
    expect(String(failure.cause)).toBe('Error: OpenAI responded 401 (invalid_api_key)');
  });

  it.each([
    [400, { code: 'context_length_exceeded', message: "This model's maximum context length is 128000 tokens." }, 'ai_input_too_long', 'The note is too long for the AI model'],
    [413, {}, 'ai_input_too_long', 'The note is too long for the AI model'],
    [400, { message: "Invalid schema for response_format 'clinical_analysis'" }, 'ai_request_rejected', 'supports structured outputs'],
    [403, {}, 'ai_forbidden', 'OPENAI_MODEL'],
    [404, { code: 'model_not_found' }, 'ai_model_not_found', 'OPENAI_MODEL'],
    [422, {}, 'ai_request_rejected', 'could not process'],
  ])('maps %i to a non-retryable failure', async (code, extra, expectedCode, messagePart) => {
    fake.script(status(code, extra));
    const failure = await failureOf(runAnalysis(input, context().ctx, createOpenAIProvider(settings())));
    expect(failure).toMatchObject({ code: expectedCode, retryable: false });
    expect(failure.userMessage).toContain(messagePart);
    expect(fake.requests).toHaveLength(1);
  });

  it('repairs output that fails the schema and records it', async () => {
    const raw = sampleAnalysisOutput() as Record<string, unknown>;
    raw.diagnoses = [{ ...sampleAnalysisOutput().diagnoses[0]!, laterality: 'Right', icd10Code: 'h401112' }];
    raw.patient = { ...sampleAnalysisOutput().patient, age: '67' };
    delete raw.allergies;
    fake.script(malformed(raw));
    const result = await runAnalysis(input, context().ctx, createOpenAIProvider(settings()));
    expect(result.meta.repaired).toBe(true);
    expect(result.diagnoses[0]).toMatchObject({ laterality: 'right', icd10Code: 'H40.1112' });
    expect(result.patient.age).toBe(67);
    expect(fake.requests).toHaveLength(1);
  });

  it('fails cleanly when the output cannot be repaired', async () => {
    fake.script(malformed({ documentType: 'encounter_note', diagnoses: 'none' }));
    const failure = await failureOf(runAnalysis(input, context().ctx, createOpenAIProvider(settings())));
    expect(failure).toMatchObject({ code: 'analysis_invalid', retryable: false });
  });

  it('fails cleanly when the content is not JSON', async () => {
    fake.script(invalidJson());
    const failure = await failureOf(runAnalysis(input, context().ctx, createOpenAIProvider(settings())));
    expect(failure).toMatchObject({
      code: 'analysis_invalid',
      retryable: false,
      userMessage: 'The analysis came back in a form we could not read. Please try again.',
    });
  });

  it('fails without retrying when the model refuses or runs out of room', async () => {
    fake.script({ kind: 'refusal' }, { kind: 'finish', reason: 'length' });
    const provider = createOpenAIProvider(settings());
    expect(await failureOf(runAnalysis(input, context().ctx, provider))).toMatchObject({ code: 'ai_refused', retryable: false });
    expect(await failureOf(runAnalysis(input, context().ctx, provider))).toMatchObject({ code: 'ai_output_too_long', retryable: false });
  });

  it('stops a request in flight when the job is canceled', async () => {
    fake.script(hang());
    const controller = new AbortController();
    const reason = new Error('job canceled');
    const { ctx, stages } = context(controller.signal);
    const pending = runAnalysis(input, ctx, createOpenAIProvider(settings({ timeoutMs: 30_000 })));
    await expect.poll(() => fake.requests.length).toBe(1);
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    expect(stages).toEqual(['analyzing']);
    expect(fake.requests).toHaveLength(1);
  });

  it('logs the model, tokens, duration and status but nothing from the note or the result', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const log = pino({ level: 'info' }, sink);
    fake.script(ok(sampleAnalysisOutput()), status(401, { message: 'Incorrect API key provided: sk-test-key' }));
    const provider = createOpenAIProvider(settings(), { log });
    await runAnalysis(input, context().ctx, provider);
    await failureOf(runAnalysis(input, context().ctx, provider));
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({ model: 'gpt-test-mini', status: 200, promptTokens: 1200, completionTokens: 800 });
    expect(typeof entries[0]!.durationMs).toBe('number');
    expect(entries[1]).toMatchObject({ model: 'gpt-test-mini', status: 401, failure: 'ai_auth_failed' });
    const all = lines.join('\n');
    for (const secret of ['John Carter', 'LX-20931', 'timolol', 'glaucoma', 'sk-test-key', 'Incorrect API key']) {
      expect(all.toLowerCase()).not.toContain(secret.toLowerCase());
    }
  });
});

describe('getAnalysisProvider', () => {
  afterEach(() => {
    resetConfig();
  });

  it('uses OpenAI when OPENAI_API_KEY is set and the offline analyzer otherwise', async () => {
    const { getAnalysisProvider } = await import('@/lib/analysis');
    const names = ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'OPENAI_MODEL'] as const;
    const saved = names.map((name) => [name, process.env[name]] as const);
    try {
      setEnvironment({ OPENAI_API_KEY: 'sk-test-key', OPENAI_BASE_URL: fake.url, OPENAI_MODEL: 'gpt-test-mini' });
      expect(getAnalysisProvider().name).toBe('openai');
      fake.script(ok(sampleAnalysisOutput()));
      const result = await runAnalysis(input, context().ctx);
      expect(result.meta.provider).toBe('openai');
      expect(fake.requests[0]!.body.model).toBe('gpt-test-mini');

      setEnvironment({ OPENAI_API_KEY: '' });
      expect(getAnalysisProvider().name).toBe('offline');
    } finally {
      for (const [name, value] of saved) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      resetConfig();
    }
  });
});
