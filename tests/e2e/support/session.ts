// Arranges clinics, members and signed session cookies directly, for tests that
// cross every page and handler with every role (tests/e2e/authorization.spec.ts).
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import bcrypt from 'bcryptjs';
import { encode } from 'next-auth/jwt';
import pg from 'pg';

export type Role = 'owner' | 'admin' | 'clinician' | 'staff';

interface ServerInfo {
  databaseUrl: string;
  authSecret: string;
}

function serverInfo(): ServerInfo {
  return JSON.parse(fs.readFileSync(`test-results/e2e-server-${process.env.E2E_PORT ?? 3100}.json`, 'utf8')) as ServerInfo;
}

export async function sql<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: serverInfo().databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

export async function createClinic(name = `Matrix ${randomBytes(3).toString('hex')}`): Promise<string> {
  const id = randomUUID();
  await sql(`INSERT INTO organizations (id, name, slug, updated_at) VALUES ($1, $2, $3, now())`, [
    id,
    name,
    `matrix-${randomBytes(5).toString('hex')}`,
  ]);
  return id;
}

export async function createMember(
  clinicId: string,
  role: Role,
  options: { name?: string; password?: string } = {},
): Promise<{ userId: string; email: string }> {
  const userId = randomUUID();
  const email = `${role}-${randomBytes(4).toString('hex')}@matrix.test`;
  // A cheap bcrypt hash, as imported from the old app: sign-in accepts it (and upgrades it).
  const passwordHash = options.password ? bcrypt.hashSync(options.password, 4) : null;
  await sql(
    `INSERT INTO users (id, email, name, password_hash, email_verified_at, updated_at) VALUES ($1, $2, $3, $4, now(), now())`,
    [userId, email, options.name ?? `Matrix ${role}`, passwordHash],
  );
  await sql(`INSERT INTO memberships (id, organization_id, user_id, role) VALUES ($1, $2, $3, $4)`, [randomUUID(), clinicId, userId, role]);
  return { userId, email };
}

/** The Cookie header of a signed-in session for the user, as next-auth would set it. */
export async function sessionCookie(userId: string, extra: Record<string, string> = {}): Promise<string> {
  const [row] = await sql<{ session_version: number }>('SELECT session_version FROM users WHERE id = $1', [userId]);
  const token = await encode({ secret: serverInfo().authSecret, token: { uid: userId, sv: row?.session_version ?? 1 } });
  return [`next-auth.session-token=${token}`, ...Object.entries(extra).map(([k, v]) => `${k}=${v}`)].join('; ');
}
