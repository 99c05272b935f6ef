// npm run users:import -- path/to/users.csv — imports users exported from the old
// app (README "Import users from the old app"). Every row is checked before
// anything is written: with any bad row, nothing is imported and the exit code is 1.
import { readFile } from 'node:fs/promises';
import { bootConfig, exitWith } from '@/lib/config/boot';
import {
  importLegacyUsers,
  LegacyImportError,
  parseCsv,
  validateRows,
  type ImportCounts,
  type RowProblem,
} from '@/lib/auth/legacy-import';
import { db, disconnectDb } from '@/lib/db/client';
import { resolveDatabase } from './lib/database';

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

function describe(problem: RowProblem): string {
  return `  line ${problem.line}${problem.column === null ? '' : `, ${problem.column}`}: ${problem.message}`;
}

function summary(counts: ImportCounts): string {
  return [
    `Users created: ${counts.usersCreated}`,
    `Users already present (left unchanged): ${counts.usersAlreadyPresent}`,
    `Clinics created: ${counts.clinicsCreated}`,
    `Memberships created: ${counts.membershipsCreated}`,
  ].join('\n');
}

const file = process.argv[2];
if (!file) fail('Usage: npm run users:import -- path/to/users.csv');

let text: string;
try {
  // Fatal decoding: a Latin-1 export would otherwise import mangled names.
  text = new TextDecoder('utf-8', { fatal: true }).decode(await readFile(file));
} catch (error) {
  const code = error instanceof Error && 'code' in error ? ` (${String(error.code)})` : '';
  const reason = error instanceof TypeError ? 'it is not UTF-8 text (save it as UTF-8 CSV)' : `it could not be read${code}`;
  fail(`Cannot import ${file}: ${reason}.`);
}

let validation: ReturnType<typeof validateRows>;
try {
  validation = validateRows(parseCsv(text));
} catch (error) {
  fail(`${file} is not a valid CSV file: ${error instanceof Error ? error.message : String(error)}\nNothing was imported.`);
}
if (!validation.ok) {
  const count = validation.problems.length;
  fail(`${file} has ${count} problem${count === 1 ? '' : 's'}:\n${validation.problems.map(describe).join('\n')}\nNothing was imported.`);
}

const config = await bootConfig();
const database = await resolveDatabase(config).catch(exitWith);
let exitCode = 0;
try {
  console.log(`Importing ${validation.rows.length} row(s) from ${file}…`);
  console.log(summary(await importLegacyUsers(db(), validation.rows)));
} catch (error) {
  exitCode = 1;
  console.error(`Import stopped: ${error instanceof Error ? error.message : String(error)}`);
  if (error instanceof LegacyImportError) console.error(`Before it stopped:\n${summary(error.counts)}`);
}
await disconnectDb();
await database.embedded?.stop();
process.exit(exitCode);
