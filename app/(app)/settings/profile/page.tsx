import type { Metadata } from 'next';
import { Badge } from '@/components/ui/badge';
import { PageHeader } from '@/components/shell/page-header';
import { getPendingEmailChange } from '@/lib/auth/change-email';
import { soleOwnedClinics, soleOwnerMessage } from '@/lib/auth/delete-account';
import { db } from '@/lib/db/client';
import { requirePageActor } from '@/lib/web/session';
import { DeleteAccountForm } from './delete-account-form';
import { EmailForm } from './email-form';
import { NameForm } from './name-form';
import { PasswordForm } from './password-form';
import { SettingsSection } from './settings-section';

export const metadata: Metadata = { title: 'Profile' };

const dateTime = (date: Date) => date.toLocaleString('en', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }) + ' UTC';

export default async function ProfilePage() {
  const { user } = await requirePageActor();
  const [pending, soleOwned] = await Promise.all([getPendingEmailChange(db(), user.id), soleOwnedClinics(db(), user.id)]);
  const deletionBlockedBy = soleOwned[0] ? soleOwnerMessage(soleOwned[0].name) : null;
  return (
    <>
      <PageHeader title="Profile" description="Your name, the email address you sign in with, your password, and deleting your account." />
      <div className="max-w-2xl space-y-6">
        <SettingsSection id="name" title="Your name" description="How your colleagues see you in Maneiro, in the team list and the audit log.">
          <NameForm name={user.name} />
        </SettingsSection>

        <SettingsSection
          id="email"
          title="Email address"
          description="You sign in with this address, and account emails go to it. A new address is used only after you confirm it from its inbox."
        >
          <dl className="mb-6 space-y-3 text-sm">
            <div>
              <dt className="font-medium text-slate-800">Current address</dt>
              <dd className="mt-1 flex flex-wrap items-center gap-2 text-slate-700">
                <span className="break-all">{user.email}</span>
                {user.emailVerifiedAt ? <Badge variant="success">Confirmed</Badge> : <Badge variant="warning">Not confirmed yet</Badge>}
              </dd>
            </div>
            {pending && (
              <div>
                <dt className="font-medium text-slate-800">Waiting for confirmation</dt>
                <dd className="mt-1 text-slate-700">
                  <span className="break-all">{pending.email}</span>: open the link we sent there before {dateTime(pending.expiresAt)}.
                </dd>
              </div>
            )}
          </dl>
          <EmailForm currentEmail={user.email} />
        </SettingsSection>

        <SettingsSection
          id="password"
          title="Password"
          description="Changing your password signs you out everywhere, this browser included, so you sign in again with the new one."
        >
          <PasswordForm />
        </SettingsSection>

        <SettingsSection
          id="delete-account"
          title="Delete account"
          description="Removes your sign-in and your place in every clinic. The clinics keep the work you did and their audit log, which shows you as a deleted user."
        >
          <DeleteAccountForm blockedBy={deletionBlockedBy} />
        </SettingsSection>
      </div>
    </>
  );
}
