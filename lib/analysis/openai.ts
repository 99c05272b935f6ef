// The OpenAI analysis provider: one chat completion with the analysis schema as
// a structured-output response format. The SDK retries 408/409/429/5xx and
// connection errors with backoff (OPENAI_MAX_RETRIES, OPENAI_TIMEOUT_MS per
// attempt); what is left is mapped to an AnalysisFailure that says whether a
// later attempt could succeed. Only the model, token counts, duration and status
// codes are logged: never the note, the output or the provider's error text.
import OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import type { ResponseFormatJSONSchema } from 'openai/resources/shared';
import type { Config } from '@/lib/config';
import { logger, type Logger } from '@/lib/logger';
import { ANALYSIS_INVALID_MESSAGE, AnalysisFailure } from './errors';
import { PROMPT_VERSION, analysisMessages } from './prompt';
import type { AnalysisProvider } from './provider';
import { providerOutputSchema } from './schema';

const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

// Strict structured outputs accept only some JSON Schema keywords; zod also
// emits `minLength` and `format: "uri"`, which the API would reject. The
// pipeline validates with the full zod schema afterwards anyway.
const SUPPORTED_FORMATS = new Set(['date-time', 'time', 'date', 'duration', 'email', 'hostname', 'ipv4', 'ipv6', 'uuid']);

export function forStrictMode(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(forStrictMode);
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'minLength' || key === '$schema') continue;
    if (key === 'format' && !(typeof value === 'string' && SUPPORTED_FORMATS.has(value))) continue;
    out[key] = forStrictMode(value);
  }
  return out;
}

/** A strict structured-output response format for a zod schema (shared by analysis, triage and letters). */
export function strictResponseFormat(schema: Parameters<typeof zodResponseFormat>[0], name: string): ResponseFormatJSONSchema {
  const generated = zodResponseFormat(schema, name);
  return {
    type: 'json_schema',
    json_schema: { name: generated.json_schema.name, strict: true, schema: forStrictMode(generated.json_schema.schema) as Record<string, unknown> },
  };
}

let responseFormat: ResponseFormatJSONSchema | null = null;

/** The response format sent with every analysis request (built once). */
export function analysisResponseFormat(): ResponseFormatJSONSchema {
  return (responseFormat ??= strictResponseFormat(providerOutputSchema, 'clinical_analysis'));
}

const MESSAGES = {
  auth: 'The AI provider rejected the API key. An administrator must update OPENAI_API_KEY.',
  forbidden:
    'The AI provider refused this request for the configured API key. An administrator must check that the key may use the model set in OPENAI_MODEL.',
  notFound: 'The AI provider does not know the model set in OPENAI_MODEL. An administrator must correct OPENAI_MODEL (or OPENAI_BASE_URL).',
  tooLong: 'The note is too long for the AI model. Shorten it or split it into separate documents, then try again.',
  badRequest:
    'The AI provider could not process the analysis request. An administrator should check that OPENAI_MODEL supports structured outputs.',
  quota: 'The AI provider account has no credit left. An administrator must check the OpenAI billing settings.',
  rateLimited: 'The AI provider is busy (rate limit reached). Please try again in a few minutes.',
  unavailable: 'The AI provider is having problems right now. Please try again in a few minutes.',
  timeout: 'The AI provider did not answer in time. Please try again in a few minutes.',
  unreachable: 'We could not reach the AI provider. Please try again in a few minutes.',
  refused: 'The AI model declined to analyze this document. Check that it is a clinical document and try again.',
  filtered: "The AI provider's content filter stopped the analysis of this document.",
  outputTooLong:
    'The analysis was longer than the AI model can return in one answer. Shorten the note or split it into separate documents.',
  empty: 'The AI provider returned no analysis. Please try again.',
} as const;

function failure(code: string, message: string, retryable: boolean, detail: string): AnalysisFailure {
  // The cause carries status and codes only: provider error text can quote the request.
  return new AnalysisFailure(code, message, retryable, { cause: new Error(detail) });
}

/** Maps what the SDK throws (after its own retries) onto an AnalysisFailure. */
export function mapOpenAIError(error: unknown): AnalysisFailure | null {
  if (error instanceof OpenAI.APIConnectionTimeoutError) return failure('ai_timeout', MESSAGES.timeout, true, 'OpenAI request timed out');
  if (error instanceof OpenAI.APIUserAbortError) return null;
  if (error instanceof OpenAI.APIConnectionError) return failure('ai_unreachable', MESSAGES.unreachable, true, 'OpenAI connection failed');
  if (!(error instanceof OpenAI.APIError)) return null;
  const status = error.status ?? 0;
  const code = typeof error.code === 'string' ? error.code : '';
  const detail = `OpenAI responded ${status}${code ? ` (${code})` : ''}`;
  const message = typeof error.message === 'string' ? error.message.toLowerCase() : '';
  if (status === 413 || code === 'context_length_exceeded' || /context length|maximum context|too many tokens/.test(message)) {
    return failure('ai_input_too_long', MESSAGES.tooLong, false, detail);
  }
  if (status === 401) return failure('ai_auth_failed', MESSAGES.auth, false, detail);
  if (status === 403) return failure('ai_forbidden', MESSAGES.forbidden, false, detail);
  if (status === 404) return failure('ai_model_not_found', MESSAGES.notFound, false, detail);
  if (status === 429) {
    return code === 'insufficient_quota'
      ? failure('ai_quota_exhausted', MESSAGES.quota, false, detail)
      : failure('ai_rate_limited', MESSAGES.rateLimited, true, detail);
  }
  if (status === 408 || status === 409 || status >= 500) return failure('ai_unavailable', MESSAGES.unavailable, true, detail);
  return failure('ai_request_rejected', MESSAGES.badRequest, false, detail);
}

export function createOpenAIProvider(settings: Config['openai'], options: { log?: Logger } = {}): AnalysisProvider {
  if (!settings.apiKey) throw new Error('createOpenAIProvider needs OPENAI_API_KEY');
  const client = new OpenAI({
    apiKey: settings.apiKey,
    // Explicit, so the SDK never reads OPENAI_BASE_URL from the environment itself.
    baseURL: settings.baseUrl ?? DEFAULT_BASE_URL,
    timeout: settings.timeoutMs,
    maxRetries: settings.maxRetries,
  });
  const model = settings.model;

  return {
    name: 'openai',
    async analyze(input, context) {
      const { signal } = context;
      signal.throwIfAborted();
      await context.onStage('analyzing');
      const { system, user } = analysisMessages(input);
      const started = performance.now();
      const log = (options.log ?? logger()).child({ component: 'analysis.openai', model });
      let completion: OpenAI.ChatCompletion;
      try {
        completion = await client.chat.completions.create(
          {
            model,
            messages: [
              { role: 'system', content: system },
              { role: 'user', content: user },
            ],
            response_format: analysisResponseFormat(),
          },
          { signal },
        );
      } catch (error) {
        const durationMs = Math.round(performance.now() - started);
        if (signal.aborted) throw signal.reason;
        const mapped = mapOpenAIError(error);
        const status = error instanceof OpenAI.APIError ? error.status : undefined;
        log.warn({ durationMs, status, failure: mapped?.code ?? 'unexpected' }, 'OpenAI analysis request failed');
        throw mapped ?? error;
      }
      const durationMs = Math.round(performance.now() - started);
      log.info(
        {
          durationMs,
          status: 200,
          promptTokens: completion.usage?.prompt_tokens,
          completionTokens: completion.usage?.completion_tokens,
        },
        'OpenAI analysis completed',
      );

      const choice = completion.choices[0];
      if (!choice) throw failure('ai_empty', MESSAGES.empty, true, 'OpenAI returned no choices');
      if (choice.message.refusal) throw failure('ai_refused', MESSAGES.refused, false, 'OpenAI refused');
      if (choice.finish_reason === 'content_filter') throw failure('ai_filtered', MESSAGES.filtered, false, 'content_filter');
      if (choice.finish_reason === 'length') throw failure('ai_output_too_long', MESSAGES.outputTooLong, false, 'finish_reason length');
      await context.onStage('structuring');
      const content = choice.message.content;
      if (!content) throw failure('ai_empty', MESSAGES.empty, true, 'OpenAI returned an empty message');
      let output: unknown;
      try {
        output = JSON.parse(content);
      } catch {
        throw failure('analysis_invalid', ANALYSIS_INVALID_MESSAGE, false, 'OpenAI content is not JSON');
      }
      return { output, model: completion.model || model, promptVersion: PROMPT_VERSION };
    },
  };
}
