import { PausedBanner } from '@/components/admin/paused-banner';
import { PastDueBanner, pastDueGrace } from '@/components/billing/past-due-banner';
import { DeletionBanner } from '@/components/data-controls/deletion-banner';
import { AccountMenu } from '@/components/shell/account-menu';
import { AppNav } from '@/components/shell/app-nav';
import { VerifyEmailBanner } from '@/components/shell/verify-email-banner';
import { getClinicPlan } from '@/lib/billing/entitlements';
import { getClinicDeletionState, getClinicPauseState } from '@/lib/data-controls/state';
import { db } from '@/lib/db/client';
import { getClinicChoices, requirePageActor } from '@/lib/web/session';

/** The signed-in shell: every page below it requires a session and a clinic membership. */
export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const { user, actor } = await requirePageActor();
  const [clinics, clinicPlan, deletion, paused] = await Promise.all([
    getClinicChoices(user.id),
    getClinicPlan(db(), actor.organizationId),
    getClinicDeletionState(db(), actor.organizationId),
    getClinicPauseState(db(), actor.organizationId),
  ]);
  const pastDue = pastDueGrace(clinicPlan);
  const account = <AccountMenu name={user.name} email={user.email} clinics={clinics} activeClinicId={actor.organizationId} />;
  return (
    <div className="min-h-dvh lg:flex">
      <AppNav account={account} />
      <main id="main-content" tabIndex={-1} className="min-w-0 flex-1 focus:outline-none">
        <div className="mx-auto w-full max-w-6xl px-4 py-6 sm:px-6 lg:px-10 lg:py-10">
          {paused && <PausedBanner reason={paused.reason} />}
          {deletion && <DeletionBanner scheduledAt={deletion.scheduledAt} isOwner={actor.role === 'owner'} />}
          {pastDue && <PastDueBanner {...pastDue} isOwner={actor.role === 'owner'} />}
          {!user.emailVerifiedAt && <VerifyEmailBanner email={user.email} />}
          {children}
        </div>
      </main>
    </div>
  );
}
