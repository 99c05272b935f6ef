// The signed-in user and their active clinic, for pages, server actions and
// route handlers. Each request reads the user once (React cache) and compares the
// token's session version with the database, so revoked sessions die at once.
import 'server-only';
import { cache } from 'react';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { connection } from 'next/server';
import { getServerSession } from 'next-auth';
import { ALL_ROLES, assertRole, loadActor, type Actor, type Role } from '@/lib/auth/authorize';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { authOptions } from './auth-options';

export const ACTIVE_CLINIC_COOKIE = 'maneiro.clinic';

export interface CurrentUser {
  id: string;
  email: string;
  name: string;
  emailVerifiedAt: Date | null;
  sessionVersion: number;
}

export const getCurrentUser = cache(async (): Promise<CurrentUser | null> => {
  await connection(); // per-request data: never prerendered at build time
  const session = await getServerSession(authOptions());
  if (!session?.userId) return null;
  const user = await db().user.findUnique({
    where: { id: session.userId },
    select: { id: true, email: true, name: true, emailVerifiedAt: true, sessionVersion: true },
  });
  if (!user || user.sessionVersion !== session.sessionVersion) return null;
  return user;
});

export interface ClinicChoice {
  organizationId: string;
  name: string;
  role: Role;
}

export const getClinicChoices = cache(async (userId: string): Promise<ClinicChoice[]> => {
  const memberships = await db().membership.findMany({
    where: { userId },
    orderBy: { createdAt: 'asc' },
    select: { organizationId: true, role: true, organization: { select: { name: true } } },
  });
  return memberships.map((m) => ({ organizationId: m.organizationId, name: m.organization.name, role: m.role }));
});

/** The clinic chosen in the switcher if the user still belongs to it, else their first. */
export const getActiveActor = cache(async (): Promise<Actor | null> => {
  const user = await getCurrentUser();
  if (!user) return null;
  const choices = await getClinicChoices(user.id);
  const wanted = (await cookies()).get(ACTIVE_CLINIC_COOKIE)?.value;
  const chosen = choices.find((c) => c.organizationId === wanted) ?? choices[0];
  return chosen ? { userId: user.id, organizationId: chosen.organizationId, role: chosen.role } : null;
});

/** For server actions and route handlers: the user, or an unauthenticated error. */
export async function requireUser(): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) throw new AppError('unauthenticated');
  return user;
}

/**
 * The user acting in a clinic with one of `roles`. Without an organizationId the
 * active clinic is used. A clinic the user does not belong to answers not_found.
 */
export async function requireMembership(organizationId?: string | null, roles: readonly Role[] = ALL_ROLES): Promise<Actor> {
  const user = await requireUser();
  let actor: Actor | null;
  if (organizationId) actor = await loadActor(db(), user.id, organizationId);
  else actor = await getActiveActor();
  if (!actor) throw new AppError('not_found', { message: 'the user belongs to no clinic' });
  assertRole(actor, roles);
  return actor;
}

/** For pages: like requireMembership, but signed-out visitors go to the sign-in page. */
export async function requirePageActor(roles: readonly Role[] = ALL_ROLES): Promise<{ user: CurrentUser; actor: Actor }> {
  const user = await getCurrentUser();
  if (!user) redirect('/auth/session-ended');
  const actor = await getActiveActor();
  if (!actor) redirect('/login?error=no-clinic');
  if (!roles.includes(actor.role)) throw new AppError('forbidden');
  return { user, actor };
}
