// npm run audit:verify — checks every audit chain and reports the first broken link of each.
import { verifyAuditChains } from '@/lib/audit/verify';
import { bootConfig, exitWith } from '@/lib/config/boot';
import { db, disconnectDb } from '@/lib/db/client';
import { resolveDatabase } from './lib/database';

const config = await bootConfig();
const database = await resolveDatabase(config).catch(exitWith);
let broken = 0;
try {
  const result = await verifyAuditChains(db());
  broken = result.broken.length;
  console.log(`Checked ${result.rows} audit row(s) in ${result.chains} chain(s).`);
  for (const link of result.broken) {
    console.log(
      `BROKEN: chain ${link.organizationId ?? 'account'} at seq ${link.seq} (row ${link.id}): ${link.reason}. Rows from here on cannot be trusted.`,
    );
  }
  if (broken === 0) console.log('Every chain is intact.');
} finally {
  await disconnectDb();
  await database.embedded?.stop();
}
process.exit(broken === 0 ? 0 : 2);
