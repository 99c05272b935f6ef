// Authorization in the data layer. Domain functions receive an Actor (the user
// acting in one clinic, with their role read from the database at that moment)
// and check it here; another clinic's ids are answered as "not found".
import type { Db } from '@/lib/db/client';
import type { Role } from '@/lib/db/generated/client';
import { AppError } from '@/lib/errors';

export type { Role };

export interface Actor {
  userId: string;
  organizationId: string;
  role: Role;
}

export const ALL_ROLES: readonly Role[] = ['owner', 'admin', 'clinician', 'staff'];
export const ADMIN_ROLES: readonly Role[] = ['owner', 'admin'];

/** The user's membership of the clinic, or not_found (never "forbidden" with details). */
export async function loadActor(db: Db, userId: string, organizationId: string): Promise<Actor> {
  if (!/^[0-9a-f-]{36}$/i.test(organizationId)) throw new AppError('not_found');
  const membership = await db.membership.findUnique({
    where: { organizationId_userId: { organizationId, userId } },
    select: { role: true },
  });
  if (!membership) throw new AppError('not_found', { message: 'not a member of the clinic' });
  return { userId, organizationId, role: membership.role };
}

export function assertRole(actor: Actor, roles: readonly Role[]): void {
  if (!roles.includes(actor.role)) {
    throw new AppError('forbidden', { message: `role ${actor.role} lacks permission` });
  }
}
