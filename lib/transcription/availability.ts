// Whether this deployment can transcribe: a provider key and the ffmpeg tools.
// The reason names what an administrator must configure (variables, never values).
import { getConfig } from '@/lib/config';
import { missingToolMessage, toolPath } from './ffmpeg';

export const NO_PROVIDER_MESSAGE =
  'Transcription is not set up on this server. An administrator must set OPENAI_API_KEY, or OPENAI_TRANSCRIBE_API_KEY (with OPENAI_TRANSCRIBE_BASE_URL for an OpenAI-compatible server such as a local Whisper).';

export function transcriptionAvailability(): { available: boolean; reason: string | null } {
  if (!getConfig().transcription.apiKey) return { available: false, reason: NO_PROVIDER_MESSAGE };
  if (!toolPath('ffprobe')) return { available: false, reason: missingToolMessage('ffprobe') };
  if (!toolPath('ffmpeg')) return { available: false, reason: missingToolMessage('ffmpeg') };
  return { available: true, reason: null };
}
