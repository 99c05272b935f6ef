'use client';

import { signOut } from 'next-auth/react';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { FormError } from '@/components/form-error';
import { useActionForm, type FieldErrors } from '@/components/forms/use-action-form';
import { newPasswordField } from '@/lib/auth/schemas';
import { changePasswordAction } from '../actions';

export function PasswordForm() {
  const { pending, errors, formError, setErrors, submit } = useActionForm();
  const [done, setDone] = useState(false);

  return (
    <form
      noValidate
      aria-label="Change password"
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        const input = { currentPassword: String(form.get('currentPassword') ?? ''), newPassword: String(form.get('newPassword') ?? '') };
        // Length is checked here for an instant answer; strength and the rest only on the server.
        const local: FieldErrors = {};
        if (!input.currentPassword) local.currentPassword = ['Enter your current password.'];
        const length = newPasswordField.safeParse(input.newPassword);
        if (!length.success) local.newPassword = [length.error.issues[0]?.message ?? 'Choose a password.'];
        if (Object.keys(local).length > 0) {
          setErrors(local);
          return;
        }
        submit(
          () => changePasswordAction(input),
          async () => {
            setDone(true);
            // The server has already ended every session; this clears the cookie and shows why.
            await signOut({ callbackUrl: '/login?reason=password-changed' });
          },
        );
      }}
    >
      <FormError message={formError} />
      <div role="status" aria-live="polite">
        {done && <p className="text-sm text-success-700">Password changed. Signing you out…</p>}
      </div>
      <Field label="Current password" error={errors.currentPassword?.[0]} required>
        <Input name="currentPassword" type="password" autoComplete="current-password" maxLength={1024} />
      </Field>
      <Field
        label="New password"
        description="At least 12 characters. A few unrelated words make a strong, memorable password."
        error={errors.newPassword?.[0]}
        required
      >
        <Input name="newPassword" type="password" autoComplete="new-password" maxLength={128} />
      </Field>
      <Button type="submit" loading={pending || done}>
        {pending || done ? 'Changing password…' : 'Change password'}
      </Button>
    </form>
  );
}
