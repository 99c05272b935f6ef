// The OpenAI letter writer: one chat completion with the letter draft schema as
// a structured-output response format, asked to write in the requested
// language. Error mapping and the strict-mode schema clean-up are the analysis
// provider's (lib/analysis/openai.ts). Only the model, duration, status and
// token counts are logged: never the analysis, the request or the letter.
import OpenAI from 'openai';
import type { ResponseFormatJSONSchema } from 'openai/resources/shared';
import { AnalysisFailure } from '@/lib/analysis/errors';
import { mapOpenAIError, strictResponseFormat } from '@/lib/analysis/openai';
import type { Config } from '@/lib/config';
import { logger, type Logger } from '@/lib/logger';
import { LETTER_PROMPT_VERSION, letterMessages } from './prompt';
import type { LetterProvider } from './provider';
import { letterOutputSchema } from './schema';

const DEFAULT_BASE_URL = 'https://api.openai.com/v1';
export const LETTER_INVALID_MESSAGE = 'The letter came back in a form we could not read. Please try again.';

const MESSAGES = {
  tooLong: 'The analysis is too long for the AI model to write a letter from. Write the letter with fewer details, or edit it by hand.',
  refused: 'The AI model declined to write this letter. Check the request and try again.',
  filtered: "The AI provider's content filter stopped this letter.",
  outputTooLong: 'The letter was longer than the AI model can return in one answer. Choose less detail and try again.',
  empty: 'The AI provider returned no letter. Please try again.',
} as const;

let responseFormat: ResponseFormatJSONSchema | null = null;

/** The response format sent with every letter request (built once). */
export function letterResponseFormat(): ResponseFormatJSONSchema {
  return (responseFormat ??= strictResponseFormat(letterOutputSchema, 'clinical_letter'));
}

function failure(code: string, message: string, retryable: boolean, detail: string): AnalysisFailure {
  // The cause carries codes only: provider error text can quote the request.
  return new AnalysisFailure(code, message, retryable, { cause: new Error(detail) });
}

export function createOpenAILetterProvider(settings: Config['openai'], options: { log?: Logger } = {}): LetterProvider {
  if (!settings.apiKey) throw new Error('createOpenAILetterProvider needs OPENAI_API_KEY');
  const client = new OpenAI({ apiKey: settings.apiKey, baseURL: settings.baseUrl ?? DEFAULT_BASE_URL, timeout: settings.timeoutMs, maxRetries: settings.maxRetries });
  const model = settings.model;
  return {
    name: 'openai',
    async write(input, context) {
      const { signal } = context;
      signal.throwIfAborted();
      await context.onStage('drafting');
      const { system, user } = letterMessages(input);
      const log = (options.log ?? logger()).child({ component: 'letters.openai', model });
      const started = performance.now();
      let completion: OpenAI.ChatCompletion;
      try {
        completion = await client.chat.completions.create(
          { model, messages: [{ role: 'system', content: system }, { role: 'user', content: user }], response_format: letterResponseFormat() },
          { signal },
        );
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        const mapped = mapOpenAIError(error);
        log.warn({ durationMs: Math.round(performance.now() - started), status: error instanceof OpenAI.APIError ? error.status : undefined, failure: mapped?.code ?? 'unexpected' }, 'OpenAI letter request failed');
        // The analysis's wording speaks of "the note"; a letter is written from the analysis.
        if (mapped?.code === 'ai_input_too_long') throw failure(mapped.code, MESSAGES.tooLong, false, 'input too long');
        throw mapped ?? error;
      }
      log.info({ durationMs: Math.round(performance.now() - started), status: 200, promptTokens: completion.usage?.prompt_tokens, completionTokens: completion.usage?.completion_tokens }, 'OpenAI letter completed');
      const choice = completion.choices[0];
      if (!choice) throw failure('ai_empty', MESSAGES.empty, true, 'OpenAI returned no choices');
      if (choice.message.refusal) throw failure('ai_refused', MESSAGES.refused, false, 'OpenAI refused');
      if (choice.finish_reason === 'content_filter') throw failure('ai_filtered', MESSAGES.filtered, false, 'content_filter');
      if (choice.finish_reason === 'length') throw failure('ai_output_too_long', MESSAGES.outputTooLong, false, 'finish_reason length');
      const content = choice.message.content;
      if (!content) throw failure('ai_empty', MESSAGES.empty, true, 'OpenAI returned an empty message');
      let output: unknown;
      try {
        output = JSON.parse(content);
      } catch {
        throw failure('letter_invalid', LETTER_INVALID_MESSAGE, false, 'OpenAI content is not JSON');
      }
      return { output, model: completion.model || model, promptVersion: LETTER_PROMPT_VERSION, language: input.request.language };
    },
  };
}
