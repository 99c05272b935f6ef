'use client';

import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { Button } from '@/components/ui/button';
import { Dialog, DialogClose, DialogContent, DialogFooter, DialogTrigger } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { useToast } from '@/components/ui/toast';
import { FormError } from '@/components/form-error';
import { useActionForm } from '@/components/forms/use-action-form';
import { restoreClinicAction, scheduleClinicDeletionAction } from './actions';

/** "Delete this clinic": a dialog asking for the owner's password and the clinic's name. The server checks both again. */
export function DeleteClinicForm({ clinicName, graceDays }: { clinicName: string; graceDays: number }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const { pending, errors, formError, setErrors, submit, reset } = useActionForm();
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (pending) return;
        setOpen(next);
        reset();
      }}
    >
      <DialogTrigger asChild>
        <Button type="button" variant="danger">
          Delete this clinic
        </Button>
      </DialogTrigger>
      <DialogContent
        title={`Delete ${clinicName}?`}
        description={`The clinic and all of its data will be deleted in ${graceDays} days. Until then no new jobs can start, and an owner can restore it.`}
      >
        <form
          noValidate
          aria-label="Delete clinic"
          onSubmit={(event) => {
            event.preventDefault();
            const form = new FormData(event.currentTarget);
            const password = String(form.get('password') ?? '');
            const confirmName = String(form.get('confirmName') ?? '');
            const missing: Record<string, string[]> = {};
            if (!confirmName.trim()) missing.confirmName = ['Type the clinic’s name to confirm.'];
            if (!password) missing.password = ['Enter your password to confirm.'];
            if (Object.keys(missing).length > 0) {
              setErrors(missing);
              return;
            }
            submit(
              () => scheduleClinicDeletionAction({ password, confirmName }),
              () => {
                setOpen(false);
                router.refresh();
              },
            );
          }}
        >
          <FormError message={formError} />
          <div className="space-y-4">
            <Field label={`Type the clinic’s name: ${clinicName}`} error={errors.confirmName?.[0]} required>
              <Input name="confirmName" autoComplete="off" spellCheck={false} maxLength={200} autoFocus />
            </Field>
            <Field label="Your password" error={errors.password?.[0]} required>
              <Input name="password" type="password" autoComplete="current-password" maxLength={1024} />
            </Field>
          </div>
          <DialogFooter>
            <DialogClose asChild>
              <Button type="button" variant="outline" disabled={pending}>
                Keep the clinic
              </Button>
            </DialogClose>
            <Button type="submit" variant="danger" loading={pending}>
              {pending ? 'Scheduling…' : 'Delete the clinic'}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

export function RestoreClinicButton() {
  const router = useRouter();
  const { toast } = useToast();
  const { pending, formError, submit } = useActionForm();
  return (
    <div className="space-y-3">
      <FormError message={formError} />
      <Button
        type="button"
        loading={pending}
        onClick={() =>
          submit(
            () => restoreClinicAction(),
            () => {
              toast({ title: 'The clinic was restored', description: 'It will not be deleted, and jobs can start again.', variant: 'success' });
              router.refresh();
            },
          )
        }
      >
        {pending ? 'Restoring…' : 'Restore the clinic'}
      </Button>
    </div>
  );
}
