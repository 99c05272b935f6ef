'use client';

import { useRouter } from 'next/navigation';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Select } from '@/components/ui/select';
import { useToast } from '@/components/ui/toast';
import { FormError } from '@/components/form-error';
import { useActionForm } from '@/components/forms/use-action-form';
import { setRetentionAction } from './actions';

export function RetentionForm({ retentionDays, choices }: { retentionDays: number | null; choices: readonly number[] }) {
  const router = useRouter();
  const { toast } = useToast();
  const { pending, errors, formError, submit } = useActionForm();
  return (
    <form
      noValidate
      aria-labelledby="retention-heading"
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        const retention = String(new FormData(event.currentTarget).get('retentionDays') ?? 'keep');
        submit(
          () => setRetentionAction({ retentionDays: retention }),
          ({ changed, retentionDays: saved }) => {
            toast(
              changed
                ? { title: saved === null ? 'Raw files are kept' : `Raw files are kept for ${saved} days`, variant: 'success' }
                : { title: 'Nothing to save', description: 'That was already the setting.' },
            );
            router.refresh();
          },
        );
      }}
    >
      <FormError message={formError} />
      <Field label="Keep uploaded files and audio for" error={errors.retentionDays?.[0]}>
        <Select name="retentionDays" defaultValue={retentionDays === null ? 'keep' : String(retentionDays)}>
          <option value="keep">Until someone deletes them</option>
          {choices.map((days) => (
            <option key={days} value={String(days)}>
              {days} days
            </option>
          ))}
        </Select>
      </Field>
      <Button type="submit" loading={pending}>
        {pending ? 'Saving…' : 'Save retention'}
      </Button>
    </form>
  );
}
