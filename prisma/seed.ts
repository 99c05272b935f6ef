// npm run db:seed — a demo clinic for local development. Idempotent: running it
// again changes nothing. Refuses to run against a production configuration.
import { bootConfig, exitWith } from '@/lib/config/boot';
import { db, disconnectDb } from '@/lib/db/client';
import { resolveDatabase } from '../scripts/lib/database';

const DEMO_CLINIC = { slug: 'demo-eye-clinic', name: 'Demo Eye Clinic' };
const DEMO_OWNER = { email: 'owner@demo-eye-clinic.test', name: 'Dr. Ana Demo' };

const config = await bootConfig();
if (config.app.isProduction) exitWith(new Error('The demo seed is for development databases only.'));
const database = await resolveDatabase(config).catch(exitWith);
try {
  const prisma = db();
  await prisma.$transaction(async (tx) => {
    const clinic = await tx.organization.upsert({
      where: { slug: DEMO_CLINIC.slug },
      update: {},
      create: DEMO_CLINIC,
    });
    const owner = await tx.user.upsert({
      where: { email: DEMO_OWNER.email },
      update: {},
      create: DEMO_OWNER,
    });
    await tx.membership.upsert({
      where: { organizationId_userId: { organizationId: clinic.id, userId: owner.id } },
      update: {},
      create: { organizationId: clinic.id, userId: owner.id, role: 'owner' },
    });
  });
  console.log(`Seeded ${DEMO_CLINIC.name} with its owner ${DEMO_OWNER.email}.`);
} catch (error) {
  await disconnectDb();
  await database.embedded?.stop();
  exitWith(error);
}
await disconnectDb();
await database.embedded?.stop();
