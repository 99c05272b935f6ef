// npm run db:migrate — applies pending migrations to DATABASE_URL (or the embedded database).
import { migrate } from '@/lib/db/migrations';
import { bootConfig, exitWith } from '@/lib/config/boot';
import { resolveDatabase } from './lib/database';

const config = await bootConfig();
const database = await resolveDatabase(config).catch(exitWith);
try {
  const applied = await migrate({
    connectionString: database.url,
    onApplied: (name, ms) => console.log(`Applied ${name} (${ms} ms)`),
  });
  console.log(applied.length === 0 ? 'The database is up to date.' : `Applied ${applied.length} migration(s).`);
} catch (error) {
  await database.embedded?.stop();
  exitWith(error);
}
await database.embedded?.stop();
