// Diagnoses: read from the assessment / impression / diagnosis sections first
// (one per numbered item or line), else from the rest of the note. Concepts
// from the lexicon give the code; negated, family and "history of" mentions are
// not the patient's current problems; hedged ones ("possible", "rule out")
// become suggested diagnoses instead.
import type { Laterality, Severity, Urgency } from '../schema';
import { icd10ByTitle, validIcd10 } from '../icd10';
import { type Concept, combinedPatterns, compiledConcepts, conceptsStartingWith, resolveCode } from './lexicon';
import { lateralityIn, mentionContext, severityIn, clauseBefore } from './context';
import { capitalize, cleanPhrase, splitSentences, truncate } from './normalize';
import { type Section, type SectionKind } from './sections';

export interface Mention {
  concept: Concept;
  start: number;
  end: number;
  text: string;
}

/** Every concept mention in `text`; a shorter mention inside a longer one is dropped. */
export function findMentions(text: string): Mention[] {
  const all: Mention[] = [];
  const { terms, abbreviations } = combinedPatterns();
  for (const [scan, kind] of [[terms, 'term'], [abbreviations, 'abbr']] as const) {
    scan.lastIndex = 0;
    const starts = new Set<number>();
    let m: RegExpExecArray | null;
    while ((m = scan.exec(text))) {
      starts.add(m.index);
      if (m[0].length === 0) scan.lastIndex++;
    }
    for (const start of starts) {
      for (const c of conceptsStartingWith(text[start]!)) {
        const r = kind === 'term' ? c.sticky : c.stickyAbbr;
        if (!r) continue;
        r.lastIndex = start;
        const hit = r.exec(text);
        if (hit && hit[0].length > 0) all.push({ concept: c.concept, start, end: start + hit[0].length, text: hit[0] });
      }
    }
  }
  // One sweep in text order: of two overlapping mentions the longer one stays.
  all.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Mention[] = [];
  for (const m of all) {
    const last = kept[kept.length - 1];
    if (!last || m.start >= last.end) kept.push(m);
    else if (m.end - m.start > last.end - last.start) kept[kept.length - 1] = m;
  }
  return kept;
}

/** A more specific concept makes the general one redundant. */
const SUBSUMES: Record<string, string[]> = {
  poag: ['glaucoma'], nt_glaucoma: ['glaucoma'], pacg: ['glaucoma'], acute_angle_closure: ['glaucoma', 'pacg'], ocular_hypertension: [], glaucoma_suspect: ['glaucoma'],
  amd_dry: ['amd'], amd_wet: ['amd'], diabetic_retinopathy: ['diabetes'], diabetic_neuropathy: ['diabetes', 'neuropathy'],
  knee_oa: ['oa', 'knee_pain'], hip_oa: ['oa', 'hip_pain'], shoulder_oa: ['oa', 'shoulder_pain'], rotator_cuff: ['shoulder_pain'], impingement: ['shoulder_pain'],
  acl_tear: ['knee_pain', 'knee_sprain'], meniscus_tear: ['knee_pain', 'knee_sprain'], migraine: ['headache'], tension_headache: ['headache'], cluster_headache: ['headache'],
  stemi: ['mi', 'chest_pain'], nstemi: ['mi', 'chest_pain'], mi: ['chest_pain'], unstable_angina: ['angina', 'chest_pain'], strep: ['pharyngitis'], iron_deficiency_anemia: ['anemia'], b12_deficiency: ['anemia'],
  gad: ['anxiety'], panic: ['anxiety'], aspiration_pneumonia: ['pneumonia'], alzheimer: ['dementia'], lumbar_radiculopathy: ['radiculopathy'], cervical_radiculopathy: ['radiculopathy'],
  epilepsy: ['seizure'], hashimoto: ['hypothyroidism'], postsurgical_hypothyroidism: ['hypothyroidism'], graves: ['hyperthyroidism'], conjunctivitis_allergic: ['conjunctivitis'],
  ra: ['oligoarthritis', 'arthralgia'], psoriatic_arthritis: ['psoriasis', 'arthralgia'], alcohol_withdrawal: ['alcohol_dependence', 'alcohol_abuse'], alcoholic_hepatitis: ['alcohol_dependence'],
  low_back_pain: ['back_pain'], contact_dermatitis: ['dermatitis'], atopic_dermatitis: ['dermatitis'], seb_derm: ['dermatitis'], bppv: ['vertigo'], essential_tremor: ['tremor'],
  hypertensive_crisis: ['hypertension'], hypertensive_emergency: ['hypertension'], cholecystitis: ['cholelithiasis', 'abdominal_pain'], appendicitis: ['abdominal_pain'], sbo: ['abdominal_pain', 'nausea_vomiting'],
  pancreatitis: ['abdominal_pain'], gi_bleed: [], copd: ['emphysema', 'chronic_bronchitis', 'dyspnea'], asthma: ['dyspnea'], pneumonia: ['cough', 'fever'], uri: ['cough'], sinusitis: ['uri'],
  thyroid_cancer: ['thyroid_nodule', 'goiter'], goiter: ['thyroid_nodule'], zoster: ['skin_lesion'], melanoma: ['nevus', 'skin_lesion'], bcc: ['skin_lesion'], scc_skin: ['skin_lesion'],
  actinic_keratosis: ['skin_lesion'], seb_keratosis: ['skin_lesion'], bipolar: ['depression'], schizoaffective: ['schizophrenia', 'depression'], heart_failure: ['dyspnea'], hcm: ['cardiomyopathy'], ich: ['stroke'],
  disc_herniation: ['back_pain', 'low_back_pain'], spinal_stenosis: ['back_pain', 'low_back_pain'], sciatica: [], pe: ['dyspnea', 'chest_pain'], dvt: [],
};

const SYMPTOMS = new Set(['chest_pain', 'syncope', 'palpitations', 'dyspnea', 'cough', 'fatigue', 'fever', 'dizziness', 'headache', 'abdominal_pain', 'nausea_vomiting', 'diarrhea', 'constipation', 'pruritus', 'arthralgia', 'knee_pain', 'hip_pain', 'shoulder_pain', 'back_pain', 'paresthesia', 'tremor', 'hemoptysis', 'dysphagia', 'skin_lesion', 'vertigo', 'hypoxemia', 'tachycardia', 'bradycardia', 'neck_pain', 'insomnia', 'hyperesthesia']);

export interface DiagnosisDraft {
  conceptId: string | null;
  label: string;
  icd10Code: string | null;
  icd10Description: string | null;
  laterality: Laterality;
  severity: Severity;
  urgency: Urgency;
  supporting: string[];
  codingNotes: string[];
  topics: string[];
  /** Words that identify it in a plan item. */
  terms: RegExp | null;
}

export interface SuggestedDraft {
  label: string;
  supportingFindings: string[];
  reasoning: string;
  confidence: 'low' | 'medium' | 'high';
  conceptId: string | null;
}

const ASSESSMENT_KINDS: SectionKind[] = ['assessment', 'assessment_plan'];
const TEXT_KINDS: SectionKind[] = ['preamble', 'chief_complaint', 'hpi', 'exam', 'labs', 'imaging', 'other', 'procedure'];

/** Splits an assessment body into items: numbered entries, lines or sentences. */
export function assessmentItems(body: string): string[] {
  const lines = body
    .split('\n')
    .flatMap((l) => l.split(/\s+(?=\d{1,2}[.)]\s+[A-Za-z])/))
    .map((l) => l.trim())
    .filter(Boolean);
  const items: string[] = [];
  for (const line of lines) {
    if (/^\d{1,2}[.)]\s/.test(line) || /^[-*]\s/.test(line) || line.length <= 120) items.push(line);
    else items.push(...splitSentences(line));
  }
  return items.map(cleanPhrase).filter((i) => i.length > 1);
}

function laterText(lat: Laterality, kind: 'eye' | 'body' | undefined): string | null {
  if (lat === 'n/a' || !kind) return null;
  if (kind === 'eye') return lat === 'bilateral' ? 'both eyes' : `${lat} eye`;
  return lat === 'bilateral' ? 'bilateral' : lat;
}

function buildLabel(concept: Concept, lat: Laterality, sev: Severity): string {
  const parts = [concept.label];
  const l = laterText(lat, concept.lateral);
  if (l) parts.push(l);
  if (sev !== 'unspecified' && concept.graded) parts.push(concept.id.includes('glaucoma') || concept.id === 'poag' || concept.id === 'pacg' ? `${sev} stage` : sev);
  return parts.join(', ');
}

/** Words a plan uses for a problem without naming it ("continue lisinopril for blood pressure"). */
const LINK_TERMS: Record<string, string[]> = {
  hypertension: ['blood pressure', 'bp', 'antihypertensives?'],
  diabetes: ['glucose', 'a1c', 'hba1c', 'glycemic', 'blood sugars?', 'insulin', 'metformin'],
  hyperlipidemia: ['cholesterol', 'ldl', 'statins?', 'lipids?', 'lipid panel'],
  poag: ['iop', 'intraocular pressure', 'pressure', 'visual fields?', 'oct', 'drops'],
  glaucoma: ['iop', 'intraocular pressure', 'visual fields?', 'drops'],
  ocular_hypertension: ['iop', 'intraocular pressure', 'drops'],
  cataract: ['phacoemulsification', 'cataract extraction', 'iol', 'lens implant'],
  diabetic_retinopathy: ['retina', 'anti-vegf', 'injections?', 'dilated exam'],
  afib: ['anticoagula\\w*', 'rate control', 'apixaban', 'warfarin'],
  heart_failure: ['diuretics?', 'furosemide', 'daily weights'],
  copd: ['inhalers?', 'bronchodilators?', 'pulmonary rehab\\w*'],
  asthma: ['inhalers?', 'albuterol', 'controller'],
  depression: ['mood', 'antidepressants?', 'ssri', 'sertraline', 'fluoxetine', 'therapy'],
  hypothyroidism: ['levothyroxine', 'tsh', 'thyroid'],
  knee_oa: ['knee', 'injection', 'physical therapy'],
  hip_oa: ['hip', 'physical therapy'],
  gerd: ['ppi', 'omeprazole', 'pantoprazole', 'reflux'],
};

/**
 * A fully specified subtype code's official title says more than the concept's
 * name ("Age-related nuclear cataract, bilateral"), so it becomes the label; an
 * unspecified or generic code keeps the clinician's wording.
 */
function labelFor(concept: Concept, lat: Laterality, sev: Severity, title: string | null, notes: string[]): string {
  if (!title || typeof concept.code === 'string' || notes.length > 0 || title.length > 110 || /\b(unspecified|other)\b/i.test(title)) return buildLabel(concept, lat, sev);
  const severityMissing = concept.graded && sev !== 'unspecified' && !title.toLowerCase().includes(sev);
  return severityMissing ? `${title}, ${sev}` : title;
}

function conceptTerms(concept: Concept): RegExp {
  const words = [...concept.terms, ...(LINK_TERMS[concept.id] ?? []), concept.label.toLowerCase().replace(/[^a-z0-9 '-]/g, '')];
  const abbr = concept.abbreviations ?? [];
  return new RegExp(`\\b(?:${[...words, ...abbr.map((a) => a.toLowerCase())].join('|')})\\b`, 'i');
}

function draftFromMention(m: Mention, window: string, supporting: string[]): DiagnosisDraft {
  const concept = m.concept;
  const lower = window.toLowerCase();
  const laterality = concept.lateral ? lateralityIn(window, concept.lateral) : 'n/a';
  const severity = severityIn(window);
  let choice = resolveCode(concept, { laterality, severity, context: lower });
  let valid = validIcd10(choice.code);
  if (!valid) {
    choice = resolveCode(concept, { laterality: 'n/a', severity: 'unspecified', context: lower });
    valid = validIcd10(choice.code);
  }
  return {
    conceptId: concept.id,
    label: labelFor(concept, laterality, severity, valid?.title ?? null, valid ? choice.notes : ['x']),
    icd10Code: valid?.code ?? null,
    icd10Description: valid?.title ?? null,
    laterality,
    severity,
    urgency: concept.urgency ?? 'routine',
    supporting,
    codingNotes: valid ? choice.notes : ['No valid ICD-10-CM code could be selected: code manually'],
    topics: concept.topics ?? [],
    terms: conceptTerms(concept),
  };
}

/** A label-like assessment item with no lexicon concept: kept, coded only on an exact title match. */
function uncodedDraft(item: string): DiagnosisDraft | null {
  const head = cleanPhrase(item.split(/\s[-–]\s|:|;|\.\s/)[0] ?? item);
  if (head.length < 3 || head.length > 90 || head.split(' ').length > 12) return null;
  if (/^(the |he |she |they |we |i |patient|pt |will |continue|plan|follow|return|see |no |none|normal|stable|discussed|recommend|rule out|r\/o|status post|s\/p|history of|h\/o|family history|otherwise|this |these |there |it |all |please |thank)/i.test(head)) return null;
  if (!/[a-z]{3}/i.test(head)) return null;
  // Sentences and letter closings are not diagnoses.
  if (/\b(is|was|were|are|has|had|have|will|would|should|did|does|we|i|sincerely|regards|thanks?)\b/i.test(head)) return null;
  const exact = icd10ByTitle(head);
  return {
    conceptId: null,
    label: capitalize(head),
    icd10Code: exact?.code ?? null,
    icd10Description: exact?.title ?? null,
    laterality: lateralityIn(head, 'body'),
    severity: severityIn(head),
    urgency: 'routine',
    supporting: [`Assessment: ${truncate(item, 160)}`],
    codingNotes: exact ? [] : ['Not in the offline lexicon: no ICD-10-CM code assigned, code manually'],
    topics: [],
    terms: new RegExp(`\\b${head.toLowerCase().split(/\s+/).filter((w) => w.length > 4).slice(0, 3).map((w) => w.replace(/[^a-z0-9]/g, '')).filter(Boolean).join('|') || 'a^'}\\b`, 'i'),
  };
}

function suggestedFrom(m: Mention, sentence: string, hedge: 'possible' | 'likely' | null, where: string): SuggestedDraft {
  return {
    label: m.concept.label,
    supportingFindings: [truncate(sentence, 160)],
    reasoning: `Documented as ${hedge === 'likely' ? 'likely or consistent with the findings' : 'possible or to be ruled out'} in the ${where}; not confirmed in the note.`,
    confidence: hedge === 'likely' ? 'medium' : 'low',
    conceptId: m.concept.id,
  };
}

function sentenceAround(text: string, start: number, end: number): string {
  const s = Math.max(text.lastIndexOf('.', start - 1), text.lastIndexOf('\n', start - 1)) + 1;
  const e1 = text.indexOf('.', end);
  const e2 = text.indexOf('\n', end);
  const e = Math.min(e1 === -1 ? text.length : e1, e2 === -1 ? text.length : e2);
  return cleanPhrase(text.slice(s, e));
}

function supportFromText(sections: Section[], concept: Concept): string[] {
  const out: string[] = [];
  const compiled = compiledConcepts().find((c) => c.concept === concept);
  const matches = (sentence: string) => {
    if (!compiled) return false;
    compiled.re.lastIndex = 0;
    if (compiled.re.test(sentence)) return true;
    if (!compiled.abbr) return false;
    compiled.abbr.lastIndex = 0;
    return compiled.abbr.test(sentence);
  };
  for (const s of sections) {
    if (!['chief_complaint', 'hpi', 'exam', 'labs', 'imaging'].includes(s.kind)) continue;
    for (const sentence of splitSentences(s.body)) {
      if (out.length >= 2) return out;
      if (matches(sentence)) {
        out.push(`${s.heading ? capitalize(s.heading.toLowerCase()) : 'Note'}: ${truncate(sentence, 150)}`);
      }
    }
  }
  return out;
}

export interface DiagnosisResult {
  diagnoses: DiagnosisDraft[];
  suggested: SuggestedDraft[];
  fromAssessment: boolean;
}

function prune(drafts: DiagnosisDraft[], dropSymptoms: boolean): DiagnosisDraft[] {
  const ids = new Set(drafts.map((d) => d.conceptId).filter((x): x is string => !!x));
  const redundant = new Set<string>();
  for (const id of ids) for (const sub of SUBSUMES[id] ?? []) redundant.add(sub);
  const hasDisease = drafts.some((d) => d.conceptId && !SYMPTOMS.has(d.conceptId));
  const out: DiagnosisDraft[] = [];
  for (const d of drafts) {
    if (d.conceptId && redundant.has(d.conceptId)) continue;
    if (dropSymptoms && hasDisease && d.conceptId && SYMPTOMS.has(d.conceptId)) continue;
    // One eye (or side) documented separately with a different code stays a separate diagnosis.
    const same = out.find((o) =>
      d.conceptId ? o.conceptId === d.conceptId && !(o.icd10Code !== d.icd10Code && o.laterality !== d.laterality && o.laterality !== 'n/a' && d.laterality !== 'n/a') : o.label.toLowerCase() === d.label.toLowerCase(),
    );
    if (same) {
      // The same eye/side condition documented per side becomes bilateral when the code allows it.
      if (same.laterality !== d.laterality && same.laterality !== 'n/a' && d.laterality !== 'n/a' && same.laterality !== 'bilateral') {
        same.codingNotes.push(`Documented for both sides: consider the bilateral code`);
      }
      continue;
    }
    out.push(d);
  }
  return out;
}

/**
 * Status codes that coding rules add to a documented diagnosis: long-term insulin
 * or oral hypoglycaemic use with diabetes, and the BMI category with obesity or
 * overweight (adults only). Only codes in the official table are added.
 */
export function secondaryCodes(diagnoses: DiagnosisDraft[], medicationNames: string[], bmi: number | null, adult: boolean): DiagnosisDraft[] {
  const out: DiagnosisDraft[] = [];
  const has = (...ids: string[]) => diagnoses.some((d) => d.conceptId && ids.includes(d.conceptId));
  const meds = medicationNames.map((m) => m.toLowerCase());
  const add = (code: string, label: string, support: string, topics: string[]) => {
    const valid = validIcd10(code);
    if (!valid || diagnoses.some((d) => d.icd10Code === valid.code)) return;
    out.push({ conceptId: null, label, icd10Code: valid.code, icd10Description: valid.title, laterality: 'n/a', severity: 'unspecified', urgency: 'routine', supporting: [support], codingNotes: ['Secondary status code added from the medication list or measurements'], topics, terms: null });
  };
  if (has('diabetes', 'diabetic_retinopathy', 'diabetic_neuropathy')) {
    const insulin = meds.find((m) => /insulin|glargine|lispro|aspart|detemir|degludec|lantus|humalog|novolog|levemir|tresiba|basaglar/.test(m));
    if (insulin) add('Z79.4', 'Long-term (current) use of insulin', `Medications: ${insulin}`, ['diabetes']);
    const oral = meds.find((m) => /metformin|glipizide|glyburide|glimepiride|sitagliptin|januvia|empagliflozin|jardiance|dapagliflozin|farxiga|pioglitazone/.test(m));
    if (oral) add('Z79.84', 'Long-term (current) use of oral hypoglycemic drugs', `Medications: ${oral}`, ['diabetes']);
  }
  if (adult && bmi !== null && has('obesity', 'overweight') && bmi >= 25) {
    const code = bmi >= 70 ? 'Z68.45' : bmi >= 60 ? 'Z68.44' : bmi >= 50 ? 'Z68.43' : bmi >= 45 ? 'Z68.42' : bmi >= 40 ? 'Z68.41' : `Z68.${Math.floor(bmi)}`;
    add(code, `Body mass index ${bmi}, adult`, `BMI ${bmi}`, []);
  }
  return out;
}

export function extractDiagnoses(sections: Section[]): DiagnosisResult {
  const suggested: SuggestedDraft[] = [];
  const drafts: DiagnosisDraft[] = [];
  const assessment = sections.filter((s) => ASSESSMENT_KINDS.includes(s.kind));
  for (const section of assessment) {
    for (const item of assessmentItems(section.body)) {
      // In "Diagnosis - plan" items, the diagnosis is the head; the rest is plan.
      const mentions = findMentions(item);
      // Any mention, even a negated one, means the item is about a known concept, not an uncoded diagnosis.
      const found = mentions.length > 0;
      mentions.forEach((m, i) => {
        const ctx = mentionContext(item, m.start, m.end);
        if (ctx.family) return;
        if (ctx.negated) return;
        if (ctx.uncertain) {
          suggested.push(suggestedFrom(m, item, ctx.hedge, 'assessment'));
          return;
        }
        if (ctx.historical && section.kind === 'assessment_plan') return;
        const next = mentions[i + 1]?.start ?? item.length;
        const window = `${clauseBefore(item, m.start, 40)} ${item.slice(m.start, next)}`;
        drafts.push(draftFromMention(m, window, [`${capitalize(section.heading.toLowerCase() || 'assessment')}: ${truncate(item, 160)}`, ...supportFromText(sections, m.concept)].slice(0, 3)));
      });
      if (!found && section.kind === 'assessment') {
        const d = uncodedDraft(item);
        if (d) drafts.push(d);
      }
    }
  }
  let fromAssessment = drafts.length > 0;
  if (fromAssessment) {
    // The reason for the visit is a problem addressed even when the assessment is prose.
    for (const section of sections.filter((s) => s.kind === 'chief_complaint')) {
      for (const m of findMentions(section.body)) {
        const ctx = mentionContext(section.body, m.start, m.end);
        if (ctx.negated || ctx.family || ctx.historical || ctx.uncertain || SYMPTOMS.has(m.concept.id)) continue;
        if (drafts.some((d) => d.conceptId === m.concept.id)) continue;
        drafts.push(draftFromMention(m, sentenceAround(section.body, m.start, m.end), [`Reason for visit: ${truncate(cleanPhrase(section.body), 150)}`]));
      }
    }
  }
  if (!fromAssessment) {
    const scored = new Map<string, { m: Mention; window: string; score: number; sentence: string; heading: string }>();
    for (const section of sections) {
      if (!TEXT_KINDS.includes(section.kind)) continue;
      const weight = section.kind === 'chief_complaint' ? 3 : section.kind === 'hpi' || section.kind === 'preamble' ? 2 : 1;
      const body = section.body;
      for (const m of findMentions(body)) {
        const ctx = mentionContext(body, m.start, m.end);
        if (ctx.negated || ctx.family || ctx.historical) continue;
        const sentence = sentenceAround(body, m.start, m.end);
        if (ctx.uncertain) {
          if (!suggested.some((s) => s.conceptId === m.concept.id)) suggested.push(suggestedFrom(m, sentence, ctx.hedge, section.heading ? section.heading.toLowerCase() : 'note'));
          continue;
        }
        const prev = scored.get(m.concept.id);
        if (prev) prev.score += weight;
        else scored.set(m.concept.id, { m, window: sentence, score: weight, sentence, heading: section.heading });
      }
    }
    const ranked = [...scored.values()].sort((a, b) => b.score - a.score).slice(0, 8);
    for (const r of ranked) {
      drafts.push(draftFromMention(r.m, r.window, [`${r.heading ? capitalize(r.heading.toLowerCase()) : 'Note'}: ${truncate(r.sentence, 150)}`]));
    }
    fromAssessment = false;
  }
  const diagnoses = prune(drafts, !fromAssessment).slice(0, fromAssessment ? 12 : 5);
  const ids = new Set(diagnoses.map((d) => d.conceptId));
  const seen = new Set<string>();
  const uniqueSuggested = suggested.filter((s) => {
    const key = s.conceptId ?? s.label;
    if (ids.has(s.conceptId) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { diagnoses, suggested: uniqueSuggested.slice(0, 6), fromAssessment };
}
