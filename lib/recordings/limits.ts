// Client-safe rules of browser recordings, shared by the recorder and the API.

/** Containers MediaRecorder produces that the transcription pipeline reads. */
export const RECORDING_CONTENT_TYPES = ['audio/webm', 'audio/ogg'] as const;
export type RecordingContentType = (typeof RECORDING_CONTENT_TYPES)[number];

/** The recorder asks MediaRecorder for a chunk this often, and uploads each as it comes. */
export const RECORDING_TIMESLICE_MS = 5_000;

/** One chunk of a few seconds of Opus is tens of kilobytes; this leaves room for any codec. */
export const RECORDING_CHUNK_MAX_BYTES = 8 * 1024 * 1024;

/** About 14 hours at 5 s per chunk; the plan's upload size is usually the tighter limit. */
export const RECORDING_MAX_CHUNKS = 10_000;

/**
 * "audio/webm;codecs=opus" → "audio/webm"; null for anything the pipeline does
 * not take (video containers, mp4 from Safari is uploaded as a file instead).
 */
export function recordingContentType(mimeType: string | null | undefined): RecordingContentType | null {
  const base = (mimeType ?? '').split(';')[0]!.trim().toLowerCase();
  return RECORDING_CONTENT_TYPES.find((t) => t === base) ?? null;
}
