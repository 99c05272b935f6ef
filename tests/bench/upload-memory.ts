// Upload memory benchmark: a 200 MB file streamed through the upload code path
// (multipart parsing, kind detection, hashing, size checks, local storage, the
// Upload row), with the process's resident memory sampled every 20 ms. Printed:
// idle RSS, peak RSS during the upload, the difference, and the difference as a
// share of the file size (streaming keeps it a small, constant amount; a
// buffering implementation would need at least the file size), plus throughput.
//
// The code path imports 'server-only', so the measurement runs in a child
// process under the react-server condition (also keeping the parent's memory
// out of the numbers). No plan allows 200 MB, so the child raises the
// Enterprise limit in its own copy of the plan table. Standalone (on
// DATABASE_URL's server, or 127.0.0.1:5432):
//   npx tsx tests/bench/upload-memory.ts
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { migrate } from '@/lib/db/migrations';
import { admin, assertLocal } from './scratch-database';

const CHILD_FLAG = 'MANEIRO_BENCH_UPLOAD_CHILD';
const MB = 1024 * 1024;
const FILE_BYTES = 200 * MB;
const CHUNK_BYTES = 64 * 1024;
const SAMPLE_MS = 20;

/** Runs the benchmark on a scratch database created on `serverUrl`'s server, dropped afterwards. */
export async function benchUploadMemory(serverUrl: string): Promise<void> {
  assertLocal(serverUrl);
  const name = `maneiro_bench_upload_${randomBytes(4).toString('hex')}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'maneiro-bench-upload-'));
  await admin(serverUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  try {
    await migrate({ connectionString: url.toString() });
    const child = spawn(process.execPath, ['--conditions=react-server', '--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url)], {
      stdio: 'inherit',
      env: { ...process.env, [CHILD_FLAG]: '1', DATABASE_URL: url.toString(), DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`upload memory benchmark exited with code ${code}`);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
    await admin(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
}

/** A multipart body of `size` bytes of "PDF", produced chunk by chunk from one reused random block. */
function multipartBody(size: number): { body: ReadableStream<Uint8Array>; contentType: string; length: number } {
  const boundary = `----maneirobench${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  // Random bytes can contain the boundary only with negligible probability; a fresh block per run keeps the hash unique.
  const block = randomBytes(MB);
  let remaining = size - '%PDF-1.7\n'.length;
  let sentHead = false;
  let sentTail = false;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (!sentHead) {
        sentHead = true;
        controller.enqueue(new Uint8Array(head));
      } else if (remaining > 0) {
        const n = Math.min(CHUNK_BYTES, remaining);
        const offset = (size - remaining) % (MB - CHUNK_BYTES);
        controller.enqueue(new Uint8Array(block.buffer, block.byteOffset + offset, n).slice());
        remaining -= n;
      } else if (!sentTail) {
        sentTail = true;
        controller.enqueue(new Uint8Array(tail));
      } else {
        controller.close();
      }
    },
  });
  return { body, contentType: `multipart/form-data; boundary=${boundary}`, length: head.length + size - '%PDF-1.7\n'.length + tail.length };
}

/** The measurement itself (in the child). */
async function measure(): Promise<void> {
  const { setEnvironment } = await import('@/lib/config');
  setEnvironment({ DEFAULT_PLAN: 'enterprise' });
  const { PLANS } = await import('@/lib/billing/plans');
  PLANS.enterprise.maxUploadBytes = FILE_BYTES + MB;
  const { db, disconnectDb } = await import('@/lib/db/client');
  const { receiveUpload } = await import('@/lib/uploads');

  const organization = await db().organization.create({ data: { name: 'Bench clinic', slug: `bench-${randomBytes(4).toString('hex')}`, planOverride: 'enterprise' } });
  const user = await db().user.create({ data: { email: `bench-${randomBytes(4).toString('hex')}@example.test`, name: 'Bench' } });
  await db().membership.create({ data: { organizationId: organization.id, userId: user.id, role: 'clinician' } });
  const actor = { userId: user.id, organizationId: organization.id, role: 'clinician' as const };

  async function upload(size: number): Promise<void> {
    const { body, contentType, length } = multipartBody(size);
    const headers = new Headers({ 'content-type': contentType, 'content-length': String(length) });
    await receiveUpload(db(), { actor, headers, body });
  }

  // Warm-up: every module loaded, the pool connected, the JIT warm.
  await upload(4 * MB);
  const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;
  console.log(`Upload memory (a file streamed through the upload path to local storage; RSS sampled every ${SAMPLE_MS} ms)`);
  // A smaller file first: the difference should not grow with the file size.
  for (const size of [FILE_BYTES / 4, FILE_BYTES]) {
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    await new Promise((r) => setTimeout(r, 500));
    const idleSamples: number[] = [];
    for (let i = 0; i < 25; i++) {
      idleSamples.push(process.memoryUsage().rss);
      await new Promise((r) => setTimeout(r, SAMPLE_MS));
    }
    const idle = idleSamples.reduce((a, b) => a + b, 0) / idleSamples.length;

    let peak = idle;
    let peakBuffers = 0;
    const sample = () => {
      const usage = process.memoryUsage();
      peak = Math.max(peak, usage.rss);
      peakBuffers = Math.max(peakBuffers, usage.arrayBuffers);
    };
    const sampler = setInterval(sample, SAMPLE_MS);
    const start = performance.now();
    try {
      await upload(size);
    } finally {
      clearInterval(sampler);
    }
    const seconds = (performance.now() - start) / 1000;
    sample();
    console.log(
      `  ${`${size / MB} MB file`.padEnd(12)} idle RSS ${mb(idle)}, peak RSS ${mb(peak)}, difference ${mb(peak - idle)} = ` +
        `${(((peak - idle) / size) * 100).toFixed(1)}% of the file size; peak buffer memory ${mb(peakBuffers)}; ${(size / MB / seconds).toFixed(0)} MB/s`,
    );
  }
  // Buffer memory is chunks awaiting garbage collection (V8 collects external memory in ~64 MB steps), not the file.
  console.log('');
  await disconnectDb();
}

if (process.env[CHILD_FLAG] === '1') {
  await measure();
} else if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchUploadMemory(process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres');
}
