// What every offline letter reads from the request and the analysis: how to
// name the patient, the reason and its urgency, and the findings, diagnoses,
// medications and plan as short clinical lines.
import type { AnalysisResult, Diagnosis, Medication, Urgency } from '@/lib/analysis/schema';
import { reasonDiagnosis, reasonLabel } from '../focus';
import { recipientSeesCodes, type LetterRequest } from '../options';
import type { LetterDraftInput } from '../provider';
import type { LetterSection } from '../schema';
import { clause, familyName, joinAnd, lowerFirst, sentence, upperFirst } from './text';

export interface Facts {
  request: LetterRequest;
  analysis: AnalysisResult;
  clinic: string;
  /** ICD-10 codes may be shown to this reader. */
  codes: boolean;
  /** The patient's name as written in the analysis, or null. */
  name: string | null;
  /** The patient inside a sentence: the name, or "the patient". */
  patient: string;
  /** The diagnosis chosen as the reason, if any. */
  reasonDx: Diagnosis | null;
  /** The reason as the letter names it (with the code for readers who see codes). */
  reason: string;
  /** Eye findings and laterality read as "eye" rather than "side". */
  eye: boolean;
}

export function gatherFacts(input: LetterDraftInput): Facts {
  const { request, analysis } = input;
  const name = analysis.patient.name?.replace(/\s+/g, ' ').trim() || null;
  const reasonDx = reasonDiagnosis(request, analysis);
  const eyeCode = (d: Diagnosis) => !!d.icd10Code && /^H[0-5]/.test(d.icd10Code);
  return {
    request,
    analysis,
    clinic: input.clinic.name.trim() || 'our clinic',
    codes: recipientSeesCodes(request.recipientType),
    name,
    patient: name ?? 'the patient',
    reasonDx,
    reason: reasonLabel(request, analysis),
    eye: analysis.detectedSpecialty === 'ophthalmology' || (reasonDx ? eyeCode(reasonDx) : analysis.diagnoses.some(eyeCode)),
  };
}

/** A section with empty parts dropped; null when nothing is left to say. */
export function section(heading: string | null, paragraphs: readonly (string | null | undefined | false)[], bullets: readonly (string | null | undefined | false)[] = []): LetterSection | null {
  const p = paragraphs.filter((x): x is string => typeof x === 'string' && x.trim() !== '');
  const b = bullets.filter((x): x is string => typeof x === 'string' && x.trim() !== '');
  return p.length > 0 || b.length > 0 ? { heading, paragraphs: p, bullets: b } : null;
}

export function sections(...items: (LetterSection | null)[]): LetterSection[] {
  return items.filter((s): s is LetterSection => s !== null);
}

/** "a 72-year-old woman", "a 58-year-old man", "a 40-year-old patient", or null. */
export function descriptor(analysis: AnalysisResult): string | null {
  const { age, sex } = analysis.patient;
  const noun = sex === 'female' ? 'woman' : sex === 'male' ? 'man' : 'patient';
  if (age !== null) return `a ${age}-year-old ${age < 18 && noun !== 'patient' ? (sex === 'female' ? 'girl' : 'boy') : noun}`;
  return noun === 'patient' ? null : `a ${noun}`;
}

/**
 * The patient introduced once: "Jane Doe (72-year-old woman, date of birth 1953-05-02)",
 * or "a 72-year-old woman" / "a patient of ours" when the analysis has no name.
 */
export function patientIntro(f: Facts, extras: readonly string[] = []): string {
  const who = descriptor(f.analysis);
  const dob = f.analysis.patient.dateOfBirth ? `date of birth ${f.analysis.patient.dateOfBirth}` : null;
  if (f.name) {
    const details = [who?.replace(/^an? /, ''), dob, ...extras].filter((x): x is string => !!x);
    return details.length > 0 ? `${f.name} (${details.join(', ')})` : f.name;
  }
  const details = [dob, ...extras].filter((x): x is string => !!x);
  return `${who ?? 'a patient of ours'}${details.length > 0 ? ` (${details.join(', ')})` : ''}`;
}

/** Whether the letter's signer wrote the analysed note (then the letter says "I saw"). */
export function signerSawPatient(f: Facts): boolean {
  const author = familyName(f.analysis.provider.name);
  return author === null || author === familyName(f.request.from);
}

/** The visit context after "I saw …": in brackets when it is one short phrase, else its own sentence. */
function visitContext(f: Facts): { inline: string; after: string } {
  const context = f.analysis.summary.visitContext;
  if (!context) return { inline: '', after: '' };
  const phrase = clause(context);
  if (phrase.length <= 120 && !/[.!?]\s/.test(phrase)) return { inline: ` (${lowerFirst(phrase)})`, after: '' };
  return { inline: '', after: ` ${sentence(context)}` };
}

/** "I recently saw Jane Doe at Lakeside Eye Clinic." or, when a colleague wrote the note, "… was recently seen … by Dr. Ribeiro." */
export function seenSentence(f: Facts): string {
  const { inline, after } = visitContext(f);
  if (signerSawPatient(f)) return `I recently saw ${f.patient} at ${f.clinic}${inline}.${after}`;
  const where = f.analysis.provider.clinic ?? f.clinic;
  return `${upperFirst(f.patient)} was recently seen at ${where} by ${f.analysis.provider.name}${inline}.${after}`;
}

const URGENCY_RANK: Record<Urgency, number> = { routine: 0, soon: 1, urgent: 2, emergent: 3 };

/** The urgency of the reason: its diagnosis's, else the highest of the diagnoses and warnings. */
export function urgencyOf(f: Facts): Urgency {
  if (f.reasonDx) return f.reasonDx.urgency;
  let best: Urgency = 'routine';
  for (const d of f.analysis.diagnoses) if (URGENCY_RANK[d.urgency] > URGENCY_RANK[best]) best = d.urgency;
  for (const w of f.analysis.warnings) {
    const u: Urgency = w.severity === 'emergent' ? 'emergent' : w.severity === 'urgent' ? 'urgent' : 'routine';
    if (URGENCY_RANK[u] > URGENCY_RANK[best]) best = u;
  }
  return best;
}

export function urgencySentence(urgency: Urgency, patient: string): string {
  switch (urgency) {
    case 'emergent':
      return `This is an emergency: I would be grateful if ${patient} could be seen today.`;
    case 'urgent':
      return `This is urgent: I would be grateful if ${patient} could be seen within 24–48 hours.`;
    case 'soon':
      return 'I would be grateful for an appointment soon, ideally within the next two weeks.';
    case 'routine':
      return 'This is a routine referral; an appointment within the next 4–6 weeks would be appropriate.';
  }
}

export function diagnosisLine(d: Diagnosis, codes: boolean): string {
  return codes && d.icd10Code ? `${clause(d.label)} (${d.icd10Code})` : clause(d.label);
}

/** The diagnoses as lines, the reason's first. */
export function diagnosisLines(f: Facts): string[] {
  const ordered = f.reasonDx ? [f.reasonDx, ...f.analysis.diagnoses.filter((d) => d !== f.reasonDx)] : f.analysis.diagnoses;
  return ordered.map((d) => diagnosisLine(d, f.codes));
}

const num = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

function sides(label: string, values: { right: string | number | null; left: string | number | null }, unit = ''): string | null {
  const parts = [values.right !== null ? `right ${values.right}${unit}` : null, values.left !== null ? `left ${values.left}${unit}` : null].filter(Boolean);
  return parts.length > 0 ? `${label}: ${parts.join(', ')}` : null;
}

/** Measured values as clinical lines: eye measurements, vital signs, labs, other measurements, imaging. */
export function measurementLines(analysis: AnalysisResult, options: { abnormalOnly?: boolean } = {}): string[] {
  const lines: string[] = [];
  const eye = analysis.clinicalValues.eye;
  if (eye && !options.abnormalOnly) {
    lines.push(sides('Visual acuity', eye.visualAcuity) ?? '');
    lines.push(sides('Refraction', eye.refraction) ?? '');
  }
  if (eye) {
    const { right, left } = eye.intraocularPressure;
    // Above 21 mmHg is the usual threshold for raised pressure.
    if (!options.abnormalOnly || (right ?? 0) > 21 || (left ?? 0) > 21) lines.push(sides('Intraocular pressure', eye.intraocularPressure, ' mmHg') ?? '');
  }
  const v = analysis.vitals;
  const vitals = [
    v.bloodPressure ? `blood pressure ${v.bloodPressure.systolic}/${v.bloodPressure.diastolic} mmHg` : null,
    v.heartRate !== null ? `heart rate ${v.heartRate} bpm` : null,
    v.respiratoryRate !== null ? `respiratory rate ${v.respiratoryRate}/min` : null,
    v.temperatureC !== null ? `temperature ${num(v.temperatureC)} °C` : null,
    v.spo2 !== null ? `SpO2 ${v.spo2}%` : null,
    v.weightKg !== null ? `weight ${num(v.weightKg)} kg` : null,
    v.heightCm !== null ? `height ${num(v.heightCm)} cm` : null,
    v.bmi !== null ? `BMI ${num(v.bmi)}` : null,
  ].filter((x): x is string => x !== null);
  const bpHigh = v.bloodPressure ? v.bloodPressure.systolic >= 140 || v.bloodPressure.diastolic >= 90 : false;
  if (vitals.length > 0 && (!options.abnormalOnly || bpHigh)) lines.push(`Vital signs: ${vitals.join(', ')}`);
  for (const m of [...analysis.clinicalValues.labs, ...analysis.clinicalValues.other]) {
    if (options.abnormalOnly && m.abnormal !== true) continue;
    lines.push(`${clause(m.name)}: ${m.value}${m.unit ? ` ${m.unit}` : ''}${m.abnormal ? ' (abnormal)' : ''}`);
  }
  if (!options.abnormalOnly) for (const i of analysis.clinicalValues.imaging) lines.push(`${clause(i.study)}: ${clause(i.finding)}`);
  return lines.filter((l) => l !== '');
}

/** Examination findings as "Category: label value" lines, abnormal ones marked. */
export function examLines(analysis: AnalysisResult, options: { abnormalOnly?: boolean; max?: number } = {}): string[] {
  const lines: string[] = [];
  for (const group of analysis.examFindings) {
    for (const finding of group.findings) {
      if (options.abnormalOnly && !finding.abnormal) continue;
      lines.push(`${clause(group.category)} — ${clause(finding.label)}: ${clause(finding.value)}${finding.abnormal ? ' (abnormal)' : ''}`);
    }
  }
  return lines.slice(0, options.max ?? 20);
}

export function warningLines(analysis: AnalysisResult): string[] {
  const rank = { emergent: 0, urgent: 1, caution: 2 } as const;
  return [...analysis.warnings].sort((a, b) => rank[a.severity] - rank[b.severity]).map((w) => `${clause(w.message)}: ${clause(w.basis)}`);
}

const STATUS_NOTE: Record<Medication['status'], string> = { current: '', new: ' (started at this visit)', changed: ' (dose changed)', discontinued: ' (stopped)' };

export function medicationLine(m: Medication): string {
  const how = [m.dose, m.frequency].filter(Boolean).join(', ');
  return `${clause(m.name)}${how ? ` ${how}` : ''}${STATUS_NOTE[m.status]}`;
}

export function medicationLines(analysis: AnalysisResult): string[] {
  return analysis.medications.map(medicationLine);
}

export function allergySentence(analysis: AnalysisResult): string {
  return analysis.allergies.length > 0 ? `Allergies: ${joinAnd(analysis.allergies.map(clause))}.` : 'No allergies are recorded in the notes.';
}

/** Plan items as lines: "Title: bullet; bullet (timeline)". */
export function planLines(analysis: AnalysisResult): string[] {
  return analysis.plan.map((item) => {
    const steps = item.bullets.map((b) => lowerFirst(clause(b))).join('; ');
    const timeline = item.timeline ? ` (${lowerFirst(clause(item.timeline))})` : '';
    return `${clause(item.title)}${steps ? `: ${steps}` : ''}${timeline}`;
  });
}

export function followUpSentence(f: Facts): string | null {
  const followUp = f.analysis.followUp;
  if (!followUp) return null;
  return /^\d/.test(followUp.trim()) ? `We plan to review ${f.patient} in ${clause(followUp)}.` : `Follow-up: ${sentence(followUp)}`;
}
