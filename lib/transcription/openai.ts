// The transcription provider: OpenAI's /audio/transcriptions (or any compatible
// server, OPENAI_TRANSCRIBE_BASE_URL). The response format follows the model:
// diarizing models ('…diarize…') return speaker segments (diarized_json); the
// gpt-4o transcribe family returns text only (json), whose times are then spread
// over the chunk by length; everything else (whisper-1, local Whisper servers)
// returns timed segments (verbose_json). Errors become AnalysisFailure with a
// message naming what to fix. Only status codes and durations are logged.
import fs from 'node:fs';
import OpenAI from 'openai';
import type { Config } from '@/lib/config';
import { AnalysisFailure } from '@/lib/analysis/errors';
import { logger, type Logger } from '@/lib/logger';
import type { TranscriptionLanguage, TranscriptionMode } from '@/lib/jobs/transcription-input';

const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

export type ResponseStyle = 'diarized' | 'text' | 'segments';

/** A segment relative to the chunk's start; speaker as the model labelled it ("A", "B"…) or null. */
export interface ChunkSegment {
  startMs: number;
  endMs: number;
  speaker: string | null;
  text: string;
}

export interface ChunkTranscript {
  segments: ChunkSegment[];
  timing: 'provider' | 'estimated';
}

export interface ChunkRequest {
  /** A file on disk (the chunk), sent as multipart. */
  file: string;
  fileName: string;
  durationMs: number;
  mode: TranscriptionMode;
  language: TranscriptionLanguage;
  signal: AbortSignal;
}

export interface TranscriptionProvider {
  model: string;
  /** True when the model labels speakers. */
  diarizes: boolean;
  transcribe(request: ChunkRequest): Promise<ChunkTranscript>;
}

export function responseStyleFor(model: string): ResponseStyle {
  const id = model.toLowerCase();
  if (id.includes('diarize')) return 'diarized';
  if (/^gpt-.*transcribe/.test(id)) return 'text';
  return 'segments';
}

const MESSAGES = {
  auth: 'The transcription provider rejected the API key. An administrator must update OPENAI_TRANSCRIBE_API_KEY (or OPENAI_API_KEY).',
  forbidden: 'The transcription provider refused this request for the configured key. An administrator must check that the key may use the model in OPENAI_TRANSCRIBE_MODEL.',
  notFound:
    'The transcription provider does not know the model in OPENAI_TRANSCRIBE_MODEL. An administrator must correct OPENAI_TRANSCRIBE_MODEL (or OPENAI_TRANSCRIBE_BASE_URL).',
  tooLarge: 'A piece of the recording was too large for the transcription provider. Please retry; if it keeps failing, contact support.',
  badRequest: 'The transcription provider could not process this recording. Check that the recording plays, then retry; if it keeps failing, contact support.',
  quota: 'The transcription provider account has no credit left. An administrator must check the provider billing settings.',
  rateLimited: 'The transcription provider is busy (rate limit reached). The transcription will be retried; try again in a few minutes if it fails.',
  unavailable: 'The transcription provider is having problems right now. Please try again in a few minutes.',
  timeout: 'The transcription provider did not answer in time. Please try again in a few minutes.',
  unreachable: 'We could not reach the transcription provider. Please try again in a few minutes.',
  invalid: 'The transcription provider returned an answer we could not read. Please try again.',
} as const;

function failure(code: string, message: string, retryable: boolean, detail: string): AnalysisFailure {
  return new AnalysisFailure(code, message, retryable, { cause: new Error(detail) });
}

/** What the SDK throws (after its own retries) as an AnalysisFailure; null for aborts and unknown errors. */
export function mapTranscriptionError(error: unknown): AnalysisFailure | null {
  if (error instanceof OpenAI.APIConnectionTimeoutError) return failure('transcribe_timeout', MESSAGES.timeout, true, 'transcription request timed out');
  if (error instanceof OpenAI.APIUserAbortError) return null;
  if (error instanceof OpenAI.APIConnectionError) return failure('transcribe_unreachable', MESSAGES.unreachable, true, 'transcription connection failed');
  if (!(error instanceof OpenAI.APIError)) return null;
  const status = error.status ?? 0;
  const code = typeof error.code === 'string' ? error.code : '';
  const detail = `transcription provider responded ${status}${code ? ` (${code})` : ''}`;
  if (status === 413) return failure('transcribe_too_large', MESSAGES.tooLarge, false, detail);
  if (status === 401) return failure('transcribe_auth_failed', MESSAGES.auth, false, detail);
  if (status === 403) return failure('transcribe_forbidden', MESSAGES.forbidden, false, detail);
  if (status === 404) return failure('transcribe_model_not_found', MESSAGES.notFound, false, detail);
  if (status === 429) {
    return code === 'insufficient_quota' ? failure('transcribe_quota_exhausted', MESSAGES.quota, false, detail) : failure('transcribe_rate_limited', MESSAGES.rateLimited, true, detail);
  }
  if (status === 408 || status === 409 || status >= 500) return failure('transcribe_unavailable', MESSAGES.unavailable, true, detail);
  return failure('transcribe_rejected', MESSAGES.badRequest, false, detail);
}

const seconds = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value * 1000) : null);

/** Splits text-only output into sentences and spreads them over the chunk by length (marked 'estimated'). */
export function estimateSegments(text: string, durationMs: number): ChunkSegment[] {
  const sentences = text
    .split(/(?<=[.!?…])\s+/)
    .map((s) => s.trim())
    .filter(Boolean);
  const total = sentences.reduce((sum, s) => sum + s.length, 0);
  if (total === 0) return [];
  const out: ChunkSegment[] = [];
  let at = 0;
  for (const sentence of sentences) {
    const length = Math.round((sentence.length / total) * durationMs);
    out.push({ startMs: at, endMs: Math.min(durationMs, at + length), speaker: null, text: sentence });
    at += length;
  }
  return out;
}

function readSegments(raw: unknown, withSpeaker: boolean, durationMs: number): ChunkSegment[] {
  if (!raw || typeof raw !== 'object') throw failure('transcribe_invalid', MESSAGES.invalid, true, 'response is not an object');
  const body = raw as { text?: unknown; segments?: unknown };
  if (!Array.isArray(body.segments)) {
    // A compatible server may omit segments: one segment for the whole chunk.
    if (typeof body.text !== 'string') throw failure('transcribe_invalid', MESSAGES.invalid, true, 'response has neither segments nor text');
    return body.text.trim() ? [{ startMs: 0, endMs: durationMs, speaker: null, text: body.text.trim() }] : [];
  }
  const out: ChunkSegment[] = [];
  for (const item of body.segments as unknown[]) {
    const s = (item ?? {}) as { start?: unknown; end?: unknown; text?: unknown; speaker?: unknown };
    const startMs = seconds(s.start);
    const endMs = seconds(s.end);
    if (startMs === null || endMs === null || typeof s.text !== 'string') continue;
    const text = s.text.trim();
    if (!text) continue;
    out.push({ startMs, endMs: Math.max(startMs, endMs), speaker: withSpeaker && typeof s.speaker === 'string' && s.speaker ? s.speaker : null, text });
  }
  return out;
}

export function createTranscriptionProvider(settings: Config['transcription'], options: { log?: Logger } = {}): TranscriptionProvider {
  if (!settings.apiKey) throw new Error('createTranscriptionProvider needs a transcription API key');
  const client = new OpenAI({
    apiKey: settings.apiKey,
    // Explicit, so the SDK never reads OPENAI_BASE_URL from the environment itself.
    baseURL: settings.baseUrl ?? DEFAULT_BASE_URL,
    timeout: settings.timeoutMs,
    maxRetries: settings.maxRetries,
  });
  const model = settings.model;
  const style = responseStyleFor(model);

  return {
    model,
    diarizes: style === 'diarized',
    async transcribe(request) {
      const { signal } = request;
      signal.throwIfAborted();
      const log = (options.log ?? logger()).child({ component: 'transcription.openai', model });
      const language = request.language === 'auto' ? undefined : request.language;
      const file = await OpenAI.toFile(fs.createReadStream(request.file), request.fileName, { type: 'audio/mpeg' });
      const started = performance.now();
      let raw: unknown;
      try {
        if (style === 'diarized') {
          raw = await client.audio.transcriptions.create(
            // Over 30 s of audio the diarizing model needs a chunking strategy.
            { file, model, language, response_format: 'diarized_json', chunking_strategy: 'auto' },
            { signal },
          );
        } else if (style === 'text') {
          raw = await client.audio.transcriptions.create({ file, model, language, response_format: 'json' }, { signal });
        } else {
          raw = await client.audio.transcriptions.create({ file, model, language, response_format: 'verbose_json', timestamp_granularities: ['segment'] }, { signal });
        }
      } catch (error) {
        const durationMs = Math.round(performance.now() - started);
        if (signal.aborted) throw signal.reason;
        const mapped = mapTranscriptionError(error);
        log.warn({ durationMs, status: error instanceof OpenAI.APIError ? error.status : undefined, failure: mapped?.code ?? 'unexpected' }, 'transcription request failed');
        throw mapped ?? error;
      }
      log.info({ durationMs: Math.round(performance.now() - started), audioMs: request.durationMs, status: 200 }, 'transcription chunk completed');
      if (style === 'text') {
        const text = (raw as { text?: unknown } | null)?.text;
        if (typeof text !== 'string') throw failure('transcribe_invalid', MESSAGES.invalid, true, 'json response without text');
        return { segments: estimateSegments(text, request.durationMs), timing: 'estimated' };
      }
      const segments = readSegments(raw, style === 'diarized' && request.mode === 'conversation', request.durationMs);
      const hasTimes = Array.isArray((raw as { segments?: unknown }).segments);
      return { segments, timing: hasTimes ? 'provider' : 'estimated' };
    },
  };
}
