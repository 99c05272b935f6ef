// The offline analysis provider: rule-based, deterministic and fast, used when no
// OpenAI key is configured. Stages (DOMAIN.md "Analysis"): analyzing (sections,
// patient, diagnoses, specialty), structuring (medications, values, warnings,
// plan), references, validating (quality, summary, assembly). The same stage
// functions back both the synchronous `analyzeOffline` and the provider.
import type { AnalysisContext, AnalysisInput, AnalysisProvider, AnalysisStage, ProviderResult } from '../provider';
import { type ProviderOutput, type Specialty, type Urgency, type Vitals } from '../schema';
import { referencesForTopics, type CuratedReference } from '../references';
import { extractDiagnoses, secondaryCodes, type DiagnosisDraft, type SuggestedDraft } from './diagnoses';
import { extractExamFindings, extractEye, extractImaging, extractLabs, extractOtherMeasurements, extractVitals, type ExamFinding, type EyeMeasurements, type Measurement } from './measurements';
import { extractAllergies, extractMedications, type MedicationDraft } from './medications';
import { cleanPhrase, normalizeText, splitSentences, truncate } from './normalize';
import { extractPatient, extractProvider, type PatientDraft } from './patient';
import { extractFollowUp, extractPlan, type PlanDraft } from './plan';
import { assessQuality } from './quality';
import { detectSections, hasSection, sectionText, type Section } from './sections';
import { detectDocumentType, detectSpecialty } from './specialty';
import { detectWarnings, unaddressedFindings, type UnaddressedDraft, type WarningDraft } from './warnings';

export const OFFLINE_MODEL = 'maneiro-offline-1';
export const OFFLINE_PROMPT_VERSION = 'offline-2026.11';

interface Analyzed {
  text: string;
  sections: Section[];
  patient: PatientDraft;
  provider: { name: string | null; clinic: string | null };
  diagnoses: DiagnosisDraft[];
  suggested: SuggestedDraft[];
  specialty: Specialty;
  documentType: ProviderOutput['documentType'];
  chiefComplaint: string | null;
  isProcedureNote: boolean;
}

interface Structured {
  medications: MedicationDraft[];
  allergies: string[];
  vitals: Vitals;
  labs: Measurement[];
  other: Measurement[];
  eye: EyeMeasurements | null;
  exam: ExamFinding[];
  imaging: { study: string; finding: string }[];
  warnings: WarningDraft[];
  unaddressed: UnaddressedDraft[];
  plan: PlanDraft[];
  followUp: string | null;
}

function chiefComplaintOf(sections: Section[]): string | null {
  const cc = sectionText(sections, 'chief_complaint');
  if (cc) return truncate(cleanPhrase(splitSentences(cc)[0] ?? cc), 200) || null;
  const hpi = sectionText(sections, 'hpi', 'preamble');
  const m = /\b(?:presents?(?: today)? (?:with|for)|complains? of|c\/o|here (?:today )?for|seen (?:today )?for|referred (?:to us |here )?for|comes in (?:with|for)|evaluation of)\s+([^.\n]{3,160})/i.exec(hpi);
  return m ? truncate(cleanPhrase(m[1]!), 200) : null;
}

export function analyzeStage(input: AnalysisInput): Analyzed {
  const text = normalizeText(input.text);
  const sections = detectSections(text);
  const patient = extractPatient(text);
  const provider = extractProvider(text, patient.name);
  const { diagnoses, suggested } = extractDiagnoses(sections);
  const { specialty } = detectSpecialty(sections, diagnoses, input.specialty);
  const documentType = detectDocumentType(text, sections);
  const isProcedureNote = hasSection(sections, 'procedure') && !hasSection(sections, 'plan', 'assessment_plan');
  return { text, sections, patient, provider, diagnoses, suggested, specialty, documentType, chiefComplaint: chiefComplaintOf(sections), isProcedureNote };
}

const URGENCY_RANK: Record<Urgency, number> = { routine: 0, soon: 1, urgent: 2, emergent: 3 };
const WARNING_URGENCY: Record<WarningDraft['severity'], Urgency> = { caution: 'soon', urgent: 'urgent', emergent: 'emergent' };
const WARNING_TOPICS: [RegExp, string[]][] = [
  [/intraocular/i, ['glaucoma']],
  [/blood pressure/i, ['hypertension']],
  [/glucose|hba1c|hypoglyc/i, ['diabetes']],
  [/suicid/i, ['suicide', 'depression']],
  [/oxygen|breathing/i, ['copd', 'asthma', 'pneumonia', 'pneumothorax']],
  [/chest pain|troponin/i, ['acs', 'chest_pain', 'cad']],
  [/vision loss/i, ['retina', 'glaucoma', 'amd']],
  [/gastrointestinal bleeding|anemia/i, ['gi_bleed', 'anemia']],
  [/neurological deficit|headache/i, ['stroke', 'headache']],
];

export function structureStage(a: Analyzed): Structured {
  const medications = extractMedications(a.sections);
  const allergies = extractAllergies(a.sections, a.text);
  // Vitals come from the vitals and exam sections when there are any, so that a
  // pressure quoted in the history is not taken for today's.
  const vitalsText = sectionText(a.sections, 'vitals', 'exam') || a.text;
  let vitals = extractVitals(vitalsText);
  if (vitalsText !== a.text && Object.values(vitals).every((v) => v === null)) vitals = extractVitals(a.text);
  const labText = sectionText(a.sections, 'labs', 'imaging', 'hpi', 'assessment', 'assessment_plan', 'other', 'preamble', 'exam');
  const labs = extractLabs(labText || a.text);
  const other = extractOtherMeasurements(a.text);
  const eye = extractEye(sectionText(a.sections, 'exam', 'vitals', 'hpi', 'preamble', 'other', 'assessment', 'assessment_plan') || a.text);
  const exam = extractExamFindings(a.sections);
  const imaging = extractImaging(a.sections);
  const warnings = detectWarnings({ text: a.text, vitals, labs, eye });
  a.diagnoses.push(...secondaryCodes(a.diagnoses, medications.map((m) => m.name), vitals.bmi, a.patient.age === null || a.patient.age >= 18));
  const plan = extractPlan(a.sections, a.diagnoses);
  const planText = sectionText(a.sections, 'plan', 'assessment_plan', 'assessment', 'follow_up');
  const unaddressed = unaddressedFindings(warnings, labs, planText);
  for (const w of warnings) {
    const topics = WARNING_TOPICS.find(([re]) => re.test(w.message))?.[1] ?? [];
    for (const d of a.diagnoses) {
      const u = WARNING_URGENCY[w.severity];
      if (d.topics.some((t) => topics.includes(t)) && URGENCY_RANK[u] > URGENCY_RANK[d.urgency]) d.urgency = u;
    }
  }
  return { medications, allergies, vitals, labs, other, eye, exam, imaging, warnings, unaddressed, plan, followUp: extractFollowUp(a.sections, a.text) };
}

export function referencesStage(a: Analyzed): CuratedReference[] {
  const topics: string[] = [];
  for (const d of a.diagnoses) for (const t of d.topics) if (!topics.includes(t)) topics.push(t);
  const adult = a.patient.age === null || a.patient.age >= 18;
  return referencesForTopics(topics, { adult, max: 8, perTopic: 2 });
}

function findingSuggestions(a: Analyzed, s: Structured): SuggestedDraft[] {
  const has = (...ids: string[]) => a.diagnoses.some((d) => d.conceptId && ids.includes(d.conceptId)) || a.suggested.some((x) => x.conceptId && ids.includes(x.conceptId));
  const lab = (name: string) => {
    const m = s.labs.find((l) => l.name === name);
    return m ? Number(m.value.replace(/^[<>]/, '')) : null;
  };
  const out: SuggestedDraft[] = [];
  const add = (label: string, finding: string, reasoning: string, confidence: SuggestedDraft['confidence'], conceptId: string) => out.push({ label, supportingFindings: [finding], reasoning, confidence, conceptId });
  const iop = s.eye?.intraocularPressure;
  const maxIop = Math.max(iop?.right ?? 0, iop?.left ?? 0);
  if (maxIop > 21 && !has('poag', 'glaucoma', 'nt_glaucoma', 'pacg', 'acute_angle_closure', 'ocular_hypertension', 'glaucoma_suspect')) add('Ocular hypertension or glaucoma', `IOP ${iop?.right ?? '—'} mmHg right, ${iop?.left ?? '—'} mmHg left`, 'Intraocular pressure above 21 mmHg without a documented glaucoma diagnosis; optic nerve and visual field assessment would separate ocular hypertension from glaucoma.', 'medium', 'ocular_hypertension');
  const bp = s.vitals.bloodPressure;
  if (bp && (bp.systolic >= 140 || bp.diastolic >= 90) && !has('hypertension', 'hypertensive_crisis', 'hypertensive_emergency')) add('Hypertension', `BP ${bp.systolic}/${bp.diastolic} mmHg`, 'Blood pressure at or above 140/90 mmHg; a diagnosis needs repeated or out-of-office readings.', 'low', 'hypertension');
  const a1c = lab('HbA1c');
  if (a1c !== null && a1c >= 6.5 && !has('diabetes', 'diabetic_retinopathy', 'diabetic_neuropathy')) add('Type 2 diabetes mellitus', `HbA1c ${a1c}%`, 'HbA1c of 6.5% or more meets the diagnostic threshold for diabetes if confirmed.', 'medium', 'diabetes');
  else if (a1c !== null && a1c >= 5.7 && a1c < 6.5 && !has('diabetes', 'prediabetes')) add('Prediabetes', `HbA1c ${a1c}%`, 'HbA1c between 5.7% and 6.4% is in the prediabetes range.', 'medium', 'prediabetes');
  if (s.vitals.bmi !== null && s.vitals.bmi >= 30 && !has('obesity')) add('Obesity', `BMI ${s.vitals.bmi}`, 'BMI of 30 or more.', 'high', 'obesity');
  if (s.vitals.spo2 !== null && s.vitals.spo2 < 92 && !has('hypoxemia', 'resp_failure', 'copd', 'pneumonia')) add('Hypoxemia', `SpO₂ ${s.vitals.spo2}%`, 'Oxygen saturation below 92%.', 'high', 'hypoxemia');
  const tsh = lab('TSH');
  if (tsh !== null && tsh > 4.5 && !has('hypothyroidism', 'hashimoto', 'postsurgical_hypothyroidism')) add('Hypothyroidism', `TSH ${tsh} mIU/L`, 'TSH above the reference range; free T4 would distinguish overt from subclinical hypothyroidism.', 'medium', 'hypothyroidism');
  if (tsh !== null && tsh < 0.4 && !has('hyperthyroidism', 'graves')) add('Hyperthyroidism', `TSH ${tsh} mIU/L`, 'Suppressed TSH; free T4 and T3 would confirm.', 'medium', 'hyperthyroidism');
  const ldl = lab('LDL cholesterol');
  if (ldl !== null && ldl >= 160 && !has('hyperlipidemia')) add('Hyperlipidemia', `LDL ${ldl} mg/dL`, 'LDL cholesterol of 160 mg/dL or more.', 'medium', 'hyperlipidemia');
  const hgb = lab('Hemoglobin');
  if (hgb !== null && hgb < 12 && !has('anemia', 'iron_deficiency_anemia', 'b12_deficiency')) add('Anemia', `Hemoglobin ${hgb} g/dL`, 'Hemoglobin below the adult reference range.', 'medium', 'anemia');
  if (s.vitals.temperatureC !== null && s.vitals.temperatureC >= 38 && !a.diagnoses.some((d) => /infect|itis|pneumonia|sepsis|fever|influenza|covid/i.test(d.label))) add('Febrile illness, source to be determined', `Temperature ${s.vitals.temperatureC} °C`, 'Fever without a documented source.', 'low', 'fever');
  const phq = s.other.find((o) => o.name === 'PHQ-9');
  if (phq && Number(phq.value) >= 10 && !has('depression', 'bipolar')) add('Depression', `PHQ-9 ${phq.value}`, 'PHQ-9 of 10 or more suggests at least moderate depressive symptoms.', 'medium', 'depression');
  return out;
}

function summaryOf(a: Analyzed, s: Structured): ProviderOutput['summary'] {
  const hpi = sectionText(a.sections, 'hpi', 'chief_complaint', 'preamble');
  const first = splitSentences(hpi)[0];
  const visitContext = first ? truncate(first, 300) : a.chiefComplaint;
  const examSentences = splitSentences(sectionText(a.sections, 'exam')).slice(0, 2);
  const abnormal = s.exam.flatMap((g) => g.findings.filter((f) => f.abnormal).map((f) => `${g.category}: ${f.value}`)).slice(0, 3);
  const examination = abnormal.length ? truncate(abnormal.join('; '), 400) : examSentences.length ? truncate(examSentences.join(' '), 400) : null;
  const key: string[] = [];
  for (const w of s.warnings) key.push(w.message);
  for (const l of s.labs.filter((x) => x.abnormal)) key.push(`${l.name} ${l.value}${l.unit ? ` ${l.unit}` : ''}`);
  if (s.eye) {
    const { visualAcuity: va, intraocularPressure: iop } = s.eye;
    if (va.right || va.left) key.push(`VA ${va.right ?? '—'} OD, ${va.left ?? '—'} OS`);
    if (iop.right !== null || iop.left !== null) key.push(`IOP ${iop.right ?? '—'}/${iop.left ?? '—'} mmHg`);
  }
  for (const i of s.imaging.slice(0, 1)) key.push(`${i.study}: ${i.finding}`);
  const keyFindings = key.length ? truncate([...new Set(key)].slice(0, 6).join('; '), 500) : null;
  const assessment = sectionText(a.sections, 'assessment', 'assessment_plan');
  const clinicalImpression = a.diagnoses.length
    ? truncate(a.diagnoses.map((d) => d.label).join('; '), 400)
    : assessment
      ? truncate(splitSentences(assessment)[0] ?? assessment, 300)
      : null;
  return { visitContext: visitContext || null, examination, keyFindings, clinicalImpression };
}

const nonEmpty = (xs: string[]) => xs.map((x) => x.trim()).filter((x) => x.length > 0);

export function validateStage(a: Analyzed, s: Structured, refs: CuratedReference[]): ProviderOutput {
  const refNumber = new Map(refs.map((r, i) => [r.id, i + 1]));
  const diagRefs = a.diagnoses.map((d) => refs.filter((r) => r.topics.some((t) => d.topics.includes(t))).map((r) => refNumber.get(r.id)!));
  const quality = assessQuality({
    sections: a.sections,
    diagnoses: a.diagnoses,
    plan: s.plan,
    allergies: s.allergies,
    medicationsDocumented: hasSection(a.sections, 'medications') || s.medications.length > 0,
    vitals: s.vitals,
    chiefComplaint: a.chiefComplaint,
    followUp: s.followUp,
    providerName: a.provider.name,
    isProcedureNote: a.isProcedureNote,
    specialty: a.specialty,
    eyeDocumented: s.eye !== null,
  });
  const suggested = [...a.suggested, ...findingSuggestions(a, s)];
  return {
    documentType: a.documentType,
    detectedSpecialty: a.specialty,
    provider: a.provider,
    patient: a.patient,
    chiefComplaint: a.chiefComplaint,
    summary: summaryOf(a, s),
    diagnoses: a.diagnoses.map((d, i) => ({
      number: i + 1,
      label: d.label,
      icd10Code: d.icd10Code,
      icd10Description: d.icd10Description,
      laterality: d.laterality,
      severity: d.severity,
      urgency: d.urgency,
      supporting: nonEmpty(d.supporting),
      referenceNumbers: diagRefs[i]!,
      codingNotes: nonEmpty(d.codingNotes),
    })),
    suggestedDiagnoses: suggested.slice(0, 8).map((x) => ({ label: x.label, supportingFindings: nonEmpty(x.supportingFindings), reasoning: x.reasoning, confidence: x.confidence })),
    plan: s.plan.map((p, i) => ({
      number: i + 1,
      title: p.title,
      bullets: nonEmpty(p.bullets),
      diagnosisNumbers: p.diagnosisIndexes.map((d) => d + 1),
      timeline: p.timeline,
      referenceNumbers: [...new Set(p.diagnosisIndexes.flatMap((d) => diagRefs[d] ?? []))].sort((x, y) => x - y),
    })),
    medications: s.medications,
    allergies: nonEmpty(s.allergies),
    vitals: s.vitals,
    clinicalValues: { labs: s.labs, imaging: s.imaging, eye: s.eye, other: s.other },
    examFindings: s.exam,
    warnings: s.warnings.map((w) => ({ message: w.message, severity: w.severity, basis: w.basis })),
    unaddressedFindings: s.unaddressed,
    followUp: s.followUp,
    references: refs.map((r, i) => ({ number: i + 1, citation: r.citation, pubmedId: r.pubmedId, url: r.url, source: r.source })),
    quality,
  };
}

/** Analyzes a note offline: pure, synchronous and deterministic. */
export function analyzeOffline(input: AnalysisInput): ProviderOutput {
  const a = analyzeStage(input);
  const s = structureStage(a);
  const refs = referencesStage(a);
  return validateStage(a, s, refs);
}

function checkAborted(signal: AbortSignal): void {
  if (!signal.aborted) return;
  throw signal.reason instanceof Error ? signal.reason : new DOMException('The analysis was canceled', 'AbortError');
}

async function stage(context: AnalysisContext, name: AnalysisStage): Promise<void> {
  checkAborted(context.signal);
  await context.onStage(name);
  checkAborted(context.signal);
}

export const offlineProvider: AnalysisProvider = {
  name: 'offline',
  async analyze(input: AnalysisInput, context: AnalysisContext): Promise<ProviderResult> {
    await stage(context, 'analyzing');
    const a = analyzeStage(input);
    await stage(context, 'structuring');
    const s = structureStage(a);
    await stage(context, 'references');
    const refs = referencesStage(a);
    await stage(context, 'validating');
    const output = validateStage(a, s, refs);
    return { output, model: OFFLINE_MODEL, promptVersion: OFFLINE_PROMPT_VERSION };
  },
};

