// The letter pipeline: whatever the writer, its draft is validated against the
// one draft schema, repaired once if it fails, and turned into LetterContent
// with every string sanitised (no markup survives), codes removed for readers
// who must not see them, and the size limits checked.
import { AnalysisFailure } from '@/lib/analysis/errors';
import { getConfig } from '@/lib/config';
import { reasonDiagnosis } from './focus';
import { OFFLINE_LETTER_MODEL, OFFLINE_LETTER_PROMPT_VERSION, writeOfflineLetter } from './offline';
import { CLINICIAN_SIGN_OFF } from './offline/clinician';
import { INSURANCE_SIGN_OFF } from './offline/insurance';
import { PATIENT_SIGN_OFFS } from './offline/patient';
import { salutationFor } from './offline/text';
import { LETTER_INVALID_MESSAGE, createOpenAILetterProvider } from './openai';
import { LANGUAGE_LABELS, recipientSeesCodes, type LetterLanguage } from './options';
import type { LetterDraftInput, LetterProvider, LetterWriteContext, WrittenLetter } from './provider';
import { cleanDraftText, draftToContent, letterOutputSchema, repairLetterOutput, type LetterDefaults, type TextTransform } from './schema';

export const offlineLetterProvider: LetterProvider = {
  name: 'offline',
  async write(input, context) {
    context.signal.throwIfAborted();
    await context.onStage('drafting');
    return { output: writeOfflineLetter(input), model: OFFLINE_LETTER_MODEL, promptVersion: OFFLINE_LETTER_PROMPT_VERSION, language: 'en' };
  },
};

let cached: { key: string; provider: LetterProvider } | null = null;

/** OpenAI when OPENAI_API_KEY is set (as for analyses and triage), else the offline writer. */
export function getLetterProvider(): LetterProvider {
  const { openai } = getConfig();
  if (!openai.apiKey) return offlineLetterProvider;
  const key = JSON.stringify([openai.apiKey, openai.baseUrl, openai.model, openai.timeoutMs, openai.maxRetries]);
  if (cached?.key !== key) cached = { key, provider: createOpenAILetterProvider(openai) };
  return cached.provider;
}

const GREETINGS: Record<LetterLanguage, { greeting: string; fallback: string; signOff: string }> = {
  en: { greeting: 'Dear', fallback: 'Colleague', signOff: CLINICIAN_SIGN_OFF },
  pt: { greeting: 'Caro(a)', fallback: 'Colega', signOff: 'Com os melhores cumprimentos,' },
  es: { greeting: 'Estimado(a)', fallback: 'colega', signOff: 'Atentamente,' },
  fr: { greeting: 'Cher(e)', fallback: 'Collègue', signOff: 'Cordialement,' },
};

/** What a repaired draft falls back to for a part it lacks, in the language it should be in. */
function letterDefaults(input: LetterDraftInput, language: LetterLanguage): LetterDefaults {
  const { request } = input;
  const words = GREETINGS[language];
  const englishSignOff = request.template === 'patient_summary' ? PATIENT_SIGN_OFFS[request.tone ?? 'warm'] : request.template === 'insurance' ? INSURANCE_SIGN_OFF : CLINICIAN_SIGN_OFF;
  return {
    // The offline writer's subject is built from the request alone (and is English).
    subject: writeOfflineLetter(input).subject,
    salutation: salutationFor(request.to, words.fallback, words.greeting),
    closing: language === 'en' ? englishSignOff : words.signOff,
  };
}

const escapeRegExp = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// A dotted ICD-10-CM code anywhere in a letter for a reader who must not see codes.
const DOTTED_CODE = /(?<![A-Za-z0-9])(?:ICD-?10(?:-CM)?(?:\s+code)?:?\s*)?[A-TV-Z][0-9][0-9A-Z]\.[0-9A-Z]{1,4}(?![A-Za-z0-9])/g;

/**
 * For readers who must not see codes (patients, "other"): removes the analysis's
 * codes (dotted or bare, e.g. "I10") and any dotted ICD-10 code, then the empty
 * brackets and stray punctuation they leave. Identity for physicians and insurers.
 */
export function codeRemover(input: LetterDraftInput): TextTransform {
  if (recipientSeesCodes(input.request.recipientType)) return (value) => value;
  const codes = new Set<string>();
  for (const d of input.analysis.diagnoses) {
    if (!d.icd10Code) continue;
    codes.add(d.icd10Code);
    codes.add(d.icd10Code.replace('.', ''));
  }
  const known =
    codes.size > 0
      ? new RegExp(`(?<![A-Za-z0-9])(?:ICD-?10(?:-CM)?(?:\\s+code)?:?\\s*)?(?:${[...codes].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|')})(?![A-Za-z0-9])`, 'gi')
      : null;
  return (value) => {
    let out = value.replace(DOTTED_CODE, '');
    if (known) out = out.replace(known, '');
    if (out === value) return value;
    return out
      .replace(/[([]\s*[,;:\s–—-]*\s*[)\]]/g, '')
      .replace(/([([])\s*[,;]\s*/g, '$1')
      .replace(/\s*[,;]\s*([)\]])/g, '$1')
      .replace(/\s+([,.;:!?])/g, '$1')
      .replace(/\s{2,}/g, ' ')
      .trim();
  };
}

function invalid(detail: string): AnalysisFailure {
  return new AnalysisFailure('letter_invalid', LETTER_INVALID_MESSAGE, false, { cause: new Error(detail) });
}

export async function writeLetter(input: LetterDraftInput, context: LetterWriteContext, provider?: LetterProvider): Promise<WrittenLetter> {
  const { signal } = context;
  signal.throwIfAborted();
  const { request, analysis } = input;
  if (request.reason.kind === 'diagnosis' && !reasonDiagnosis(request, analysis)) {
    throw new AnalysisFailure('letter_reason_missing', `The analysis has no diagnosis ${request.reason.diagnosisNumber}. Choose another reason for the letter.`, false);
  }
  const chosen = provider ?? getLetterProvider();
  const result = await chosen.write(input, context);
  signal.throwIfAborted();
  await context.onStage('formatting');

  const first = letterOutputSchema.safeParse(result.output);
  const repaired = !first.success;
  const output = first.success ? first.data : repairLetterOutput(result.output, letterDefaults(input, result.language));
  if (!output) throw invalid('letter draft has no readable body after repair');
  const removeCodes = codeRemover(input);
  const content = draftToContent(output, removeCodes);
  if (!content) throw invalid('letter content invalid after repair');
  // A subject that was all markup falls back to the one built from the request.
  const subject = removeCodes(cleanDraftText(output.subject)) || removeCodes(cleanDraftText(letterDefaults(input, result.language).subject));

  const notices: string[] = [];
  if (result.language !== request.language) {
    notices.push(`This letter is in ${LANGUAGE_LABELS[result.language]}: writing in ${LANGUAGE_LABELS[request.language]} needs an AI provider (set OPENAI_API_KEY).`);
  }
  if (!analysis.patient.name) notices.push('The analysis has no patient name, so the letter does not name the patient. Add the name if the letter needs it.');
  if (repaired) notices.push("The AI provider's draft needed repair. Read the letter carefully before sending it.");

  return {
    subject,
    content,
    notices,
    meta: { provider: chosen.name, model: result.model, promptVersion: result.promptVersion, language: result.language, repaired },
  };
}
