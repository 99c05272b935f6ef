// The offline letter writer through the pipeline: every template for every
// recipient it allows, from three different analyses, must give a valid letter
// that starts at the salutation, ends at the sign-off, shows ICD-10 codes only to
// physicians and insurers, and changes when any field of the request changes.
import { describe, expect, it } from 'vitest';
import { AnalysisFailure } from '@/lib/analysis/errors';
import type { AnalysisResult } from '@/lib/analysis/schema';
import { letterContentSchema, plainText, type LetterBlock, type LetterContent } from '@/lib/letters/content';
import { GENERIC_FOCUS, reasonLabel, referralFocusOptions } from '@/lib/letters/focus';
import { LETTER_TEMPLATES, TEMPLATE_RECIPIENTS, recipientSeesCodes, type LetterRequest } from '@/lib/letters/options';
import type { LetterStage, WrittenLetter } from '@/lib/letters/provider';
import { offlineLetterProvider, writeLetter } from '@/lib/letters/run';
import { FIXTURES, cardiologyAnalysis, draftInput, glaucomaAnalysis, letterRequest, sparseAnalysis } from '@/tests/fixtures/letters';

const SIGN_OFF = /^(With kind regards|Kind regards|Sincerely|Warm wishes|Best wishes),$/;
const ICD10 = /\b[A-Z][0-9][0-9A-Z]\.[0-9A-Z]{1,4}\b/;
/** Words a patient letter should not contain: clinical jargon and alarming words. */
const NOT_FOR_PATIENTS = [
  'bilateral',
  'intraocular',
  'IOP',
  'mmHg',
  'etiology',
  'idiopathic',
  'prognosis',
  'contralateral',
  'malignant',
  'neoplasm',
  'carcinoma',
  'lesion',
  'cancer',
  'tumor',
  'fatal',
  'death',
  'blind',
  'blindness',
  'emergency',
  'dangerous',
  'critical',
  'severe',
  'urgent',
  'life-threatening',
  'anticoagulation',
  'ICD',
];

function context() {
  const stages: LetterStage[] = [];
  return { stages, ctx: { signal: new AbortController().signal, onStage: (s: LetterStage) => void stages.push(s) } };
}

async function write(analysis: AnalysisResult, request: LetterRequest): Promise<WrittenLetter> {
  return writeLetter(draftInput(analysis, request), context().ctx, offlineLetterProvider);
}

const blockText = (block: LetterBlock): string => (block.type === 'list' ? block.items.map((i) => i.map((r) => r.text).join('')).join('\n') : block.runs.map((r) => r.text).join(''));
const body = (letter: WrittenLetter): string => plainText(letter.content);
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const headings = (content: LetterContent) => content.blocks.filter((b) => b.type === 'heading').map(blockText);

function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => /[a-z]/i.test(s));
}

describe.each(FIXTURES)('offline letters from the $name analysis', (fixture) => {
  for (const template of LETTER_TEMPLATES) {
    for (const recipient of TEMPLATE_RECIPIENTS[template]) {
      it(`writes a ${template} letter to ${recipient}`, async () => {
        const analysis = fixture.analysis();
        const letter = await write(analysis, letterRequest(template, recipient, { reason: fixture.reason }));
        expect(letterContentSchema.safeParse(letter.content).success).toBe(true);
        expect(letter.meta).toEqual({ provider: 'offline', model: expect.any(String), promptVersion: expect.any(String), language: 'en', repaired: false });

        const blocks = letter.content.blocks;
        expect(blocks[0]!.type).toBe('paragraph');
        expect(blockText(blocks[0]!)).toMatch(/^Dear \S.*,$/);
        expect(blocks.at(-1)!.type).toBe('paragraph');
        expect(blockText(blocks.at(-1)!)).toMatch(SIGN_OFF);
        expect(blocks.length).toBeGreaterThan(3);

        const text = `${letter.subject}\n${body(letter)}`;
        expect(text).not.toMatch(/\b(null|undefined|NaN)\b|\[object/);
        // The PDF prints the patient separately: the Re line never names them.
        if (analysis.patient.name) expect(letter.subject).not.toContain(analysis.patient.name);

        if (recipientSeesCodes(recipient) && fixture.codes.length > 0) {
          expect(text).toContain(fixture.codes[0]);
        } else {
          for (const code of fixture.codes) expect(text).not.toMatch(new RegExp(`(^|[^A-Z0-9.])${escape(code)}([^0-9A-Z]|$)`));
          expect(text).not.toMatch(ICD10);
        }

        if (recipient !== 'patient') {
          expect(text).toContain(analysis.patient.name ?? 'the patient');
        }

        if (template === 'patient_summary') {
          expect(text).not.toMatch(ICD10);
          for (const word of NOT_FOR_PATIENTS) expect(text.toLowerCase(), word).not.toMatch(new RegExp(`\\b${escape(word.toLowerCase())}\\b`));
          const list = sentences(body(letter));
          const average = list.reduce((n, s) => n + s.split(/\s+/).length, 0) / list.length;
          expect(average).toBeLessThan(20);
        }

        if (template === 'urgent_referral') {
          expect(letter.subject).toMatch(/^URGENT/);
          expect(blockText(blocks[1]!)).toMatch(/^URGENT/);
          const h = headings(letter.content);
          expect(h[0]).toBe('Critical findings');
          expect(h.indexOf('Critical findings')).toBeLessThan(h.indexOf('Assessment'));
        }
      });
    }
  }
});

describe('what each field of the request changes', () => {
  const analysis = glaucomaAnalysis();

  it('addresses the salutation to "to" and keeps credentials and departments out of it', async () => {
    const a = await write(analysis, letterRequest('referral', 'specialist', { to: 'Dr. Ana Silva, Glaucoma Service, City Eye Hospital' }));
    const b = await write(analysis, letterRequest('referral', 'specialist', { to: 'Prof. Marc Dubois MD FRCS (Retina)' }));
    expect(blockText(a.content.blocks[0]!)).toBe('Dear Dr. Silva,');
    expect(blockText(b.content.blocks[0]!)).toBe('Dear Prof. Dubois,');
    const insurer = await write(analysis, letterRequest('insurance', 'insurance', { to: 'BlueCross Utilization Review' }));
    expect(blockText(insurer.content.blocks[0]!)).toBe('Dear BlueCross Utilization Review,');
  });

  it('says "I saw" when the signer wrote the note, and names the author otherwise', async () => {
    const own = body(await write(analysis, letterRequest('referral', 'specialist', { from: 'Dr. Ana Ribeiro, MD' })));
    const colleague = body(await write(analysis, letterRequest('referral', 'specialist', { from: 'Dr. Luis Costa' })));
    expect(own).toContain('I recently saw Jane Doe at Lakeside Eye Clinic');
    expect(colleague).toContain('Jane Doe was recently seen at Lakeside Eye Clinic by Dr. Ana Ribeiro');
  });

  it('writes about the chosen diagnosis, or the "other" reason in its own words', async () => {
    const first = await write(analysis, letterRequest('referral', 'specialist', { reason: { kind: 'diagnosis', diagnosisNumber: 1 } }));
    const second = await write(analysis, letterRequest('referral', 'specialist', { reason: { kind: 'diagnosis', diagnosisNumber: 2 } }));
    const other = await write(analysis, letterRequest('referral', 'specialist', { reason: { kind: 'other', text: 'Sudden floaters in the left eye' } }));
    expect(body(first)).toContain('The reason for referral is primary open-angle glaucoma, bilateral, mild stage (H40.1131).');
    expect(body(second)).toContain('The reason for referral is age-related nuclear cataract, right eye (H25.11).');
    expect(second.subject).toContain('Age-related nuclear cataract');
    expect(body(other)).toContain('The reason for referral is sudden floaters in the left eye.');
    expect(other.subject).toContain('Sudden floaters in the left eye');
  });

  it('names the referral focus as the requested service in the opening and the subject', async () => {
    const without = await write(analysis, letterRequest('referral', 'specialist'));
    const focused = await write(analysis, letterRequest('referral', 'specialist', { referralFocus: 'Laser trabeculoplasty' }));
    expect(blockText(focused.content.blocks[1]!)).toContain('could see Jane Doe (72-year-old woman, date of birth 1953-05-02) for laser trabeculoplasty.');
    expect(focused.subject).toBe('Referral for laser trabeculoplasty — Primary open-angle glaucoma, bilateral, mild stage (H40.1131)');
    expect(body(without)).not.toContain('trabeculoplasty.');
    for (const template of ['urgent_referral', 'co_management', 'second_opinion', 'patient_summary'] as const) {
      const recipient = TEMPLATE_RECIPIENTS[template][0]!;
      const plain = body(await write(analysis, letterRequest(template, recipient)));
      const withFocus = body(await write(analysis, letterRequest(template, recipient, { referralFocus: 'Visual field and OCT monitoring' })));
      expect(withFocus, template).not.toBe(plain);
      // A patient reads the same service in everyday words.
      expect(withFocus.toLowerCase(), template).toContain(template === 'patient_summary' ? 'side vision test and eye scan monitoring' : 'visual field and oct monitoring');
    }
  });

  it('weaves special requests in as the writer’s own sentence, never quoted', async () => {
    for (const template of LETTER_TEMPLATES) {
      const recipient = TEMPLATE_RECIPIENTS[template][0]!;
      const plain = body(await write(analysis, letterRequest(template, recipient)));
      const text = body(await write(analysis, letterRequest(template, recipient, { specialRequests: 'Please check the angles with gonioscopy.' })));
      expect(text, template).not.toBe(plain);
      expect(text, template).toContain('check the angles with gonioscopy.');
      expect(text, template).not.toMatch(/["“”'‘’«»]\s*(please )?check the angles/i);
      expect(text, template).not.toMatch(/gonioscopy\.?["“”'‘’«»]/);
    }
    const clinician = body(await write(analysis, letterRequest('referral', 'specialist', { specialRequests: '"Please check the angles with gonioscopy"' })));
    expect(clinician).toContain('I would also be grateful if you could check the angles with gonioscopy.');
    expect(clinician).not.toContain('"');
    const statement = body(await write(analysis, letterRequest('referral', 'specialist', { specialRequests: 'Interpreter needed (Portuguese)' })));
    expect(statement).toContain('Please also note the following: interpreter needed (Portuguese).');
    const patient = body(await write(analysis, letterRequest('patient_summary', 'patient', { specialRequests: 'Remind her to bring all eye drops to the next visit' })));
    expect(patient).toContain('Please remember to bring all eye drops to the next visit.');
  });

  it('changes the wording with the tone of a patient letter', async () => {
    const letters = await Promise.all((['warm', 'professional', 'simple'] as const).map((tone) => write(analysis, letterRequest('patient_summary', 'patient', { tone }))));
    const [warm, professional, simple] = letters.map(body);
    expect(new Set([warm, professional, simple]).size).toBe(3);
    expect(warm).toContain('Thank you for coming to see us');
    expect(warm).toMatch(/Warm wishes,$/);
    expect(professional).toContain('This letter summarises your recent visit');
    expect(professional).toMatch(/Kind regards,$/);
    expect(simple).toContain('You came to see us at Lakeside Eye Clinic.');
    expect(simple).toMatch(/Best wishes,$/);
  });

  it('includes more with each detail level of a patient letter', async () => {
    for (const analysisOf of [glaucomaAnalysis, cardiologyAnalysis]) {
      const [brief, standard, detailed] = await Promise.all(
        (['brief', 'standard', 'detailed'] as const).map((detail) => write(analysisOf(), letterRequest('patient_summary', 'patient', { detail }))),
      );
      expect(body(brief!).length).toBeLessThan(body(standard!).length);
      expect(body(standard!).length).toBeLessThan(body(detailed!).length);
      expect(headings(detailed!.content)).toContain('When to call us');
      expect(headings(brief!.content)).not.toContain('Your medicines');
    }
    const detailed = body(await write(analysis, letterRequest('patient_summary', 'patient', { detail: 'detailed' })));
    expect(detailed).toContain('Eye pressure: right eye 26, left eye 19.');
    expect(detailed).toContain('You have glaucoma in both eyes.');
  });

  it('keeps alarming or unexplained clinical wording out of a patient letter', async () => {
    const base = glaucomaAnalysis();
    const analysis: AnalysisResult = {
      ...base,
      diagnoses: [{ ...base.diagnoses[0]!, label: 'Malignant melanoma of skin of back, severe', icd10Code: 'C43.59', laterality: 'n/a', severity: 'severe', urgency: 'urgent' }],
      plan: [{ ...base.plan[0]!, title: 'Urgent wide excision of lesion', bullets: ['Staging CT if margins involved'], timeline: 'Within 2 weeks' }],
      medications: [],
      warnings: [{ message: 'Suspected malignancy', severity: 'urgent', basis: 'Irregular pigmented lesion' }],
    };
    for (const detail of ['brief', 'standard', 'detailed'] as const) {
      const letter = await write(analysis, letterRequest('patient_summary', 'patient', { detail }));
      const text = `${letter.subject}\n${body(letter)}`.toLowerCase();
      for (const word of ['malignant', 'melanoma', 'severe', 'urgent', 'lesion', 'malignancy', 'c43']) expect(text, `${detail}: ${word}`).not.toContain(word);
      expect(text).toContain('you have a condition we will keep an eye on.');
    }
  });

  it('writes each kind of insurance letter with the procedure, insurer and justification', async () => {
    const base = { procedure: 'Selective laser trabeculoplasty, right eye', insurer: 'BlueCross', justification: null };
    const prior = await write(analysis, letterRequest('insurance', 'insurance', { ...base, insuranceLetterType: 'prior_auth' }));
    const necessity = await write(analysis, letterRequest('insurance', 'insurance', { ...base, insuranceLetterType: 'medical_necessity' }));
    const appeal = await write(analysis, letterRequest('insurance', 'insurance', { ...base, insuranceLetterType: 'appeal' }));
    expect(blockText(prior.content.blocks[1]!)).toMatch(/^I am writing to request prior authorisation from BlueCross for selective laser trabeculoplasty, right eye/);
    expect(blockText(necessity.content.blocks[1]!)).toMatch(/^I am writing to confirm that selective laser trabeculoplasty, right eye is medically necessary/);
    expect(blockText(appeal.content.blocks[1]!)).toMatch(/^I am writing to appeal BlueCross's decision to deny coverage/);
    expect(body(appeal)).toContain('Please reverse the denial');
    expect(prior.subject).toMatch(/^Prior authorisation: Selective laser trabeculoplasty, right eye — .*H40\.1131/);
    expect(appeal.subject).toMatch(/^Appeal of a denial:/);
    // The member number from the analysis identifies the patient to the insurer; the MRN does not go out.
    expect(body(prior)).toContain('Member ID BCX-7781-22');
    expect(body(prior)).not.toContain('LX-44120');
    // Alternatives tried come from the medications (a stopped drop) and the plan.
    expect(body(prior)).toContain('Brimonidine 0.2% eye drops: stopped');
    expect(headings(prior.content)).toEqual(['Diagnosis and ICD-10 codes', 'Objective findings', 'Treatment to date and alternatives tried', 'Medical necessity', 'Request']);

    const otherProcedure = body(await write(analysis, letterRequest('insurance', 'insurance', { ...base, procedure: 'Trabeculectomy with mitomycin C' })));
    expect(otherProcedure).toContain('trabeculectomy with mitomycin C');
    expect(otherProcedure).not.toContain('for selective laser trabeculoplasty');
    const otherInsurer = body(await write(analysis, letterRequest('insurance', 'insurance', { ...base, insurer: 'Aetna' })));
    expect(otherInsurer).toContain('from Aetna');
    const justified = body(await write(analysis, letterRequest('insurance', 'insurance', { ...base, justification: 'maximal tolerated medical therapy has failed to reach target pressure' })));
    expect(justified).toContain('Maximal tolerated medical therapy has failed to reach target pressure.');
  });

  it('writes English with a notice when another language is asked for', async () => {
    const letter = await write(analysis, letterRequest('referral', 'specialist', { language: 'pt' }));
    expect(letter.meta.language).toBe('en');
    expect(letter.notices).toContain('This letter is in English: writing in Português needs an AI provider (set OPENAI_API_KEY).');
    expect(body(letter)).toContain('I would be grateful');
    const english = await write(analysis, letterRequest('referral', 'specialist'));
    expect(english.notices).toEqual([]);
  });

  it('says "the patient" and adds a notice when the analysis has no name', async () => {
    const letter = await write(sparseAnalysis(), letterRequest('referral', 'specialist', { reason: { kind: 'other', text: 'Cough lasting three months' } }));
    expect(body(letter)).toContain('Thank you for seeing the patient.');
    expect(letter.notices.some((n) => n.includes('no patient name'))).toBe(true);
  });

  it('reports its stages and refuses a reason the analysis does not have', async () => {
    const { ctx, stages } = context();
    await writeLetter(draftInput(analysis, letterRequest('referral', 'specialist')), ctx, offlineLetterProvider);
    expect(stages).toEqual(['drafting', 'formatting']);
    const missing = await writeLetter(
      draftInput(analysis, letterRequest('referral', 'specialist', { reason: { kind: 'diagnosis', diagnosisNumber: 9 } })),
      context().ctx,
      offlineLetterProvider,
    ).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(AnalysisFailure);
    expect(missing).toMatchObject({ code: 'letter_reason_missing', retryable: false });
    expect((missing as AnalysisFailure).userMessage).toContain('diagnosis 9');
  });

  it('stops when the job is cancelled', async () => {
    const controller = new AbortController();
    controller.abort(new Error('cancelled'));
    await expect(writeLetter(draftInput(analysis, letterRequest('referral', 'specialist')), { signal: controller.signal, onStage: () => {} }, offlineLetterProvider)).rejects.toThrow('cancelled');
  });
});

describe('referral focus options and the reason label', () => {
  it('offers glaucoma services for a glaucoma diagnosis, ending with a generic choice', () => {
    const glaucoma = glaucomaAnalysis().diagnoses[0]!;
    const options = referralFocusOptions(glaucoma, 'ophthalmology');
    expect(options).toEqual([
      'Surgical evaluation (trabeculectomy or tube)',
      'Laser trabeculoplasty',
      'Visual field and OCT monitoring',
      'Second opinion on management',
      GENERIC_FOCUS,
    ]);
  });

  it('depends on the diagnosis code, the label without a code, and the specialty without a diagnosis', () => {
    const [af, htn, lipids] = cardiologyAnalysis().diagnoses;
    expect(referralFocusOptions(af!, 'cardiology')).toContain('Anticoagulation review');
    expect(referralFocusOptions(htn!, 'cardiology')).toContain('Evaluation of resistant hypertension');
    expect(referralFocusOptions(lipids!, 'cardiology')).toContain('Lipid management');
    const cataract = glaucomaAnalysis().diagnoses[1]!;
    expect(referralFocusOptions(cataract, 'ophthalmology')).toContain('Cataract surgery evaluation');
    // Diabetic eye disease (E11.3x) is more specific than diabetes (E11).
    expect(referralFocusOptions({ ...cataract, label: 'Type 2 diabetes with mild nonproliferative retinopathy', icd10Code: 'E11.3291' }, 'ophthalmology')).toContain('Retinal evaluation and grading');
    expect(referralFocusOptions({ ...cataract, label: 'Type 2 diabetes mellitus', icd10Code: 'E11.9' }, 'endocrinology')).toContain('Insulin initiation or adjustment');
    expect(referralFocusOptions({ ...cataract, label: 'Glaucoma suspect, both eyes', icd10Code: null }, 'ophthalmology')).toContain('Laser trabeculoplasty');
    // A code no rule knows falls back to its chapter's specialty.
    expect(referralFocusOptions({ ...cataract, label: 'Blepharitis', icd10Code: 'H01.001' }, 'other')).toContain('Comprehensive eye examination');
    expect(referralFocusOptions(null, 'cardiology')).toEqual(['Cardiology assessment', 'Echocardiography', 'Ambulatory ECG monitoring', GENERIC_FOCUS]);
  });

  it('always gives 3–6 options ending with the generic one', () => {
    const template = glaucomaAnalysis().diagnoses[0]!;
    const codes = ['H40.1131', 'H25.11', 'H35.31', 'I10', 'I48.0', 'I50.9', 'E11.9', 'E03.9', 'J45.909', 'G43.909', 'M17.11', 'K21.9', 'L40.0', 'F32.9', 'N18.3', 'Z00.00', 'R05.9'];
    for (const code of codes) {
      const options = referralFocusOptions({ ...template, label: 'Condition', icd10Code: code }, 'other');
      expect(options.length, code).toBeGreaterThanOrEqual(3);
      expect(options.length, code).toBeLessThanOrEqual(6);
      expect(options.at(-1)).toBe(GENERIC_FOCUS);
      expect(new Set(options).size).toBe(options.length);
    }
  });

  it('labels the reason with the code only for readers who see codes', () => {
    const analysis = glaucomaAnalysis();
    expect(reasonLabel(letterRequest('referral', 'specialist'), analysis)).toBe('Primary open-angle glaucoma, bilateral, mild stage (H40.1131)');
    expect(reasonLabel(letterRequest('referral', 'other'), analysis)).toBe('Primary open-angle glaucoma, bilateral, mild stage');
    expect(reasonLabel(letterRequest('patient_summary', 'patient'), analysis)).toBe('Primary open-angle glaucoma, bilateral, mild stage');
    expect(reasonLabel(letterRequest('referral', 'specialist', { reason: { kind: 'other', text: 'Second opinion on drops' } }), analysis)).toBe('Second opinion on drops');
  });
});
