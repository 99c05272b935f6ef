'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { FormError } from '@/components/form-error';
import { resetPasswordAction } from '../password-actions';

export function ResetPasswordForm({ token }: { token: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [passwordError, setPasswordError] = useState<string | undefined>();
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      noValidate
      className="mt-6 space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        const password = String(new FormData(event.currentTarget).get('password') ?? '');
        startTransition(async () => {
          const result = await resetPasswordAction({ token, password });
          if (result.ok) {
            router.replace('/login?reason=password-reset');
            return;
          }
          setPasswordError(result.fieldErrors?.password?.[0]);
          setError(result.fieldErrors?.password ? null : result.error);
        });
      }}
    >
      <FormError message={error} />
      <Field label="New password" description="At least 12 characters." error={passwordError} required>
        <Input name="password" type="password" autoComplete="new-password" maxLength={128} />
      </Field>
      <Button type="submit" className="w-full" loading={pending}>
        Set new password
      </Button>
    </form>
  );
}
