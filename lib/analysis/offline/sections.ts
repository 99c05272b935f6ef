// Section detection: a heading is a line that starts with a known name (or a
// short upper-case phrase) followed by a colon. Each section keeps its own body
// so later stages can weigh where a term appears (a diagnosis in the family
// history is not the patient's; one in the assessment is).
import { cleanPhrase } from './normalize';

export type SectionKind =
  | 'preamble'
  | 'chief_complaint'
  | 'hpi'
  | 'past_medical'
  | 'past_surgical'
  | 'family'
  | 'social'
  | 'medications'
  | 'allergies'
  | 'vitals'
  | 'ros'
  | 'exam'
  | 'labs'
  | 'imaging'
  | 'assessment'
  | 'assessment_plan'
  | 'plan'
  | 'procedure'
  | 'follow_up'
  | 'other';

export interface Section {
  kind: SectionKind;
  /** The heading as written (empty for the preamble). */
  heading: string;
  body: string;
}

const HEADINGS: [RegExp, SectionKind][] = [
  [/^(chief complaint|cc|reason for (visit|consultation|consult|referral|admission|evaluation)|presenting (complaint|problem)|reason for admission\/chief complaint)$/, 'chief_complaint'],
  [/^(history of (the )?present(ing)? illness|hpi|present illness|subjective|interval history|history|clinical history|indications?|indication for (the )?(procedure|study|exam))$/, 'hpi'],
  [/^(past (medical )?history|pmh|medical history|past medical and surgical history|past psychiatric history|psychiatric history|problem list|active problems)$/, 'past_medical'],
  [/^(past surgical history|surgical history|psh|previous surgeries|past ocular history|ocular history)$/, 'past_surgical'],
  [/^(family (medical )?history|fh|fhx|family hx)$/, 'family'],
  [/^(social history|sh|social hx|habits|health-related behaviors|substance (use|abuse) history)$/, 'social'],
  [/^((current |home |outpatient |admission |discharge |present )?medications?( list)?|meds|current meds|medications at home|ocular medications|eye medications)$/, 'medications'],
  [/^((drug )?allerg(y|ies)|medication allergies|allergies to medications)$/, 'allergies'],
  [/^(vital signs?|vitals)$/, 'vitals'],
  [/^(review of systems|ros|systems review)$/, 'ros'],
  [/^(physical exam(ination)?|exam(ination)?|objective|pe|on examination|eye exam(ination)?|ophthalmic exam(ination)?|ocular exam(ination)?|neurological exam(ination)?|neurologic exam(ination)?|mental status exam(ination)?|general exam(ination)?|musculoskeletal exam(ination)?|findings)$/, 'exam'],
  [/^(laboratory( data| results| studies| values| findings)?|labs?|lab results|diagnostic (data|studies|tests)|data|results|pertinent (labs|results))$/, 'labs'],
  [/^(imaging( studies)?|radiology|x-rays?|studies|mri|ct|ekg|ecg|echocardiogram|diagnostic imaging)$/, 'imaging'],
  [/^((clinical |final |working |admitting |discharge |admission |principal |preoperative |postoperative |pre-operative |post-operative )?(diagnos[ie]s|impressions?)|assessment|a|dx|diagnostic impression|problems)$/, 'assessment'],
  [/^(assessment( and |\/| & )plan|a\/p|a&p|impression( and |\/| & )plan|assessment( and |\/)recommendations?|impression( and |\/)recommendations?)$/, 'assessment_plan'],
  [/^(plan|treatment plan|plan of care|recommendations?|disposition|management|discharge plan|discharge instructions|course|hospital course|treatment)$/, 'plan'],
  [/^(procedures?( performed)?|operations?|name of (the )?procedure|description of (the )?procedure|procedure in detail|operative procedure|technique)$/, 'procedure'],
  [/^(follow[- ]?up|return|return to clinic)$/, 'follow_up'],
];

/** Subheadings that stay inside an exam (categories of findings). */
export const EXAM_SUBHEADINGS =
  /^(general|constitutional|heent|head|eyes?|ears?|nose|throat|mouth|oropharynx|neck|lymph( nodes)?|lymphatics?|chest|lungs?|respiratory|pulmonary|heart|cardiac|cardiovascular|cv|breasts?|abdomen|abdominal|gi|genitourinary|gu|rectal|back|spine|extremities|ext|musculoskeletal|msk|skin|integument|dermatologic|neuro(logic(al)?)?|psych(iatric)?|mental status|vision|visual acuity|va|iop|intraocular pressures?|pupils|external|lids?|conjunctivae?|cornea|anterior chamber|lens|iris|fundus|dilated fundus exam(ination)?|vitreous|retina|macula|optic nerves?|discs?|periphery|motor|sensory|reflexes|gait|cranial nerves|coordination|strength|range of motion|pulses|vascular|joints?|knees?|hips?|shoulders?|hands?|feet|ankles?|wrists?|elbows?)$/;

function classify(heading: string): SectionKind | null {
  const h = heading.toLowerCase().replace(/\s+/g, ' ').replace(/[.\s]+$/, '').trim();
  for (const [re, kind] of HEADINGS) if (re.test(h)) return kind;
  return null;
}

const HEADING_LINE = /^([A-Za-z][A-Za-z0-9 /&'()-]{0,60}?)\s*:\s*(.*)$/;

/** Splits normalized text into sections; text before the first heading is the preamble. */
export function detectSections(text: string): Section[] {
  const sections: Section[] = [];
  let current: Section = { kind: 'preamble', heading: '', body: '' };
  const push = () => {
    current.body = current.body.trim();
    if (current.body || current.heading) sections.push(current);
  };
  for (const line of text.split('\n')) {
    const m = HEADING_LINE.exec(line);
    let kind: SectionKind | null = null;
    let rest = line;
    if (m) {
      const heading = m[1]!;
      kind = classify(heading);
      const upper = heading === heading.toUpperCase() && /[A-Z]{3}/.test(heading) && heading.split(' ').length <= 6;
      const examSub = EXAM_SUBHEADINGS.test(heading.toLowerCase().trim());
      // Exam subheadings (HEENT:, Lungs:) belong to the exam they appear in.
      if (examSub && current.kind === 'vitals') {
        // Vitals inside an exam are followed by the exam's own subheadings.
        push();
        current = { kind: 'exam', heading: 'Examination', body: '' };
        kind = null;
      } else if (examSub && current.kind === 'exam') kind = null;
      else if (!kind && upper && !examSub) kind = 'other';
      if (kind) {
        push();
        current = { kind, heading: cleanPhrase(heading), body: '' };
        rest = m[2] ?? '';
      }
    } else if (/^[A-Z][A-Z /&-]{2,50}$/.test(line) && line.split(' ').length <= 6) {
      const k = classify(line);
      if (k) {
        push();
        current = { kind: k, heading: cleanPhrase(line), body: '' };
        rest = '';
      }
    }
    current.body += `${rest}\n`;
  }
  push();
  return sections;
}

/** Bodies of every section of the given kinds, joined by blank lines. */
export function sectionText(sections: Section[], ...kinds: SectionKind[]): string {
  return sections
    .filter((s) => kinds.includes(s.kind))
    .map((s) => s.body)
    .join('\n\n')
    .trim();
}

export function hasSection(sections: Section[], ...kinds: SectionKind[]): boolean {
  return sections.some((s) => kinds.includes(s.kind) && s.body.trim() !== '');
}
