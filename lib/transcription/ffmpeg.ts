// ffmpeg and ffprobe as child processes: the binaries (FFMPEG_PATH / FFPROBE_PATH,
// else the ones npm installed), a runner that streams output instead of holding
// it, and the few probes transcription needs. Arguments are arrays (no shell);
// file names are temp paths we generate, never a member's file name. Nothing the
// tools print is logged or shown: it can quote metadata from the recording.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { getConfig } from '@/lib/config';
import { AppError } from '@/lib/errors';

type Tool = 'ffmpeg' | 'ffprobe';

const INSTALLER: Record<Tool, string> = { ffmpeg: '@ffmpeg-installer/ffmpeg', ffprobe: '@ffprobe-installer/ffprobe' };
const VARIABLE: Record<Tool, string> = { ffmpeg: 'FFMPEG_PATH', ffprobe: 'FFPROBE_PATH' };

const resolved = new Map<string, string | null>();

/**
 * The binary's path, or null when none is configured or installed. The installer
 * packages are required at run time from the app's own node_modules (not bundled:
 * they locate the binary relative to their own folder).
 */
export function toolPath(tool: Tool): string | null {
  const settings = getConfig().transcription;
  const configured = tool === 'ffmpeg' ? settings.ffmpegPath : settings.ffprobePath;
  const cacheKey = `${tool}:${configured ?? ''}`;
  const cached = resolved.get(cacheKey);
  if (cached !== undefined) return cached;
  let found: string | null = null;
  if (configured) {
    found = isExecutable(configured) ? configured : null;
  } else {
    try {
      const load = createRequire(path.join(process.cwd(), 'package.json'));
      const installed = (load(INSTALLER[tool]) as { path?: unknown }).path;
      found = typeof installed === 'string' && isExecutable(installed) ? installed : null;
    } catch {
      found = null;
    }
  }
  resolved.set(cacheKey, found);
  return found;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** What an administrator must do when a binary is missing (names variables, never paths). */
export function missingToolMessage(tool: Tool): string {
  return `${tool} is not available on this server. Install the app's npm dependencies (${INSTALLER[tool]}) or set ${VARIABLE[tool]} to an ${tool} binary.`;
}

export function requireTool(tool: Tool): string {
  const found = toolPath(tool);
  if (!found) throw new AppError('unavailable', { message: `${tool} binary not found`, userMessage: missingToolMessage(tool) });
  return found;
}

export class ToolFailed extends Error {
  constructor(
    readonly tool: Tool,
    readonly exitCode: number | null,
    /** The last lines of stderr: for tests and local debugging, never logged (may quote file metadata). */
    readonly stderrTail: string,
  ) {
    super(`${tool} exited with ${exitCode ?? 'a signal'}`);
    this.name = 'ToolFailed';
  }
}

export interface RunOptions {
  signal?: AbortSignal;
  /** Each stdout line, as it arrives (stdout is not kept). */
  onStdoutLine?: (line: string) => void;
  /** Each stderr line, as it arrives (the last few are kept for ToolFailed). */
  onStderrLine?: (line: string) => void;
  /** Called with the child once spawned (the benchmark samples its memory). */
  onSpawn?: (child: ChildProcess) => void;
}

const STDERR_TAIL_LINES = 12;

function lineSplitter(onLine: (line: string) => void): { push: (chunk: Buffer) => void; end: () => void } {
  let pending = '';
  return {
    push(chunk) {
      pending += chunk.toString('utf8');
      let at = pending.search(/[\r\n]/);
      while (at !== -1) {
        const line = pending.slice(0, at);
        pending = pending.slice(at + 1);
        if (line) onLine(line);
        at = pending.search(/[\r\n]/);
      }
    },
    end() {
      if (pending) onLine(pending);
      pending = '';
    },
  };
}

/** Runs a tool to completion; rejects with ToolFailed on a non-zero exit, or the signal's reason when aborted. */
export function runTool(tool: Tool, args: readonly string[], options: RunOptions = {}): Promise<void> {
  const binary = requireTool(tool);
  const { signal } = options;
  signal?.throwIfAborted();
  return new Promise((resolve, reject) => {
    // -nostdin is ffmpeg's alone (ffprobe refuses it); stdin is closed for both anyway.
    const child = spawn(binary, ['-hide_banner', ...(tool === 'ffmpeg' ? ['-nostdin'] : []), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    options.onSpawn?.(child);
    const tail: string[] = [];
    const out = lineSplitter((line) => options.onStdoutLine?.(line));
    const err = lineSplitter((line) => {
      options.onStderrLine?.(line);
      tail.push(line);
      if (tail.length > STDERR_TAIL_LINES) tail.shift();
    });
    child.stdout.on('data', out.push);
    child.stderr.on('data', err.push);
    const onAbort = () => child.kill('SIGKILL');
    signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (error) => {
      signal?.removeEventListener('abort', onAbort);
      reject(error);
    });
    child.on('close', (code) => {
      signal?.removeEventListener('abort', onAbort);
      out.end();
      err.end();
      if (signal?.aborted) reject(signal.reason);
      else if (code === 0) resolve();
      else reject(new ToolFailed(tool, code, tail.join('\n')));
    });
  });
}

/**
 * The recording's duration in milliseconds, or null when ffprobe cannot read an
 * audio stream from the file. Recordings from MediaRecorder (webm) carry no
 * duration in their header, so those are measured from their last packet.
 */
export async function probeDurationMs(file: string, signal?: AbortSignal): Promise<number | null> {
  let header: number | null = null;
  let hasAudio = false;
  try {
    const lines: string[] = [];
    await runTool('ffprobe', ['-v', 'error', '-select_streams', 'a:0', '-show_entries', 'stream=codec_type:format=duration', '-of', 'default=noprint_wrappers=1', file], {
      signal,
      onStdoutLine: (line) => lines.push(line),
    });
    for (const line of lines) {
      const [key, value] = line.split('=');
      if (key === 'codec_type' && value === 'audio') hasAudio = true;
      if (key === 'duration' && value && value !== 'N/A' && Number.isFinite(Number(value))) header = Number(value);
    }
  } catch (error) {
    if (error instanceof ToolFailed) return null;
    throw error;
  }
  if (!hasAudio) return null;
  if (header !== null && header > 0) return Math.round(header * 1000);
  // No duration in the header: the end of the last audio packet (streamed, only the maximum is kept).
  let end = 0;
  try {
    await runTool('ffprobe', ['-v', 'error', '-select_streams', 'a:0', '-show_entries', 'packet=pts_time,duration_time', '-of', 'csv=p=0', file], {
      signal,
      onStdoutLine: (line) => {
        const [pts, duration] = line.split(',');
        const start = Number(pts);
        const length = Number(duration);
        if (Number.isFinite(start)) end = Math.max(end, start + (Number.isFinite(length) ? length : 0));
      },
    });
  } catch (error) {
    if (error instanceof ToolFailed) return null;
    throw error;
  }
  return end > 0 ? Math.round(end * 1000) : null;
}

/** A silence found by silencedetect, in milliseconds from the start. */
export interface Silence {
  startMs: number;
  endMs: number;
}

/** Options of the normalised file sent to the provider: mono 16 kHz speech, small but clear. */
export const NORMALISED = { extension: 'mp3', sampleRate: 16_000, bitrate: '48k', contentType: 'audio/mpeg' } as const;

/** Silences at least this long (seconds) and this quiet count as places to cut. */
const SILENCE_MIN_SECONDS = 0.4;
const SILENCE_NOISE = '-35dB';

/**
 * Converts any supported recording to mono 16 kHz MP3 (48 kbit/s: about 21 MB
 * an hour) and, in the same pass, lists its silences. MP3 is cut on frame
 * boundaries with stream copy, so chunks are made without re-encoding.
 */
export async function normaliseAudio(input: string, output: string, options: RunOptions = {}): Promise<Silence[]> {
  const silences: Silence[] = [];
  let openStart: number | null = null;
  await runTool(
    'ffmpeg',
    [
      '-v', 'info', '-nostats', '-y', '-i', input,
      '-vn', '-map_metadata', '-1', '-ac', '1', '-ar', String(NORMALISED.sampleRate),
      '-af', `silencedetect=noise=${SILENCE_NOISE}:d=${SILENCE_MIN_SECONDS}`,
      '-c:a', 'libmp3lame', '-b:a', NORMALISED.bitrate, '-f', 'mp3', output,
    ],
    {
      ...options,
      onStderrLine: (line) => {
        options.onStderrLine?.(line);
        const start = /silence_start: (-?[\d.]+)/.exec(line);
        if (start) openStart = Math.max(0, Math.round(Number(start[1]) * 1000));
        const end = /silence_end: ([\d.]+)/.exec(line);
        if (end && openStart !== null) {
          silences.push({ startMs: openStart, endMs: Math.round(Number(end[1]) * 1000) });
          openStart = null;
        }
      },
    },
  );
  return silences;
}

/** Copies [startMs, endMs) of an MP3 into its own file (stream copy: fast, no quality loss). */
export async function cutAudio(input: string, output: string, startMs: number, endMs: number, options: RunOptions = {}): Promise<void> {
  await runTool(
    'ffmpeg',
    ['-v', 'error', '-y', '-ss', (startMs / 1000).toFixed(3), '-i', input, '-t', ((endMs - startMs) / 1000).toFixed(3), '-c', 'copy', '-f', 'mp3', output],
    options,
  );
}
