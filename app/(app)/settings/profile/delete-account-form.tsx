'use client';

import { signOut } from 'next-auth/react';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog, DialogClose, DialogContent, DialogFooter, DialogTrigger } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { FormError } from '@/components/form-error';
import { useActionForm } from '@/components/forms/use-action-form';
import { deleteAccountAction } from '../actions';

/**
 * "Delete my account": a dialog that asks for the password. Refused (and
 * explained) while the person is a clinic's only owner; the server checks again.
 */
export function DeleteAccountForm({ blockedBy }: { blockedBy: string | null }) {
  const [open, setOpen] = useState(false);
  const { pending, errors, formError, setErrors, submit, reset } = useActionForm();
  const [done, setDone] = useState(false);

  if (blockedBy) {
    return (
      <div className="space-y-3">
        <p className="rounded-md border border-warning-200 bg-warning-50 px-3 py-2 text-sm text-warning-700" id="delete-account-blocked">
          {blockedBy}
        </p>
        <Button type="button" variant="danger" disabled aria-describedby="delete-account-blocked">
          Delete my account
        </Button>
      </div>
    );
  }

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (pending || done) return;
        setOpen(next);
        reset();
      }}
    >
      <DialogTrigger asChild>
        <Button type="button" variant="danger">
          Delete my account
        </Button>
      </DialogTrigger>
      <DialogContent
        title="Delete your account?"
        description="You will be signed out everywhere and leave every clinic you belong to. This cannot be undone."
      >
        <form
          noValidate
          aria-label="Delete account"
          onSubmit={(event) => {
            event.preventDefault();
            const password = String(new FormData(event.currentTarget).get('password') ?? '');
            if (!password) {
              setErrors({ password: ['Enter your password to confirm.'] });
              return;
            }
            submit(
              () => deleteAccountAction({ password }),
              async () => {
                setDone(true);
                // The account and its sessions are gone; this clears the cookie and says so.
                await signOut({ callbackUrl: '/login?reason=account-deleted' });
              },
            );
          }}
        >
          <FormError message={formError} />
          <div role="status" aria-live="polite">
            {done && <p className="mb-3 text-sm text-slate-700">Your account was deleted. Signing you out…</p>}
          </div>
          <Field label="Your password" error={errors.password?.[0]} required>
            <Input name="password" type="password" autoComplete="current-password" maxLength={1024} autoFocus />
          </Field>
          <DialogFooter>
            <DialogClose asChild>
              <Button type="button" variant="outline" disabled={pending || done}>
                Keep my account
              </Button>
            </DialogClose>
            <Button type="submit" variant="danger" loading={pending || done}>
              {pending || done ? 'Deleting…' : 'Delete my account'}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
