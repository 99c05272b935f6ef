'use client';

import { useRouter } from 'next/navigation';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { Textarea } from '@/components/ui/textarea';
import { useToast } from '@/components/ui/toast';
import { FormError } from '@/components/form-error';
import { useActionForm } from '@/components/forms/use-action-form';
import { updateClinicAction } from '../actions';

export interface ClinicDetailsFormProps {
  name: string;
  address: string;
  phone: string;
  fax: string;
  pageSize: 'letter' | 'a4';
}

export function ClinicDetailsForm({ name, address, phone, fax, pageSize }: ClinicDetailsFormProps) {
  const router = useRouter();
  const { toast } = useToast();
  const { pending, errors, formError, submit } = useActionForm();

  return (
    <form
      noValidate
      aria-labelledby="details-heading"
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        const input = {
          name: String(form.get('name') ?? ''),
          address: String(form.get('address') ?? ''),
          phone: String(form.get('phone') ?? ''),
          fax: String(form.get('fax') ?? ''),
          pageSize: String(form.get('pageSize') ?? ''),
        };
        submit(
          () => updateClinicAction(input),
          ({ changed }) => {
            toast(
              changed
                ? { title: 'Clinic details saved', variant: 'success' }
                : { title: 'Nothing to save', description: 'The details were already up to date.' },
            );
            // The clinic name also shows in the navigation.
            router.refresh();
          },
        );
      }}
    >
      <FormError message={formError} />
      <Field label="Clinic name" error={errors.name?.[0]} required>
        <Input name="name" defaultValue={name} autoComplete="organization" maxLength={120} />
      </Field>
      <Field label="Address" description="Up to 300 characters. Line breaks are kept as you type them." error={errors.address?.[0]}>
        <Textarea name="address" defaultValue={address} rows={4} autoComplete="street-address" maxLength={300} />
      </Field>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Phone" description="Digits, spaces and + - ( ) ." error={errors.phone?.[0]}>
          <Input name="phone" type="tel" defaultValue={phone} autoComplete="tel" inputMode="tel" maxLength={40} />
        </Field>
        <Field label="Fax" description="Digits, spaces and + - ( ) ." error={errors.fax?.[0]}>
          <Input name="fax" type="tel" defaultValue={fax} autoComplete="off" inputMode="tel" maxLength={40} />
        </Field>
      </div>
      <Field label="Paper size for PDFs" description="Letters are exported on this paper size." error={errors.pageSize?.[0]}>
        <Select name="pageSize" defaultValue={pageSize}>
          <option value="letter">US Letter (8.5 × 11 in)</option>
          <option value="a4">A4 (210 × 297 mm)</option>
        </Select>
      </Field>
      <Button type="submit" loading={pending}>
        {pending ? 'Saving…' : 'Save details'}
      </Button>
    </form>
  );
}
