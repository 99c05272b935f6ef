// npm run db:restore -- --in <file> --yes [--pg-bin <folder>]
// Restores a db:backup dump into the configured database (DATABASE_URL, or the
// embedded one), then checks every table's row count against the backup's manifest
// and walks every audit chain. Exit codes: 0 restored and verified, 1 failed,
// 2 restored but the verification found a difference, 64 bad usage.
import { parseArgs } from 'node:util';
import { bootConfig, exitWith } from '@/lib/config/boot';
import { checkRestore, formatBytes, restoreDatabase } from '@/lib/db/backup';
import { db, disconnectDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { resolveDatabase } from './lib/database';

const usage = 'Usage: npm run db:restore -- --in <file> --yes [--pg-bin <folder>]';
let args: { in?: string; yes?: boolean; 'pg-bin'?: string };
try {
  args = parseArgs({ options: { in: { type: 'string' }, yes: { type: 'boolean' }, 'pg-bin': { type: 'string' } }, strict: true }).values;
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
  process.exit(64);
}
if (!args.in) {
  console.error(`Which backup? Pass --in <file> (a .dump made by npm run db:backup).\n${usage}`);
  process.exit(64);
}

const config = await bootConfig();
const database = await resolveDatabase(config).catch(exitWith);
let code = 0;
try {
  const restored = await restoreDatabase({ url: database.url, input: args.in, confirmed: args.yes === true, binDir: args['pg-bin'], onProgress: (line) => console.log(line) });
  console.log(`\nRestored ${formatBytes(restored.bytes)} in ${restored.seconds.toFixed(1)} s: ${restored.tables.length} tables, ${restored.rows} rows.`);
  const check = await checkRestore(db(), restored);
  if (!restored.manifest) console.log('No manifest next to the dump: row counts are listed but cannot be compared.');
  else if (check.mismatches.length === 0) console.log(`Every table's row count matches the backup (${restored.manifest.tables.length} tables).`);
  for (const m of check.mismatches) console.log(`MISMATCH: ${m.table} has ${m.actual ?? 'no table'} rows, the backup had ${m.expected}.`);
  console.log(`Audit: checked ${check.audit.rows} row(s) in ${check.audit.chains} chain(s).`);
  for (const link of check.audit.broken) {
    console.log(`BROKEN: audit chain ${link.organizationId ?? 'account'} at seq ${link.seq} (row ${link.id}): ${link.reason}.`);
  }
  if (check.ok) console.log('Restore verified: every row is back and every audit chain is intact.');
  else code = 2;
} catch (error) {
  console.error(`Restore failed: ${error instanceof AppError ? error.userMessage : error instanceof Error ? error.message : String(error)}`);
  code = 1;
} finally {
  await disconnectDb().catch(() => undefined);
  await database.embedded?.stop().catch(() => undefined);
}
process.exit(code);
