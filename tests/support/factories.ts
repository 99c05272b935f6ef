// Test data made through the same code paths the product uses.
import { randomBytes } from 'node:crypto';
import type { Role } from '@/lib/auth/authorize';
import { hashPassword } from '@/lib/auth/password';
import { db } from '@/lib/db/client';

export const TEST_PASSWORD = 'quiet harbor lantern seventeen';
let cachedHash: Promise<string> | undefined;

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${randomBytes(5).toString('hex')}@example.test`;
}

export async function createUser(options: { email?: string; name?: string; passwordHash?: string | null } = {}) {
  cachedHash ??= hashPassword(TEST_PASSWORD);
  const passwordHash = options.passwordHash === undefined ? await cachedHash : options.passwordHash;
  return db().user.create({
    data: { email: options.email ?? uniqueEmail(), name: options.name ?? 'Test User', passwordHash },
    select: { id: true, email: true, name: true, sessionVersion: true },
  });
}

export async function createClinic(options: { name?: string } = {}) {
  const name = options.name ?? `Clinic ${randomBytes(3).toString('hex')}`;
  return db().organization.create({ data: { name, slug: `clinic-${randomBytes(5).toString('hex')}` }, select: { id: true, name: true } });
}

export async function addMember(organizationId: string, userId: string, role: Role) {
  return db().membership.create({ data: { organizationId, userId, role } });
}

/** A clinic with one member of each role. */
export async function createStaffedClinic() {
  const clinic = await createClinic();
  const members = {} as Record<Role, Awaited<ReturnType<typeof createUser>>>;
  for (const role of ['owner', 'admin', 'clinician', 'staff'] as const) {
    members[role] = await createUser({ name: `The ${role}` });
    await addMember(clinic.id, members[role].id, role);
  }
  return { clinic, members };
}
