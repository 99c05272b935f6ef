// OCR with tesseract.js and the English model shipped in @tesseract.js-data/eng,
// fully offline: the model is read from node_modules and never cached to or
// fetched from anywhere else. One worker per process, created on first use and
// fed one image at a time (a worker runs one recognition at a time anyway, and
// each holds ~100 MB of model in memory).
import { createRequire } from 'node:module';
import path from 'node:path';
import { createWorker, OEM, type Worker } from 'tesseract.js';

let worker: Promise<Worker> | null = null;
let queue: Promise<unknown> = Promise.resolve();

function modelDir(): string {
  const require = createRequire(import.meta.url);
  // The "best_int" LSTM model: what tesseract.js itself picks for LSTM-only mode.
  return path.join(path.dirname(require.resolve('@tesseract.js-data/eng/package.json')), '4.0.0_best_int');
}

function getWorker(): Promise<Worker> {
  worker ??= createWorker('eng', OEM.LSTM_ONLY, {
    langPath: modelDir(),
    gzip: true,
    // 'none' = never read or write a cached copy: the model always comes from langPath.
    cacheMethod: 'none',
    // Without a handler tesseract.js rethrows a failed job (an unreadable image) as
    // an uncaught exception; the job's own promise already rejects with it.
    errorHandler: () => undefined,
  }).catch((error: unknown) => {
    worker = null;
    throw error;
  });
  return worker;
}

/** Recognises the text of one image (PNG, JPEG, WebP, BMP or PBM bytes). Calls are serialized. */
export function recognize(image: Uint8Array): Promise<string> {
  const run = queue.then(async () => {
    const w = await getWorker();
    const { data } = await w.recognize(Buffer.from(image.buffer, image.byteOffset, image.byteLength));
    return data.text;
  });
  // The next call waits for this one whether it succeeded or not.
  queue = run.catch(() => undefined);
  return run;
}

/** Stops the OCR worker (process shutdown, end of a test file). The next recognize() starts a new one. */
export async function shutdownOcr(): Promise<void> {
  await queue;
  const current = worker;
  worker = null;
  if (!current) return;
  await (await current.catch(() => null))?.terminate();
}
