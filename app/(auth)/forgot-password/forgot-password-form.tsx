'use client';

import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { FormError } from '@/components/form-error';
import { requestResetAction } from '../password-actions';

export function ForgotPasswordForm() {
  const [pending, startTransition] = useTransition();
  const [sent, setSent] = useState(false);
  const [emailError, setEmailError] = useState<string | undefined>();
  const [error, setError] = useState<string | null>(null);

  if (sent) {
    return (
      <p role="status" className="mt-6 rounded-md border border-success-200 bg-success-50 px-3 py-3 text-sm text-success-700">
        If an account uses that address, a reset link is on its way. It works once and expires in 30 minutes.
      </p>
    );
  }

  return (
    <form
      noValidate
      className="mt-6 space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        const email = String(new FormData(event.currentTarget).get('email') ?? '');
        startTransition(async () => {
          const result = await requestResetAction({ email });
          if (result.ok) setSent(true);
          else {
            setEmailError(result.fieldErrors?.email?.[0]);
            setError(result.fieldErrors ? null : result.error);
          }
        });
      }}
    >
      <FormError message={error} />
      <Field label="Email" error={emailError} required>
        <Input name="email" type="email" autoComplete="email" inputMode="email" />
      </Field>
      <Button type="submit" className="w-full" loading={pending}>
        Send reset link
      </Button>
    </form>
  );
}
