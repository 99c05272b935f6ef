'use client';

import { useState, useTransition } from 'react';
import { MailWarning } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { resendVerificationAction } from '@/app/(app)/actions';

/** Shown until the user confirms their address; inviting colleagues and billing need it. */
export function VerifyEmailBanner({ email }: { email: string }) {
  const [pending, startTransition] = useTransition();
  const [note, setNote] = useState<string | null>(null);
  return (
    <div className="mb-6 flex flex-col gap-3 rounded-lg border border-warning-200 bg-warning-50 p-4 text-sm text-warning-700 sm:flex-row sm:items-center sm:justify-between">
      <p className="flex gap-2">
        <MailWarning className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
        <span>
          Please confirm your email address: we sent a link to <strong>{email}</strong>. Inviting colleagues and billing need a confirmed address.
        </span>
      </p>
      <div className="flex items-center gap-3">
        <span role="status" className="text-warning-700">
          {note}
        </span>
        <Button
          variant="outline"
          size="sm"
          loading={pending}
          onClick={() =>
            startTransition(async () => {
              const result = await resendVerificationAction();
              setNote(result.ok ? 'Sent. Check your inbox.' : result.error);
            })
          }
        >
          Send the link again
        </Button>
      </div>
    </div>
  );
}
