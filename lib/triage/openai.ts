// The OpenAI triage provider: one chat completion with the triage schema as a
// structured-output response format. Error mapping and the strict-mode schema
// clean-up are the analysis provider's (lib/analysis/openai.ts); only the model,
// durations and status codes are logged, never the document or the output.
import OpenAI from 'openai';
import type { ResponseFormatJSONSchema } from 'openai/resources/shared';
import { AnalysisFailure } from '@/lib/analysis/errors';
import { mapOpenAIError, strictResponseFormat } from '@/lib/analysis/openai';
import type { Config } from '@/lib/config';
import { logger, type Logger } from '@/lib/logger';
import { TRIAGE_PROMPT_VERSION, triageMessages } from './prompt';
import type { TriageProvider } from './provider';
import { triageOutputSchema } from './schema';

const DEFAULT_BASE_URL = 'https://api.openai.com/v1';
export const TRIAGE_INVALID_MESSAGE = 'The triage came back in a form we could not read. Please try again.';

let responseFormat: ResponseFormatJSONSchema | null = null;

export function triageResponseFormat(): ResponseFormatJSONSchema {
  return (responseFormat ??= strictResponseFormat(triageOutputSchema, 'fax_triage'));
}

function failure(code: string, message: string, retryable: boolean, detail: string): AnalysisFailure {
  return new AnalysisFailure(code, message, retryable, { cause: new Error(detail) });
}

export function createOpenAITriageProvider(settings: Config['openai'], options: { log?: Logger } = {}): TriageProvider {
  if (!settings.apiKey) throw new Error('createOpenAITriageProvider needs OPENAI_API_KEY');
  const client = new OpenAI({ apiKey: settings.apiKey, baseURL: settings.baseUrl ?? DEFAULT_BASE_URL, timeout: settings.timeoutMs, maxRetries: settings.maxRetries });
  const model = settings.model;
  return {
    name: 'openai',
    async triage(text, context) {
      const { signal } = context;
      signal.throwIfAborted();
      await context.onStage('triaging');
      const { system, user } = triageMessages(text);
      const log = (options.log ?? logger()).child({ component: 'triage.openai', model });
      const started = performance.now();
      let completion: OpenAI.ChatCompletion;
      try {
        completion = await client.chat.completions.create(
          { model, messages: [{ role: 'system', content: system }, { role: 'user', content: user }], response_format: triageResponseFormat() },
          { signal },
        );
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        const mapped = mapOpenAIError(error);
        log.warn({ durationMs: Math.round(performance.now() - started), status: error instanceof OpenAI.APIError ? error.status : undefined, failure: mapped?.code ?? 'unexpected' }, 'OpenAI triage request failed');
        throw mapped ?? error;
      }
      log.info({ durationMs: Math.round(performance.now() - started), status: 200, promptTokens: completion.usage?.prompt_tokens, completionTokens: completion.usage?.completion_tokens }, 'OpenAI triage completed');
      const choice = completion.choices[0];
      if (!choice) throw failure('ai_empty', 'The AI provider returned no triage. Please try again.', true, 'OpenAI returned no choices');
      if (choice.message.refusal) throw failure('ai_refused', 'The AI model declined to triage this document. Check that it is the right file and try again.', false, 'OpenAI refused');
      if (choice.finish_reason === 'content_filter') throw failure('ai_filtered', "The AI provider's content filter stopped the triage of this document.", false, 'content_filter');
      if (choice.finish_reason === 'length') throw failure('ai_output_too_long', 'The triage was longer than the AI model can return in one answer. Please try again.', false, 'finish_reason length');
      const content = choice.message.content;
      if (!content) throw failure('ai_empty', 'The AI provider returned no triage. Please try again.', true, 'OpenAI returned an empty message');
      let output: unknown;
      try {
        output = JSON.parse(content);
      } catch {
        throw failure('triage_invalid', TRIAGE_INVALID_MESSAGE, false, 'OpenAI content is not JSON');
      }
      return { output, model: completion.model || model, promptVersion: TRIAGE_PROMPT_VERSION };
    },
  };
}
