// What a letter writer is: the offline composer or an OpenAI-compatible model.
// Both return the same sectioned draft (schema.ts); the pipeline (run.ts)
// validates it, repairs it once, and turns it into sanitised LetterContent.
import type { AnalysisResult } from '@/lib/analysis/schema';
import type { LetterContent } from './content';
import type { LetterLanguage, LetterRequest } from './options';

/** Letter stages the writer reports, with their progress (DOMAIN.md "Letters"). */
export const LETTER_STAGE_PROGRESS = { drafting: 50, formatting: 80 } as const;
export type LetterStage = keyof typeof LETTER_STAGE_PROGRESS;

export interface LetterWriteContext {
  signal: AbortSignal;
  onStage: (stage: LetterStage) => Promise<void> | void;
}

export interface LetterDraftInput {
  /** Validated already (letterRequestSchema). */
  request: LetterRequest;
  /** The completed analysis the letter is written from. */
  analysis: AnalysisResult;
  clinic: { name: string };
  /** The letter's date, ISO YYYY-MM-DD. */
  date: string;
}

export interface LetterMeta {
  provider: 'offline' | 'openai';
  model: string;
  promptVersion: string;
  /** The language the letter was actually written in. */
  language: LetterLanguage;
  /** The writer's draft failed the schema once and was repaired. */
  repaired: boolean;
}

export interface WrittenLetter {
  /** The "Re" line, e.g. "Referral for glaucoma evaluation — right eye"; never the patient's name (the PDF prints the patient separately). */
  subject: string;
  /** From the salutation to the sign-off line; the header, signature and signer's name are the PDF's. */
  content: LetterContent;
  /** Things the clinician should know about this draft (shown next to it, never part of it). */
  notices: string[];
  meta: LetterMeta;
}

export interface LetterProviderResult {
  /** Raw draft: validated (and repaired once if needed) by the pipeline. */
  output: unknown;
  model: string;
  promptVersion: string;
  language: LetterLanguage;
}

export interface LetterProvider {
  readonly name: 'offline' | 'openai';
  write(input: LetterDraftInput, context: LetterWriteContext): Promise<LetterProviderResult>;
}
