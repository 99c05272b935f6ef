'use client';

import { useRouter } from 'next/navigation';
import { signIn } from 'next-auth/react';
import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { FormError } from '@/components/form-error';
import { signUpSchema } from '@/lib/auth/schemas';
import { signUpAction } from './actions';

type Errors = Record<string, string[] | undefined>;

export function SignUpForm() {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const fields = {
      name: String(form.get('name') ?? ''),
      email: String(form.get('email') ?? ''),
      password: String(form.get('password') ?? ''),
      clinicName: String(form.get('clinicName') ?? ''),
    };
    // The same schema runs again on the server; checking here first answers instantly.
    const parsed = signUpSchema.safeParse(fields);
    if (!parsed.success) {
      const found: Errors = {};
      for (const issue of parsed.error.issues) (found[String(issue.path[0])] ??= []).push(issue.message);
      setErrors(found);
      return;
    }
    startTransition(async () => {
      setFormError(null);
      const result = await signUpAction(fields);
      if (!result.ok) {
        setErrors(result.fieldErrors ?? {});
        if (!result.fieldErrors) setFormError(result.error);
        return;
      }
      setErrors({});
      const signedIn = await signIn('credentials', { email: fields.email, password: fields.password, redirect: false });
      if (signedIn?.error) {
        router.push('/login');
        return;
      }
      router.replace('/dashboard');
      router.refresh();
    });
  }

  return (
    <form onSubmit={onSubmit} noValidate className="mt-6 space-y-4" aria-busy={pending}>
      <FormError message={formError} />
      <Field label="Your name" error={errors.name?.[0]} required>
        <Input name="name" autoComplete="name" maxLength={120} />
      </Field>
      <Field label="Work email" error={errors.email?.[0]} required>
        <Input name="email" type="email" autoComplete="email" inputMode="email" maxLength={254} />
      </Field>
      <Field
        label="Password"
        description="At least 12 characters. A few unrelated words make a strong, memorable password."
        error={errors.password?.[0]}
        required
      >
        <Input name="password" type="password" autoComplete="new-password" maxLength={128} />
      </Field>
      <Field label="Clinic name" error={errors.clinicName?.[0]} required>
        <Input name="clinicName" autoComplete="organization" maxLength={120} />
      </Field>
      <Button type="submit" className="w-full" loading={pending}>
        {pending ? 'Creating your clinic…' : 'Create clinic'}
      </Button>
    </form>
  );
}
