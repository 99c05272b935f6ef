'use client';

import { useRouter } from 'next/navigation';
import { signIn } from 'next-auth/react';
import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { FormError } from '@/components/form-error';
import { acceptInvitationAction } from './actions';

export function AcceptInvitationForm({ token, mode, email }: { token: string; mode: 'new' | 'existing'; email?: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [errors, setErrors] = useState<Record<string, string[] | undefined>>({});
  const [error, setError] = useState<string | null>(null);

  function accept(account: { name: string; password: string } | null) {
    startTransition(async () => {
      setError(null);
      const result = await acceptInvitationAction(token, account);
      if (!result.ok) {
        setErrors(result.fieldErrors ?? {});
        if (!result.fieldErrors) setError(result.error);
        return;
      }
      if (result.data.created && account) {
        await signIn('credentials', { email: result.data.email, password: account.password, redirect: false });
      }
      router.replace('/dashboard');
      router.refresh();
    });
  }

  if (mode === 'existing') {
    return (
      <div className="mt-6 space-y-4">
        <FormError message={error} />
        <Button onClick={() => accept(null)} loading={pending}>
          Accept and join
        </Button>
      </div>
    );
  }

  return (
    <form
      noValidate
      className="mt-6 space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        accept({ name: String(form.get('name') ?? ''), password: String(form.get('password') ?? '') });
      }}
    >
      <FormError message={error} />
      <p className="text-sm text-slate-600">Create your account for {email}.</p>
      <Field label="Your name" error={errors.name?.[0]} required>
        <Input name="name" autoComplete="name" maxLength={120} />
      </Field>
      <Field label="Password" description="At least 12 characters." error={errors.password?.[0]} required>
        <Input name="password" type="password" autoComplete="new-password" maxLength={128} />
      </Field>
      <Button type="submit" className="w-full" loading={pending}>
        Create account and join
      </Button>
    </form>
  );
}
