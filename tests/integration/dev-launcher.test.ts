// `npm run dev` as a person runs it: one command, the app answers /api/ready,
// Ctrl-C (SIGINT to the terminal's process group) leaves no process behind,
// and the next start reuses the data.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scratchDir } from '@/lib/db/embedded';
import { createTestDatabase } from '../support/db';

const dataDir = scratchDir('maneiro-dev-');
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function processesInGroup(pgid: number): string[] {
  const out = execFileSync('ps', ['-eo', 'pgid=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((line) => Number.parseInt(line.trim().split(/\s+/)[0] ?? '', 10) === pgid)
    .map((line) => line.trim());
}

function postgresFor(dir: string): string[] {
  const out = execFileSync('ps', ['-eo', 'args='], { encoding: 'utf8' });
  return out.split('\n').filter((line) => line.includes(dir) && line.includes('postgres'));
}

interface Launch {
  child: ChildProcess;
  output: () => string;
  port: number;
}

function launch(env: Record<string, string | undefined>): Launch {
  const port = 3400 + Math.floor(Math.random() * 400);
  const base: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn', LOG_PRETTY: 'false' };
  delete base.DATABASE_URL;
  let output = '';
  const child = spawn(process.execPath, [path.join('node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/dev.ts'], {
    detached: true, // its own process group, as a terminal gives it
    env: { ...base, PORT: String(port), DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(port + 50000), ...env },
  });
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  return { child, port, output: () => output };
}

async function waitReady(l: Launch): Promise<void> {
  const deadline = Date.now() + 150_000;
  while (Date.now() < deadline) {
    if (l.child.exitCode !== null) throw new Error(`npm run dev exited early:\n${l.output()}`);
    try {
      const response = await fetch(`http://127.0.0.1:${l.port}/api/ready`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`npm run dev never became ready:\n${l.output()}`);
}

async function waitForOutput(l: Launch, text: string): Promise<void> {
  for (let i = 0; i < 100 && !l.output().includes(text); i++) await new Promise((r) => setTimeout(r, 100));
  expect(l.output()).toContain(text);
}

/** Runs `body` against a launched `npm run dev` and always ends it with Ctrl-C. */
async function withLaunch(env: Record<string, string | undefined>, body: (l: Launch) => Promise<void>): Promise<Launch> {
  const l = launch(env);
  try {
    await waitReady(l);
    await body(l);
  } finally {
    if (l.child.exitCode === null) await pressCtrlC(l);
  }
  return l;
}

async function pressCtrlC(l: Launch): Promise<void> {
  const exited = new Promise((resolve) => l.child.once('exit', resolve));
  process.kill(-l.child.pid!, 'SIGINT');
  await exited;
  for (let i = 0; i < 50 && processesInGroup(l.child.pid!).length > 0; i++) await new Promise((r) => setTimeout(r, 200));
}

describe('npm run dev', { timeout: 240_000 }, () => {
  it('starts everything on an embedded database, stops everything on Ctrl-C, and reuses the data', async () => {
    const first = await withLaunch({}, async (l) => {
      await waitForOutput(l, `Maneiro is ready: http://localhost:${l.port}`);
      expect(l.output()).toContain('Created the embedded PostgreSQL');
      expect(fs.existsSync(path.join(dataDir, 'postgres', 'cluster', 'PG_VERSION'))).toBe(true);
      expect(postgresFor(dataDir).length).toBeGreaterThan(0);
    });
    expect(processesInGroup(first.child.pid!)).toEqual([]);
    expect(postgresFor(dataDir)).toEqual([]);

    const second = await withLaunch({}, async (l) => {
      await waitForOutput(l, 'Maneiro is ready');
      expect(l.output()).toContain('Started the embedded PostgreSQL');
      expect(l.output()).not.toContain('Applied');
    });
    expect(processesInGroup(second.child.pid!)).toEqual([]);
    expect(postgresFor(dataDir)).toEqual([]);
  });

  it('uses DATABASE_URL when it is set and starts no embedded database', async () => {
    const otherData = scratchDir('maneiro-dev-url-');
    const database = await createTestDatabase();
    try {
      const l = await withLaunch({ DATABASE_URL: database.url, DATA_DIR: otherData }, async (launched) => {
        await waitForOutput(launched, 'Maneiro is ready');
        expect(fs.existsSync(path.join(otherData, 'postgres'))).toBe(false);
        expect(launched.output()).not.toContain('embedded PostgreSQL');
      });
      expect(processesInGroup(l.child.pid!)).toEqual([]);
    } finally {
      await database.drop();
      fs.rmSync(otherData, { recursive: true, force: true });
    }
  });
});
