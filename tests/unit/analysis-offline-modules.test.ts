// Unit tests of the offline analyzer's stages, on short synthetic snippets.
import { describe, expect, it } from 'vitest';
import { lateralityIn, mentionContext, severityIn } from '@/lib/analysis/offline/context';
import { assessmentItems, extractDiagnoses, findMentions } from '@/lib/analysis/offline/diagnoses';
import { extractEye, extractExamFindings, extractLabs, extractOtherMeasurements, extractVitals } from '@/lib/analysis/offline/measurements';
import { extractAllergies, extractMedications } from '@/lib/analysis/offline/medications';
import { normalizeText, splitSentences } from '@/lib/analysis/offline/normalize';
import { extractPatient, extractProvider } from '@/lib/analysis/offline/patient';
import { extractFollowUp, extractPlan, timelineOf } from '@/lib/analysis/offline/plan';
import { assessQuality } from '@/lib/analysis/offline/quality';
import { detectSections } from '@/lib/analysis/offline/sections';
import { detectDocumentType, detectSpecialty } from '@/lib/analysis/offline/specialty';
import { detectWarnings, unaddressedFindings } from '@/lib/analysis/offline/warnings';
import { referencesForTopics } from '@/lib/analysis/references';

const sectionsOf = (text: string) => detectSections(normalizeText(text));
const noVitals = { bloodPressure: null, heartRate: null, respiratoryRate: null, temperatureC: null, weightKg: null, heightCm: null, bmi: null, spo2: null };

describe('normalizeText', () => {
  it('restores line breaks that were replaced by commas', () => {
    const text = normalizeText('HISTORY OF PRESENT ILLNESS:,  The patient has knee pain.,PLAN:,1.  Ice.,2.  Follow up in 2 weeks.');
    expect(text.split('\n')).toEqual(['HISTORY OF PRESENT ILLNESS:', 'The patient has knee pain.', 'PLAN:', '1. Ice.', '2. Follow up in 2 weeks.']);
  });

  it('leaves ordinary commas and decimals alone', () => {
    expect(normalizeText('Sister aged 12, 11, and 10; creatinine 1.2 mg/dL.')).toBe('Sister aged 12, 11, and 10; creatinine 1.2 mg/dL.');
  });

  it('splits sentences without breaking on abbreviations', () => {
    expect(splitSentences('Seen by Dr. Smith today. Lisinopril 10 mg p.o. daily. Return in 3 months.')).toEqual(['Seen by Dr. Smith today', 'Lisinopril 10 mg p.o. daily', 'Return in 3 months.']);
  });
});

describe('detectSections', () => {
  it('finds the standard sections, with inline and upper-case headings', () => {
    const s = sectionsOf('Chief complaint: Blurry vision\nHPI: 3 months of blur.\nPAST MEDICAL HISTORY: Diabetes.\nFamily history: Father with glaucoma.\nMedications: Metformin 500 mg BID\nAllergies: NKDA\nVitals: BP 120/80\nExam:\nLungs: clear\nAssessment:\n1. Cataract OU\nPlan: Refer for surgery.');
    expect(s.map((x) => x.kind)).toEqual(['chief_complaint', 'hpi', 'past_medical', 'family', 'medications', 'allergies', 'vitals', 'exam', 'assessment', 'plan']);
    expect(s.find((x) => x.kind === 'exam')!.body).toContain('Lungs: clear');
  });

  it('keeps exam subheadings inside the exam, even after vital signs', () => {
    const s = sectionsOf('PHYSICAL EXAM:,Vital Signs:  BP 130/80.,HEENT:  Normal.,LUNGS:  Clear.,IMPRESSION:,Asthma.');
    expect(s.map((x) => x.kind)).toEqual(['exam', 'vitals', 'exam', 'assessment']);
    expect(s[2]!.body).toContain('LUNGS: Clear');
  });

  it('recognises combined assessment and plan', () => {
    expect(sectionsOf('ASSESSMENT AND PLAN: Hypertension, continue lisinopril.')[0]!.kind).toBe('assessment_plan');
  });
});

describe('mention context', () => {
  const ctx = (text: string, term: string) => {
    const i = text.indexOf(term);
    return mentionContext(text, i, i + term.length);
  };

  it('detects negation across a denial list but not past "but"', () => {
    expect(ctx('She denies fever, chills, nausea, vomiting, diarrhea and chest pain.', 'chest pain').negated).toBe(true);
    expect(ctx('No evidence of glaucoma.', 'glaucoma').negated).toBe(true);
    expect(ctx('Pneumonia was ruled out.', 'Pneumonia').negated).toBe(true);
    expect(ctx('No fever but has chest pain.', 'chest pain').negated).toBe(false);
  });

  it('detects family history, history-of and hedged wording', () => {
    expect(ctx('Mother had breast cancer and diabetes.', 'diabetes').family).toBe(true);
    expect(ctx('History of myocardial infarction in 2010.', 'myocardial infarction').historical).toBe(true);
    expect(ctx('Possible early glaucoma.', 'glaucoma')).toMatchObject({ uncertain: true, hedge: 'possible' });
    expect(ctx('Findings consistent with pneumonia.', 'pneumonia')).toMatchObject({ uncertain: true, hedge: 'likely' });
    expect(ctx('Type 2 diabetes, well controlled.', 'diabetes')).toMatchObject({ negated: false, family: false, historical: false, uncertain: false });
  });

  it('reads laterality and severity', () => {
    expect(lateralityIn('POAG OD', 'eye')).toBe('right');
    expect(lateralityIn('cataract OS', 'eye')).toBe('left');
    expect(lateralityIn('drusen OU', 'eye')).toBe('bilateral');
    expect(lateralityIn('right and left knees', 'body')).toBe('bilateral');
    expect(lateralityIn('knee osteoarthritis', 'body')).toBe('n/a');
    expect(lateralityIn('pain in OS', 'body')).toBe('n/a');
    expect(severityIn('moderate stage')).toBe('moderate');
    expect(severityIn('severe persistent asthma')).toBe('severe');
    expect(severityIn('stable')).toBe('unspecified');
  });
});

describe('diagnoses', () => {
  it('keeps the longest mention and ignores words inside others', () => {
    expect(findMentions('Primary open-angle glaucoma of both eyes').map((m) => m.concept.id)).toEqual(['poag']);
    expect(findMentions('diabetic retinopathy').map((m) => m.concept.id)).toEqual(['diabetic_retinopathy']);
  });

  it('splits numbered assessment items, inline or on lines', () => {
    expect(assessmentItems('1. Hypertension. 2. Type 2 diabetes. 3. Obesity.')).toEqual(['Hypertension', 'Type 2 diabetes', 'Obesity']);
  });

  it('codes assessment items with laterality and stage, and notes what is missing', () => {
    const { diagnoses, fromAssessment } = extractDiagnoses(sectionsOf('Assessment:\n1. Primary open-angle glaucoma, right eye, moderate stage\n2. Nuclear sclerotic cataract OU\n3. Glaucoma suspect'));
    expect(fromAssessment).toBe(true);
    expect(diagnoses.map((d) => [d.label, d.icd10Code, d.laterality, d.severity])).toEqual([
      ['Primary open-angle glaucoma, right eye, moderate stage', 'H40.1112', 'right', 'moderate'],
      ['Age-related nuclear cataract, bilateral', 'H25.13', 'bilateral', 'unspecified'],
      ['Glaucoma suspect', 'H40.009', 'n/a', 'unspecified'],
    ]);
    expect(diagnoses[2]!.codingNotes).toContain('Laterality not documented: H40.009 used');
    expect(diagnoses[0]!.icd10Description).toBe('Primary open-angle glaucoma, right eye, moderate stage');
  });

  it('skips negated, family and historical mentions and turns hedged ones into suggestions', () => {
    const { diagnoses, suggested } = extractDiagnoses(sectionsOf('Impression:\n1. Hypertension\n2. No evidence of diabetic retinopathy\n3. Family history of glaucoma\n4. Rule out sleep apnea'));
    expect(diagnoses.map((d) => d.conceptId)).toEqual(['hypertension']);
    expect(suggested.map((s) => [s.label, s.confidence])).toEqual([['Obstructive sleep apnea', 'low']]);
  });

  it('falls back to the note when there is no assessment, dropping symptoms explained by a disease', () => {
    const { diagnoses, fromAssessment } = extractDiagnoses(sectionsOf('Chief complaint: Cough and fever.\nHPI: Three days of cough and fever; chest x-ray shows right lower lobe pneumonia. Past medical history: asthma.'));
    expect(fromAssessment).toBe(false);
    expect(diagnoses.map((d) => d.conceptId)).toEqual(['pneumonia']);
  });

  it('keeps an uncoded assessment item rather than inventing a code', () => {
    const { diagnoses } = extractDiagnoses(sectionsOf('Assessment:\n1. Idiopathic toe walking'));
    expect(diagnoses[0]).toMatchObject({ label: 'Idiopathic toe walking', icd10Code: null });
    expect(diagnoses[0]!.codingNotes[0]).toMatch(/code manually/);
  });
});

describe('medications and allergies', () => {
  it('parses dose, frequency and route from a medication list', () => {
    const meds = extractMedications(sectionsOf('Medications:\n1. Metformin 500 mg twice daily\n2. Timolol 0.5% 1 drop OU BID\n3. Lisinopril 10 mg p.o. daily\n4. Albuterol inhaler as needed'));
    expect(meds).toEqual([
      { name: 'Metformin', dose: '500 mg', frequency: 'twice daily', status: 'current' },
      { name: 'Timolol', dose: '0.5%', frequency: '1 drop OU BID', status: 'current' },
      { name: 'Lisinopril', dose: '10 mg', frequency: 'p.o. daily', status: 'current' },
      { name: 'Albuterol', dose: null, frequency: 'as needed', status: 'current' },
    ]);
  });

  it('reads status changes from the plan', () => {
    const meds = extractMedications(sectionsOf('Medications: Metformin 500 mg twice daily, lisinopril 10 mg daily\nPlan:\n1. Increase metformin to 1000 mg twice daily.\n2. Stop lisinopril.\n3. Start atorvastatin 20 mg nightly.'));
    const by = Object.fromEntries(meds.map((m) => [m.name.toLowerCase(), m]));
    expect(by.metformin).toMatchObject({ status: 'changed', dose: '1000 mg' });
    expect(by.lisinopril!.status).toBe('discontinued');
    expect(by.atorvastatin).toMatchObject({ status: 'new', dose: '20 mg', frequency: 'nightly' });
  });

  it('ignores drugs named as allergies or denied', () => {
    const meds = extractMedications(sectionsOf('Plan: Allergic to penicillin, so start azithromycin 500 mg daily. Not on aspirin.'));
    expect(meds.map((m) => m.name.toLowerCase())).toEqual(['azithromycin']);
  });

  it('records NKDA explicitly, and lists allergies otherwise', () => {
    expect(extractAllergies(sectionsOf('Allergies: NKDA'), 'Allergies: NKDA')).toEqual(['No known drug allergies']);
    const text = 'Allergies: Penicillin (hives), sulfa';
    expect(extractAllergies(sectionsOf(text), text)).toEqual(['Penicillin (hives)', 'Sulfa']);
    const prose = 'She is allergic to codeine.';
    expect(extractAllergies(sectionsOf(prose), prose)).toEqual(['Codeine']);
    expect(extractAllergies(sectionsOf('HPI: knee pain'), 'HPI: knee pain')).toEqual([]);
  });
});

describe('measurements', () => {
  it('reads vitals and converts units', () => {
    const v = extractVitals('BP 142/88, HR 76, RR 16, Temp 101.3 F, Weight 200 lb, Height 5\'10", SpO2 95% on room air');
    expect(v).toEqual({ bloodPressure: { systolic: 142, diastolic: 88 }, heartRate: 76, respiratoryRate: 16, temperatureC: 38.5, weightKg: 90.7, heightCm: 177.8, bmi: 28.7, spo2: 95 });
    expect(extractVitals('Blood pressure is 118/76, pulse 64, O2 sat 91%, temperature 37.2.')).toMatchObject({ bloodPressure: { systolic: 118, diastolic: 76 }, heartRate: 64, spo2: 91, temperatureC: 37.2 });
    expect(extractVitals('No vitals today.')).toEqual(noVitals);
  });

  it('reads labs with abnormal flags', () => {
    const labs = extractLabs('HbA1c 9.2%, LDL 165 mg/dL, creatinine 1.0, TSH 2.1, potassium 5.8');
    expect(labs.map((l) => [l.name, l.value, l.abnormal])).toEqual([
      ['HbA1c', '9.2', true],
      ['LDL cholesterol', '165', true],
      ['Creatinine', '1.0', false],
      ['Potassium', '5.8', true],
      ['TSH', '2.1', false],
    ]);
  });

  it('reads eye measurements per eye in the usual ways of writing them', () => {
    expect(extractEye('VA cc OD 20/40, OS 20/25. IOP 28 OD, 18 OS. Manifest refraction OD -2.00 +0.50 x 090, OS -1.75 sphere.')).toEqual({
      visualAcuity: { right: '20/40', left: '20/25' },
      intraocularPressure: { right: 28, left: 18 },
      refraction: { right: '-2.00 +0.50 x 090', left: '-1.75 sphere' },
    });
    expect(extractEye('Visual acuity was 20/30 on the right and 20/20 on the left. Intraocular pressures are 13 OU.')).toMatchObject({
      visualAcuity: { right: '20/30', left: '20/20' },
      intraocularPressure: { right: 13, left: 13 },
    });
    expect(extractEye('Knee exam normal.')).toBeNull();
  });

  it('reads other measurements', () => {
    const other = extractOtherMeasurements('Echo: ejection fraction 35%. PHQ-9 score of 17. Pain 8/10.');
    expect(other.map((o) => [o.name, o.value, o.abnormal])).toEqual([
      ['Ejection fraction', '35', true],
      ['PHQ-9', '17', true],
      ['Pain score', '8/10', true],
    ]);
  });

  it('groups exam findings by category with abnormal flags', () => {
    const exam = extractExamFindings(sectionsOf('Physical exam:\nLungs: Clear to auscultation bilaterally.\nHeart: Grade 2/6 systolic murmur.\nAbdomen: Soft, nontender.'));
    expect(exam.map((g) => [g.category, g.findings.map((f) => f.abnormal)])).toEqual([
      ['Lungs', [false]],
      ['Heart', [true]],
      ['Abdomen', [false]],
    ]);
  });
});

describe('warnings', () => {
  it('flags thresholds with value and threshold as the basis', () => {
    const w = detectWarnings({ text: '', vitals: { ...noVitals, bloodPressure: { systolic: 190, diastolic: 110 }, spo2: 89, heartRate: 130 }, labs: [], eye: { visualAcuity: { right: null, left: null }, intraocularPressure: { right: 32, left: 19 }, refraction: { right: null, left: null } } });
    expect(w.map((x) => x.message)).toEqual(['Intraocular pressure above 21 mmHg (right eye 32)', 'Severely elevated blood pressure (190/110)', 'Low oxygen saturation (89%)', 'Tachycardia (heart rate 130)']);
    expect(w[0]!.basis).toBe('IOP right eye 32 mmHg; threshold 21 mmHg');
  });

  it('flags red-flag phrases unless negated', () => {
    const flagged = detectWarnings({ text: 'He reports suicidal ideation with a plan.', vitals: noVitals, labs: [], eye: null });
    expect(flagged.map((x) => x.severity)).toEqual(['emergent']);
    expect(detectWarnings({ text: 'Denies suicidal ideation.', vitals: noVitals, labs: [], eye: null })).toEqual([]);
  });

  it('lists findings the plan does not address', () => {
    const w = detectWarnings({ text: '', vitals: { ...noVitals, bloodPressure: { systolic: 150, diastolic: 95 } }, labs: [], eye: null });
    const labs = [{ name: 'LDL cholesterol', value: '170', unit: 'mg/dL', abnormal: true }];
    expect(unaddressedFindings(w, labs, 'Follow up in one year.').map((u) => u.finding)).toEqual(['Elevated blood pressure (150/95)', 'Abnormal LDL cholesterol (170 mg/dL)']);
    expect(unaddressedFindings(w, labs, 'Recheck blood pressure; start statin for LDL.')).toEqual([]);
  });
});

describe('plan', () => {
  it('parses numbered items, links diagnoses and reads timelines', () => {
    const sections = sectionsOf('Assessment:\n1. Type 2 diabetes mellitus\n2. Hypertension\nPlan:\n1. Diabetes: increase metformin; recheck HbA1c in 3 months.\n2. Continue lisinopril for blood pressure.\n3. Follow up in 2 weeks.');
    const { diagnoses } = extractDiagnoses(sections);
    const plan = extractPlan(sections, diagnoses);
    expect(plan.map((p) => [p.title, p.diagnosisIndexes, p.timeline])).toEqual([
      ['Diabetes', [0], 'in 3 months'],
      ['Continue lisinopril for blood pressure', [1], null],
      ['Follow up in 2 weeks', [], 'in 2 weeks'],
    ]);
    expect(plan[0]!.bullets).toEqual(['increase metformin; recheck HbA1c in 3 months']);
    expect(extractFollowUp(sections, '')).toBe('Follow up in 2 weeks');
  });

  it('reads timelines in words and ranges', () => {
    expect(timelineOf('see her in 1 to 2 years')).toBe('in 1 to 2 years');
    expect(timelineOf('return in two weeks')).toBe('in two weeks');
    expect(timelineOf('6-week follow-up')).toBe('6-week follow-up');
    expect(timelineOf('continue drops')).toBeNull();
  });
});

describe('patient and provider', () => {
  it('reads demographics as fields', () => {
    const p = extractPatient('Patient: Jane Q Doe\nDOB: 03/14/1958\nMRN: 00123456\nPhone: (555) 123-4567\nAddress: 12 Elm Street, Springfield\nA 67-year-old woman with blurry vision.');
    expect(p).toEqual({ name: 'Jane Q Doe', dateOfBirth: '03/14/1958', age: 67, sex: 'female', identifiers: [{ kind: 'MRN', value: '00123456' }], phone: '(555) 123-4567', address: '12 Elm Street, Springfield' });
  });

  it('stops a name at the next label on a one-line header', () => {
    expect(extractPatient('Patient: Harold Vennick   DOB: 03/14/1956   MRN: 4471-220').name).toBe('Harold Vennick');
    expect(extractPatient('Name: Ana Maria Souza MRN: 55120').name).toBe('Ana Maria Souza');
    expect(extractPatient('PATIENT: Li Wei\tAge: 54').name).toBe('Li Wei');
  });

  it('takes the provider from the signature, never the patient', () => {
    expect(extractProvider('Patient: John Smith\n…\nElectronically signed by Maria Lopez, MD', 'John Smith').name).toBe('Maria Lopez, MD');
    expect(extractProvider('Re: Dr. Smith (patient)\nJohn Smith, MD', 'John Smith').name).toBeNull();
    expect(extractProvider('Seen with Dr. Patel today. Riverside Eye Center', null)).toEqual({ name: 'Dr. Patel', clinic: 'Riverside Eye Center' });
  });
});

describe('specialty and document type', () => {
  it('scores specialties from the note and lets the user choice win', () => {
    const sections = sectionsOf('Chief complaint: Blurry vision OD.\nExam: IOP 24 OD, cup-to-disc 0.7, slit lamp normal.\nAssessment: Primary open-angle glaucoma OD');
    const { diagnoses } = extractDiagnoses(sections);
    expect(detectSpecialty(sections, diagnoses, null).specialty).toBe('ophthalmology');
    expect(detectSpecialty(sections, diagnoses, 'cardiology').specialty).toBe('cardiology');
    expect(detectSpecialty(sectionsOf('Hello world.'), [], null).specialty).toBe('other');
  });

  it('tells encounter notes, consultations, referrals and lab reports apart', () => {
    const t = (text: string) => detectDocumentType(normalizeText(text), sectionsOf(text));
    expect(t('HPI: Cough.\nAssessment: URI.\nPlan: Fluids.')).toBe('encounter_note');
    expect(t('Thank you for referring Mr. X for consultation.\nHPI: Chest pain.\nAssessment: Angina.')).toBe('consultation_report');
    expect(t('Referral request: please evaluate for cataract surgery.')).toBe('referral_request');
    expect(t('Sodium 140 mmol/L reference range 135-145\nPotassium 4.1 mmol/L reference range\nGlucose 90 mg/dL result\nHemoglobin 13 g/dL result\nSpecimen collected 8am\nCreatinine 1.0 mg/dL result')).toBe('lab_results');
  });
});

describe('quality', () => {
  it('lists concrete documentation gaps and scores them', () => {
    const sections = sectionsOf('Assessment:\n1. Primary open-angle glaucoma\n2. Hypertension');
    const { diagnoses } = extractDiagnoses(sections);
    const q = assessQuality({ sections, diagnoses, plan: [], allergies: [], medicationsDocumented: false, vitals: noVitals, chiefComplaint: null, followUp: null, providerName: null, isProcedureNote: false, specialty: 'ophthalmology', eyeDocumented: false });
    expect(q.issues).toEqual(expect.arrayContaining(['Diagnosis 1 has no laterality', 'No allergies documented', 'No plan documented', 'No chief complaint or reason for visit documented', 'Visual acuity and intraocular pressure not documented']));
    expect(q.issues).not.toContain('Diagnosis 2 has no laterality');
    expect(q.score).toBeLessThan(60);
    expect(q.level).toBe(q.score >= 50 ? 'fair' : 'poor');
  });
});

describe('references', () => {
  it('picks by topic and leaves paediatric guidelines out for adults', () => {
    const adult = referencesForTopics(['ra'], { adult: true });
    const child = referencesForTopics(['ra', 'jia'], { adult: false, perTopic: 3 });
    expect(adult.some((r) => r.pediatric)).toBe(false);
    expect(child.some((r) => r.pediatric)).toBe(true);
    expect(referencesForTopics(['glaucoma', 'cataract'], { adult: true, max: 3 }).length).toBe(3);
  });
});
