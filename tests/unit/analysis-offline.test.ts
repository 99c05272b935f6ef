// End-to-end tests of the offline analyzer on short synthetic notes (written for
// these tests), including one with line breaks replaced by commas. Every output
// must pass the provider-output schema.
import { describe, expect, it } from 'vitest';
import { isBillableIcd10 } from '@/lib/analysis/icd10';
import { analyzeOffline, offlineProvider, OFFLINE_MODEL, OFFLINE_PROMPT_VERSION } from '@/lib/analysis/offline';
import type { AnalysisStage } from '@/lib/analysis/provider';
import { providerOutputSchema, type ProviderOutput, type Specialty } from '@/lib/analysis/schema';

const FIXTURES: Record<string, { text: string; specialty: Specialty }> = {
  glaucoma: {
    specialty: 'ophthalmology',
    text: `Patient: Maria Example
DOB: 02/11/1956
MRN: 7781234
Chief complaint: Follow-up of glaucoma, blurry vision at distance.
HPI: 69-year-old woman with primary open-angle glaucoma on timolol. Reports good adherence. No eye pain.
Medications: Timolol 0.5% 1 drop OU BID; metformin 500 mg twice daily
Allergies: NKDA
Exam:
Visual acuity: OD 20/40, OS 20/25
IOP: 26 OD, 19 OS by applanation
Optic nerves: cup-to-disc 0.8 OD with inferior notching, 0.5 OS
Lens: 2+ nuclear sclerosis OU
Assessment:
1. Primary open-angle glaucoma, right eye, moderate stage
2. Age-related nuclear cataract, both eyes
3. Type 2 diabetes mellitus without retinopathy
Plan:
1. Glaucoma: add latanoprost 0.005% 1 drop OD at bedtime; recheck IOP in 6 weeks.
2. Cataract: monitor; discuss surgery when vision limits daily activities.
3. Follow up in 6 weeks with visual fields.
Electronically signed by Ana Reyes, MD`,
  },
  primaryCare: {
    specialty: 'primary_care',
    text: `CHIEF COMPLAINT: Annual physical and blood pressure check.
HISTORY OF PRESENT ILLNESS: 58-year-old man with hypertension and hyperlipidemia. Denies chest pain, shortness of breath or palpitations. Father had a myocardial infarction at 60.
MEDICATIONS: Lisinopril 10 mg p.o. daily, atorvastatin 20 mg nightly.
ALLERGIES: Penicillin (rash).
VITAL SIGNS: BP 152/94, HR 78, RR 14, Temp 98.6 F, Weight 210 lb, Height 5 ft 10 in, SpO2 97%.
LABS: HbA1c 6.1%, LDL 142 mg/dL, creatinine 0.9 mg/dL, potassium 4.2.
ASSESSMENT:
1. Essential hypertension, not at goal.
2. Hyperlipidemia.
3. Prediabetes.
PLAN:
1. Increase lisinopril to 20 mg daily; home blood pressure log.
2. Continue atorvastatin; repeat lipid panel in 3 months.
3. Diet and exercise counselling for prediabetes.
4. Return to clinic in 3 months.`,
  },
  psychiatry: {
    specialty: 'psychiatry',
    text: `Reason for referral: Worsening depression.
HPI: 34-year-old woman with 2 months of low mood, poor sleep and hopelessness. She reports suicidal ideation without a plan. PHQ-9 score of 21. Denies hallucinations.
Past psychiatric history: One prior episode of depression at age 25.
Medications: Sertraline 50 mg daily.
Allergies: No known drug allergies.
Mental status exam: Tearful, depressed affect, linear thought process.
Assessment: Major depressive disorder, recurrent, severe, without psychotic features.
Plan: Increase sertraline to 100 mg daily. Safety plan completed with the patient; crisis line given. Weekly psychotherapy. Follow up in 1 week.`,
  },
  cardiology: {
    specialty: 'cardiology',
    text: `CARDIOLOGY CONSULTATION
Reason for consultation: Palpitations and new atrial fibrillation.
HPI: 71-year-old man with paroxysmal atrial fibrillation found on Holter monitoring. Echocardiogram showed ejection fraction 40% with mild mitral regurgitation.
Vitals: BP 128/76, pulse 132, SpO2 96%.
Medications: Metoprolol succinate 25 mg daily, aspirin 81 mg daily.
Allergies: NKDA.
Impression:
1. Paroxysmal atrial fibrillation with rapid ventricular response.
2. Heart failure with reduced ejection fraction, chronic.
3. Mild mitral regurgitation.
Recommendations:
1. Start apixaban 5 mg twice daily for stroke prevention; stop aspirin.
2. Increase metoprolol succinate to 50 mg daily for rate control.
3. Repeat echocardiogram in 3 months.
Sincerely,
Dr. Samuel Ortiz, MD`,
  },
  orthopedicsCommas: {
    specialty: 'orthopedics',
    text: 'HISTORY OF PRESENT ILLNESS:,  The patient is a 66-year-old female with left knee pain for 2 years, worse with stairs.,PAST MEDICAL HISTORY:,  Hypertension.,MEDICATIONS:,  Naproxen 500 mg b.i.d.,ALLERGIES:,  NKDA.,PHYSICAL EXAMINATION:,  Left knee: Medial joint line tenderness, crepitus, small effusion.  Range of motion 5 to 110 degrees.,X-RAYS:,  Standing films show medial joint space narrowing of the left knee.,IMPRESSION:,  Primary osteoarthritis of the left knee, moderate.,PLAN:,1.  Corticosteroid injection to the left knee today.,2.  Physical therapy for quadriceps strengthening.,3.  Follow up in 6 weeks.',
  },
  noAssessment: {
    specialty: 'pulmonology',
    text: `Chief complaint: Shortness of breath.
HPI: 66-year-old smoker with COPD exacerbation for 3 days, productive cough and wheezing. Oxygen saturation 88% on room air. No fever. Family history of lung cancer in his father.`,
  },
};

const analyze = (key: keyof typeof FIXTURES, chosen: Specialty | null = null) => analyzeOffline({ text: FIXTURES[key]!.text, specialty: chosen });

describe('analyzeOffline on synthetic notes', () => {
  it.each(Object.keys(FIXTURES))('%s: passes the schema, detects the specialty and emits only billable codes', (key) => {
    const out = analyzeOffline({ text: FIXTURES[key]!.text, specialty: null });
    expect(providerOutputSchema.safeParse(out).success).toBe(true);
    expect(out.detectedSpecialty).toBe(FIXTURES[key]!.specialty);
    for (const d of out.diagnoses) if (d.icd10Code) expect(isBillableIcd10(d.icd10Code), d.icd10Code).toBe(true);
    for (const r of out.references) expect(r.number).toBeGreaterThan(0);
    const refNumbers = new Set(out.references.map((r) => r.number));
    for (const n of [...out.diagnoses.flatMap((d) => d.referenceNumbers), ...out.plan.flatMap((p) => p.referenceNumbers)]) expect(refNumbers.has(n)).toBe(true);
    const dxNumbers = new Set(out.diagnoses.map((d) => d.number));
    for (const n of out.plan.flatMap((p) => p.diagnosisNumbers)) expect(dxNumbers.has(n)).toBe(true);
  });

  it('is deterministic', () => {
    expect(analyze('glaucoma')).toEqual(analyze('glaucoma'));
  });

  it('reads an ophthalmology note: laterality-specific codes, eye values, warnings, plan links', () => {
    const out = analyze('glaucoma');
    expect(out.diagnoses.map((d) => [d.label, d.icd10Code])).toEqual([
      ['Primary open-angle glaucoma, right eye, moderate stage', 'H40.1112'],
      ['Age-related nuclear cataract, bilateral', 'H25.13'],
      ['Type 2 diabetes mellitus without complications', 'E11.9'],
      // Added by coding rule from the medication list (metformin with diabetes).
      ['Long-term (current) use of oral hypoglycemic drugs', 'Z79.84'],
    ]);
    expect(out.diagnoses[0]!.icd10Description).toBe('Primary open-angle glaucoma, right eye, moderate stage');
    expect(out.clinicalValues.eye).toEqual({ visualAcuity: { right: '20/40', left: '20/25' }, intraocularPressure: { right: 26, left: 19 }, refraction: { right: null, left: null } });
    expect(out.warnings.map((w) => w.message)).toEqual(['Intraocular pressure above 21 mmHg (right eye 26)']);
    expect(out.diagnoses[0]!.urgency).toBe('soon');
    expect(out.unaddressedFindings).toEqual([]);
    expect(out.plan[0]).toMatchObject({ title: 'Glaucoma', diagnosisNumbers: [1], timeline: 'in 6 weeks' });
    expect(out.plan[1]!.diagnosisNumbers).toEqual([2]);
    expect(out.followUp).toBe('Follow up in 6 weeks with visual fields');
    expect(out.medications).toEqual([
      { name: 'Timolol', dose: '0.5%', frequency: '1 drop OU BID', status: 'current' },
      { name: 'Metformin', dose: '500 mg', frequency: 'twice daily', status: 'current' },
      { name: 'Latanoprost', dose: '0.005%', frequency: '1 drop OD at bedtime', status: 'new' },
    ]);
    expect(out.allergies).toEqual(['No known drug allergies']);
    expect(out.patient).toMatchObject({ name: 'Maria Example', dateOfBirth: '02/11/1956', age: 69, sex: 'female', identifiers: [{ kind: 'MRN', value: '7781234' }] });
    expect(out.provider.name).toBe('Ana Reyes, MD');
    expect(out.references.map((r) => r.citation).join(' ')).toMatch(/Primary Open-Angle Glaucoma Preferred Practice Pattern/);
    expect(out.diagnoses[0]!.referenceNumbers.length).toBeGreaterThan(0);
    expect(out.plan[0]!.referenceNumbers).toEqual(out.diagnoses[0]!.referenceNumbers);
  });

  it('reads a primary-care note: vitals in schema units, labs, status changes, differential from findings', () => {
    const out = analyze('primaryCare');
    expect(out.vitals).toEqual({ bloodPressure: { systolic: 152, diastolic: 94 }, heartRate: 78, respiratoryRate: 14, temperatureC: 37, weightKg: 95.3, heightCm: 177.8, bmi: 30.1, spo2: 97 });
    expect(out.diagnoses.map((d) => d.icd10Code)).toEqual(['I10', 'E78.5', 'R73.03']);
    // The father's infarction is not the patient's; denied chest pain is not a problem.
    expect(out.diagnoses.map((d) => d.label).join(' ')).not.toMatch(/infarction|chest pain/i);
    expect(out.clinicalValues.labs.find((l) => l.name === 'LDL cholesterol')).toMatchObject({ value: '142', abnormal: true });
    expect(out.medications.find((m) => m.name === 'Lisinopril')).toMatchObject({ status: 'changed', dose: '20 mg' });
    expect(out.allergies).toEqual(['Penicillin (rash)']);
    expect(out.warnings.map((w) => w.message)).toEqual(['Elevated blood pressure (152/94)']);
    expect(out.suggestedDiagnoses.map((s) => s.label)).toContain('Obesity');
    expect(out.plan[0]!.diagnosisNumbers).toEqual([1]);
    expect(out.followUp).toBe('Return to clinic in 3 months');
    expect(out.quality.issues).not.toContain('No allergies documented');
  });

  it('reads a psychiatry note: severity and recurrence in the code, suicidal ideation as an emergent warning', () => {
    const out = analyze('psychiatry');
    expect(out.diagnoses[0]).toMatchObject({ icd10Code: 'F33.2', severity: 'severe', urgency: 'emergent' });
    expect(out.warnings.find((w) => w.message === 'Suicidal ideation documented')?.severity).toBe('emergent');
    // The plan has a safety plan, so the warning is addressed.
    expect(out.unaddressedFindings.map((u) => u.finding)).not.toContain('Suicidal ideation documented');
    expect(out.clinicalValues.other).toContainEqual({ name: 'PHQ-9', value: '21', unit: 'points', abnormal: true });
    expect(out.medications[0]).toMatchObject({ name: 'Sertraline', status: 'changed', dose: '100 mg' });
  });

  it('reads a cardiology consultation: subtype codes, new and stopped drugs, tachycardia warning', () => {
    const out = analyze('cardiology');
    expect(out.documentType).toBe('consultation_report');
    expect(out.diagnoses.map((d) => d.icd10Code)).toEqual(['I48.0', 'I50.22', 'I34.0']);
    const meds = Object.fromEntries(out.medications.map((m) => [m.name.toLowerCase(), m.status]));
    expect(meds).toMatchObject({ apixaban: 'new', aspirin: 'discontinued', 'metoprolol succinate': 'changed' });
    expect(out.warnings.map((w) => w.message)).toContain('Tachycardia (heart rate 132)');
    expect(out.clinicalValues.other).toContainEqual({ name: 'Ejection fraction', value: '40', unit: '%', abnormal: true });
    expect(out.provider.name).toBe('Dr. Samuel Ortiz, MD');
    expect(out.diagnoses.map((d) => d.label)).not.toContain('Sincerely');
  });

  it('copes with line breaks replaced by commas', () => {
    const out = analyze('orthopedicsCommas');
    expect(out.diagnoses.map((d) => [d.label, d.icd10Code, d.laterality, d.severity])).toEqual([['Unilateral primary osteoarthritis, left knee, moderate', 'M17.12', 'left', 'moderate']]);
    expect(out.plan.map((p) => p.title)).toEqual(['Corticosteroid injection to the left knee today', 'Physical therapy for quadriceps strengthening', 'Follow up in 6 weeks']);
    expect(out.plan[0]!.diagnosisNumbers).toEqual([1]);
    expect(out.medications).toEqual([{ name: 'Naproxen', dose: '500 mg', frequency: 'b.i.d', status: 'current' }]);
    expect(out.examFindings.flatMap((g) => g.findings).some((f) => f.abnormal)).toBe(true);
    expect(out.patient).toMatchObject({ age: 66, sex: 'female' });
  });

  it('finds diagnoses in the text when there is no assessment, and reports the documentation gaps', () => {
    const out = analyze('noAssessment');
    expect(out.diagnoses.map((d) => d.icd10Code)).toEqual(['J44.1']);
    expect(out.diagnoses.map((d) => d.label).join(' ')).not.toMatch(/lung cancer/i);
    expect(out.warnings.map((w) => w.message)).toEqual(['Low oxygen saturation (88%)']);
    expect(out.unaddressedFindings.map((u) => u.finding)).toEqual(['Low oxygen saturation (88%)']);
    expect(out.quality.issues).toEqual(expect.arrayContaining(['No separate assessment or impression section', 'No plan documented', 'No allergies documented']));
    expect(out.quality.level).toBe(out.quality.score >= 85 ? 'excellent' : out.quality.score >= 70 ? 'good' : out.quality.score >= 50 ? 'fair' : 'poor');
    expect(out.references.some((r) => /Chronic Obstructive/i.test(r.citation))).toBe(true);
  });

  it('lets the chosen specialty win', () => {
    expect(analyze('glaucoma', 'primary_care').detectedSpecialty).toBe('primary_care');
  });

  it('handles empty and non-clinical text without failing the schema', () => {
    for (const text of ['', '   ', 'Lorem ipsum dolor sit amet.', '1. 2. 3.', 'A'.repeat(20_000)]) {
      const out: ProviderOutput = analyzeOffline({ text, specialty: null });
      expect(providerOutputSchema.safeParse(out).success).toBe(true);
      expect(out.diagnoses).toEqual([]);
    }
  });
});

describe('offlineProvider', () => {
  it('reports each stage in order and returns its model and prompt version', async () => {
    const stages: AnalysisStage[] = [];
    const result = await offlineProvider.analyze({ text: FIXTURES.glaucoma!.text, specialty: null }, { signal: new AbortController().signal, onStage: (s) => void stages.push(s) });
    expect(offlineProvider.name).toBe('offline');
    expect(stages).toEqual(['analyzing', 'structuring', 'references', 'validating']);
    expect(result).toMatchObject({ model: OFFLINE_MODEL, promptVersion: OFFLINE_PROMPT_VERSION });
    expect(providerOutputSchema.parse(result.output)).toEqual(analyzeOffline({ text: FIXTURES.glaucoma!.text, specialty: null }));
  });

  it('stops at the next stage boundary when aborted, with the signal reason', async () => {
    const controller = new AbortController();
    const reason = new Error('canceled by user');
    const stages: AnalysisStage[] = [];
    const run = offlineProvider.analyze({ text: FIXTURES.glaucoma!.text, specialty: null }, {
      signal: controller.signal,
      onStage: (s) => {
        stages.push(s);
        if (s === 'structuring') controller.abort(reason);
      },
    });
    await expect(run).rejects.toBe(reason);
    expect(stages).toEqual(['analyzing', 'structuring']);
  });

  it('throws an AbortError when aborted without a reason that is an Error', async () => {
    const controller = new AbortController();
    controller.abort('stop');
    await expect(offlineProvider.analyze({ text: 'x', specialty: null }, { signal: controller.signal, onStage: () => {} })).rejects.toMatchObject({ name: 'AbortError' });
  });
});
