// Where to cut a long recording: at the silence nearest to each multiple of the
// target chunk length, so no word is cut in half; straight at the target only
// when there is no silence within a quarter of a chunk either side.

import type { Silence } from './ffmpeg';

export interface ChunkPlan {
  index: number;
  startMs: number;
  endMs: number;
}

/** The provider's request limit is 25 MB; cut well below it. */
export const PROVIDER_MAX_BYTES = 25 * 1024 * 1024;
export const SPLIT_ABOVE_BYTES = 24 * 1024 * 1024;
/** gpt-4o-transcribe takes at most 1500 s of audio per request. */
export const MAX_CHUNK_MS = 1_400_000;

export function planChunks(
  durationMs: number,
  silences: readonly Silence[],
  options: { targetMs: number; byteSize: number; maxBytes?: number },
): ChunkPlan[] {
  const maxBytes = options.maxBytes ?? SPLIT_ABOVE_BYTES;
  // A chunk of the target length must also stay under the byte limit at this file's bitrate.
  const bytesPerMs = durationMs > 0 ? options.byteSize / durationMs : 0;
  const byBytes = bytesPerMs > 0 ? Math.floor((maxBytes * 0.9) / bytesPerMs) : Number.POSITIVE_INFINITY;
  const target = Math.max(1_000, Math.min(options.targetMs, byBytes, MAX_CHUNK_MS));
  if (durationMs <= target && options.byteSize <= maxBytes) return [{ index: 0, startMs: 0, endMs: durationMs }];

  const window = target / 4;
  const chunks: ChunkPlan[] = [];
  let start = 0;
  while (durationMs - start > target) {
    const ideal = start + target;
    // Never longer than target + window (still under both limits), never shorter than target - window.
    const low = ideal - window;
    const high = Math.min(ideal + window, start + Math.min(MAX_CHUNK_MS, byBytes));
    let best: number | null = null;
    for (const silence of silences) {
      const middle = Math.round((silence.startMs + silence.endMs) / 2);
      if (middle <= low || middle >= high) continue;
      if (best === null || Math.abs(middle - ideal) < Math.abs(best - ideal)) best = middle;
    }
    const cut = best ?? ideal;
    chunks.push({ index: chunks.length, startMs: start, endMs: cut });
    start = cut;
  }
  chunks.push({ index: chunks.length, startMs: start, endMs: durationMs });
  return chunks;
}
