// What a letter request is made of (DOMAIN.md "Letters"): the templates, the
// recipient types each template may be addressed to, the output languages, the
// patient-letter tone and detail, and the insurance-letter kinds. The form, the
// server action, the writers and the PDF all read these lists.
import { z } from 'zod';

export const LETTER_TEMPLATES = ['referral', 'urgent_referral', 'co_management', 'second_opinion', 'patient_summary', 'insurance'] as const;
export type LetterTemplate = (typeof LETTER_TEMPLATES)[number];

export const TEMPLATE_LABELS: Record<LetterTemplate, string> = {
  referral: 'Standard referral',
  urgent_referral: 'Urgent referral',
  co_management: 'Co-management',
  second_opinion: 'Second opinion',
  patient_summary: 'Patient summary',
  insurance: 'Insurance / prior authorisation',
};

export const TEMPLATE_DESCRIPTIONS: Record<LetterTemplate, string> = {
  referral: 'Clinician to clinician: the requested service, findings, assessment and plan.',
  urgent_referral: 'Critical findings first, flagged URGENT.',
  co_management: 'Who does what while the patient is seen by both practices.',
  second_opinion: 'An objective case summary with a differential.',
  patient_summary: 'Plain language for the patient, about an 8th-grade reading level.',
  insurance: 'Medical necessity, ICD-10 codes, objective findings and alternatives tried.',
};

export const RECIPIENT_TYPES = ['specialist', 'family_physician', 'patient', 'insurance', 'other'] as const;
export type RecipientType = (typeof RECIPIENT_TYPES)[number];

export const RECIPIENT_LABELS: Record<RecipientType, string> = {
  specialist: 'Specialist',
  family_physician: 'Family physician',
  patient: 'Patient',
  insurance: 'Insurance',
  other: 'Other',
};

/** The recipients each template may be addressed to; the first is the default. */
export const TEMPLATE_RECIPIENTS: Record<LetterTemplate, readonly RecipientType[]> = {
  referral: ['specialist', 'family_physician', 'other'],
  urgent_referral: ['specialist', 'family_physician', 'other'],
  co_management: ['specialist', 'family_physician', 'other'],
  second_opinion: ['specialist', 'family_physician', 'other'],
  patient_summary: ['patient', 'other'],
  insurance: ['insurance', 'other'],
};

/** Templates staff may write (DOMAIN.md: staff write patient and insurance letters). */
export const STAFF_TEMPLATES: readonly LetterTemplate[] = ['patient_summary', 'insurance'];

/** ICD-10 codes are shown to physicians and insurers only, never to patients or other readers. */
export function recipientSeesCodes(recipient: RecipientType): boolean {
  return recipient === 'specialist' || recipient === 'family_physician' || recipient === 'insurance';
}

export const LETTER_LANGUAGES = ['en', 'pt', 'es', 'fr'] as const;
export type LetterLanguage = (typeof LETTER_LANGUAGES)[number];
export const LANGUAGE_LABELS: Record<LetterLanguage, string> = { en: 'English', pt: 'Português', es: 'Español', fr: 'Français' };

export const PATIENT_TONES = ['warm', 'professional', 'simple'] as const;
export type PatientTone = (typeof PATIENT_TONES)[number];
export const TONE_LABELS: Record<PatientTone, string> = { warm: 'Warm', professional: 'Professional', simple: 'Simple' };

export const DETAIL_LEVELS = ['brief', 'standard', 'detailed'] as const;
export type DetailLevel = (typeof DETAIL_LEVELS)[number];
export const DETAIL_LABELS: Record<DetailLevel, string> = { brief: 'Brief', standard: 'Standard', detailed: 'Detailed' };

export const INSURANCE_LETTER_TYPES = ['prior_auth', 'medical_necessity', 'appeal'] as const;
export type InsuranceLetterType = (typeof INSURANCE_LETTER_TYPES)[number];
export const INSURANCE_TYPE_LABELS: Record<InsuranceLetterType, string> = {
  prior_auth: 'Prior authorisation',
  medical_necessity: 'Letter of medical necessity',
  appeal: 'Appeal of a denial',
};

/** The `<kind>` part of a PDF's file name (DOMAIN.md "PDF export"). */
export type LetterKind = 'referral' | 'patient' | 'insurance' | 'report';
export function letterKind(template: LetterTemplate): LetterKind {
  if (template === 'patient_summary') return 'patient';
  if (template === 'insurance') return 'insurance';
  // A second opinion is a case report for another clinician rather than a referral.
  if (template === 'second_opinion') return 'report';
  return 'referral';
}

const line = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `${label} can be at most ${max} characters.`)
    .refine((v) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(v), `${label} contains characters that cannot be printed.`);

/** The reason for the letter: one of the analysis's diagnoses (by number), or free text. */
export const letterReasonSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('diagnosis'), diagnosisNumber: z.number().int().min(1) }),
  z.object({ kind: z.literal('other'), text: line('The reason', 300).pipe(z.string().min(3, 'Describe the reason in a few words.')) }),
]);
export type LetterReason = z.infer<typeof letterReasonSchema>;

/**
 * Everything the member chose. Patient-letter fields (tone, detail) are used by the patient
 * summary; insurance fields by the insurance template; the writers use every field given.
 */
export const letterRequestSchema = z
  .object({
    template: z.enum(LETTER_TEMPLATES, { message: 'Choose a template.' }),
    recipientType: z.enum(RECIPIENT_TYPES, { message: 'Choose who the letter is for.' }),
    language: z.enum(LETTER_LANGUAGES, { message: 'Choose a language.' }),
    /** The addressee as it should appear on the letter ("Dr. Ana Silva, Glaucoma Service, City Eye Hospital"). */
    to: line('"To"', 300).pipe(z.string().min(2, 'Say who the letter is addressed to.')),
    /** The signing clinician; defaults to the provider found in the analysis. */
    from: line('"From"', 200).pipe(z.string().min(2, 'Say who signs the letter.')),
    reason: letterReasonSchema,
    /** One of the focus options offered for the chosen diagnosis, or null. */
    referralFocus: line('The referral focus', 200).nullable(),
    /** Woven into the letter, never quoted. */
    specialRequests: line('Special requests', 1000).nullable(),
    tone: z.enum(PATIENT_TONES).nullable(),
    detail: z.enum(DETAIL_LEVELS).nullable(),
    insuranceLetterType: z.enum(INSURANCE_LETTER_TYPES).nullable(),
    procedure: line('The procedure', 300).nullable(),
    insurer: line('The insurer', 200).nullable(),
    justification: line('The justification', 2000).nullable(),
  })
  .superRefine((value, ctx) => {
    if (!TEMPLATE_RECIPIENTS[value.template].includes(value.recipientType)) {
      ctx.addIssue({
        code: 'custom',
        path: ['recipientType'],
        message: `A ${TEMPLATE_LABELS[value.template].toLowerCase()} letter can be addressed to: ${TEMPLATE_RECIPIENTS[value.template].map((r) => RECIPIENT_LABELS[r].toLowerCase()).join(', ')}.`,
      });
    }
    if (value.template === 'insurance') {
      if (!value.insuranceLetterType) ctx.addIssue({ code: 'custom', path: ['insuranceLetterType'], message: 'Choose the kind of insurance letter.' });
      if (!value.procedure) ctx.addIssue({ code: 'custom', path: ['procedure'], message: 'Name the procedure, test or treatment the letter is about.' });
    }
  });
export type LetterRequest = z.infer<typeof letterRequestSchema>;
