// The one Prisma client of a process. Secret columns are omitted from every query
// unless a caller asks for them explicitly with `omit: { passwordHash: false }`.
import { PrismaPg } from '@prisma/adapter-pg';
import { getConfig, requireDatabaseUrl } from '@/lib/config';
import { PrismaClient } from './generated/client';

function createClient(): PrismaClient {
  const config = getConfig();
  const adapter = new PrismaPg({
    connectionString: requireDatabaseUrl(config),
    max: config.database.poolMax,
    connectionTimeoutMillis: 5_000,
    // Prisma's timestamp columns are "without time zone" and hold UTC. The session
    // zone decides what now() defaults and raw date arithmetic store, so it is pinned
    // whatever the server's or the database's own setting is.
    options: '-c TimeZone=UTC',
  });
  return new PrismaClient({
    adapter,
    omit: { user: { passwordHash: true }, apiKey: { hash: true } },
    // Prisma's defaults (2 s to get a connection, 5 s per transaction) fail healthy work on a
    // busy 2-core machine, where audit writes queue on their clinic's chain lock. Transactions
    // here are short; these bounds only stop one that is truly stuck.
    transactionOptions: { maxWait: 10_000, timeout: 20_000 },
  });
}

export type Db = ReturnType<typeof createClient>;

const DB_KEY = Symbol.for('maneiro.db');
type Holder = typeof globalThis & { [DB_KEY]?: Db };

/** The shared client (kept on globalThis so dev hot reloads don't open new pools). */
export function db(): Db {
  const g = globalThis as Holder;
  g[DB_KEY] ??= createClient();
  return g[DB_KEY];
}

export async function disconnectDb(): Promise<void> {
  const g = globalThis as Holder;
  const client = g[DB_KEY];
  g[DB_KEY] = undefined;
  await client?.$disconnect();
}
