// Documentation quality: concrete, checkable gaps in the note itself (not in the
// care). Each gap costs points; the level comes from the shared thresholds.
import { qualityLevel, type QualityLevel, type Vitals } from '../schema';
import type { DiagnosisDraft } from './diagnoses';
import type { PlanDraft } from './plan';
import { hasSection, type Section } from './sections';

export interface QualityInput {
  sections: Section[];
  diagnoses: DiagnosisDraft[];
  plan: PlanDraft[];
  allergies: string[];
  medicationsDocumented: boolean;
  vitals: Vitals;
  chiefComplaint: string | null;
  followUp: string | null;
  providerName: string | null;
  isProcedureNote: boolean;
  specialty: string;
  eyeDocumented: boolean;
}

export function assessQuality(q: QualityInput): { score: number; level: QualityLevel; issues: string[]; suggestions: string[] } {
  const issues: string[] = [];
  const suggestions: string[] = [];
  let score = 100;
  const penalty = (points: number, issue: string, suggestion: string) => {
    score -= points;
    issues.push(issue);
    if (!suggestions.includes(suggestion)) suggestions.push(suggestion);
  };
  if (!q.chiefComplaint && !q.isProcedureNote) penalty(6, 'No chief complaint or reason for visit documented', 'State the reason for the visit at the top of the note');
  if (q.diagnoses.length === 0) penalty(20, 'No diagnosis or assessment documented', 'Add an assessment with a numbered diagnosis list');
  else if (!hasSection(q.sections, 'assessment', 'assessment_plan')) penalty(8, 'No separate assessment or impression section', 'Add an "Assessment" section so diagnoses are explicit');
  q.diagnoses.forEach((d, i) => {
    const n = i + 1;
    if (d.codingNotes.some((c) => c.startsWith('Laterality not documented'))) penalty(5, `Diagnosis ${n} has no laterality`, `Document the side (right, left or bilateral) for diagnosis ${n}`);
    if (d.severity === 'unspecified' && d.codingNotes.some((c) => /stage|severity/i.test(c))) penalty(3, `Diagnosis ${n} has no severity or stage`, `Document the severity or stage of diagnosis ${n}`);
    if (!d.icd10Code) penalty(2, `Diagnosis ${n} could not be coded`, `Use a specific diagnostic term for diagnosis ${n}`);
  });
  if (q.plan.length === 0 && !q.isProcedureNote) penalty(15, 'No plan documented', 'Add a plan with the treatment, tests and follow-up for each diagnosis');
  else if (q.plan.length > 0) {
    q.diagnoses.forEach((d, i) => {
      if (d.conceptId === null && d.codingNotes.some((c) => c.startsWith('Secondary status code'))) return;
      if (!q.plan.some((p) => p.diagnosisIndexes.includes(i))) penalty(3, `No plan for diagnosis ${i + 1}`, 'Link each diagnosis to a plan item');
    });
  }
  if (q.allergies.length === 0) penalty(6, 'No allergies documented', 'Record allergies, or "No known drug allergies"');
  if (!q.medicationsDocumented && !q.isProcedureNote) penalty(5, 'No medication list documented', 'List current medications with dose and frequency');
  const vitalsCount = [q.vitals.bloodPressure, q.vitals.heartRate, q.vitals.respiratoryRate, q.vitals.temperatureC, q.vitals.spo2].filter((v) => v !== null).length;
  if (vitalsCount === 0 && q.specialty !== 'ophthalmology' && q.specialty !== 'dermatology' && q.specialty !== 'psychiatry' && !q.isProcedureNote) penalty(6, 'Vital signs not documented', 'Record vital signs (at least blood pressure and heart rate)');
  if (q.specialty === 'ophthalmology' && !q.eyeDocumented && !q.isProcedureNote) penalty(6, 'Visual acuity and intraocular pressure not documented', 'Record visual acuity and IOP for each eye');
  if (!q.followUp && !q.isProcedureNote) penalty(5, 'No follow-up interval documented', 'State when the patient should return');
  if (!q.providerName) penalty(3, 'No signing provider identified', 'Sign the note with the provider name and credentials');
  score = Math.max(0, Math.min(100, Math.round(score)));
  return { score, level: qualityLevel(score), issues: issues.slice(0, 15), suggestions: suggestions.slice(0, 10) };
}
