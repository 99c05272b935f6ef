// The "referral focus" choices offered for the reason of a letter, and the
// reason as the letter names it. Options come from the diagnosis's ICD-10 code
// (or, without a code, words in its label), then its ICD-10 chapter, then the
// analysis's specialty; every list ends with a generic choice. No PHI here.
import { SPECIALTIES, type AnalysisResult, type Diagnosis, type Specialty } from '@/lib/analysis/schema';
import { recipientSeesCodes, type LetterRequest } from './options';

/** The last option of every list, for a referral that is not about one specific service. */
export const GENERIC_FOCUS = 'Assessment and management as you see fit';

interface FocusRule {
  /** ICD-10 prefixes without the dot ("H40", "H353"). */
  codes: readonly string[];
  /** Matched against the label when the diagnosis has no code (or a code no rule knows). */
  words: RegExp;
  options: readonly string[];
}

const RULES: readonly FocusRule[] = [
  // Eye (H00–H59, and diabetic eye disease)
  {
    codes: ['H40', 'H42'],
    words: /glaucoma|ocular hypertension/i,
    options: ['Surgical evaluation (trabeculectomy or tube)', 'Laser trabeculoplasty', 'Visual field and OCT monitoring', 'Second opinion on management'],
  },
  { codes: ['H25', 'H26', 'H28'], words: /cataract/i, options: ['Cataract surgery evaluation', 'Biometry and lens planning', 'Assessment of glare and functional vision'] },
  { codes: ['H353'], words: /macular degeneration|\ba?rmd\b|\bamd\b/i, options: ['Anti-VEGF injection evaluation', 'OCT and fluorescein angiography', 'Low-vision assessment'] },
  {
    codes: ['E103', 'E113', 'E133', 'H36'],
    words: /diabetic (retinopathy|macular)/i,
    options: ['Retinal evaluation and grading', 'Anti-VEGF or laser treatment evaluation', 'OCT and fluorescein angiography'],
  },
  { codes: ['H33'], words: /retinal (detachment|tear|break)/i, options: ['Retinal surgery evaluation', 'Retinal laser or cryotherapy', 'Dilated retinal examination'] },
  { codes: ['H34'], words: /retinal (vein|artery) occlusion/i, options: ['Retinal evaluation and treatment', 'OCT and fluorescein angiography', 'Vascular risk factor work-up'] },
  { codes: ['H041', 'H16', 'H18'], words: /dry eye|keratitis|keratoconus|cornea/i, options: ['Corneal and ocular surface evaluation', 'Dry eye treatment (punctal plugs or prescription drops)', 'Corneal imaging'] },
  { codes: ['H46', 'H47'], words: /optic neuritis|papill?oedema|papilledema|optic neuropathy/i, options: ['Neuro-ophthalmology evaluation', 'Neuroimaging (MRI)', 'Visual field testing'] },
  { codes: ['H49', 'H50'], words: /strabismus|esotropia|exotropia/i, options: ['Strabismus evaluation', 'Orthoptic assessment', 'Surgical evaluation'] },
  // Circulatory (I)
  {
    codes: ['I10', 'I11', 'I12', 'I13', 'I15', 'I16'],
    words: /hypertension/i,
    options: ['Evaluation of resistant hypertension', 'Screening for secondary hypertension', 'Ambulatory blood pressure monitoring', 'Medication optimisation'],
  },
  {
    codes: ['I20', 'I21', 'I22', 'I24', 'I25'],
    words: /angina|coronary|myocardial infarction/i,
    options: ['Stress testing', 'Coronary angiography evaluation', 'Secondary prevention and risk factor management'],
  },
  {
    codes: ['I48'],
    words: /atrial (fibrillation|flutter)/i,
    options: ['Rhythm versus rate control', 'Anticoagulation review', 'Catheter ablation evaluation', 'Holter or event monitoring'],
  },
  { codes: ['I50'], words: /heart failure/i, options: ['Echocardiography', 'Optimisation of heart failure therapy', 'Device evaluation (ICD or CRT)'] },
  { codes: ['I34', 'I35', 'I36', 'I37', 'R01'], words: /murmur|valv|aortic stenosis|regurgitation/i, options: ['Echocardiography', 'Valve intervention evaluation', 'Advice on surveillance'] },
  { codes: ['R00', 'I47', 'I49', 'R55'], words: /palpitation|tachycardia|arrhythmia|syncope/i, options: ['Holter or event monitoring', 'Electrophysiology evaluation', 'Echocardiography'] },
  { codes: ['E78'], words: /lipid|cholesterol/i, options: ['Lipid management', 'Evaluation for familial hypercholesterolaemia', 'Cardiovascular risk assessment'] },
  // Endocrine (E)
  {
    codes: ['E10', 'E11', 'E13'],
    words: /diabet/i,
    options: ['Insulin initiation or adjustment', 'Diabetes education and self-management support', 'Screening for complications (eyes, kidneys, feet)'],
  },
  { codes: ['E00', 'E01', 'E02', 'E03', 'E04', 'E05', 'E06', 'E07'], words: /thyroid/i, options: ['Thyroid function management', 'Thyroid ultrasound and biopsy evaluation', 'Review of treatment options'] },
  { codes: ['E66'], words: /obesity/i, options: ['Weight management programme', 'Bariatric surgery evaluation', 'Review of weight-loss medication'] },
  { codes: ['M80', 'M81'], words: /osteoporosis/i, options: ['Bone density testing', 'Review of osteoporosis treatment', 'Falls prevention'] },
  // Respiratory (J) and sleep
  { codes: ['J44'], words: /copd|chronic obstructive/i, options: ['Pulmonary function testing', 'Inhaler therapy optimisation', 'Pulmonary rehabilitation'] },
  { codes: ['J45'], words: /asthma/i, options: ['Pulmonary function testing', 'Review of asthma control', 'Biologic therapy evaluation'] },
  { codes: ['G473'], words: /sleep apn(o)?ea/i, options: ['Sleep study', 'CPAP titration', 'Review of treatment options'] },
  { codes: ['R05', 'R06'], words: /cough|dyspn(o)?ea|shortness of breath/i, options: ['Pulmonary function testing', 'Review of chest imaging', 'Evaluation of chronic cough'] },
  // Nervous system (G)
  { codes: ['G43', 'G44', 'R51'], words: /migraine|headache/i, options: ['Preventive treatment', 'Review of neuroimaging', 'Assessment for medication-overuse headache'] },
  { codes: ['G40', 'G41', 'R56'], words: /epilep|seizure/i, options: ['EEG', 'Review of antiseizure medication', 'Advice on driving and safety'] },
  { codes: ['G20'], words: /parkinson/i, options: ['Movement disorder assessment', 'Medication review', 'Physiotherapy and occupational therapy'] },
  { codes: ['G35'], words: /multiple sclerosis/i, options: ['Disease-modifying therapy evaluation', 'MRI review', 'Relapse management'] },
  { codes: ['G30', 'G31', 'F01', 'F02', 'F03'], words: /dementia|alzheimer|cognitive impairment/i, options: ['Cognitive assessment', 'Neuroimaging', 'Care planning'] },
  // Musculoskeletal (M)
  { codes: ['M05', 'M06'], words: /rheumatoid/i, options: ['Disease-modifying therapy (DMARD) evaluation', 'Assessment of joint damage', 'Biologic therapy evaluation'] },
  { codes: ['M10', 'M1A'], words: /gout/i, options: ['Urate-lowering therapy', 'Joint aspiration', 'Review of flare management'] },
  { codes: ['M32', 'M35'], words: /lupus|sj(ö|o)gren/i, options: ['Autoimmune work-up', 'Immunosuppressive therapy evaluation', 'Assessment of organ involvement'] },
  { codes: ['M15', 'M16', 'M17', 'M18', 'M19'], words: /osteoarthritis/i, options: ['Joint injection', 'Joint replacement evaluation', 'Physiotherapy'] },
  { codes: ['M48', 'M51', 'M54'], words: /back pain|sciatica|radiculopathy|spinal stenosis/i, options: ['Review of spine imaging', 'Physiotherapy', 'Surgical evaluation', 'Pain management'] },
  // Digestive (K)
  { codes: ['K21'], words: /reflux|gerd|gord/i, options: ['Upper endoscopy', 'Review of acid suppression', 'Anti-reflux surgery evaluation'] },
  { codes: ['K50', 'K51'], words: /crohn|colitis|inflammatory bowel/i, options: ['Colonoscopy', 'Biologic therapy evaluation', 'Assessment of disease activity'] },
  { codes: ['K625', 'K92', 'D50', 'R195'], words: /rectal bleeding|iron deficiency|blood in (the )?stool/i, options: ['Colonoscopy', 'Upper endoscopy', 'Anaemia work-up'] },
  { codes: ['B18', 'K70', 'K74', 'K75', 'K76'], words: /liver|hepatitis|cirrhosis/i, options: ['Assessment of liver fibrosis', 'Hepatitis management', 'Liver imaging'] },
  // Skin (L, skin neoplasms)
  {
    codes: ['C43', 'C44', 'D03', 'D04', 'D22', 'D485', 'L57'],
    words: /melanoma|naevus|nevus|mole|skin lesion|basal cell|squamous cell|keratosis/i,
    options: ['Excision or biopsy', 'Dermoscopy and skin check', 'Mohs surgery evaluation'],
  },
  { codes: ['L40'], words: /psoriasis/i, options: ['Systemic or biologic therapy evaluation', 'Phototherapy', 'Assessment for psoriatic arthritis'] },
  { codes: ['L20', 'L30'], words: /eczema|dermatitis/i, options: ['Patch testing', 'Systemic therapy evaluation', 'Skin care plan'] },
  { codes: ['L70'], words: /acne/i, options: ['Isotretinoin evaluation', 'Review of topical and oral therapy', 'Scar treatment'] },
  // Mental health (F)
  { codes: ['F32', 'F33'], words: /depress/i, options: ['Psychiatric assessment', 'Psychotherapy', 'Medication review'] },
  { codes: ['F41'], words: /anxiety|panic/i, options: ['Psychotherapy (CBT)', 'Medication review', 'Psychiatric assessment'] },
  { codes: ['F31'], words: /bipolar/i, options: ['Psychiatric assessment', 'Mood stabiliser review', 'Relapse prevention plan'] },
  { codes: ['F90'], words: /adhd|attention.deficit/i, options: ['Diagnostic assessment', 'Medication review', 'Behavioural support'] },
  // Kidney (N)
  { codes: ['N18'], words: /chronic kidney|\bckd\b/i, options: ['Nephrology assessment', 'Kidney function monitoring', 'Blood pressure and medication review'] },
];

const SPECIALTY_OPTIONS: Record<Specialty, readonly string[]> = {
  ophthalmology: ['Comprehensive eye examination', 'Diagnostic imaging (OCT and visual fields)', 'Surgical evaluation'],
  primary_care: ['Ongoing care and monitoring', 'Medication review', 'Screening and prevention'],
  cardiology: ['Cardiology assessment', 'Echocardiography', 'Ambulatory ECG monitoring'],
  dermatology: ['Skin examination', 'Biopsy or excision', 'Treatment recommendations'],
  endocrinology: ['Endocrine assessment', 'Medication adjustment', 'Laboratory work-up'],
  gastroenterology: ['Gastroenterology assessment', 'Endoscopy', 'Treatment recommendations'],
  neurology: ['Neurological assessment', 'Neuroimaging', 'Treatment recommendations'],
  orthopedics: ['Orthopaedic assessment', 'Imaging review', 'Surgical evaluation'],
  pulmonology: ['Respiratory assessment', 'Pulmonary function testing', 'Treatment recommendations'],
  rheumatology: ['Rheumatology assessment', 'Autoimmune work-up', 'Treatment recommendations'],
  psychiatry: ['Psychiatric assessment', 'Psychotherapy', 'Medication review'],
  other: ['Specialist assessment', 'Diagnostic work-up', 'Treatment recommendations'],
};

/** The specialty an ICD-10 chapter belongs to, for codes no rule knows. */
function chapterSpecialty(bare: string): Specialty | null {
  const letter = bare[0];
  const two = Number(bare.slice(1, 3));
  if (letter === 'H' && two <= 59) return 'ophthalmology';
  if (letter === 'I') return 'cardiology';
  if (letter === 'E') return 'endocrinology';
  if (letter === 'J') return 'pulmonology';
  if (letter === 'G') return 'neurology';
  if (letter === 'K') return 'gastroenterology';
  if (letter === 'L') return 'dermatology';
  if (letter === 'F') return 'psychiatry';
  if (letter === 'M') return 'rheumatology';
  return null;
}

const bareCode = (code: string): string => code.replace('.', '').toUpperCase();

function ruleFor(diagnosis: Diagnosis): FocusRule | null {
  if (diagnosis.icd10Code) {
    const bare = bareCode(diagnosis.icd10Code);
    // The longest matching prefix wins ("E113" diabetic eye disease before "E11" diabetes).
    let best: { rule: FocusRule; length: number } | null = null;
    for (const rule of RULES) {
      for (const prefix of rule.codes) {
        if (bare.startsWith(prefix) && (!best || prefix.length > best.length)) best = { rule, length: prefix.length };
      }
    }
    if (best) return best.rule;
  }
  return RULES.find((rule) => rule.words.test(diagnosis.label)) ?? null;
}

/** The services a letter about `diagnosis` may ask for: 3–6 options, the last one generic. */
export function referralFocusOptions(diagnosis: Diagnosis | null, specialty: Specialty): string[] {
  const known = (SPECIALTIES as readonly string[]).includes(specialty) ? specialty : 'other';
  const specific = diagnosis ? (ruleFor(diagnosis)?.options ?? []) : [];
  const chapter = diagnosis?.icd10Code ? chapterSpecialty(bareCode(diagnosis.icd10Code)) : null;
  const fill = SPECIALTY_OPTIONS[chapter ?? known];
  const options: string[] = [];
  for (const option of [...specific, ...(specific.length >= 3 ? [] : fill)]) {
    if (!options.includes(option) && options.length < 5) options.push(option);
  }
  options.push(GENERIC_FOCUS);
  return options;
}

/** The diagnosis chosen as the letter's reason, or null (reason "other", or a number the analysis lacks). */
export function reasonDiagnosis(request: LetterRequest, analysis: AnalysisResult): Diagnosis | null {
  const { reason } = request;
  if (reason.kind !== 'diagnosis') return null;
  return analysis.diagnoses.find((d) => d.number === reason.diagnosisNumber) ?? null;
}

/** The reason as the letter names it: the diagnosis label (with its code for readers who see codes) or the "other" text. */
export function reasonLabel(request: LetterRequest, analysis: AnalysisResult): string {
  if (request.reason.kind === 'other') return request.reason.text.trim();
  const diagnosis = reasonDiagnosis(request, analysis);
  if (!diagnosis) return analysis.chiefComplaint ?? 'the findings of the recent visit';
  return diagnosis.icd10Code && recipientSeesCodes(request.recipientType) ? `${diagnosis.label} (${diagnosis.icd10Code})` : diagnosis.label;
}
