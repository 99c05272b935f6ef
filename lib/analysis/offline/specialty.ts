// Specialty and document type. Specialty: a weighted term lexicon per specialty,
// counted over the note with more weight where the note states its purpose
// (chief complaint, assessment, procedure) and less in the past history, plus the
// specialties of the diagnoses found. The user's choice, when given, wins.
import type { DocumentType, Specialty } from '../schema';
import type { DiagnosisDraft } from './diagnoses';
import { CONCEPT_BY_ID } from './lexicon';
import type { Section, SectionKind } from './sections';

type Lexicon = [RegExp, number][];

const L = (terms: string, weight: number): [RegExp, number] => [new RegExp(`\\b(?:${terms})\\b`, 'gi'), weight];

const LEXICON: Record<Exclude<Specialty, 'other'>, Lexicon> = {
  ophthalmology: [
    L('visual acuity|intraocular pressures?|iop|fundus|fundoscopic|slit[- ]lamp|retina|retinal|macula|macular|cornea|corneal|conjunctivae?|conjunctival|sclera|eyelids?|lids|optic (nerve|disc)s?|cup[- ]to[- ]disc|vitreous|anterior chamber|gonioscopy|refraction|phacoemulsification|intraocular lens|iol|capsulorrhexis|cataracts?|glaucoma|ophthalmolog\\w*|ophthalmic|ocular|eye drops|tonometry|applanation|visual fields?', 3),
    L('eyes?|vision|visual|blurred vision|diplopia|pupils?|OD|OS|OU|20/\\d{2,3}', 1),
  ],
  cardiology: [
    L('echocardiogra\\w*|cardiac catheterization|catheterization|coronary|angiograph\\w*|ventriculograph\\w*|ejection fraction|lvef|atrial fibrillation|myocardial infarction|stemi|nstemi|heart failure|cardiomyopathy|murmurs?|stenosis of the (aortic|mitral)|aortic (valve|stenosis)|mitral (valve|regurgitation)|ventricular|ventricle|atrium|atrial|pericardial|telemetry|holter|stress test|troponins?|cardiolog\\w*|angina|stent|pci|cabg|bypass graft|pacemaker|defibrillator|arrhythmia|ectopy|palpitations|bradycardia|tachycardia|ekg|ecg|electrocardiogram|left heart|right heart|aorta|aortic', 2.5),
    L('heart|cardiac|chest pain|hypertension|blood pressure|cholesterol|statin|beta[- ]blocker|aspirin|edema', 1),
  ],
  pulmonology: [
    L('bronchoscopy|bronch\\w*|pulmonary function|pfts?|spirometry|fev1|fvc|copd|emphysema|asthma|pneumothorax|pleural|thoracentesis|chest tube|pneumonia|respiratory failure|intubat\\w*|ventilator|ventilation|bipap|cpap|sleep apnea|polysomnogra\\w*|pulmonolog\\w*|lung nodules?|pulmonary nodules?|interstitial|hypoxemia|hypoxia|oxygen|inhalers?|albuterol|nebulizers?|wheez\\w*|rhonchi|crackles|trachea\\w*|airway|subcutaneous emphysema|sputum|hemoptysis|lobe|lobar|lungs', 2.5),
    L('shortness of breath|dyspnea|cough|breath sounds|respiratory|chest x-ray|cxr|smok\\w*|pack[- ]years?', 1),
  ],
  dermatology: [
    L('dermatolog\\w*|skin biopsy|punch biopsy|shave biopsy|lesions?|rash|erythema\\w*|papules?|plaques?|macules?|pustules?|vesicles?|nodules?|eczema|dermatitis|psoriasis|acne|rosacea|melanoma|basal cell|squamous cell|keratos[ie]s|nevus|nevi|moles?|pruritus|itching|urticaria|hives|condyloma\\w*|warts?|cryotherapy|rhytids|wrinkles|botox|filler|topical|cream|ointment|steroid cream|hydrocortisone|triamcinolone|clobetasol|scalp|epidermis|dermis|subcutaneous|hyperpigment\\w*|hypopigment\\w*|scar|hyperesthesia|dermal', 2),
    L('skin|itch\\w*|dry skin|sun exposure|sunscreen', 1),
  ],
  endocrinology: [
    L('diabetes|diabetic|hba1c|a1c|hemoglobin a1c|insulin|metformin|glipizide|glucose|hypoglycemi\\w*|hyperglycemi\\w*|thyroid\\w*|thyroidectomy|isthmusectomy|tsh|free t4|t3|levothyroxine|synthroid|goiter|hypothyroid\\w*|hyperthyroid\\w*|graves|hashimoto|parathyroid\\w*|calcium|adrenal|cortisol|pituitary|endocrin\\w*|osteoporosis|bone density|dexa|testosterone|estrogen|pcos|lantus|humalog|novolog|glucometer|fingerstick|sugars?', 2),
    L('weight gain|weight loss|fatigue|polyuria|polydipsia|obesity', 0.5),
  ],
  gastroenterology: [
    L('abdomen|abdominal|bowel|colonoscopy|endoscopy|egd|esophag\\w*|gastr\\w*|duoden\\w*|stomach|colon|colonic|rectal|rectum|cecum|ileum|ileus|jejun\\w*|liver|hepat\\w*|cirrhosis|biliary|gallbladder|cholecyst\\w*|cholelithiasis|pancrea\\w*|nausea|vomiting|diarrhea|constipation|melena|hematochezia|hematemesis|gerd|reflux|dysphagia|ulcer|polyps?|crohn|colitis|diverticul\\w*|hemorrhoids|laparotomy|laparoscop\\w*|appendectomy|appendicitis|small bowel obstruction|bowel sounds|bilirubin|lipase|amylase|ascites|gastroenterolog\\w*|proton pump|omeprazole|pantoprazole|nasogastric|ng tube|stool|flatus|bowel movements?', 1.8),
    L('tender|distended|distention|rebound|guarding|npo', 0.5),
  ],
  neurology: [
    L('neurolog\\w*|seizures?|epilep\\w*|eeg|emg|nerve conduction|mri of the brain|brain|cerebral|cerebellar|cranial nerves?|stroke|tia|transient ischemic|hemipares\\w*|hemiplegi\\w*|aphasia|dysarthria|ataxia|gait|tremor|parkinson\\w*|dementia|alzheimer\\w*|cognitive|memory loss|confusion|migraine|headaches?|neuropath\\w*|paresthesi\\w*|numbness|tingling|weakness|reflexes|babinski|multiple sclerosis|encephalopathy|astrocytoma|glioma|glioblastoma|meningioma|white matter|hyperesthesia|carpal tunnel|radiculopathy|myelopathy|spinal cord|mental status|orient\\w*|deep tendon|romberg|sensation|sensory', 1.8),
    L('dizziness|vertigo|syncope|neck|spine|vision changes', 0.5),
  ],
  orthopedics: [
    L('orthop\\w*|fractures?|knee|knees|hip|hips|shoulder|elbow|wrist|ankle|foot|feet|tendon|ligament|acl|menisc\\w*|rotator cuff|arthroplasty|arthroscop\\w*|osteoarthritis|osteoarthrosis|degenerative joint|range of motion|x-rays?|splint|cast|brace|sprain|strain|lumbar|cervical|thoracic|spine|spinal|vertebra\\w*|disc|disk|herniat\\w*|sciatica|back pain|low back|acromion\\w*|acromioplasty|clavicle|achilles|tenotomy|lengthening|equinus|plantar|bursitis|tendinitis|tendonitis|physical therapy|weightbearing|weight[- ]bearing|orthotic\\w*|joint|effusion|crepitus|mcmurray|lachman|drawer', 1.6),
    L('pain|swelling|tenderness|injury|fall|nsaids?|ibuprofen|naproxen', 0.4),
  ],
  rheumatology: [
    L('rheumat\\w*|rheumatoid|lupus|sle|arthritis|polyarthritis|oligoarticular|oligoarthritis|synovitis|joint swelling|morning stiffness|methotrexate|hydroxychloroquine|plaquenil|sulfasalazine|leflunomide|prednisone|biologics?|etanercept|adalimumab|infliximab|ana|anti-ccp|rheumatoid factor|sed rate|esr|crp|c-reactive protein|gout|uric acid|colchicine|allopurinol|vasculitis|sjogren\\w*|scleroderma|polymyalgia|fibromyalgia|spondyl\\w*|uveitis|autoimmune|connective tissue|raynaud', 2),
    L('joint pain|joints|stiffness|swollen|fatigue|rash', 0.5),
  ],
  psychiatry: [
    L('psychiatr\\w*|psycholog\\w*|depression|depressed|depressive|anxiety|anxious|bipolar|mania|manic|schizo\\w*|psychosis|psychotic|hallucinations?|delusions?|paranoi\\w*|suicid\\w*|homicid\\w*|self[- ]harm|cutting|mood|affect|thought (process|content)|insight|judgment|mental status exam\\w*|ptsd|trauma|abuse|substance|alcohol|drinking|cocaine|marijuana|cannabis|heroin|opioid|methamphetamine|counseling|therapy|therapist|psychotherapy|ssri|sertraline|fluoxetine|citalopram|escitalopram|paroxetine|bupropion|venlafaxine|trazodone|quetiapine|risperidone|olanzapine|aripiprazole|lithium|lamotrigine|clonazepam|lorazepam|alprazolam|adhd|attention deficit|conversion|somatic|axis (i|ii|iii|iv|v)|gaf|dsm|sleep|appetite|energy|concentration|irritab\\w*|guilt|hopeless\\w*|worthless\\w*|behavior\\w*|school|family conflict|legal history|donor', 1.6),
  ],
  primary_care: [
    L('annual (physical|exam)|well visit|preventive|routine (physical|checkup|follow-up)|health maintenance|vaccin\\w*|immunization\\w*|flu shot|screening|upper respiratory|uri|sore throat|pharyngitis|sinusitis|congestion|runny nose|rhinorrhea|otitis|ear pain|cold|fever|cough|fatigue|hypertension|hyperlipidemia|cholesterol|anemia|hemoglobin|iron|vitamin|urinary tract infection|uti|dysuria|general medicine|primary care|family (medicine|practice)|discharge summary|hospital course|admitted|emergency (room|department)|er|trauma|ingestion|overdose|ecstasy|toxicolog\\w*|multiple trauma|motor vehicle', 1.2),
    L('follow[- ]up|medications|blood pressure|weight|diet|exercise|smoking cessation', 0.3),
  ],
};

const SECTION_WEIGHT: Partial<Record<SectionKind, number>> = {
  chief_complaint: 2.5,
  assessment: 2.5,
  assessment_plan: 2.5,
  procedure: 2,
  hpi: 1.5,
  exam: 1.2,
  imaging: 1.5,
  plan: 1.2,
  preamble: 1.5,
  past_medical: 0.3,
  past_surgical: 0.3,
  family: 0.1,
  social: 0.3,
  medications: 0.4,
  allergies: 0,
  ros: 0.3,
};

export interface SpecialtyScore {
  specialty: Specialty;
  scores: Record<string, number>;
}

/** Scores each specialty; "other" when nothing scores. */
export function detectSpecialty(sections: Section[], diagnoses: DiagnosisDraft[], chosen: Specialty | null): SpecialtyScore {
  const scores: Record<string, number> = {};
  for (const key of Object.keys(LEXICON)) scores[key] = 0;
  for (const section of sections) {
    const w = SECTION_WEIGHT[section.kind] ?? 1;
    if (w === 0) continue;
    const text = `${section.heading}\n${section.body}`;
    for (const [spec, lex] of Object.entries(LEXICON)) {
      for (const [re, weight] of lex) {
        re.lastIndex = 0;
        const hits = text.match(re)?.length ?? 0;
        // Diminishing returns: a term repeated twenty times is not twenty times the evidence.
        scores[spec]! += weight * w * Math.sqrt(hits);
      }
    }
  }
  diagnoses.forEach((d, i) => {
    const concept = d.conceptId ? CONCEPT_BY_ID.get(d.conceptId) : null;
    if (concept && concept.specialty !== 'other') scores[concept.specialty]! += i === 0 ? 8 : 4;
  });
  if (chosen) return { specialty: chosen, scores };
  const ranked = Object.entries(scores).sort((a, b) => b[1] - a[1]);
  const best = ranked[0];
  return { specialty: best && best[1] >= 3 ? (best[0] as Specialty) : 'other', scores };
}

/** The kind of document, from its headings and wording. */
export function detectDocumentType(text: string, sections: Section[]): DocumentType {
  const head = text.slice(0, 600).toLowerCase();
  const all = text.toLowerCase();
  const kinds = new Set(sections.map((s) => s.kind));
  if (/\b(prior authori[sz]ation|claim form|insurance (form|claim)|member id|policy number|group number)\b/.test(all)) return 'insurance_form';
  if (/\b(referral (request|form)|request(ing)? (a )?(consultation|referral|evaluation)|please (see|evaluate)|reason for referral|referred (to you )?for (evaluation|consultation))\b/.test(head)) return 'referral_request';
  if (/\b(rx|prescription)\b/.test(head) && !kinds.has('hpi') && !kinds.has('exam')) return 'prescription';
  const labLines = (all.match(/\b(reference range|ref range|result|specimen|collected|mg\/dl|mmol\/l|units\/l|g\/dl)\b/g) ?? []).length;
  if (labLines >= 6 && !kinds.has('hpi') && !kinds.has('exam') && !kinds.has('assessment')) return 'lab_results';
  if (/\b(consultation|consult note|consult report|thank you for (the|this|your) (kind )?(referral|consultation)|thank you for referring|reason for consultation|seen in consultation)\b/.test(all.slice(0, 1500))) return 'consultation_report';
  if (/^\s*dear\b|\bsincerely\b|\bregards\b/.test(all) && !kinds.has('exam')) return 'correspondence';
  if (/^\s*dear\b/.test(all)) return 'consultation_report';
  if (kinds.has('hpi') || kinds.has('exam') || kinds.has('assessment') || kinds.has('assessment_plan') || kinds.has('plan') || kinds.has('chief_complaint') || kinds.has('procedure')) return 'encounter_note';
  return 'other';
}
