'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { FormError } from '@/components/form-error';
import { useActionForm } from '@/components/forms/use-action-form';
import { requestEmailChangeAction } from '../actions';

export function EmailForm({ currentEmail }: { currentEmail: string }) {
  const router = useRouter();
  const { pending, errors, formError, submit } = useActionForm();
  const [sentTo, setSentTo] = useState<string | null>(null);

  return (
    <form
      noValidate
      aria-label="Change email address"
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        const formElement = event.currentTarget;
        const form = new FormData(formElement);
        const input = { newEmail: String(form.get('newEmail') ?? ''), currentPassword: String(form.get('currentPassword') ?? '') };
        setSentTo(null);
        submit(
          () => requestEmailChangeAction(input),
          (sent) => {
            setSentTo(sent.newEmail);
            formElement.reset();
            router.refresh();
          },
        );
      }}
    >
      <FormError message={formError} />
      <div role="status" aria-live="polite">
        {sentTo && (
          <p className="rounded-md border border-success-200 bg-success-50 px-3 py-2 text-sm text-success-700">
            Check the inbox of <strong className="break-all">{sentTo}</strong>: we sent a link there to confirm the change. Until you open
            it, you keep signing in with {currentEmail}.
          </p>
        )}
      </div>
      <Field label="New email address" error={errors.newEmail?.[0]} required>
        <Input name="newEmail" type="email" autoComplete="email" inputMode="email" maxLength={254} />
      </Field>
      <Field label="Current password" description="To make sure it is you." error={errors.currentPassword?.[0]} required>
        <Input name="currentPassword" type="password" autoComplete="current-password" maxLength={1024} />
      </Field>
      <Button type="submit" loading={pending}>
        {pending ? 'Sending the link…' : 'Change email address'}
      </Button>
    </form>
  );
}
