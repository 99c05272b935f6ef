'use client';

import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Button, buttonClasses } from '@/components/ui/button';
import { confirmEmailAction } from '../password-actions';

type State = { kind: 'idle' } | { kind: 'verified' } | { kind: 'changed' } | { kind: 'invalid' } | { kind: 'error'; message: string };

export function VerifyEmailForm({ token }: { token: string }) {
  // `change=1` marks links sent for an email change. It only picks the wording:
  // the server decides what the token is for.
  const isChange = useSearchParams().get('change') === '1';
  const [pending, startTransition] = useTransition();
  const [state, setState] = useState<State>({ kind: 'idle' });
  if (state.kind === 'verified') {
    return (
      <div role="status" className="mt-4 space-y-4">
        <p className="text-sm text-slate-700">Thank you: your email address is confirmed.</p>
        <Link href="/dashboard" className={buttonClasses('primary')}>
          Go to the dashboard
        </Link>
      </div>
    );
  }
  if (state.kind === 'changed') {
    return (
      <div role="status" className="mt-4 space-y-4">
        <p className="text-sm text-slate-700">
          Your new email address is confirmed and is now the one you sign in with. For your security we signed you out on every device.
        </p>
        <Link href="/login" className={buttonClasses('primary')}>
          Sign in with your new address
        </Link>
      </div>
    );
  }
  return (
    <div className="mt-4 space-y-4">
      <p className="text-sm text-slate-700">
        {isChange
          ? 'Confirm that this new email address is yours. Your account will use it from now on, and you will sign in again.'
          : 'Confirm that this email address is yours to finish setting up your account.'}
      </p>
      {state.kind === 'invalid' && (
        <p role="alert" className="rounded-md border border-danger-200 bg-danger-50 px-3 py-2 text-sm text-danger-700">
          {isChange
            ? 'This link has expired or was already used. Sign in and ask for the change again from your profile settings.'
            : 'This link has expired or was already used. Sign in and ask for a new one from the dashboard.'}
        </p>
      )}
      {state.kind === 'error' && (
        <p role="alert" className="rounded-md border border-danger-200 bg-danger-50 px-3 py-2 text-sm text-danger-700">
          {state.message}
        </p>
      )}
      <Button
        loading={pending}
        disabled={!token}
        onClick={() =>
          startTransition(async () => {
            const result = await confirmEmailAction({ token });
            if (!result.ok) setState({ kind: 'error', message: result.error });
            else if (result.data.changed) setState({ kind: 'changed' });
            else setState({ kind: result.data.verified ? 'verified' : 'invalid' });
          })
        }
      >
        {isChange ? 'Confirm my new email' : 'Confirm my email'}
      </Button>
    </div>
  );
}
