// What a member submits to start a transcription, and the transcript's shape.
// Client-safe (zod only) so the recorder and the editor validate with the same rules.
import { z } from 'zod';
import { idempotencyKeyField, titleField } from './job-input';

export const TRANSCRIPTION_MODES = ['dictation', 'conversation'] as const;
export type TranscriptionMode = (typeof TRANSCRIPTION_MODES)[number];

export const TRANSCRIPTION_LANGUAGES = ['auto', 'en', 'pt', 'es', 'fr'] as const;
export type TranscriptionLanguage = (typeof TRANSCRIPTION_LANGUAGES)[number];

/** Up to this many speakers are labelled ("Speaker 1" … "Speaker 4"); DOMAIN.md. */
export const MAX_SPEAKERS = 4;

export const submitTranscriptionSchema = z.object({
  uploadId: z.uuid({ message: 'Record or choose an audio file to transcribe.' }),
  mode: z.enum(TRANSCRIPTION_MODES, { message: 'Choose dictation or exam conversation.' }),
  language: z.enum(TRANSCRIPTION_LANGUAGES, { message: 'Choose a language, or "Detect automatically".' }).default('auto'),
  title: titleField,
  idempotencyKey: idempotencyKeyField,
});

export type SubmitTranscriptionInput = z.input<typeof submitTranscriptionSchema>;
export type SubmitTranscription = z.output<typeof submitTranscriptionSchema>;

export interface TranscriptSegment {
  startMs: number;
  endMs: number;
  /** "Speaker 1" … "Speaker 4" when the model diarizes; null for a single-speaker transcript. */
  speaker: string | null;
  text: string;
}

/** A segment's text may be edited down to empty (then dropped); a transcript has a sane length. */
export const MAX_TRANSCRIPT_SEGMENTS = 20_000;
export const MAX_SEGMENT_CHARS = 20_000;

export const transcriptSegmentSchema = z.object({
  startMs: z.number().int().min(0),
  endMs: z.number().int().min(0),
  speaker: z.string().trim().min(1).max(40).nullable(),
  text: z.string().max(MAX_SEGMENT_CHARS, { message: `Keep each passage to ${MAX_SEGMENT_CHARS.toLocaleString('en-US')} characters or fewer.` }),
});

export const saveTranscriptSchema = z.object({
  baseVersion: z.number({ message: 'The editor lost track of the version; reload the page.' }).int().min(1),
  segments: z
    .array(transcriptSegmentSchema)
    .max(MAX_TRANSCRIPT_SEGMENTS, { message: 'The transcript has too many passages to save.' }),
});

/** The transcript as plain text: "Speaker 1: …" lines when labelled, else paragraphs. */
export function transcriptText(segments: readonly TranscriptSegment[]): string {
  const lines: string[] = [];
  for (const segment of segments) {
    const text = segment.text.trim();
    if (!text) continue;
    lines.push(segment.speaker ? `${segment.speaker}: ${text}` : text);
  }
  return lines.join('\n');
}
