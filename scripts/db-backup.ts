// npm run db:backup [-- --out <file>] [--pg-bin <folder>]
// Dumps the configured database (DATABASE_URL, or the embedded one) with pg_dump.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { bootConfig, exitWith } from '@/lib/config/boot';
import { backupDatabase, defaultBackupPath, describeTarget, formatBytes } from '@/lib/db/backup';
import { AppError } from '@/lib/errors';
import { resolveDatabase } from './lib/database';

let args: { out?: string; 'pg-bin'?: string };
try {
  args = parseArgs({ options: { out: { type: 'string' }, 'pg-bin': { type: 'string' } }, strict: true }).values;
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\nUsage: npm run db:backup -- [--out <file>] [--pg-bin <folder>]`);
  process.exit(64);
}

const config = await bootConfig();
const database = await resolveDatabase(config).catch(exitWith);
let code = 0;
try {
  const out = args.out ?? defaultBackupPath();
  console.log(`Backing up the ${describeTarget(database.url)} to ${path.relative(process.cwd(), out) || out}`);
  const summary = await backupDatabase({ url: database.url, out, binDir: args['pg-bin'], onProgress: (line) => console.log(line) });
  console.log(
    `\nBackup complete: ${summary.tables} tables, ${summary.rows} rows, ${formatBytes(summary.bytes)} in ${summary.seconds.toFixed(1)} s.\n` +
      `  dump:     ${summary.file}\n  manifest: ${summary.manifestFile}\n` +
      'The dump holds patient data: keep it encrypted and access-controlled, and delete it when its retention ends.',
  );
} catch (error) {
  console.error(`Backup failed: ${error instanceof AppError ? error.userMessage : error instanceof Error ? error.message : String(error)}`);
  code = 1;
} finally {
  await database.embedded?.stop().catch(() => undefined);
}
process.exit(code);
