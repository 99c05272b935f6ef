'use client';

import { useRouter } from 'next/navigation';
import { signIn } from 'next-auth/react';
import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { FormError } from '@/components/form-error';

// SIGN_IN_ERROR in lib/web/auth-options.ts (a server module).
const THROTTLED = 'throttled:';
const UNAVAILABLE = 'unavailable:';

function waitText(error: string, prefix: string): string {
  const seconds = Number.parseInt(error.slice(prefix.length), 10) || 60;
  return seconds >= 90 ? `${Math.ceil(seconds / 60)} minutes` : `${seconds} seconds`;
}

function messageFor(error: string): string {
  if (error.startsWith(THROTTLED)) return `Too many sign-in attempts. Please wait ${waitText(error, THROTTLED)} and try again.`;
  // The rate limiter could not be reached, and sign-in fails closed.
  if (error.startsWith(UNAVAILABLE)) return `Sign-in is briefly unavailable. Please try again in ${waitText(error, UNAVAILABLE)}.`;
  return 'The email or password is incorrect.';
}

export function SignInForm({ next }: { next: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [missing, setMissing] = useState<{ email?: string; password?: string }>({});

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get('email') ?? '').trim();
    const password = String(form.get('password') ?? '');
    const empty = { email: email ? undefined : 'Enter your email address.', password: password ? undefined : 'Enter your password.' };
    setMissing(empty);
    if (empty.email || empty.password) return;
    startTransition(async () => {
      setError(null);
      const result = await signIn('credentials', { email, password, redirect: false });
      if (!result || result.error) {
        setError(messageFor(result?.error ?? ''));
        return;
      }
      router.replace(next);
      router.refresh();
    });
  }

  return (
    <form onSubmit={onSubmit} noValidate className="mt-6 space-y-4" aria-busy={pending}>
      <FormError message={error} />
      <Field label="Email" error={missing.email} required>
        <Input name="email" type="email" autoComplete="username" inputMode="email" />
      </Field>
      <Field label="Password" error={missing.password} required>
        <Input name="password" type="password" autoComplete="current-password" />
      </Field>
      <Button type="submit" className="w-full" loading={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </Button>
    </form>
  );
}
