// The patient summary: plain language at about an 8th-grade reading level, in
// short sentences, with no codes, no clinical shorthand and no alarming words.
// The tone (warm, professional, simple) changes the wording; the detail level
// (brief, standard, detailed) changes how much is included. Written to the
// patient ("you"), or about them for another reader (a carer, a school).
import type { Diagnosis } from '@/lib/analysis/schema';
import type { DetailLevel, PatientTone } from '../options';
import type { LetterOutput } from '../schema';
import { section, sections, type Facts } from './facts';
import { plainLine, plainNames, plainify, stageSentence, suitableForPatient } from './plain';
import { clause, lowerFirst, possessive, salutationFor, sentence, specialRequestSentence, upperFirst } from './text';

export const PATIENT_SIGN_OFFS: Record<PatientTone, string> = { warm: 'Warm wishes,', professional: 'Kind regards,', simple: 'Best wishes,' };

/** Who the letter talks to: "you" for the patient, the patient by name for another reader. */
interface Voice {
  you: string;
  your: string;
  /** "have" / "has" */
  have: string;
  toPatient: boolean;
}

function voiceFor(f: Facts): Voice {
  if (f.request.recipientType === 'patient') return { you: 'you', your: 'your', have: 'have', toPatient: true };
  return { you: f.patient, your: possessive(f.patient), have: 'has', toPatient: false };
}

const HEADINGS: Record<PatientTone, { found: string; results: string; medicines: string; next: string; call: string }> = {
  warm: { found: 'What we found', results: 'Your test results', medicines: 'Your medicines', next: 'What happens next', call: 'When to call us' },
  professional: { found: 'Findings', results: 'Test results', medicines: 'Medicines', next: 'Next steps', call: 'When to contact the clinic' },
  simple: { found: 'What we found', results: 'Your numbers', medicines: 'Medicines', next: 'What to do next', call: 'Call us if' },
};

/** Headings for another reader: "Your medicines" would address them, not the patient. */
function headingsFor(tone: PatientTone, v: Voice): (typeof HEADINGS)[PatientTone] {
  const h = HEADINGS[tone];
  if (v.toPatient) return h;
  return { ...h, results: 'Test results', medicines: 'Medicines', call: h.call.replace(/\bus\b/, 'the clinic') };
}

const DETAIL_LIMITS: Record<DetailLevel, { diagnoses: number; about: number; plan: number; meds: boolean; results: boolean; watch: boolean }> = {
  brief: { diagnoses: 1, about: 1, plan: 0, meds: false, results: false, watch: false },
  standard: { diagnoses: 3, about: 2, plan: 4, meds: true, results: false, watch: false },
  detailed: { diagnoses: 10, about: 4, plan: 10, meds: true, results: true, watch: true },
};

/** The reason in plain words, after "about": "your glaucoma in both eyes", "your recent visit". */
function plainReason(f: Facts, v: Voice): string {
  if (f.request.reason.kind === 'other') return plainify(lowerFirst(clause(f.request.reason.text)), f.eye);
  if (f.reasonDx) return `${v.your} ${plainNames(f.reasonDx, f.eye).noun}`;
  return `${v.your} recent visit`;
}

function opening(f: Facts, v: Voice, tone: PatientTone): string[] {
  const about = plainReason(f, v);
  const You = upperFirst(v.you);
  switch (tone) {
    case 'warm':
      return [
        v.toPatient
          ? `Thank you for coming to see us at ${f.clinic}. I wanted to send you a short summary of your visit, so you have it in writing.`
          : `Thank you for helping to care for ${f.patient}. Here is a short summary of ${v.your} recent visit to ${f.clinic}.`,
        `This letter is mostly about ${about}.`,
      ];
    case 'professional':
      return [`This letter summarises ${v.your} recent visit to ${f.clinic}.`, `It is mainly about ${about}.`];
    case 'simple':
      return [`${You} came to see us at ${f.clinic}.`, `This letter is about ${about}. It says what we found and what to do next.`];
  }
}

function conditionText(d: Diagnosis, f: Facts, v: Voice, aboutCount: number): string {
  const names = plainNames(d, f.eye);
  const about = (names.entry?.about ?? []).slice(0, aboutCount).map((s) => (v.toPatient ? s : s.replace(/\byour\b/g, 'the')));
  return [`${upperFirst(v.you)} ${v.have} ${names.have}.`, stageSentence(d), ...about].filter(Boolean).join(' ');
}

function foundParagraphs(f: Facts, v: Voice, tone: PatientTone, detail: DetailLevel): string[] {
  const limits = DETAIL_LIMITS[detail];
  const ordered = f.reasonDx ? [f.reasonDx, ...f.analysis.diagnoses.filter((d) => d !== f.reasonDx)] : f.analysis.diagnoses;
  const shown = ordered.slice(0, limits.diagnoses).map((d) => conditionText(d, f, v, limits.about));
  const lead = tone === 'warm' && shown.length > 0 ? ['Here is what we found at the visit.'] : [];
  if (shown.length > 0) return [...lead, ...shown];
  const complaint = plainLine(f.analysis.chiefComplaint ? lowerFirst(f.analysis.chiefComplaint) : null, f.eye);
  return [
    complaint ? `${upperFirst(v.you)} came to see us about ${complaint}.` : `${upperFirst(v.you)} came to see us for a check-up.`,
    'The notes from this visit do not list a diagnosis yet. We will talk about the next steps together.',
  ];
}

function resultLines(f: Facts): string[] {
  const lines: string[] = [];
  const eye = f.analysis.clinicalValues.eye;
  if (eye) {
    const { right, left } = eye.intraocularPressure;
    const parts = [right !== null ? `right eye ${right}` : null, left !== null ? `left eye ${left}` : null].filter(Boolean);
    if (parts.length > 0) lines.push(`Eye pressure: ${parts.join(', ')}. For most people it is between 10 and 21.`);
    const va = [eye.visualAcuity.right ? `right eye ${eye.visualAcuity.right}` : null, eye.visualAcuity.left ? `left eye ${eye.visualAcuity.left}` : null].filter(Boolean);
    if (va.length > 0) lines.push(`Vision: ${va.join(', ')}. The bigger the second number, the harder it was to read small letters.`);
  }
  const bp = f.analysis.vitals.bloodPressure;
  if (bp) lines.push(`Blood pressure: ${bp.systolic}/${bp.diastolic}. For most adults the goal is below 130/80.`);
  for (const lab of f.analysis.clinicalValues.labs) {
    if (lab.abnormal !== true) continue;
    const name = plainLine(lab.name, f.eye);
    if (name) lines.push(`${upperFirst(name)}: ${lab.value}${lab.unit ? ` ${lab.unit}` : ''}. This is outside the usual range.`);
  }
  return lines.filter((l) => suitableForPatient(l));
}

function medicineLines(f: Facts): string[] {
  const note = { current: 'no change', new: 'new', changed: 'new dose', discontinued: 'stopped' } as const;
  return f.analysis.medications
    .map((m) => {
      const how = [m.dose, m.frequency].filter(Boolean).map((x) => plainify(clause(x!), f.eye));
      const line = m.status === 'discontinued' ? `${clause(m.name)}: stopped` : `${clause(m.name)}${how.length > 0 ? `: ${how.join(', ')}` : ''} (${note[m.status]})`;
      return suitableForPatient(line) ? line : null;
    })
    .filter((x): x is string => x !== null);
}

function nextSteps(f: Facts, v: Voice, detail: DetailLevel): string[] {
  const limits = DETAIL_LIMITS[detail];
  const steps: string[] = [];
  const focus = f.request.referralFocus ? plainLine(lowerFirst(f.request.referralFocus), f.eye) : null;
  if (focus) steps.push(`We will arrange the next step: ${focus}.`);
  if (!limits.meds) {
    for (const m of f.analysis.medications.filter((x) => x.status === 'new' || x.status === 'discontinued').slice(0, 2)) {
      steps.push(m.status === 'new' ? `Start ${clause(m.name)} as we discussed.` : `Stop ${clause(m.name)}.`);
    }
  }
  for (const item of f.analysis.plan.slice(0, limits.plan)) {
    const title = plainLine(item.title, f.eye);
    if (!title) continue;
    const details = detail === 'detailed' ? item.bullets.map((b) => plainLine(b, f.eye)).filter((b): b is string => b !== null).map(lowerFirst) : [];
    const timeline = plainLine(item.timeline, f.eye);
    steps.push(sentence(`${title}${details.length > 0 ? `: ${details.join('; ')}` : ''}${timeline ? ` (${lowerFirst(timeline)})` : ''}`));
  }
  const followUp = f.analysis.followUp;
  if (followUp) {
    const plain = plainLine(followUp, f.eye);
    if (plain && /^\d/.test(plain)) steps.push(v.toPatient ? `Come back to see us in ${plain}.` : `${upperFirst(v.you)} should come back to see us in ${plain}.`);
    else if (plain) steps.push(`Next visit: ${sentence(lowerFirst(plain))}`);
  }
  if (steps.length === 0) steps.push('We will be in touch about any next steps.');
  return steps.filter((s) => suitableForPatient(s));
}

function watchLines(f: Facts, v: Voice): string[] {
  const signs: string[] = [];
  for (const d of f.analysis.diagnoses) {
    for (const sign of plainNames(d, f.eye).entry?.watch ?? []) if (!signs.includes(sign)) signs.push(sign);
  }
  const lines = [...signs.slice(0, 6), 'Anything that worries you'];
  // The signs are written to the patient; another reader watches for them in the patient.
  return v.toPatient ? lines : lines.map((l) => l.replace(/\byourself\b/g, 'themselves').replace(/\byour\b/g, 'their').replace(/\byou\b/g, 'they'));
}

function closingParagraph(f: Facts, tone: PatientTone): string {
  switch (tone) {
    case 'warm':
      return `Please do not hesitate to call us at ${f.clinic} if you have any questions. We are always happy to help.`;
    case 'professional':
      return `If you have any questions about this letter, please contact ${f.clinic}.`;
    case 'simple':
      return `Questions? Call us at ${f.clinic}. We are happy to help.`;
  }
}

export function writePatientSummary(f: Facts): LetterOutput {
  const tone = f.request.tone ?? 'warm';
  const detail = f.request.detail ?? 'standard';
  const limits = DETAIL_LIMITS[detail];
  const v = voiceFor(f);
  const h = headingsFor(tone, v);
  const meds = limits.meds ? medicineLines(f) : [];
  const results = limits.results ? resultLines(f) : [];
  const special = specialRequestSentence(f.request.specialRequests, v.toPatient ? 'patient' : 'clinician');
  const reasonNames = f.reasonDx ? plainNames(f.reasonDx, f.eye) : null;
  const subjectAbout = reasonNames ? (reasonNames.named ? reasonNames.noun : null) : f.request.reason.kind === 'other' ? plainify(clause(f.request.reason.text), f.eye) : null;
  return {
    subject: `${v.toPatient ? 'Summary of your visit' : 'Visit summary'}${subjectAbout ? ` — ${subjectAbout}` : ''}`,
    salutation: salutationFor(f.request.to, v.toPatient ? (f.name ?? 'Patient') : 'Sir or Madam'),
    sections: sections(
      section(null, opening(f, v, tone)),
      section(h.found, foundParagraphs(f, v, tone, detail)),
      section(h.results, [], results),
      section(h.medicines, [], meds),
      section(h.next, [special], nextSteps(f, v, detail)),
      limits.watch ? section(h.call, [v.toPatient ? 'Please call us, or get help straight away, if you notice:' : `Please call us, or get help straight away, if ${f.patient} notices:`], watchLines(f, v)) : null,
      section(null, [closingParagraph(f, tone)]),
    ),
    closing: PATIENT_SIGN_OFFS[tone],
  };
}
