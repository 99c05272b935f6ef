// Red flags from thresholds on measured values and from red-flag phrases, and
// the findings the plan does not address.
import type { Vitals } from '../schema';
import type { EyeMeasurements, Measurement } from './measurements';
import { mentionContext } from './context';

export interface WarningDraft {
  message: string;
  severity: 'caution' | 'urgent' | 'emergent';
  basis: string;
  /** Words that show the plan addressed it. */
  addressedBy: RegExp;
  /** For unaddressed findings. */
  significance: string;
  action: string;
}

const labValue = (labs: Measurement[], name: string): number | null => {
  const m = labs.find((l) => l.name === name);
  if (!m) return null;
  const v = Number(m.value.replace(/^[<>]/, ''));
  return Number.isFinite(v) ? v : null;
};

interface PhraseFlag {
  re: RegExp;
  message: string;
  severity: WarningDraft['severity'];
  addressedBy: RegExp;
  significance: string;
  action: string;
}

const PHRASES: PhraseFlag[] = [
  { re: /\b(suicidal (ideation|thoughts|intent|plan)|thoughts of (suicide|killing (himself|herself))|wants to (die|kill (himself|herself))|is suicidal|suicide attempt)\b/i, message: 'Suicidal ideation documented', severity: 'emergent', addressedBy: /\b(safety plan|suicid\w*|crisis|admi(t|ssion)|inpatient|1:1|sitter|close observation|hospitali[sz])\b/i, significance: 'Risk of self-harm', action: 'Complete a suicide risk assessment and safety plan; consider emergency evaluation' },
  { re: /\b(homicidal (ideation|thoughts|intent))\b/i, message: 'Homicidal ideation documented', severity: 'emergent', addressedBy: /\b(homicid\w*|safety|crisis|admi(t|ssion)|inpatient|police|duty to warn)\b/i, significance: 'Risk of harm to others', action: 'Assess risk and follow duty-to-warn procedures' },
  { re: /\b(sudden (loss of vision|vision loss|visual loss|blindness)|acute (vision|visual) loss|curtain (over|across) (the |his |her )?vision)\b/i, message: 'Sudden vision loss', severity: 'emergent', addressedBy: /\b(same[- ]day|urgent|emergen\w*|retina|stroke|immediately)\b/i, significance: 'May indicate retinal detachment, vascular occlusion or stroke', action: 'Same-day ophthalmic or emergency evaluation' },
  { re: /\b(chest pain)\b[^.]{0,80}\b(radiat\w+ to (the )?(left )?(arm|jaw|neck|back)|diaphore\w+|shortness of breath|exertion(al)?|pressure|crushing)\b/i, message: 'Chest pain with red-flag features', severity: 'emergent', addressedBy: /\b(ekg|ecg|troponin|emergen\w*|cardiolog\w*|stress test|catheteri[sz]ation|aspirin|acs|rule out mi)\b/i, significance: 'Possible acute coronary syndrome', action: 'ECG and troponin without delay; emergency evaluation' },
  { re: /\b(worst headache of (my|his|her|their) life|thunderclap headache)\b/i, message: 'Thunderclap headache', severity: 'emergent', addressedBy: /\b(ct|lumbar puncture|emergen\w*|subarachnoid|neurosurg\w*)\b/i, significance: 'Possible subarachnoid hemorrhage', action: 'Emergency CT head, and lumbar puncture if CT is negative' },
  { re: /\b(facial droop|slurred speech|sudden (weakness|numbness)|hemiparesis|aphasia)\b/i, message: 'Focal neurological deficit', severity: 'urgent', addressedBy: /\b(stroke|ct|mri|neurolog\w*|tpa|thromboly\w*|emergen\w*)\b/i, significance: 'Possible stroke or TIA', action: 'Urgent stroke evaluation and brain imaging' },
  { re: /\b(hematemesis|melena|coffee[- ]ground|bright red blood per rectum|brbpr)\b/i, message: 'Gastrointestinal bleeding', severity: 'urgent', addressedBy: /\b(endoscopy|egd|colonoscopy|transfus\w*|gastroenterolog\w*|hemoglobin|hgb|ppi|pantoprazole|omeprazole|admi(t|ssion))\b/i, significance: 'Risk of hemodynamic instability', action: 'Check hemoglobin and hemodynamics; arrange urgent endoscopy' },
  { re: /\b(anaphyla\w+)\b/i, message: 'Anaphylaxis documented', severity: 'urgent', addressedBy: /\b(epinephrine|epi-?pen|allerg\w*|avoid)\b/i, significance: 'Risk of recurrence on re-exposure', action: 'Document the trigger as an allergy and prescribe an epinephrine auto-injector' },
];

export function detectWarnings(input: { text: string; vitals: Vitals; labs: Measurement[]; eye: EyeMeasurements | null }): WarningDraft[] {
  const out: WarningDraft[] = [];
  const { vitals, labs, eye, text } = input;
  if (eye) {
    const r = eye.intraocularPressure.right;
    const l = eye.intraocularPressure.left;
    const high = [r !== null && r > 21 ? `right eye ${r}` : null, l !== null && l > 21 ? `left eye ${l}` : null].filter(Boolean);
    if (high.length) {
      const max = Math.max(r ?? 0, l ?? 0);
      out.push({ message: `Intraocular pressure above 21 mmHg (${high.join(', ')})`, severity: max >= 30 ? 'urgent' : 'caution', basis: `IOP ${high.join(', ')} mmHg; threshold 21 mmHg`, addressedBy: /\b(iop|pressure|glaucoma|timolol|latanoprost|drops|ocular hypertension|brimonidine|dorzolamide|laser|slt|trabeculectomy)\b/i, significance: 'Raised intraocular pressure risks optic nerve damage', action: 'Confirm the pressure, assess the optic nerve and visual fields, and consider pressure-lowering treatment' });
    }
  }
  const bp = vitals.bloodPressure;
  if (bp) {
    if (bp.systolic >= 180 || bp.diastolic >= 120) out.push({ message: `Severely elevated blood pressure (${bp.systolic}/${bp.diastolic})`, severity: 'urgent', basis: `BP ${bp.systolic}/${bp.diastolic} mmHg; threshold 180/120 mmHg`, addressedBy: /\b(blood pressure|bp|hypertensi\w*|antihypertensive|amlodipine|lisinopril|losartan|labetalol|hydralazine|recheck)\b/i, significance: 'Hypertensive urgency or emergency', action: 'Repeat the measurement, look for end-organ damage and treat promptly' });
    else if (bp.systolic >= 140 || bp.diastolic >= 90) out.push({ message: `Elevated blood pressure (${bp.systolic}/${bp.diastolic})`, severity: 'caution', basis: `BP ${bp.systolic}/${bp.diastolic} mmHg; threshold 140/90 mmHg`, addressedBy: /\b(blood pressure|bp|hypertensi\w*|antihypertensive|amlodipine|lisinopril|losartan|hydrochlorothiazide|recheck)\b/i, significance: 'Blood pressure above the treatment threshold', action: 'Recheck blood pressure and address hypertension management' });
    if (bp.systolic < 90) out.push({ message: `Low blood pressure (${bp.systolic}/${bp.diastolic})`, severity: 'urgent', basis: `Systolic BP ${bp.systolic} mmHg; threshold 90 mmHg`, addressedBy: /\b(fluids?|hypotension|pressors?|bolus)\b/i, significance: 'Possible shock or hypoperfusion', action: 'Assess perfusion and volume status' });
  }
  if (vitals.spo2 !== null && vitals.spo2 < 92) out.push({ message: `Low oxygen saturation (${vitals.spo2}%)`, severity: vitals.spo2 < 88 ? 'emergent' : 'urgent', basis: `SpO₂ ${vitals.spo2}%; threshold 92%`, addressedBy: /\b(oxygen|o2|nasal cannula|bipap|cpap|intubat\w*|hypox\w*|saturation)\b/i, significance: 'Hypoxemia', action: 'Give supplemental oxygen and find the cause' });
  if (vitals.heartRate !== null && (vitals.heartRate > 120 || vitals.heartRate < 40)) out.push({ message: `${vitals.heartRate > 120 ? 'Tachycardia' : 'Bradycardia'} (heart rate ${vitals.heartRate})`, severity: 'urgent', basis: `Heart rate ${vitals.heartRate}/min; thresholds 40–120/min`, addressedBy: /\b(heart rate|tachycard\w*|bradycard\w*|ekg|ecg|telemetry|monitor|rate control|beta[- ]blocker|metoprolol)\b/i, significance: 'Heart rate outside the safe range', action: 'Obtain an ECG and assess hemodynamic stability' });
  if (vitals.temperatureC !== null && vitals.temperatureC >= 39.5) out.push({ message: `High fever (${vitals.temperatureC} °C)`, severity: 'urgent', basis: `Temperature ${vitals.temperatureC} °C; threshold 39.5 °C`, addressedBy: /\b(fever|febrile|antipyretic|acetaminophen|tylenol|cultures?|antibiotic\w*|sepsis)\b/i, significance: 'Possible serious infection', action: 'Look for a source of infection; consider cultures and sepsis screening' });
  if (vitals.respiratoryRate !== null && vitals.respiratoryRate >= 30) out.push({ message: `Rapid breathing (respiratory rate ${vitals.respiratoryRate})`, severity: 'urgent', basis: `Respiratory rate ${vitals.respiratoryRate}/min; threshold 30/min`, addressedBy: /\b(respiratory|breathing|oxygen|dyspnea|tachypnea)\b/i, significance: 'Respiratory distress', action: 'Assess the airway and breathing; check oxygenation' });
  const glucose = labValue(labs, 'Glucose');
  if (glucose !== null && glucose > 400) out.push({ message: `Very high glucose (${glucose} mg/dL)`, severity: 'urgent', basis: `Glucose ${glucose} mg/dL; threshold 400 mg/dL`, addressedBy: /\b(insulin|glucose|hyperglyc\w*|dka|ketoacidosis|sugar)\b/i, significance: 'Risk of DKA or hyperosmolar state', action: 'Check ketones and electrolytes; treat hyperglycemia' });
  if (glucose !== null && glucose < 54) out.push({ message: `Hypoglycemia (glucose ${glucose} mg/dL)`, severity: 'emergent', basis: `Glucose ${glucose} mg/dL; threshold 54 mg/dL`, addressedBy: /\b(glucose|hypoglyc\w*|dextrose|glucagon|juice|sugar)\b/i, significance: 'Clinically significant hypoglycemia', action: 'Treat immediately and review glucose-lowering medication' });
  const k = labValue(labs, 'Potassium');
  if (k !== null && k > 6) out.push({ message: `Severe hyperkalemia (potassium ${k})`, severity: 'emergent', basis: `Potassium ${k} mmol/L; threshold 6.0 mmol/L`, addressedBy: /\b(potassium|hyperkal\w*|kayexalate|calcium gluconate|insulin|dialysis)\b/i, significance: 'Risk of cardiac arrhythmia', action: 'ECG and emergency treatment of hyperkalemia' });
  if (k !== null && k < 3) out.push({ message: `Hypokalemia (potassium ${k})`, severity: 'urgent', basis: `Potassium ${k} mmol/L; threshold 3.0 mmol/L`, addressedBy: /\b(potassium|hypokal\w*|kcl|replet\w*)\b/i, significance: 'Risk of arrhythmia and weakness', action: 'Replace potassium and recheck' });
  const a1c = labValue(labs, 'HbA1c');
  if (a1c !== null && a1c >= 10) out.push({ message: `HbA1c at or above 10% (${a1c}%)`, severity: 'caution', basis: `HbA1c ${a1c}%; threshold 10%`, addressedBy: /\b(a1c|diabet\w*|insulin|metformin|glucose|glycemic|endocrin\w*)\b/i, significance: 'Poor glycemic control', action: 'Intensify diabetes treatment; consider insulin' });
  const na = labValue(labs, 'Sodium');
  if (na !== null && (na < 125 || na > 155)) out.push({ message: `Severe ${na < 125 ? 'hyponatremia' : 'hypernatremia'} (sodium ${na})`, severity: 'urgent', basis: `Sodium ${na} mmol/L; thresholds 125–155 mmol/L`, addressedBy: /\b(sodium|hyponat\w*|hypernat\w*|fluid restriction|saline)\b/i, significance: 'Risk of neurological complications', action: 'Assess volume status and correct sodium carefully' });
  const hgb = labValue(labs, 'Hemoglobin');
  if (hgb !== null && hgb < 7) out.push({ message: `Severe anemia (hemoglobin ${hgb} g/dL)`, severity: 'urgent', basis: `Hemoglobin ${hgb} g/dL; threshold 7 g/dL`, addressedBy: /\b(transfus\w*|anemia|hemoglobin|hgb|iron|blood)\b/i, significance: 'May need transfusion', action: 'Assess for bleeding; consider transfusion' });
  const trop = labValue(labs, 'Troponin');
  if (trop !== null && trop > 0.04) out.push({ message: `Elevated troponin (${trop})`, severity: 'emergent', basis: `Troponin ${trop} ng/mL; threshold 0.04 ng/mL`, addressedBy: /\b(troponin|acs|nstemi|stemi|cardiolog\w*|catheteri[sz]ation|heparin|aspirin)\b/i, significance: 'Myocardial injury', action: 'Serial troponins and ECG; evaluate for acute coronary syndrome' });
  for (const p of PHRASES) {
    const m = p.re.exec(text);
    if (!m) continue;
    const ctx = mentionContext(text, m.index, m.index + m[0].length);
    if (ctx.negated || ctx.family) continue;
    out.push({ message: p.message, severity: p.severity, basis: `Documented: "${m[0]}"`, addressedBy: p.addressedBy, significance: p.significance, action: p.action });
  }
  return out;
}

export interface UnaddressedDraft {
  finding: string;
  significance: string;
  suggestedAction: string;
}

/** Warnings and abnormal labs that the plan and assessment do not mention. */
export function unaddressedFindings(warnings: WarningDraft[], labs: Measurement[], planText: string): UnaddressedDraft[] {
  const out: UnaddressedDraft[] = [];
  for (const w of warnings) {
    if (!w.addressedBy.test(planText)) out.push({ finding: w.message, significance: w.significance, suggestedAction: w.action });
  }
  for (const l of labs) {
    if (!l.abnormal) continue;
    if (warnings.some((w) => w.message.toLowerCase().includes(l.name.toLowerCase()))) continue;
    const re = new RegExp(`\\b${l.name.split(' ')[0]!.replace(/[^A-Za-z0-9]/g, '')}`, 'i');
    if (re.test(planText)) continue;
    out.push({ finding: `Abnormal ${l.name} (${l.value}${l.unit ? ` ${l.unit}` : ''})`, significance: 'Outside the usual adult reference range', suggestedAction: `Address the ${l.name} result in the plan (repeat, treat or explain)` });
  }
  return out.slice(0, 10);
}
