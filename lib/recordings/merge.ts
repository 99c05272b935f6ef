// A recording resumed after a closed tab holds two or more MediaRecorder
// streams back to back, each with its own container header; players and
// ffprobe stop at the second header. Such a recording is joined into one file
// with ffmpeg (decoded and re-encoded as Opus in the same container). A
// recording made in one go is simply concatenated, without ffmpeg.
import 'server-only';
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { getConfig } from '@/lib/config';
import type { RecordingContentType } from './limits';

const EBML_MAGIC = [0x1a, 0x45, 0xdf, 0xa3];

/** True when a chunk opens a new stream: a WebM EBML header, or an Ogg page with the beginning-of-stream flag. */
export function startsStream(head: Uint8Array, contentType: RecordingContentType): boolean {
  if (contentType === 'audio/webm') return EBML_MAGIC.every((byte, i) => head[i] === byte);
  // "OggS", version 0, then the header type byte whose bit 1 marks the first page of a stream.
  return head.length > 5 && head[0] === 0x4f && head[1] === 0x67 && head[2] === 0x67 && head[3] === 0x53 && (head[5]! & 0x02) !== 0;
}

function ffmpegPath(): string {
  const configured = getConfig().transcription.ffmpegPath;
  if (configured) return configured;
  // Resolved at run time so bundlers leave the platform binary package alone.
  const load = createRequire(path.join(process.cwd(), 'package.json'));
  return (load('@ffmpeg-installer/ffmpeg') as { path: string }).path;
}

function runFfmpeg(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpegPath(), args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let tail = '';
    child.stderr.on('data', (data: Buffer) => {
      // Only the last lines matter for a failure; they name codecs, never content.
      tail = (tail + data.toString('utf8')).slice(-2000);
    });
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`ffmpeg exited with ${code}: ${tail.split('\n').slice(-3).join(' ')}`));
    });
  });
}

/**
 * Joins the streams (each an async source of its chunks' bytes) into one file
 * in a private temporary directory; the caller reads it and calls `cleanup`.
 */
export async function joinStreams(
  streams: readonly (() => Readable)[],
  contentType: RecordingContentType,
): Promise<{ file: string; cleanup: () => Promise<void> }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'maneiro-recording-'));
  const cleanup = () => fs.rm(dir, { recursive: true, force: true });
  try {
    const extension = contentType === 'audio/webm' ? 'webm' : 'ogg';
    const inputs: string[] = [];
    for (const [i, open] of streams.entries()) {
      const file = path.join(dir, `part-${i}.${extension}`);
      await pipeline(open(), createWriteStream(file, { mode: 0o600 }));
      inputs.push(file);
    }
    const output = path.join(dir, `joined.${extension}`);
    const filter = `${inputs.map((_, i) => `[${i}:a]`).join('')}concat=n=${inputs.length}:v=0:a=1[out]`;
    await runFfmpeg([
      '-hide_banner',
      '-loglevel',
      'error',
      '-nostdin',
      ...inputs.flatMap((file) => ['-i', file]),
      '-filter_complex',
      filter,
      '-map',
      '[out]',
      '-c:a',
      'libopus',
      '-b:a',
      '48k',
      '-f',
      extension,
      output,
    ]);
    return { file: output, cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
