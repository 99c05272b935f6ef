// Letter PDF benchmark: renders per second of a two-page referral letter with a
// PNG logo and signature (lib/pdf/letter-pdf.tsx, fonts embedded), once warm and
// once in a fresh process (import, font loading and the first render). Each figure
// comes from its own child process (./pdf-cold.ts), which keeps this process free
// of the renderer's 'server-only' import. Rates only: nothing here asserts a time.
// Standalone:  npx tsx tests/bench/pdf.ts
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { PdfChildResult } from './pdf-cold';

const CHILD = fileURLToPath(new URL('./pdf-cold.ts', import.meta.url));
const ROOT = path.resolve(path.dirname(CHILD), '..', '..');
/** A child that has not answered by then is stuck, not slow. */
const CHILD_TIMEOUT_MS = 120_000;

function runChild(mode: 'cold' | 'warm'): Promise<PdfChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, mode], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'silent' },
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !line) {
        reject(new Error(`PDF benchmark child (${mode}) exited with ${signal ?? `code ${code}`}`));
        return;
      }
      resolve(JSON.parse(line) as PdfChildResult);
    });
  });
}

export async function benchPdf(): Promise<{ warmRendersPerSecond: number; coldFirstRenderMs: number; pageCount: number }> {
  console.log('Letter PDF (react-pdf, Geist embedded; a two-page referral with PNG logo and signature)');
  const cold = await runChild('cold');
  const coldFirstRenderMs = cold.importMs + cold.firstRenderMs;
  console.log(
    `  first render in a fresh process           ${coldFirstRenderMs.toFixed(0).padStart(6)} ms  (import ${cold.importMs.toFixed(0)} ms + render ${cold.firstRenderMs.toFixed(0)} ms)`,
  );
  const warm = await runChild('warm');
  const warmRendersPerSecond = warm.renders / warm.seconds;
  console.log(
    `  warm renders                              ${warmRendersPerSecond.toFixed(2).padStart(6)} /s  (${((warm.seconds / warm.renders) * 1000).toFixed(0)} ms each, ${warm.renders} renders, ${warm.pageCount} pages, ${(warm.bytes / 1024).toFixed(0)} KiB)`,
  );
  console.log('');
  return { warmRendersPerSecond, coldFirstRenderMs, pageCount: warm.pageCount };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchPdf();
}
