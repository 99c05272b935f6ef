// Audio splitting benchmark: a 60-minute recording (speech-like tone bursts
// separated by pauses, Opus in WebM as MediaRecorder makes it) generated with
// ffmpeg, then the transcription worker's preparation run on it: normalise to
// mono 16 kHz MP3 while detecting silences, plan the chunks
// (TRANSCRIBE_CHUNK_SECONDS, default 600) and cut each one. Printed: seconds of
// audio processed per second of wall time, the Node process's idle and peak RSS
// while splitting (sampled every 20 ms), and each ffmpeg child's peak RSS
// (VmHWM from /proc/<pid>/status: the decoding happens there, not in Node).
// Standalone: npx tsx tests/bench/audio-split.ts
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getConfig } from '@/lib/config';
import { cutAudio, normaliseAudio, probeDurationMs, runTool } from '@/lib/transcription/ffmpeg';
import { planChunks } from '@/lib/transcription/split';

const MINUTES = 60;
const SAMPLE_MS = 20;
const MB = 1024 * 1024;

function childPeakKb(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0; // exited between samples, or no /proc (not Linux)
  }
}

export async function benchAudioSplit(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maneiro-bench-audio-'));
  try {
    const source = path.join(dir, 'recording.webm');
    const seconds = MINUTES * 60;
    const generated = performance.now();
    // Bursts of a 180 Hz voice-band tone with a syllable-rate tremolo, 5.8 s of every 7.3 s, at 48 kHz
    // Opus 32 kbit/s (sine + filters: far faster to generate than an evaluated expression).
    await runTool('ffmpeg', [
      '-v', 'error', '-y', '-f', 'lavfi',
      '-i', `sine=frequency=180:sample_rate=48000:duration=${seconds}`,
      '-af', `tremolo=f=4:d=0.5,volume=volume=0:enable='gte(mod(t\\,7.3)\\,5.8)'`,
      '-c:a', 'libopus', '-b:a', '32k', '-f', 'webm', source,
    ]);
    const sourceBytes = fs.statSync(source).size;
    console.log(`audio split: generated ${MINUTES} min recording (${(sourceBytes / MB).toFixed(1)} MB webm/opus) in ${((performance.now() - generated) / 1000).toFixed(1)} s`);

    const idleRss = process.memoryUsage().rss;
    let peakRss = idleRss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, SAMPLE_MS);
    const children: ChildProcess[] = [];
    let childPeak = 0;
    const childSampler = setInterval(() => {
      for (const child of children) if (child.exitCode === null) childPeak = Math.max(childPeak, childPeakKb(child.pid));
    }, SAMPLE_MS);
    const onSpawn = (child: ChildProcess) => {
      children.push(child);
      // Read once more at exit time is impossible (the /proc entry goes away); the 20 ms samples cover the run.
    };

    const started = performance.now();
    const durationMs = (await probeDurationMs(source)) ?? seconds * 1000;
    const probed = performance.now();
    const normalised = path.join(dir, 'normalised.mp3');
    const silences = await normaliseAudio(source, normalised, { onSpawn });
    const normalisedAt = performance.now();
    const plan = planChunks(durationMs, silences, { targetMs: getConfig().transcription.chunkSeconds * 1000, byteSize: fs.statSync(normalised).size });
    let largest = 0;
    for (const chunk of plan) {
      const file = path.join(dir, `chunk-${chunk.index}.mp3`);
      await cutAudio(normalised, file, chunk.startMs, chunk.endMs, { onSpawn });
      largest = Math.max(largest, fs.statSync(file).size);
      fs.rmSync(file);
    }
    const finished = performance.now();
    clearInterval(sampler);
    clearInterval(childSampler);

    const total = (finished - started) / 1000;
    const audioSeconds = durationMs / 1000;
    console.log(
      `audio split: ${audioSeconds.toFixed(0)} s of audio → ${plan.length} chunks (largest ${(largest / MB).toFixed(1)} MB; ${silences.length} silences found) in ${total.toFixed(1)} s: ` +
        `${(audioSeconds / total).toFixed(0)} s of audio per second ` +
        `(duration probe ${((probed - started) / 1000).toFixed(1)} s, normalise+silences ${((normalisedAt - probed) / 1000).toFixed(1)} s, cutting ${((finished - normalisedAt) / 1000).toFixed(1)} s)`,
    );
    console.log(
      `audio split: Node RSS idle ${(idleRss / MB).toFixed(0)} MB, peak ${(peakRss / MB).toFixed(0)} MB (+${((peakRss - idleRss) / MB).toFixed(1)} MB); ` +
        `ffmpeg child peak RSS ${(childPeak / 1024).toFixed(0)} MB; normalised file ${(fs.statSync(normalised).size / MB).toFixed(1)} MB`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  benchAudioSplit().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
