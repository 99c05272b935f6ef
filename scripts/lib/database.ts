// Resolves the database for a command: DATABASE_URL when configured, otherwise
// (outside production) the embedded PostgreSQL in DATA_DIR/postgres.
import path from 'node:path';
import { setEnvironment, type Config } from '@/lib/config';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '@/lib/db/embedded';

export const EMBEDDED_DATABASE_NAME = 'maneiro';

export interface ResolvedDatabase {
  url: string;
  embedded: EmbeddedDatabase | null;
}

export async function resolveDatabase(config: Config): Promise<ResolvedDatabase> {
  if (config.database.url) return { url: config.database.url, embedded: null };
  const started = Date.now();
  const embedded = await startEmbeddedPostgres({
    dir: path.join(config.app.dataDir, 'postgres'),
    port: config.database.embeddedPort,
  });
  await embedded.ensureDatabase(EMBEDDED_DATABASE_NAME);
  const url = embedded.urlFor(EMBEDDED_DATABASE_NAME);
  setEnvironment({ DATABASE_URL: url });
  console.log(
    `${embedded.initialised ? 'Created' : 'Started'} the embedded PostgreSQL in ${path.relative(process.cwd(), config.app.dataDir)}/postgres ` +
      `(port ${embedded.port}, ${Date.now() - started} ms)`,
  );
  return { url, embedded };
}
