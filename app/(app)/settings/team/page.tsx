import type { Metadata } from 'next';
import { PageHeader } from '@/components/shell/page-header';
import { ADMIN_ROLES } from '@/lib/auth/authorize';
import { db } from '@/lib/db/client';
import { listTeam } from '@/lib/orgs/team';
import { requirePageActor } from '@/lib/web/session';
import { TeamManager } from './team-manager';

export const metadata: Metadata = { title: 'Team' };

export default async function TeamPage() {
  const { user, actor } = await requirePageActor();
  const team = await listTeam(db(), actor);
  const canManage = ADMIN_ROLES.includes(actor.role);
  return (
    <>
      <PageHeader
        title="Team"
        description={
          canManage
            ? 'Invite colleagues, choose what each person can do, and remove people who have left.'
            : 'The people in your clinic and their roles. Admins and owners manage the team.'
        }
      />
      <TeamManager
        currentUserId={user.id}
        actorRole={actor.role}
        canManage={canManage}
        emailVerified={user.emailVerifiedAt !== null}
        members={team.members.map((m) => ({ ...m, joinedAt: m.joinedAt.toISOString() }))}
        invitations={team.invitations.map((i) => ({ ...i, expiresAt: i.expiresAt.toISOString(), lastSentAt: i.lastSentAt.toISOString() }))}
      />
    </>
  );
}
