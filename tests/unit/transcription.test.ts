import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '@/lib/config';
import { labelSpeakers, offsetSegments } from '@/lib/jobs/transcription-handler';
import { submitTranscriptionSchema, transcriptText } from '@/lib/jobs/transcription-input';
import { estimateSegments, mapTranscriptionError, responseStyleFor } from '@/lib/transcription/openai';
import { planChunks } from '@/lib/transcription/split';

describe('planChunks', () => {
  it('keeps a short, small recording whole', () => {
    expect(planChunks(50_000, [], { targetMs: 600_000, byteSize: 1_000_000 })).toEqual([{ index: 0, startMs: 0, endMs: 50_000 }]);
  });

  it('cuts at the silence nearest each interval, and at the interval when no silence is near', () => {
    const silences = [
      { startMs: 17_000, endMs: 18_000 },
      { startMs: 21_000, endMs: 22_000 },
      { startMs: 80_000, endMs: 81_000 },
    ];
    const chunks = planChunks(70_000, silences, { targetMs: 20_000, byteSize: 500_000 });
    expect(chunks.map((c) => [c.startMs, c.endMs])).toEqual([
      [0, 21_500],
      [21_500, 41_500],
      [41_500, 61_500],
      [61_500, 70_000],
    ]);
  });

  it('shortens chunks of a high-bitrate file below the byte limit', () => {
    const chunks = planChunks(600_000, [], { targetMs: 600_000, byteSize: 60 * 1024 * 1024, maxBytes: 24 * 1024 * 1024 });
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    for (const c of chunks) expect(((c.endMs - c.startMs) / 600_000) * 60 * 1024 * 1024).toBeLessThan(24 * 1024 * 1024);
  });
});

describe('stitching', () => {
  it('shifts segments to the recording clock and keeps them inside their chunk, in order', () => {
    const out = offsetSegments(
      [
        { startMs: 0, endMs: 4_000, speaker: null, text: 'a' },
        { startMs: 3_000, endMs: 9_000, speaker: null, text: 'b' },
        { startMs: 9_500, endMs: 12_000, speaker: null, text: 'c' },
      ],
      { startMs: 20_000, endMs: 30_000 },
    );
    expect(out.map((s) => [s.startMs, s.endMs])).toEqual([
      [20_000, 24_000],
      [23_000, 29_000],
      [29_500, 30_000],
    ]);
  });

  it('numbers speakers by first appearance', () => {
    const { segments, diarized } = labelSpeakers([
      { startMs: 0, endMs: 1, speaker: 'B', text: 'x' },
      { startMs: 1, endMs: 2, speaker: 'A', text: 'y' },
      { startMs: 2, endMs: 3, speaker: 'B', text: 'z' },
    ]);
    expect(diarized).toBe(true);
    expect(segments.map((s) => s.speaker)).toEqual(['Speaker 1', 'Speaker 2', 'Speaker 1']);
    expect(labelSpeakers([{ startMs: 0, endMs: 1, speaker: null, text: 'x' }]).diarized).toBe(false);
  });

  it('writes "Speaker n:" lines, or plain lines for one speaker, dropping empty passages', () => {
    expect(transcriptText([{ startMs: 0, endMs: 1, speaker: 'Speaker 1', text: ' Hello. ' }, { startMs: 1, endMs: 2, speaker: 'Speaker 2', text: '' }])).toBe('Speaker 1: Hello.');
    expect(transcriptText([{ startMs: 0, endMs: 1, speaker: null, text: 'One.' }, { startMs: 1, endMs: 2, speaker: null, text: 'Two.' }])).toBe('One.\nTwo.');
  });

  it('spreads text-only output over the chunk by sentence length', () => {
    const out = estimateSegments('Short one. A much longer second sentence here.', 10_000);
    expect(out).toHaveLength(2);
    expect(out[0]!.startMs).toBe(0);
    expect(out[1]!.startMs).toBe(out[0]!.endMs);
    expect(out[1]!.endMs).toBeLessThanOrEqual(10_000);
    expect(out[1]!.endMs - out[1]!.startMs).toBeGreaterThan(out[0]!.endMs - out[0]!.startMs);
  });
});

describe('the provider', () => {
  it('picks the response format from the model', () => {
    expect(responseStyleFor('gpt-4o-transcribe-diarize')).toBe('diarized');
    expect(responseStyleFor('gpt-4o-transcribe')).toBe('text');
    expect(responseStyleFor('gpt-4o-mini-transcribe')).toBe('text');
    expect(responseStyleFor('whisper-1')).toBe('segments');
    expect(responseStyleFor('Systran/faster-whisper-large-v3')).toBe('segments');
  });

  it('maps provider errors to messages that say what to fix, and whether a retry helps', () => {
    const error = (status: number, code?: string) => OpenAI.APIError.generate(status, { error: { message: 'x', code } }, undefined, new Headers());
    expect(mapTranscriptionError(error(401))).toMatchObject({ code: 'transcribe_auth_failed', retryable: false, userMessage: expect.stringMatching(/OPENAI_TRANSCRIBE_API_KEY/) });
    expect(mapTranscriptionError(error(404))).toMatchObject({ code: 'transcribe_model_not_found', userMessage: expect.stringMatching(/OPENAI_TRANSCRIBE_MODEL/) });
    expect(mapTranscriptionError(error(429))).toMatchObject({ code: 'transcribe_rate_limited', retryable: true });
    expect(mapTranscriptionError(error(429, 'insufficient_quota'))).toMatchObject({ code: 'transcribe_quota_exhausted', retryable: false });
    expect(mapTranscriptionError(error(503))).toMatchObject({ code: 'transcribe_unavailable', retryable: true });
    expect(mapTranscriptionError(error(413))).toMatchObject({ code: 'transcribe_too_large', retryable: false });
    expect(mapTranscriptionError(new Error('other'))).toBeNull();
  });
});

describe('settings and input', () => {
  it('falls back to the analysis endpoint and key, and lets transcription use its own', () => {
    const shared = parseConfig({ OPENAI_API_KEY: 'sk-a', OPENAI_BASE_URL: 'https://llm.example.com/v1' }).transcription;
    expect(shared).toMatchObject({ apiKey: 'sk-a', baseUrl: 'https://llm.example.com/v1', model: 'gpt-4o-transcribe', chunkSeconds: 600, timeoutMs: 300_000 });
    const own = parseConfig({ OPENAI_API_KEY: 'sk-a', OPENAI_TRANSCRIBE_API_KEY: 'local', OPENAI_TRANSCRIBE_BASE_URL: 'http://whisper:8000/v1', TRANSCRIBE_CHUNK_SECONDS: '300' }).transcription;
    expect(own).toMatchObject({ apiKey: 'local', baseUrl: 'http://whisper:8000/v1', chunkSeconds: 300 });
    expect(parseConfig({}).transcription.apiKey).toBeUndefined();
  });

  it('validates a submission', () => {
    const ok = submitTranscriptionSchema.parse({ uploadId: '7b0c1a7e-1f0e-4a53-9a55-3c2b1d9e8f70', mode: 'conversation', idempotencyKey: 'abcdefgh', title: '  ' });
    expect(ok).toMatchObject({ language: 'auto', title: undefined });
    expect(submitTranscriptionSchema.safeParse({ uploadId: 'nope', mode: 'dictation', idempotencyKey: 'abcdefgh' }).success).toBe(false);
    expect(submitTranscriptionSchema.safeParse({ uploadId: '7b0c1a7e-1f0e-4a53-9a55-3c2b1d9e8f70', mode: 'lecture', idempotencyKey: 'abcdefgh' }).success).toBe(false);
  });
});
