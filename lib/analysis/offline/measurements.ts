// Measured values: vital signs (converted to the schema's units), laboratory
// values with abnormal flags from adult reference ranges, eye measurements per
// eye, other specialty measurements, imaging findings and exam findings.
import type { Vitals } from '../schema';
import { EXAM_SUBHEADINGS, type Section } from './sections';
import { capitalize, cleanPhrase, splitSentences, truncate } from './normalize';

export interface Measurement {
  name: string;
  value: string;
  unit: string | null;
  abnormal: boolean | null;
}

export interface EyeMeasurements {
  visualAcuity: { right: string | null; left: string | null };
  intraocularPressure: { right: number | null; left: number | null };
  refraction: { right: string | null; left: string | null };
}

const num = (s: string | undefined): number | null => {
  if (s === undefined) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
};
const round1 = (n: number) => Math.round(n * 10) / 10;
const inRange = (n: number | null, lo: number, hi: number) => (n !== null && n >= lo && n <= hi ? n : null);

export function extractVitals(text: string): Vitals {
  const t = text;
  const bp = /\b(?:BP|B\/P|blood pressures?)\b[^0-9\n]{0,25}(\d{2,3})\s*\/\s*(\d{2,3})/i.exec(t);
  let bloodPressure: Vitals['bloodPressure'] = null;
  if (bp) {
    const s = num(bp[1]);
    const d = num(bp[2]);
    if (s !== null && d !== null && s >= 50 && s <= 300 && d >= 30 && d <= 200 && s - d >= 10) bloodPressure = { systolic: s, diastolic: d };
  }
  const hr = /\b(?:HR|heart rate|pulse(?: rate)?|P)\b\s*(?:of|is|was|:|=)?\s*(\d{2,3})\b(?!\s*(?:%|mg|mm|year|lb|kg|\/))/i.exec(t);
  const rr = /\b(?:RR|resp(?:iratory)?(?:\s*rate)?|respirations|R)\b\s*(?:of|is|was|:|=)?\s*(\d{1,2})\b(?!\s*(?:%|mg|mm|year|\/))/i.exec(t);
  const temp = /\b(?:temp(?:erature)?|T(?:max)?)\b\.?\s*(?:of|is|was|:|=)?\s*(\d{2,3}(?:\.\d{1,2})?)\s*(?:°|degrees?)?\s*([FC])?\b/i.exec(t);
  let temperatureC: number | null = null;
  if (temp) {
    const v = num(temp[1]);
    if (v !== null) {
      const isF = temp[2]?.toUpperCase() === 'F' || (temp[2]?.toUpperCase() !== 'C' && v > 45);
      temperatureC = inRange(round1(isF ? ((v - 32) * 5) / 9 : v), 25, 45);
    }
  }
  const wt = /\b(?:weight|wt|weighs)\b\.?\s*(?:of|is|was|:|=)?\s*(\d{1,3}(?:\.\d+)?)\s*(lbs?|pounds|kg|kilograms)\b/i.exec(t);
  let weightKg: number | null = null;
  if (wt) {
    const v = num(wt[1]);
    if (v !== null) weightKg = inRange(round1(/kg|kilo/i.test(wt[2]!) ? v : v * 0.45359237), 0.3, 400);
  }
  let heightCm: number | null = null;
  const htFtIn = /\b(?:height|ht|tall)\b[^0-9\n]{0,12}(\d)\s*(?:'|ft|feet|foot)\s*(\d{1,2})?\s*(?:"|in|inches)?/i.exec(t);
  const htCm = /\b(?:height|ht)\b[^0-9\n]{0,12}(\d{2,3}(?:\.\d)?)\s*cm\b/i.exec(t);
  const htIn = /\b(?:height|ht)\b[^0-9\n]{0,12}(\d{2}(?:\.\d)?)\s*(?:in|inches)\b/i.exec(t);
  if (htCm) heightCm = inRange(num(htCm[1]), 20, 260);
  else if (htFtIn) heightCm = inRange(round1((Number(htFtIn[1]) * 12 + Number(htFtIn[2] ?? 0)) * 2.54), 20, 260);
  else if (htIn) heightCm = inRange(round1(Number(htIn[1]) * 2.54), 20, 260);
  const bmiM = /\bBMI\b\s*(?:of|is|was|:|=)?\s*(\d{2}(?:\.\d+)?)/i.exec(t);
  let bmi = bmiM ? inRange(round1(Number(bmiM[1])), 5, 100) : null;
  if (bmi === null && weightKg && heightCm) bmi = inRange(round1(weightKg / (heightCm / 100) ** 2), 5, 100);
  const sat = /\b(?:SpO2|SaO2|O2 sat(?:uration)?s?|oxygen saturation|sat(?:uration)?s?|sats|pulse ox(?:imetry)?|satting)\b\s*(?:of|is|was|were|at|:|=)?\s*(\d{2,3})\s*%?/i.exec(t) ?? /\b(\d{2,3})\s*%\s*(?:on|at)\s*(?:room air|RA|\d+\s*(?:L|liters))/i.exec(t);
  return {
    bloodPressure,
    heartRate: inRange(num(hr?.[1]), 10, 300),
    respiratoryRate: inRange(num(rr?.[1]), 2, 80),
    temperatureC,
    weightKg,
    heightCm,
    bmi,
    spo2: inRange(num(sat?.[1]), 30, 100),
  };
}

interface LabDef {
  name: string;
  re: RegExp;
  unit: string | null;
  low: number | null;
  high: number | null;
}

const lab = (name: string, terms: string, unit: string | null, low: number | null, high: number | null): LabDef => ({
  name,
  re: new RegExp(`\\b(?:${terms})\\b[^0-9\\n.;]{0,20}?(?:of|is|was|:|=)?\\s*(<|>)?\\s*(\\d+(?:\\.\\d+)?)`, 'i'),
  unit,
  low,
  high,
});

/** Adult reference ranges (typical US laboratory values). */
const LABS: LabDef[] = [
  lab('HbA1c', 'hba1c|hgba1c|hemoglobin a1c|a1c|glycated hemoglobin', '%', null, 5.6),
  lab('Glucose', '(?:fasting |random |blood )?glucose|blood sugar|fbs|fingerstick', 'mg/dL', 70, 125),
  lab('LDL cholesterol', 'ldl(?:-c| cholesterol)?', 'mg/dL', null, 129),
  lab('HDL cholesterol', 'hdl(?:-c| cholesterol)?', 'mg/dL', 40, null),
  lab('Total cholesterol', 'total cholesterol|cholesterol', 'mg/dL', null, 199),
  lab('Triglycerides', 'triglycerides|tg', 'mg/dL', null, 149),
  lab('Creatinine', 'creatinine|creat|cr', 'mg/dL', 0.5, 1.3),
  lab('BUN', 'bun|blood urea nitrogen', 'mg/dL', 6, 24),
  lab('eGFR', 'e?gfr', 'mL/min/1.73m²', 60, null),
  lab('Sodium', 'sodium|na', 'mmol/L', 135, 145),
  lab('Potassium', 'potassium|k', 'mmol/L', 3.5, 5.1),
  lab('Chloride', 'chloride|cl', 'mmol/L', 98, 107),
  lab('Bicarbonate', 'bicarbonate|bicarb|co2|hco3', 'mmol/L', 22, 29),
  lab('Calcium', 'calcium|ca', 'mg/dL', 8.5, 10.5),
  lab('Magnesium', 'magnesium|mg(?=\\s*(?::|=|of|was|is)\\s*\\d)', 'mg/dL', 1.7, 2.4),
  lab('Hemoglobin', 'hemoglobin|hgb|hb', 'g/dL', 12, 17.5),
  lab('Hematocrit', 'hematocrit|hct', '%', 36, 52),
  lab('WBC', 'wbc|white (?:blood )?(?:cell )?count|white count', 'x10³/µL', 4, 11),
  lab('Platelets', 'platelets?|plt', 'x10³/µL', 150, 450),
  lab('TSH', 'tsh|thyroid[- ]stimulating hormone', 'mIU/L', 0.4, 4.5),
  lab('Free T4', 'free t4|ft4|free thyroxine', 'ng/dL', 0.8, 1.8),
  lab('ALT', 'alt|sgpt', 'U/L', null, 56),
  lab('AST', 'ast|sgot', 'U/L', null, 40),
  lab('Alkaline phosphatase', 'alkaline phosphatase|alk phos|alp', 'U/L', 44, 147),
  lab('Total bilirubin', '(?:total )?bilirubin|t\\.? ?bili', 'mg/dL', null, 1.2),
  lab('Albumin', 'albumin', 'g/dL', 3.5, 5.0),
  lab('Lipase', 'lipase', 'U/L', null, 160),
  lab('INR', 'inr', null, null, 1.2),
  lab('Troponin', 'troponin(?: [it])?', 'ng/mL', null, 0.04),
  lab('BNP', 'bnp|b-type natriuretic peptide', 'pg/mL', null, 100),
  lab('Ferritin', 'ferritin', 'ng/mL', 15, 300),
  lab('Vitamin D', '(?:25-hydroxy )?vitamin d|25-oh vitamin d', 'ng/mL', 30, 100),
  lab('Vitamin B12', 'b12|vitamin b12', 'pg/mL', 200, null),
  lab('PSA', 'psa', 'ng/mL', null, 4),
  lab('CRP', 'crp|c-reactive protein', 'mg/L', null, 10),
  lab('ESR', 'esr|sed rate|sedimentation rate', 'mm/h', null, 30),
  lab('Uric acid', 'uric acid', 'mg/dL', null, 7),
  lab('Lactate', 'lactate|lactic acid', 'mmol/L', null, 2),
];

/** Laboratory values found in the text, with abnormal flags from the ranges above. */
export function extractLabs(text: string): Measurement[] {
  const out: Measurement[] = [];
  for (const def of LABS) {
    const m = def.re.exec(text);
    if (!m) continue;
    const v = Number(m[2]);
    if (!Number.isFinite(v)) continue;
    // A single-letter or two-letter abbreviation needs a plausible value to count.
    if (def.name === 'Potassium' && (v < 1.5 || v > 9)) continue;
    if (def.name === 'Sodium' && (v < 100 || v > 180)) continue;
    if (def.name === 'Calcium' && (v < 4 || v > 16)) continue;
    if (def.name === 'Magnesium' && (v < 0.5 || v > 5)) continue;
    if (def.name === 'Chloride' && (v < 70 || v > 130)) continue;
    if (def.name === 'Bicarbonate' && (v < 5 || v > 50)) continue;
    if (def.name === 'Creatinine' && (v < 0.1 || v > 20)) continue;
    if (def.name === 'Hemoglobin' && (v < 3 || v > 25)) continue;
    if (def.name === 'HbA1c' && (v < 3 || v > 20)) continue;
    if (def.name === 'Triglycerides' && v < 20) continue;
    if (def.name === 'Total cholesterol' && v < 50) continue;
    let abnormal: boolean | null = null;
    if (def.low !== null || def.high !== null) abnormal = (def.low !== null && v < def.low) || (def.high !== null && v > def.high);
    out.push({ name: def.name, value: `${m[1] ?? ''}${m[2]}`, unit: def.unit, abnormal });
  }
  return out;
}

/** Other specialty measurements: ejection fraction, PHQ-9, GAD-7, MMSE/MoCA, pain score. */
export function extractOtherMeasurements(text: string): Measurement[] {
  const out: Measurement[] = [];
  const ef = /\b(?:ejection fraction|lvef|ef)\b[^0-9\n]{0,20}(\d{1,2})(?:\s*(?:-|to)\s*(\d{1,2}))?\s*%/i.exec(text);
  if (ef) {
    const v = Number(ef[2] ?? ef[1]);
    out.push({ name: 'Ejection fraction', value: ef[2] ? `${ef[1]}-${ef[2]}` : ef[1]!, unit: '%', abnormal: v < 50 });
  }
  const phq = /\bPHQ-?9\b[^0-9\n]{0,20}(\d{1,2})/i.exec(text);
  if (phq) out.push({ name: 'PHQ-9', value: phq[1]!, unit: 'points', abnormal: Number(phq[1]) >= 10 });
  const gad = /\bGAD-?7\b[^0-9\n]{0,20}(\d{1,2})/i.exec(text);
  if (gad) out.push({ name: 'GAD-7', value: gad[1]!, unit: 'points', abnormal: Number(gad[1]) >= 10 });
  const mmse = /\b(MMSE|MoCA|mini[- ]mental(?: status)?(?: exam(?:ination)?)?)\b[^0-9\n]{0,20}(\d{1,2})(?:\s*\/\s*30)?/i.exec(text);
  if (mmse) out.push({ name: /moca/i.test(mmse[1]!) ? 'MoCA' : 'MMSE', value: `${mmse[2]}/30`, unit: null, abnormal: Number(mmse[2]) < 24 });
  const pain = /\b(\d{1,2})\s*\/\s*10\b[^.\n]{0,15}\bpain\b|\bpain\b[^.\n0-9]{0,30}(\d{1,2})\s*\/\s*10\b/i.exec(text);
  if (pain) {
    const v = Number(pain[1] ?? pain[2]);
    if (v <= 10) out.push({ name: 'Pain score', value: `${v}/10`, unit: null, abnormal: v >= 7 });
  }
  return out;
}

const EYE_RIGHT = /\b(?:od|right eye|right|r)\b/i;
const EYE_LEFT = /\b(?:os|left eye|left|l)\b/i;
const EYE_BOTH = /\b(?:ou|both eyes|each eye|bilaterally)\b/i;

type Side = 'right' | 'left' | 'both';

/** Values with the eye each belongs to, written before ("OD 20/40") or after ("20/40 OD", "20/30 on the right"). */
function perEye(window: string, value: string): { side: Side; value: string }[] {
  const re = new RegExp(`(?:\\b(OD|OS|OU|right eye|left eye|right|left|both eyes)\\b\\s*(?:is|was|were|of|:|=|-)?\\s*(${value}))|(?:(${value})\\s*(?:mm ?hg)?\\s*(?:in|on|for)?\\s*(?:the\\s*)?\\b(OD|OS|OU|right eye|left eye|right|left|both eyes|each eye)\\b)`, 'gi');
  const out: { side: Side; value: string }[] = [];
  let m: RegExpExecArray | null;
  while ((m = re.exec(window))) {
    const tag = (m[1] ?? m[4] ?? '').toLowerCase();
    const v = m[2] ?? m[3] ?? '';
    const side: Side = EYE_BOTH.test(tag) ? 'both' : EYE_RIGHT.test(tag) ? 'right' : EYE_LEFT.test(tag) ? 'left' : 'both';
    out.push({ side, value: v });
  }
  return out;
}

function assign<T>(target: { right: T | null; left: T | null }, side: Side, v: T) {
  if (side === 'right' || side === 'both') target.right ??= v;
  if (side === 'left' || side === 'both') target.left ??= v;
}

/** Visual acuity, IOP and refraction per eye, or null when the note has none. */
export function extractEye(text: string): EyeMeasurements | null {
  const eye: EyeMeasurements = {
    visualAcuity: { right: null, left: null },
    intraocularPressure: { right: null, left: null },
    refraction: { right: null, left: null },
  };
  const vaRe = /\b(?:visual acuity|acuity|vision|VA|vcc|vsc|bcva|distance)\b/gi;
  let m: RegExpExecArray | null;
  while ((m = vaRe.exec(text))) {
    const w = text.slice(m.index, m.index + 140);
    for (const p of perEye(w, '20\\/\\d{2,3}(?:[-+]\\d)?|6\\/\\d{1,2}|cf|hm|lp|nlp|counting fingers|hand motions?')) assign(eye.visualAcuity, p.side, p.value.toUpperCase());
  }
  const iopRe = /\b(?:intraocular pressures?|IOPs?|pressures?|tonometry|applanation|tension)\b/gi;
  while ((m = iopRe.exec(text))) {
    const w = text.slice(m.index, m.index + 100);
    const found = perEye(w, '\\d{1,2}(?:\\.\\d)?');
    for (const p of found) {
      const v = Number(p.value);
      if (v >= 3 && v <= 70) assign(eye.intraocularPressure, p.side, v);
    }
    if (!found.length) {
      // "IOP 18/20 mmHg" or "pressures of 22 and 24": right first, then left.
      const pair = /^[^0-9\n]{0,30}(\d{1,2})\s*(?:\/|and)\s*(\d{1,2})\b/.exec(w);
      if (pair && /iop|intraocular|applanation|tonometry/i.test(w.slice(0, 30))) {
        assign(eye.intraocularPressure, 'right', Number(pair[1]));
        assign(eye.intraocularPressure, 'left', Number(pair[2]));
      }
    }
  }
  const rx = '[-+]\\d{1,2}\\.\\d{2}(?:\\s*(?:sphere|sph|ds))?(?:\\s*[-+]\\d{1,2}\\.\\d{2}\\s*(?:x|×)\\s*\\d{1,3})?';
  const refrRe = /\b(?:refraction|manifest|rx|wearing|glasses|prescription|mrx)\b/gi;
  while ((m = refrRe.exec(text))) {
    const w = text.slice(m.index, m.index + 160);
    for (const p of perEye(w, rx)) assign(eye.refraction, p.side, p.value.replace(/\s+/g, ' '));
  }
  const any = [eye.visualAcuity.right, eye.visualAcuity.left, eye.intraocularPressure.right, eye.intraocularPressure.left, eye.refraction.right, eye.refraction.left].some((v) => v !== null);
  return any ? eye : null;
}

const ABNORMAL = /\b(tender(ness)?|swelling|swollen|edema|murmurs?|wheez\w*|crackles|rales|rhonchi|erythema\w*|decreased|diminished|absent|positive|abnormal|enlarged|mass|masses|lesions?|effusion|deformity|weakness|atrophy|cupping|hemorrhages?|injection|injected|opacit\w*|cataracts?|pallor|pale|jaundice\w*|icteric|distended|distension|distention|guarding|rebound|limited|restricted|pain(ful)?|irregular|tachycardi\w*|bradycardi\w*|crepitus|effusions?|drusen|exudates?|neovasculari\w*|ulcer\w*|rash|bruit|gallop|jvd|clubbing|cyanosis|ataxi\w*|drift|hyperreflexi\w*|nystagmus|ptosis|flat affect|tearful|depressed|anxious|hallucinations?|delusions?|suicidal|scaly|plaques?|papules?|nodules?|elevated)\b/i;
const NORMAL = /\b(normal|clear|no\b|not\b|without|negative|intact|unremarkable|within normal limits|wnl|soft|non-?tender|nontender|regular|symmetric|equal|full|quiet|deep and quiet|good|appropriate|well[- ]developed|alert|oriented)\b/i;

export interface ExamFinding {
  category: string;
  findings: { label: string; value: string; abnormal: boolean }[];
}

/** Exam findings by category (HEENT, lungs, …) with an abnormal flag per finding. */
export function extractExamFindings(sections: Section[]): ExamFinding[] {
  const groups = new Map<string, ExamFinding>();
  const add = (category: string, label: string, value: string) => {
    const cat = capitalize(category.toLowerCase());
    const g = groups.get(cat) ?? { category: cat, findings: [] };
    const lower = value.toLowerCase();
    const abnormal = ABNORMAL.test(lower) && !/^\s*(no|without|negative for)\b/.test(lower) && !/\bno (\w+ )?(tenderness|swelling|edema|murmurs?|wheez\w*|crackles|rales|rhonchi|erythema|lesions?|masses|mass|effusion|deformity|rash|jvd|clubbing|cyanosis|guarding|rebound|pallor)\b/.test(lower);
    if (g.findings.length < 12 && value.length > 1) g.findings.push({ label: truncate(capitalize(label), 60), value: truncate(value, 200), abnormal: abnormal || (!NORMAL.test(lower) && ABNORMAL.test(lower)) });
    groups.set(cat, g);
  };
  for (const s of sections) {
    if (s.kind !== 'exam') continue;
    let category = s.heading && !/^(physical )?exam(ination)?$/i.test(s.heading) ? s.heading : 'General';
    for (const line of s.body.split('\n')) {
      const sub = /^([A-Za-z][A-Za-z /&-]{1,40}?)\s*:\s*(.*)$/.exec(line);
      let body = line;
      if (sub && EXAM_SUBHEADINGS.test(sub[1]!.toLowerCase().trim())) {
        category = sub[1]!.trim();
        body = sub[2] ?? '';
      }
      for (const sentence of splitSentences(body)) {
        const clean = cleanPhrase(sentence);
        if (!clean) continue;
        const lv = /^([A-Za-z][A-Za-z /-]{1,30}?)\s*:\s*(.+)$/.exec(clean);
        if (lv) add(category, lv[1]!, lv[2]!);
        else {
          const subject = /^(?:the |her |his )?([a-z][a-z -]{1,30}?)\s+(?:is|are|was|were|shows?|reveals?|demonstrates?|has|have)\b/i.exec(clean);
          add(category, subject ? subject[1]! : category, clean);
        }
      }
    }
  }
  return [...groups.values()].filter((g) => g.findings.length > 0);
}

/** Imaging studies mentioned with their result sentence. */
export function extractImaging(sections: Section[]): { study: string; finding: string }[] {
  const out: { study: string; finding: string }[] = [];
  const study = /\b(x-rays?|radiographs?|ct(?: scan)?|cat scan|mri|mra|ultrasound|sonogram|echocardiogram|echo|chest x-ray|cxr|oct|fluorescein angiogra\w*|mammogram|dexa|pet(?: scan)?|angiogram|ekg|ecg|electrocardiogram|eeg|emg)\b/i;
  for (const s of sections) {
    if (!['imaging', 'labs', 'hpi', 'exam', 'other', 'preamble'].includes(s.kind)) continue;
    for (const sentence of splitSentences(s.body)) {
      const m = study.exec(sentence);
      if (!m) continue;
      if (!/\b(show(s|ed)?|reveal(s|ed)?|demonstrat\w+|with|was|were|is|found|consistent|normal|negative|unremarkable|no )\b/i.test(sentence)) continue;
      const name = m[1]!.length <= 4 ? m[1]!.toUpperCase() : capitalize(m[1]!.toLowerCase());
      if (out.length < 8 && !out.some((o) => o.finding === sentence)) out.push({ study: name, finding: truncate(cleanPhrase(sentence), 220) });
    }
  }
  return out;
}
