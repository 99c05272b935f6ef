'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { UserPlus } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { useToast } from '@/components/ui/toast';
import { FormError } from '@/components/form-error';
import { changeRoleAction, inviteAction, removeMemberAction, resendInvitationAction, revokeInvitationAction } from './actions';

type Role = 'owner' | 'admin' | 'clinician' | 'staff';

const ROLE_LABELS: Record<Role, string> = { owner: 'Owner', admin: 'Admin', clinician: 'Clinician', staff: 'Staff' };
const ROLE_HELP: Record<Role, string> = {
  owner: 'billing and the clinic itself',
  admin: 'team, settings and the audit log',
  clinician: 'analyses, letters and reports',
  staff: 'fax triage, patient and insurance letters',
};

export interface TeamManagerProps {
  currentUserId: string;
  actorRole: Role;
  canManage: boolean;
  emailVerified: boolean;
  members: { userId: string; name: string; email: string; role: Role; joinedAt: string }[];
  invitations: { id: string; email: string; role: Role; expiresAt: string; lastSentAt: string; invitedBy: string | null }[];
}

const date = (iso: string) => new Date(iso).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });

export function TeamManager({ currentUserId, actorRole, canManage, emailVerified, members, invitations }: TeamManagerProps) {
  const router = useRouter();
  const { toast } = useToast();
  const [pending, startTransition] = useTransition();
  const [inviteErrors, setInviteErrors] = useState<Record<string, string[] | undefined>>({});
  const [inviteError, setInviteError] = useState<string | null>(null);
  const grantable: Role[] = actorRole === 'owner' ? ['owner', 'admin', 'clinician', 'staff'] : ['admin', 'clinician', 'staff'];

  function run(action: () => Promise<{ ok: boolean; error?: string }>, success: string) {
    startTransition(async () => {
      const result = await action();
      if (result.ok) {
        toast({ title: success, variant: 'success' });
        router.refresh();
      } else toast({ title: 'That did not work', description: result.error, variant: 'error' });
    });
  }

  return (
    <div className="space-y-8">
      {canManage && (
        <Card>
          <CardHeader>
            <CardTitle>Invite a colleague</CardTitle>
            <CardDescription>They get an email with a link that works for 7 days.</CardDescription>
          </CardHeader>
          <CardContent>
            {!emailVerified ? (
              <p className="text-sm text-warning-700">Confirm your own email address first: use the link we sent you, or the banner above.</p>
            ) : (
              <form
                noValidate
                className="grid gap-4 sm:grid-cols-[1fr_12rem_auto] sm:items-start"
                onSubmit={(event) => {
                  event.preventDefault();
                  const formElement = event.currentTarget;
                  const form = new FormData(formElement);
                  const input = { email: String(form.get('email') ?? ''), role: String(form.get('role') ?? '') };
                  startTransition(async () => {
                    const result = await inviteAction(input);
                    if (result.ok) {
                      setInviteErrors({});
                      setInviteError(null);
                      formElement.reset();
                      toast({ title: 'Invitation sent', description: `We emailed ${input.email}.`, variant: 'success' });
                      router.refresh();
                    } else {
                      setInviteErrors(result.fieldErrors ?? {});
                      setInviteError(result.fieldErrors ? null : result.error);
                    }
                  });
                }}
              >
                <div className="sm:col-span-3">
                  <FormError message={inviteError} />
                </div>
                <Field label="Email" error={inviteErrors.email?.[0]} required>
                  <Input name="email" type="email" autoComplete="off" inputMode="email" />
                </Field>
                <Field label="Role" error={inviteErrors.role?.[0]} required>
                  <Select name="role" defaultValue="clinician">
                    {grantable.map((r) => (
                      <option key={r} value={r}>
                        {ROLE_LABELS[r]}: {ROLE_HELP[r]}
                      </option>
                    ))}
                  </Select>
                </Field>
                <Button type="submit" className="sm:mt-6" loading={pending}>
                  <UserPlus className="size-4" aria-hidden="true" />
                  Send invitation
                </Button>
              </form>
            )}
          </CardContent>
        </Card>
      )}

      <section aria-labelledby="members-heading">
        <h2 id="members-heading" className="mb-3 text-lg font-semibold text-slate-950">
          Members ({members.length})
        </h2>
        <Table>
          <THead>
            <TR>
              <TH>Name</TH>
              <TH>Email</TH>
              <TH>Role</TH>
              <TH>Joined</TH>
              <TH>
                <span className="sr-only">Actions</span>
              </TH>
            </TR>
          </THead>
          <TBody>
            {members.map((m) => {
              const self = m.userId === currentUserId;
              const mayEdit = canManage && !self && (m.role !== 'owner' || actorRole === 'owner');
              return (
                <TR key={m.userId}>
                  <TD className="font-medium">
                    {m.name} {self && <Badge variant="info">You</Badge>}
                  </TD>
                  <TD>{m.email}</TD>
                  <TD>
                    {mayEdit ? (
                      <Select
                        aria-label={`Role of ${m.name}`}
                        value={m.role}
                        disabled={pending}
                        onChange={(e) => run(() => changeRoleAction(m.userId, e.target.value), `${m.name} is now ${ROLE_LABELS[e.target.value as Role] ?? e.target.value}`)}
                        className="w-36"
                      >
                        {(actorRole === 'owner' ? grantable : grantable.filter((r) => r !== 'owner')).map((r) => (
                          <option key={r} value={r}>
                            {ROLE_LABELS[r]}
                          </option>
                        ))}
                      </Select>
                    ) : (
                      ROLE_LABELS[m.role]
                    )}
                  </TD>
                  <TD>{date(m.joinedAt)}</TD>
                  <TD className="text-right">
                    {(mayEdit || (self && members.length > 1)) && (
                      <Button
                        variant="ghost"
                        size="sm"
                        disabled={pending}
                        onClick={() => {
                          const question = self ? 'Leave this clinic? You will lose access to its work.' : `Remove ${m.name} from the clinic? They are signed out at once.`;
                          if (window.confirm(question)) run(() => removeMemberAction(m.userId), self ? 'You left the clinic' : `${m.name} was removed`);
                        }}
                      >
                        {self ? 'Leave' : 'Remove'}
                        {!self && <span className="sr-only"> {m.name}</span>}
                      </Button>
                    )}
                  </TD>
                </TR>
              );
            })}
          </TBody>
        </Table>
      </section>

      {canManage && (
        <section aria-labelledby="invitations-heading">
          <h2 id="invitations-heading" className="mb-3 text-lg font-semibold text-slate-950">
            Pending invitations
          </h2>
          {invitations.length === 0 ? (
            <p className="text-sm text-slate-600">No invitations are waiting for an answer.</p>
          ) : (
            <Table>
              <THead>
                <TR>
                  <TH>Email</TH>
                  <TH>Role</TH>
                  <TH>Expires</TH>
                  <TH>
                    <span className="sr-only">Actions</span>
                  </TH>
                </TR>
              </THead>
              <TBody>
                {invitations.map((i) => (
                  <TR key={i.id}>
                    <TD>{i.email}</TD>
                    <TD>{ROLE_LABELS[i.role]}</TD>
                    <TD>{date(i.expiresAt)}</TD>
                    <TD className="flex justify-end gap-2">
                      <Button variant="outline" size="sm" disabled={pending} onClick={() => run(() => resendInvitationAction(i.id), `Invitation sent again to ${i.email}`)}>
                        Resend<span className="sr-only"> to {i.email}</span>
                      </Button>
                      <Button variant="ghost" size="sm" disabled={pending} onClick={() => run(() => revokeInvitationAction(i.id), `Invitation to ${i.email} revoked`)}>
                        Revoke<span className="sr-only"> invitation to {i.email}</span>
                      </Button>
                    </TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          )}
        </section>
      )}
    </div>
  );
}
