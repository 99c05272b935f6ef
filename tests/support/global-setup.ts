// One PostgreSQL server for the whole test run: DATABASE_URL when set (CI points
// it at the machine's server), otherwise an embedded one in a scratch folder.
// Each test file then makes its own database on it (tests/support/db.ts).
import fs from 'node:fs';
import type { TestProject } from 'vitest/node';
import { scratchDir, startEmbeddedPostgres, type EmbeddedDatabase } from '@/lib/db/embedded';

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
  }
}

let embedded: EmbeddedDatabase | undefined;
let dir: string | undefined;

function assertLocal(url: string): void {
  const host = new URL(url).hostname;
  if (!['localhost', '127.0.0.1', '::1', '[::1]'].includes(host)) {
    throw new Error(`Tests create and drop databases: refusing the non-local server ${host}.`);
  }
}

export async function setup(project: TestProject): Promise<void> {
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    dir = scratchDir('maneiro-test-pg-');
    const port = 55000 + Math.floor(Math.random() * 5000);
    embedded = await startEmbeddedPostgres({ dir, port });
    adminUrl = embedded.urlFor('postgres');
  }
  assertLocal(adminUrl);
  project.provide('adminDatabaseUrl', adminUrl);
}

export async function teardown(): Promise<void> {
  await embedded?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
