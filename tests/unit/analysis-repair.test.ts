import { describe, expect, it } from 'vitest';
import { AnalysisFailure } from '@/lib/analysis/errors';
import { linkConsistently, normaliseIcd10, repairAnalysisOutput } from '@/lib/analysis/repair';
import { providerOutputSchema } from '@/lib/analysis/schema';
import { sampleAnalysisOutput } from '@/tests/support/fake-openai';

type Sample = ReturnType<typeof sampleAnalysisOutput>;

/** The sample with some top-level parts replaced (loosely typed, as a model's output is). */
function withChanges(change: (output: Record<string, unknown> & Sample) => void): unknown {
  const output = sampleAnalysisOutput() as Record<string, unknown> & Sample;
  change(output);
  return output;
}

function expectInvalid(raw: unknown) {
  let thrown: unknown;
  try {
    repairAnalysisOutput(raw);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(AnalysisFailure);
  const failure = thrown as AnalysisFailure;
  expect(failure.code).toBe('analysis_invalid');
  expect(failure.retryable).toBe(false);
  expect(failure.userMessage).toBe('The analysis came back in a form we could not read. Please try again.');
}

describe('repairAnalysisOutput', () => {
  it('leaves a valid analysis as it was', () => {
    expect(repairAnalysisOutput(sampleAnalysisOutput())).toEqual(sampleAnalysisOutput());
  });

  it('turns missing lists into empty ones and missing objects into empty fields', () => {
    const raw = withChanges((o) => {
      delete (o as Partial<Sample>).diagnoses;
      delete (o as Partial<Sample>).plan;
      delete (o as Partial<Sample>).allergies;
      delete (o as Partial<Sample>).references;
      delete (o as Partial<Sample>).vitals;
      delete (o as Partial<Sample>).summary;
      o.patient = { name: 'John Carter' } as Sample['patient'];
      o.clinicalValues = { labs: null } as unknown as Sample['clinicalValues'];
    });
    const out = repairAnalysisOutput(raw);
    expect(out.diagnoses).toEqual([]);
    expect(out.plan).toEqual([]);
    expect(out.allergies).toEqual([]);
    expect(out.references).toEqual([]);
    expect(out.vitals.heartRate).toBeNull();
    expect(out.summary).toEqual({ visitContext: null, examination: null, keyFindings: null, clinicalImpression: null });
    expect(out.patient).toMatchObject({ name: 'John Carter', sex: 'unknown', identifiers: [], age: null });
    expect(out.clinicalValues).toEqual({ labs: [], imaging: [], eye: null, other: [] });
  });

  it('coerces numeric strings and single values', () => {
    const raw = withChanges((o) => {
      Object.assign(o.patient, { age: '67' });
      o.vitals = { bloodPressure: '150/95', heartRate: '72 bpm', temperatureC: '98.6', spo2: 97.4 } as unknown as Sample['vitals'];
      o.clinicalValues.eye = { intraocularPressure: { right: '28', left: '18 mmHg' }, visualAcuity: { right: '20/30' } } as unknown as Sample['clinicalValues']['eye'];
      o.allergies = 'Penicillin' as unknown as string[];
      o.quality = { score: '78.4', level: 'good', issues: 'Refraction not documented' } as unknown as Sample['quality'];
    });
    const out = repairAnalysisOutput(raw);
    expect(out.patient.age).toBe(67);
    expect(out.vitals).toMatchObject({ bloodPressure: { systolic: 150, diastolic: 95 }, heartRate: 72, temperatureC: 37, spo2: 97 });
    expect(out.clinicalValues.eye).toEqual({
      visualAcuity: { right: '20/30', left: null },
      intraocularPressure: { right: 28, left: 18 },
      refraction: { right: null, left: null },
    });
    expect(out.allergies).toEqual(['Penicillin']);
    expect(out.quality).toEqual({ score: 78, level: 'good', issues: ['Refraction not documented'], suggestions: [] });
  });

  it('drops values outside physiological ranges instead of keeping them', () => {
    const raw = withChanges((o) => {
      o.vitals = { ...o.vitals, heartRate: 500, temperatureC: 70, spo2: 'unknown' } as unknown as Sample['vitals'];
    });
    const out = repairAnalysisOutput(raw);
    expect(out.vitals).toMatchObject({ heartRate: null, temperatureC: null, spo2: null });
  });

  it('maps enum spellings and falls back to the neutral value for unknown ones', () => {
    const raw = withChanges((o) => {
      o.documentType = 'Encounter Note';
      o.detectedSpecialty = 'Ophthalmology';
      Object.assign(o.diagnoses[0]!, { laterality: 'Right', severity: 'very bad', urgency: 'ASAP' });
      Object.assign(o.diagnoses[1]!, { laterality: 'OU', severity: 'MILD', urgency: 'Emergent' });
      Object.assign(o.medications[0]!, { status: 'ongoing' });
      Object.assign(o.suggestedDiagnoses[0]!, { confidence: 'Med' });
      Object.assign(o.patient, { sex: 'M' });
      o.references[0]!.source = 'guideline';
    });
    const out = repairAnalysisOutput(raw);
    expect(out.documentType).toBe('encounter_note');
    expect(out.detectedSpecialty).toBe('ophthalmology');
    expect(out.diagnoses[0]).toMatchObject({ laterality: 'right', severity: 'unspecified', urgency: 'routine' });
    expect(out.diagnoses[1]).toMatchObject({ laterality: 'bilateral', severity: 'mild', urgency: 'emergent' });
    expect(out.medications[0]!.status).toBe('current');
    expect(out.suggestedDiagnoses[0]!.confidence).toBe('medium');
    expect(out.patient.sex).toBe('male');
    expect(out.references[0]!.source).toBe('society_guideline');
  });

  it('sends unknown document types and specialties to other', () => {
    const out = repairAnalysisOutput(withChanges((o) => Object.assign(o, { documentType: 'memo', detectedSpecialty: 'podiatry' })));
    expect(out.documentType).toBe('other');
    expect(out.detectedSpecialty).toBe('other');
  });

  it('drops items without their label and keeps the rest', () => {
    const raw = withChanges((o) => {
      o.medications.push({ name: ' ', dose: '5 mg' } as Sample['medications'][number]);
      o.suggestedDiagnoses.push({ label: 'Ocular hypertension' } as Sample['suggestedDiagnoses'][number]);
      o.warnings.push({ message: '', severity: 'urgent', basis: 'x' });
      o.examFindings.push({ category: 'Lids', findings: [{ label: '', value: 'normal', abnormal: false }] });
      o.clinicalValues.labs = [{ name: 'HbA1c', value: 7.2, unit: '%', abnormal: 'yes' }, { value: '5' }] as unknown as Sample['clinicalValues']['labs'];
      o.patient.identifiers.push({ kind: 'MRN', value: '' });
    });
    const out = repairAnalysisOutput(raw);
    expect(out.medications.map((m) => m.name)).toEqual(['Latanoprost 0.005%', 'Timolol 0.5%']);
    expect(out.suggestedDiagnoses).toHaveLength(1);
    expect(out.warnings).toHaveLength(1);
    expect(out.examFindings).toHaveLength(1);
    expect(out.clinicalValues.labs).toEqual([{ name: 'HbA1c', value: '7.2', unit: '%', abnormal: true }]);
    expect(out.patient.identifiers).toEqual([{ kind: 'MRN', value: 'LX-20931' }]);
  });

  it('renumbers after dropping a diagnosis and remaps or drops the links', () => {
    const raw = withChanges((o) => {
      o.diagnoses = [
        { ...o.diagnoses[0]!, number: 1 },
        { ...o.diagnoses[1]!, number: 2, label: '' },
        { ...o.diagnoses[1]!, number: 3 },
      ];
      o.plan = [
        { ...o.plan[0]!, diagnosisNumbers: [1, 2] },
        { ...o.plan[1]!, diagnosisNumbers: [3] },
      ];
    });
    const out = repairAnalysisOutput(raw);
    expect(out.diagnoses.map((d) => [d.number, d.label])).toEqual([
      [1, 'Primary open-angle glaucoma, right eye, moderate stage'],
      [2, 'Nuclear cataract, left eye'],
    ]);
    expect(out.plan.map((p) => p.diagnosisNumbers)).toEqual([[1], [2]]);
  });

  it('numbers items that have no or duplicate numbers and drops links it cannot resolve', () => {
    const raw = withChanges((o) => {
      o.references = [
        { ...o.references[0]!, number: 4 },
        { ...o.references[0]!, number: '7' as unknown as number, citation: 'EMGT. Arch Ophthalmol. 2002;120:1268-79.' },
      ];
      o.diagnoses = [
        { ...o.diagnoses[0]!, number: 1, referenceNumbers: [4, 7, 9] },
        { ...o.diagnoses[1]!, number: 1, referenceNumbers: ['7'] as unknown as number[] },
      ];
      o.plan = [
        { ...o.plan[0]!, number: undefined as unknown as number, diagnosisNumbers: [1], referenceNumbers: [7] },
        { ...o.plan[1]!, number: undefined as unknown as number, diagnosisNumbers: [] },
      ] as unknown as Sample['plan'];
    });
    const out = repairAnalysisOutput(raw);
    expect(out.references.map((r) => r.number)).toEqual([1, 2]);
    expect(out.diagnoses.map((d) => d.number)).toEqual([1, 2]);
    expect(out.diagnoses.map((d) => d.referenceNumbers)).toEqual([[1, 2], [2]]);
    // Diagnosis "1" was used twice: a plan link to it is ambiguous and is dropped.
    expect(out.plan.map((p) => [p.number, p.diagnosisNumbers, p.referenceNumbers])).toEqual([
      [1, [], [2]],
      [2, [], []],
    ]);
  });

  it('normalises ICD-10 codes to the dotted form and removes impossible ones with a note', () => {
    const raw = withChanges((o) => {
      Object.assign(o.diagnoses[0]!, { icd10Code: 'h401112', icd10Description: 'POAG' });
      Object.assign(o.diagnoses[1]!, { icd10Code: 'cataract', icd10Description: 'Cataract' });
    });
    const out = repairAnalysisOutput(raw);
    expect(out.diagnoses[0]).toMatchObject({
      icd10Code: 'H40.1112',
      icd10Description: 'Primary open-angle glaucoma, right eye, moderate stage',
    });
    expect(out.diagnoses[1]).toMatchObject({ icd10Code: null, icd10Description: null });
    expect(out.diagnoses[1]!.codingNotes).toEqual(['The suggested code "cataract" is not an ICD-10-CM code; code this diagnosis by hand.']);
  });

  it('removes well-formed codes that are not billable, with a coding note', () => {
    const raw = withChanges((o) => {
      Object.assign(o.diagnoses[0]!, { icd10Code: 'H40', laterality: 'Right' });
    });
    const out = repairAnalysisOutput(raw);
    expect(out.diagnoses[0]).toMatchObject({ icd10Code: null, icd10Description: null, laterality: 'right' });
    expect(out.diagnoses[0]!.codingNotes).toEqual(['H40 is not a billable ICD-10-CM code (FY2026); choose a more specific code.']);
  });

  it('cleans references: PubMed ids, URLs and sources', () => {
    const raw = withChanges((o) => {
      o.references = [
        { number: 1, citation: 'Kass MA et al. OHTS. Arch Ophthalmol. 2002.', pubmedId: 'PMID: 12049574', url: 'not a url', source: 'PubMed' },
        { number: 2, citation: '', pubmedId: null, url: null, source: 'pubmed' },
      ] as unknown as Sample['references'];
    });
    const out = repairAnalysisOutput(raw);
    expect(out.references).toEqual([
      { number: 1, citation: 'Kass MA et al. OHTS. Arch Ophthalmol. 2002.', pubmedId: '12049574', url: null, source: 'pubmed' },
    ]);
  });

  it('derives the quality level from the score and clamps the score', () => {
    const out = repairAnalysisOutput(withChanges((o) => (o.quality = { ...o.quality, score: 150, level: 'great' })));
    expect(out.quality).toMatchObject({ score: 100, level: 'excellent' });
  });

  it('fails cleanly when the quality score is missing: a score is never invented', () => {
    expectInvalid(withChanges((o) => (o.quality = { level: 'good' } as Sample['quality'])));
  });

  it.each([['a string', 'not json'], ['null', null], ['a list', [sampleAnalysisOutput()]], ['an error object', { error: 'overloaded' }]])(
    'fails cleanly for %s',
    (_label, raw) => expectInvalid(raw),
  );

  it('returns output the schema accepts', () => {
    const raw = withChanges((o) => {
      o.followUp = 4 as unknown as string;
      o.chiefComplaint = '   ';
    });
    const out = repairAnalysisOutput(raw);
    expect(providerOutputSchema.safeParse(out).success).toBe(true);
    expect(out.followUp).toBe('4');
    expect(out.chiefComplaint).toBeNull();
  });
});

describe('normaliseIcd10', () => {
  it.each([
    ['H40.1112', 'H40.1112'],
    ['h401112', 'H40.1112'],
    [' E11.9 ', 'E11.9'],
    ['I10', 'I10'],
    ['H40 1112', 'H40.1112'],
    ['glaucoma', null],
    ['40.11', null],
    ['H40.111234', null],
  ])('%s → %s', (code, expected) => {
    expect(normaliseIcd10(code)).toBe(expected);
  });
});

describe('linkConsistently', () => {
  it('keeps distinct numbers and drops links to nothing when renumbering only ambiguous lists', () => {
    const sample = sampleAnalysisOutput();
    const output = {
      diagnoses: [{ ...sample.diagnoses[0]!, number: 3, referenceNumbers: [1, 5] }],
      plan: [{ ...sample.plan[0]!, diagnosisNumbers: [3, 4], referenceNumbers: [2] }],
      references: [{ ...sample.references[0]!, number: 1 }],
    };
    const out = linkConsistently(output, 'when_ambiguous');
    expect(out.diagnoses[0]).toMatchObject({ number: 3, referenceNumbers: [1] });
    expect(out.plan[0]).toMatchObject({ number: 1, diagnosisNumbers: [3], referenceNumbers: [] });
    // A copy: the input is untouched.
    expect(output.diagnoses[0]!.referenceNumbers).toEqual([1, 5]);
  });
});
