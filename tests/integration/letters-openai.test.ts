// The OpenAI letter writer through the real SDK against the scripted fake
// server: the structured-output request (language, codes rule, no meta),
// success, repair, clean failures, and logs without PHI.
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AnalysisFailure } from '@/lib/analysis/errors';
import { resetConfig, setEnvironment, type Config } from '@/lib/config';
import { plainText } from '@/lib/letters/content';
import { createOpenAILetterProvider } from '@/lib/letters/openai';
import type { LetterRequest } from '@/lib/letters/options';
import { LETTER_PROMPT_VERSION } from '@/lib/letters/prompt';
import type { LetterStage } from '@/lib/letters/provider';
import { getLetterProvider, writeLetter } from '@/lib/letters/run';
import { draftInput, glaucomaAnalysis, letterRequest } from '@/tests/fixtures/letters';
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

const PT_OUTPUT = {
  subject: 'Encaminhamento para avaliação de glaucoma — olho direito',
  salutation: 'Cara Dra. Silva,',
  sections: [
    { heading: null, paragraphs: ['Agradeço que veja a Sra. Jane Doe para trabeculoplastia a laser.'], bullets: [] },
    { heading: 'Exame', paragraphs: ['Pressão intraocular de 26 mmHg no olho direito.'], bullets: ['Escavação 0,75 no olho direito', 'Glaucoma primário de ângulo aberto (H40.1131)'] },
  ],
  closing: 'Com os melhores cumprimentos,',
};

function context() {
  const stages: LetterStage[] = [];
  return { stages, ctx: { signal: new AbortController().signal, onStage: (s: LetterStage) => void stages.push(s) } };
}

function write(request: LetterRequest, provider = createOpenAILetterProvider(settings())) {
  return writeLetter(draftInput(glaucomaAnalysis(), request), context().ctx, provider);
}

function sent(index = 0) {
  const body = fake.requests[index]!.body;
  const messages = body.messages ?? [];
  return { body, system: messages.find((m) => m.role === 'system')!.content, user: messages.find((m) => m.role === 'user')!.content };
}

describe('OpenAI letter writer', () => {
  it('asks for the requested language with a strict structured-output schema and converts the answer', async () => {
    fake.script(ok(PT_OUTPUT, 'gpt-test-mini-2026'));
    const { ctx, stages } = context();
    const request = letterRequest('referral', 'specialist', { language: 'pt', referralFocus: 'Laser trabeculoplasty', specialRequests: 'Please check the angles' });
    const letter = await writeLetter(draftInput(glaucomaAnalysis(), request), ctx, createOpenAILetterProvider(settings()));

    expect(stages).toEqual(['drafting', 'formatting']);
    expect(letter.meta).toEqual({ provider: 'openai', model: 'gpt-test-mini-2026', promptVersion: LETTER_PROMPT_VERSION, language: 'pt', repaired: false });
    expect(letter.notices).toEqual([]);
    expect(letter.subject).toBe(PT_OUTPUT.subject);
    expect(plainText(letter.content)).toBe(
      [
        'Cara Dra. Silva,',
        'Agradeço que veja a Sra. Jane Doe para trabeculoplastia a laser.',
        'Exame',
        'Pressão intraocular de 26 mmHg no olho direito.',
        '- Escavação 0,75 no olho direito\n- Glaucoma primário de ângulo aberto (H40.1131)',
        'Com os melhores cumprimentos,',
      ].join('\n\n'),
    );

    const { body, system, user } = sent();
    expect(body.model).toBe('gpt-test-mini');
    expect(body.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'clinical_letter', strict: true } });
    const schema = JSON.stringify(body.response_format!.json_schema!.schema);
    expect(schema).toContain('"salutation"');
    expect(schema).not.toContain('minLength');
    expect(user).toContain('in Português (pt)');
    expect(user).toContain('include the ICD-10 code of each diagnosis');
    expect(user).toContain('H40.1131');
    expect(user).toContain('"referralFocus":"Laser trabeculoplasty"');
    expect(user).toContain('"specialRequests":"Please check the angles"');
    expect(user).toContain('"date":"2026-11-30"');
    // The analysis goes without its meta (provider, checksum).
    expect(user).not.toContain('inputChecksum');
    expect(system).toContain('never quote them');
    expect(system).toMatch(/no HTML/);
  });

  it('tells the model not to use codes for a patient, sends no codes, and removes any it writes', async () => {
    fake.script(
      ok({
        subject: 'Your visit (H40.1131)',
        salutation: 'Dear Mrs Doe,',
        sections: [{ heading: null, paragraphs: ['You have glaucoma (H40.1131) in both eyes.'], bullets: [] }],
        closing: 'Warm wishes,',
      }),
    );
    const letter = await write(letterRequest('patient_summary', 'patient', { tone: 'simple', detail: 'brief' }));
    const { user } = sent();
    expect(user).toContain('do not include ICD-10 codes');
    expect(user).not.toMatch(/H40\.1131|H25\.11|H401131/);
    expect(user).toContain('Tone: Simple');
    expect(user).toContain('Detail: Brief');
    expect(user).toContain('Write to the patient as "you".');
    expect(letter.subject).toBe('Your visit');
    expect(plainText(letter.content)).toContain('You have glaucoma in both eyes.');
    expect(plainText(letter.content)).not.toContain('H40');
  });

  it('sends the insurance fields for an insurance letter', async () => {
    fake.script(ok({ ...PT_OUTPUT, subject: 'Prior authorization', salutation: 'Dear Reviewer,', closing: 'Sincerely,' }));
    await write(letterRequest('insurance', 'insurance', { insuranceLetterType: 'appeal', procedure: 'Trabeculectomy', insurer: 'Aetna', justification: 'Drops failed' }));
    const { user } = sent();
    expect(user).toContain('Insurance letter type: Appeal of a denial.');
    expect(user).toContain('"procedure":"Trabeculectomy"');
    expect(user).toContain('"insurer":"Aetna"');
    expect(user).toContain('"justification":"Drops failed"');
  });

  it('repairs a malformed answer once and marks it repaired', async () => {
    fake.script(malformed({ subject: 'Referral', sections: [{ heading: 'Findings', paragraphs: 'Pressure 26 mmHg.', bullets: null }] }));
    const letter = await write(letterRequest('referral', 'specialist'));
    expect(letter.meta.repaired).toBe(true);
    expect(plainText(letter.content)).toBe('Dear Dr. Silva,\n\nFindings\n\nPressure 26 mmHg.\n\nWith kind regards,');
    expect(letter.notices.some((n) => n.includes('needed repair'))).toBe(true);
  });

  it('fails cleanly on unreadable output and on a rejected key', async () => {
    fake.script(invalidJson());
    const bad = await write(letterRequest('referral', 'specialist')).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(AnalysisFailure);
    expect(bad).toMatchObject({ code: 'letter_invalid', retryable: false });

    fake.script(status(401, { message: 'Incorrect API key provided: sk-test-key' }));
    const auth = await write(letterRequest('referral', 'specialist')).catch((e: unknown) => e);
    expect(auth).toBeInstanceOf(AnalysisFailure);
    expect(auth).toMatchObject({ code: 'ai_auth_failed', retryable: false });
    expect((auth as AnalysisFailure).userMessage).toContain('OPENAI_API_KEY');
    expect(String((auth as Error).message)).not.toContain('Jane');
  });

  it('logs the model, tokens, duration and status but nothing from the letter', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const log = pino({ level: 'info' }, sink);
    fake.script(ok(PT_OUTPUT), status(401, { message: 'Incorrect API key provided: sk-test-key' }));
    const provider = createOpenAILetterProvider(settings(), { log });
    await write(letterRequest('referral', 'specialist'), provider);
    await write(letterRequest('referral', 'specialist'), provider).catch(() => undefined);
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({ model: 'gpt-test-mini', status: 200, promptTokens: 1200, completionTokens: 800 });
    expect(entries[1]).toMatchObject({ model: 'gpt-test-mini', status: 401, failure: 'ai_auth_failed' });
    const all = lines.join('\n').toLowerCase();
    for (const secret of ['Jane Doe', 'BCX-7781', 'glaucoma', 'trabeculoplastia', 'Dra. Silva', 'sk-test-key']) expect(all).not.toContain(secret.toLowerCase());
  });
});

describe('getLetterProvider', () => {
  it('uses OpenAI when OPENAI_API_KEY is set and the offline writer otherwise', () => {
    const names = ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'OPENAI_MODEL'] as const;
    const saved = names.map((name) => [name, process.env[name]] as const);
    try {
      setEnvironment({ OPENAI_API_KEY: 'sk-test-key', OPENAI_BASE_URL: fake.url, OPENAI_MODEL: 'gpt-test-mini' });
      expect(getLetterProvider().name).toBe('openai');
      setEnvironment({ OPENAI_API_KEY: '' });
      expect(getLetterProvider().name).toBe('offline');
    } finally {
      for (const [name, value] of saved) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      resetConfig();
    }
  });
});
