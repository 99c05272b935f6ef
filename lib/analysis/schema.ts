// The one schema of a clinical analysis (DOMAIN.md, "Analysis"). Every provider's
// output (the offline analyzer, OpenAI) must pass it before it is stored; the
// review screen, letters and exports read it. Bump ANALYSIS_SCHEMA_VERSION on any
// change that an old stored result would not satisfy.
import { z } from 'zod';

export const ANALYSIS_SCHEMA_VERSION = 1;

export const DOCUMENT_TYPES = [
  'encounter_note',
  'referral_request',
  'consultation_report',
  'lab_results',
  'prescription',
  'insurance_form',
  'correspondence',
  'other',
] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

export const SPECIALTIES = [
  'ophthalmology',
  'primary_care',
  'cardiology',
  'dermatology',
  'endocrinology',
  'gastroenterology',
  'neurology',
  'orthopedics',
  'pulmonology',
  'rheumatology',
  'psychiatry',
  'other',
] as const;
export type Specialty = (typeof SPECIALTIES)[number];

export const SPECIALTY_LABELS: Record<Specialty, string> = {
  ophthalmology: 'Ophthalmology',
  primary_care: 'Primary care',
  cardiology: 'Cardiology',
  dermatology: 'Dermatology',
  endocrinology: 'Endocrinology',
  gastroenterology: 'Gastroenterology',
  neurology: 'Neurology',
  orthopedics: 'Orthopedics',
  pulmonology: 'Pulmonology',
  rheumatology: 'Rheumatology',
  psychiatry: 'Psychiatry',
  other: 'Other',
};

export const LATERALITIES = ['left', 'right', 'bilateral', 'n/a'] as const;
export type Laterality = (typeof LATERALITIES)[number];
export const SEVERITIES = ['mild', 'moderate', 'severe', 'unspecified'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const URGENCIES = ['routine', 'soon', 'urgent', 'emergent'] as const;
export type Urgency = (typeof URGENCIES)[number];
export const CONFIDENCES = ['low', 'medium', 'high'] as const;
export const MEDICATION_STATUSES = ['current', 'new', 'discontinued', 'changed'] as const;
export const REFERENCE_SOURCES = ['pubmed', 'society_guideline', 'landmark_trial'] as const;
export const QUALITY_LEVELS = ['poor', 'fair', 'good', 'excellent'] as const;
export type QualityLevel = (typeof QUALITY_LEVELS)[number];

const text = z.string().trim().min(1);
const optionalText = z.string().trim().min(1).nullable();
/** 1-based numbers that link diagnoses, plan items and references. */
const itemNumber = z.number().int().min(1);

/** ICD-10-CM code as displayed: letter, two characters, then optionally a dot and 1–4 more (e.g. H40.1131). */
export const ICD10_DISPLAY = /^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$/;

export const patientSchema = z.object({
  name: optionalText,
  dateOfBirth: optionalText,
  age: z.number().int().min(0).max(130).nullable(),
  sex: z.enum(['female', 'male', 'other', 'unknown']),
  identifiers: z.array(z.object({ kind: text, value: text })),
  phone: optionalText,
  address: optionalText,
});

export const diagnosisSchema = z.object({
  number: itemNumber,
  /** The diagnosis as a clinician would write it, with laterality and severity, e.g. "Primary open-angle glaucoma, right eye, moderate stage". */
  label: text,
  /** ICD-10-CM with the dot, or null when no code could be given with confidence. */
  icd10Code: z.string().regex(ICD10_DISPLAY).nullable(),
  icd10Description: optionalText,
  laterality: z.enum(LATERALITIES),
  severity: z.enum(SEVERITIES),
  urgency: z.enum(URGENCIES),
  /** What in the note supports it. */
  supporting: z.array(text),
  referenceNumbers: z.array(itemNumber),
  codingNotes: z.array(text),
});

export const suggestedDiagnosisSchema = z.object({
  label: text,
  supportingFindings: z.array(text),
  reasoning: text,
  confidence: z.enum(CONFIDENCES),
});

export const planItemSchema = z.object({
  number: itemNumber,
  title: text,
  bullets: z.array(text),
  /** The diagnosis numbers this item addresses. */
  diagnosisNumbers: z.array(itemNumber),
  timeline: optionalText,
  referenceNumbers: z.array(itemNumber),
});

export const medicationSchema = z.object({
  name: text,
  dose: optionalText,
  frequency: optionalText,
  status: z.enum(MEDICATION_STATUSES),
});

export const vitalsSchema = z.object({
  bloodPressure: z.object({ systolic: z.number().int().min(40).max(300), diastolic: z.number().int().min(20).max(200) }).nullable(),
  heartRate: z.number().int().min(10).max(300).nullable(),
  respiratoryRate: z.number().int().min(2).max(80).nullable(),
  /** Degrees Celsius (Fahrenheit in the note is converted). */
  temperatureC: z.number().min(25).max(45).nullable(),
  weightKg: z.number().min(0.3).max(400).nullable(),
  heightCm: z.number().min(20).max(260).nullable(),
  bmi: z.number().min(5).max(100).nullable(),
  spo2: z.number().int().min(30).max(100).nullable(),
});

/** A measured value as written, with its unit and (when the note or a reference range says so) whether it is abnormal. */
export const measurementSchema = z.object({
  name: text,
  value: text,
  unit: optionalText,
  abnormal: z.boolean().nullable(),
});

export const eyeMeasurementsSchema = z.object({
  /** Visual acuity as written (e.g. "20/40", "6/9"). */
  visualAcuity: z.object({ right: optionalText, left: optionalText }),
  /** Intraocular pressure in mmHg. */
  intraocularPressure: z.object({ right: z.number().min(0).max(80).nullable(), left: z.number().min(0).max(80).nullable() }),
  refraction: z.object({ right: optionalText, left: optionalText }),
});

export const clinicalValuesSchema = z.object({
  labs: z.array(measurementSchema),
  imaging: z.array(z.object({ study: text, finding: text })),
  /** Eye measurements, or null when the note has none. */
  eye: eyeMeasurementsSchema.nullable(),
  /** Other specialty measurements (e.g. ejection fraction, HbA1c targets, PHQ-9). */
  other: z.array(measurementSchema),
});

export const examFindingSchema = z.object({
  category: text,
  findings: z.array(z.object({ label: text, value: text, abnormal: z.boolean() })),
});

export const warningSchema = z.object({
  /** A short headline, e.g. "Intraocular pressure above 21 mmHg (right eye 28)". */
  message: text,
  severity: z.enum(['caution', 'urgent', 'emergent']),
  /** What triggered it: a value and its threshold, or a red-flag phrase. */
  basis: text,
});

export const unaddressedFindingSchema = z.object({
  finding: text,
  significance: text,
  suggestedAction: text,
});

export const referenceSchema = z.object({
  number: itemNumber,
  citation: text,
  pubmedId: z.string().regex(/^[0-9]{1,9}$/).nullable(),
  url: z.url().nullable(),
  source: z.enum(REFERENCE_SOURCES),
});

export const qualitySchema = z.object({
  score: z.number().int().min(0).max(100),
  level: z.enum(QUALITY_LEVELS),
  /** Concrete problems with the documentation, e.g. "Diagnosis 2 has no laterality". */
  issues: z.array(text),
  suggestions: z.array(text),
});

export const analysisMetaSchema = z.object({
  schemaVersion: z.literal(ANALYSIS_SCHEMA_VERSION),
  /** 'offline' or 'openai'. */
  provider: z.enum(['offline', 'openai']),
  model: text,
  promptVersion: text,
  /** sha256 hex of the text that was analyzed. */
  inputChecksum: z.string().regex(/^[0-9a-f]{64}$/),
  /** The provider's output failed the schema once and was repaired. */
  repaired: z.boolean(),
  /** The input was cut to the analysis cap; the notice says so. */
  truncated: z.boolean(),
});

export const analysisResultSchema = z.object({
  documentType: z.enum(DOCUMENT_TYPES),
  detectedSpecialty: z.enum(SPECIALTIES),
  /** The clinician or clinic that wrote the note: never the patient. */
  provider: z.object({ name: optionalText, clinic: optionalText }),
  patient: patientSchema,
  chiefComplaint: optionalText,
  summary: z.object({
    visitContext: optionalText,
    examination: optionalText,
    keyFindings: optionalText,
    clinicalImpression: optionalText,
  }),
  diagnoses: z.array(diagnosisSchema),
  suggestedDiagnoses: z.array(suggestedDiagnosisSchema),
  plan: z.array(planItemSchema),
  medications: z.array(medicationSchema),
  allergies: z.array(text),
  vitals: vitalsSchema,
  clinicalValues: clinicalValuesSchema,
  examFindings: z.array(examFindingSchema),
  warnings: z.array(warningSchema),
  unaddressedFindings: z.array(unaddressedFindingSchema),
  followUp: optionalText,
  references: z.array(referenceSchema),
  quality: qualitySchema,
  meta: analysisMetaSchema,
});

export type AnalysisResult = z.infer<typeof analysisResultSchema>;
export type Diagnosis = z.infer<typeof diagnosisSchema>;
export type PlanItem = z.infer<typeof planItemSchema>;
export type Medication = z.infer<typeof medicationSchema>;
export type Vitals = z.infer<typeof vitalsSchema>;
export type Reference = z.infer<typeof referenceSchema>;
export type Warning = z.infer<typeof warningSchema>;
export type AnalysisMeta = z.infer<typeof analysisMetaSchema>;

/** What a provider produces: everything but `meta`, which the pipeline adds. */
export const providerOutputSchema = analysisResultSchema.omit({ meta: true });
export type ProviderOutput = z.infer<typeof providerOutputSchema>;

/** "H401131" → "H40.1131"; already-dotted codes are returned as they are. */
export function formatIcd10(code: string): string {
  const bare = code.replace('.', '').toUpperCase();
  return bare.length > 3 ? `${bare.slice(0, 3)}.${bare.slice(3)}` : bare;
}

export function qualityLevel(score: number): QualityLevel {
  if (score >= 85) return 'excellent';
  if (score >= 70) return 'good';
  if (score >= 50) return 'fair';
  return 'poor';
}
