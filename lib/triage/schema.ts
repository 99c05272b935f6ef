// The one schema of a fax triage (DOMAIN.md, "Fax triage"). Every provider's
// output (the offline triage, OpenAI) must pass it before it is stored; the
// triage page and the staff inbox read it. Client-safe: zod only.
import { z } from 'zod';

export const TRIAGE_SCHEMA_VERSION = 1;

export const TRIAGE_DOCUMENT_TYPES = [
  'referral_request',
  'consultation_report',
  'lab_results',
  'insurance',
  'records_request',
  'prescription',
  'correspondence',
  'marketing',
  'other',
] as const;
export type TriageDocumentType = (typeof TRIAGE_DOCUMENT_TYPES)[number];

/** urgent: act within 24–48 hours; soon: within 1–2 weeks; routine: within 4–6 weeks. */
export const TRIAGE_URGENCIES = ['urgent', 'soon', 'routine'] as const;
export type TriageUrgency = (typeof TRIAGE_URGENCIES)[number];

export const DOCUMENT_TYPE_LABELS: Record<TriageDocumentType, string> = {
  referral_request: 'Referral request',
  consultation_report: 'Consultation report',
  lab_results: 'Lab results',
  insurance: 'Insurance',
  records_request: 'Records request',
  prescription: 'Prescription',
  correspondence: 'Correspondence',
  marketing: 'Marketing',
  other: 'Other',
};

export const URGENCY_LABELS: Record<TriageUrgency, string> = {
  urgent: 'Urgent',
  soon: 'Soon',
  routine: 'Routine',
};

export const URGENCY_WINDOWS: Record<TriageUrgency, string> = {
  urgent: 'within 24–48 hours',
  soon: 'within 1–2 weeks',
  routine: 'within 4–6 weeks',
};

export const TRIAGE_TASK_LISTS = ['front_desk', 'doctor'] as const;
export type TriageTaskList = (typeof TRIAGE_TASK_LISTS)[number];

const text = z.string().trim().min(1);
const optionalText = z.string().trim().min(1).nullable();

export const triageFromSchema = z.object({
  provider: optionalText,
  clinic: optionalText,
  fax: optionalText,
  phone: optionalText,
});

export const triageRegardingSchema = z.object({
  patientName: optionalText,
  dateOfBirth: optionalText,
});

/** What a provider must return: everything but `meta`, which the pipeline adds. */
export const triageOutputSchema = z.object({
  documentType: z.enum(TRIAGE_DOCUMENT_TYPES),
  urgency: z.enum(TRIAGE_URGENCIES),
  from: triageFromSchema,
  regarding: triageRegardingSchema,
  keyClinicalInfo: z.array(text).max(30),
  reasoning: text,
  frontDeskTasks: z.array(text).max(20),
  doctorTasks: z.array(text).max(20),
});
export type TriageOutput = z.infer<typeof triageOutputSchema>;

export const triageMetaSchema = z.object({
  schemaVersion: z.literal(TRIAGE_SCHEMA_VERSION),
  provider: z.enum(['offline', 'openai']),
  model: text,
  promptVersion: text,
  /** sha256 of the text that was triaged. */
  inputChecksum: z.string().regex(/^[0-9a-f]{64}$/),
  /** The provider's output failed the schema and was repaired once. */
  repaired: z.boolean(),
  /** The document was longer than the triage cap and was cut. */
  truncated: z.boolean(),
});

export const triageResultSchema = triageOutputSchema.extend({ meta: triageMetaSchema });
export type TriageResult = z.infer<typeof triageResultSchema>;

/** The key of a task in a result: "<list>:<index>" (TriageTaskState.taskKey). */
export function triageTaskKey(list: TriageTaskList, index: number): string {
  return `${list}:${index}`;
}

/** Parses a task key; null when malformed. */
export function parseTriageTaskKey(key: string): { list: TriageTaskList; index: number } | null {
  const match = /^(front_desk|doctor):(\d{1,3})$/.exec(key);
  if (!match) return null;
  return { list: match[1] as TriageTaskList, index: Number(match[2]) };
}
