'use client';

import { useRouter } from 'next/navigation';
import { signOut } from 'next-auth/react';
import { useId, useState, useTransition } from 'react';
import { LogOut } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Select } from '@/components/ui/select';
import { useToast } from '@/components/ui/toast';
import { signOutEverywhereAction, switchClinicAction } from '@/app/(app)/actions';

export interface AccountMenuProps {
  name: string;
  email: string;
  clinics: { organizationId: string; name: string; role: string }[];
  activeClinicId: string;
}

const ROLE_LABEL: Record<string, string> = { owner: 'Owner', admin: 'Admin', clinician: 'Clinician', staff: 'Staff' };

/** Who is signed in, which clinic they act in, and the ways out. */
export function AccountMenu({ name, email, clinics, activeClinicId }: AccountMenuProps) {
  const router = useRouter();
  const { toast } = useToast();
  const [pending, startTransition] = useTransition();
  const [clinicId, setClinicId] = useState(activeClinicId);
  const selectId = useId();
  const active = clinics.find((c) => c.organizationId === clinicId);

  function switchClinic(organizationId: string) {
    setClinicId(organizationId);
    startTransition(async () => {
      const result = await switchClinicAction(organizationId);
      if (!result.ok) {
        setClinicId(activeClinicId);
        toast({ title: 'Could not switch clinic', description: result.error, variant: 'error' });
        return;
      }
      router.refresh();
    });
  }

  function signOutEverywhere() {
    startTransition(async () => {
      const result = await signOutEverywhereAction();
      if (!result.ok) {
        toast({ title: 'Could not sign out everywhere', description: result.error, variant: 'error' });
        return;
      }
      await signOut({ callbackUrl: '/login' });
    });
  }

  return (
    <div className="space-y-3 px-1 text-sm">
      <div>
        <p className="font-medium text-slate-900">{name}</p>
        <p className="truncate text-slate-600">{email}</p>
      </div>
      {clinics.length > 1 ? (
        <div className="space-y-1">
          <label htmlFor={selectId} className="block text-xs font-medium text-slate-600">
            Clinic
          </label>
          <Select id={selectId} value={clinicId} disabled={pending} onChange={(e) => switchClinic(e.target.value)}>
            {clinics.map((c) => (
              <option key={c.organizationId} value={c.organizationId}>
                {c.name} ({ROLE_LABEL[c.role] ?? c.role})
              </option>
            ))}
          </Select>
        </div>
      ) : (
        <p className="text-slate-700">
          {active?.name} <span className="text-slate-500">· {ROLE_LABEL[active?.role ?? ''] ?? active?.role}</span>
        </p>
      )}
      <div className="flex flex-col gap-1">
        <Button variant="outline" size="sm" onClick={() => void signOut({ callbackUrl: '/login' })} disabled={pending}>
          <LogOut className="size-4" aria-hidden="true" />
          Sign out
        </Button>
        <Button variant="ghost" size="sm" onClick={signOutEverywhere} loading={pending}>
          Sign out everywhere
        </Button>
      </div>
    </div>
  );
}
