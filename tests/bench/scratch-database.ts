// Scratch databases for benchmarks: created on a local server, dropped afterwards.
import pg from 'pg';

/** Benchmarks create and drop databases: only ever on this machine's server. */
export function assertLocal(url: string): void {
  const host = new URL(url).hostname;
  if (!['localhost', '127.0.0.1', '::1', '[::1]'].includes(host)) {
    throw new Error(`The benchmark creates and drops a database: refusing the non-local server ${host}.`);
  }
}

/** Runs one statement (CREATE or DROP DATABASE) on a short-lived connection. */
export async function admin(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
