'use client';

import { useRouter } from 'next/navigation';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { useToast } from '@/components/ui/toast';
import { FormError } from '@/components/form-error';
import { useActionForm } from '@/components/forms/use-action-form';
import { updateProfileAction } from '../actions';

export function NameForm({ name }: { name: string }) {
  const router = useRouter();
  const { toast } = useToast();
  const { pending, errors, formError, submit } = useActionForm();

  return (
    <form
      noValidate
      aria-labelledby="name-heading"
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        const value = String(new FormData(event.currentTarget).get('name') ?? '');
        submit(
          () => updateProfileAction({ name: value }),
          (saved) => {
            toast({ title: 'Name saved', description: `You now appear as ${saved.name}.`, variant: 'success' });
            // The shell shows the name too: re-render it from the server.
            router.refresh();
          },
        );
      }}
    >
      <FormError message={formError} />
      <Field label="Full name" error={errors.name?.[0]} required>
        <Input name="name" defaultValue={name} autoComplete="name" maxLength={120} />
      </Field>
      <Button type="submit" loading={pending}>
        {pending ? 'Saving…' : 'Save name'}
      </Button>
    </form>
  );
}
