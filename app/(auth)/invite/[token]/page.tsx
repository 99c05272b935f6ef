import type { Metadata } from 'next';
import Link from 'next/link';
import { connection } from 'next/server';
import { buttonClasses } from '@/components/ui/button';
import { db } from '@/lib/db/client';
import { viewInvitation } from '@/lib/orgs/accept-invitation';
import { getCurrentUser } from '@/lib/web/session';
import { AcceptInvitationForm } from './accept-form';

export const metadata: Metadata = { title: 'Join a clinic', referrer: 'no-referrer' };

const ROLE_LABELS: Record<string, string> = { owner: 'an owner', admin: 'an admin', clinician: 'a clinician', staff: 'staff' };

export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  await connection();
  const { token } = await params;
  const invitation = await viewInvitation(db(), token);
  const user = await getCurrentUser();

  if (invitation.status !== 'valid') {
    const reason = {
      expired: 'This invitation has expired.',
      revoked: 'This invitation was withdrawn.',
      accepted: 'This invitation has already been used.',
      unknown: 'This invitation link is not valid.',
    }[invitation.status];
    return (
      <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-xs sm:p-8">
        <h1 className="text-2xl font-bold tracking-tight text-slate-950">Invitation unavailable</h1>
        <p className="mt-3 text-sm text-slate-700">
          {reason} Ask {invitation.clinicName ? `${invitation.clinicName}` : 'the clinic'} to send you a new one.
        </p>
        <Link href="/" className={buttonClasses('outline', 'md', 'mt-6')}>
          Go to the home page
        </Link>
      </div>
    );
  }

  const mismatch = user && user.email !== invitation.email;
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-xs sm:p-8">
      <h1 className="text-2xl font-bold tracking-tight text-slate-950">Join {invitation.clinicName}</h1>
      <p className="mt-2 text-sm text-slate-700">
        {invitation.inviterName ?? 'A colleague'} invited <strong>{invitation.email}</strong> to join as {ROLE_LABELS[invitation.role ?? ''] ?? invitation.role}.
      </p>
      {mismatch ? (
        <p role="alert" className="mt-4 rounded-md border border-warning-200 bg-warning-50 px-3 py-2 text-sm text-warning-700">
          You are signed in as {user.email}. Sign out and sign in as {invitation.email} to accept this invitation.
        </p>
      ) : user ? (
        <AcceptInvitationForm token={token} mode="existing" />
      ) : invitation.accountExists ? (
        <div className="mt-4 space-y-3 text-sm text-slate-700">
          <p>You already have a Maneiro account. Sign in to accept.</p>
          <Link href={`/login?next=${encodeURIComponent(`/invite/${token}`)}`} className={buttonClasses('primary')}>
            Sign in to accept
          </Link>
        </div>
      ) : (
        <AcceptInvitationForm token={token} mode="new" email={invitation.email} />
      )}
    </div>
  );
}
