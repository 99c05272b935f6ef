// The offline letter writer: composes every template from the analysis with
// fixed English wording, no model involved. It returns the same sectioned draft
// as the OpenAI writer, so the pipeline treats both alike.
import type { LetterTemplate } from '../options';
import type { LetterDraftInput } from '../provider';
import type { LetterOutput } from '../schema';
import { writeCoManagement, writeReferral, writeSecondOpinion, writeUrgentReferral } from './clinician';
import { gatherFacts, type Facts } from './facts';
import { writeInsurance } from './insurance';
import { writePatientSummary } from './patient';

export const OFFLINE_LETTER_MODEL = 'maneiro-letters-offline-1';
export const OFFLINE_LETTER_PROMPT_VERSION = 'letters-offline-2026.11';

const WRITERS: Record<LetterTemplate, (facts: Facts) => LetterOutput> = {
  referral: writeReferral,
  urgent_referral: writeUrgentReferral,
  co_management: writeCoManagement,
  second_opinion: writeSecondOpinion,
  patient_summary: writePatientSummary,
  insurance: writeInsurance,
};

/** The letter in English for any template and recipient its options allow. */
export function writeOfflineLetter(input: LetterDraftInput): LetterOutput {
  return WRITERS[input.request.template](gatherFacts(input));
}
