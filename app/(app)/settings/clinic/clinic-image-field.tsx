'use client';

import Image from 'next/image';
import { useRouter } from 'next/navigation';
import { useEffect, useState, useTransition } from 'react';
import { ImageIcon, Trash2, Upload } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Progress } from '@/components/ui/progress';
import { useToast } from '@/components/ui/toast';
import { FormError } from '@/components/form-error';
import { formatMegabytes, IMAGE_ACCEPT, IMAGE_SIZE_LIMITS, type ClinicImageKind } from '@/lib/storage/images';
import { removeClinicImageAction, uploadClinicImageAction } from '../actions';

const NAMES: Record<ClinicImageKind, { noun: string; title: string }> = {
  logo: { noun: 'logo', title: 'Logo' },
  signature: { noun: 'signature', title: 'Signature' },
};

export interface ClinicImageFieldProps {
  kind: ClinicImageKind;
  /** Fingerprint of the stored image, or null when there is none; it changes the preview URL when the image changes. */
  version: string | null;
}

export function ClinicImageField({ kind, version }: ClinicImageFieldProps) {
  const router = useRouter();
  const { toast } = useToast();
  const { noun, title } = NAMES[kind];
  const limit = IMAGE_SIZE_LIMITS[kind];
  const [pending, startTransition] = useTransition();
  const [busy, setBusy] = useState<'upload' | 'remove' | null>(null);
  const [error, setError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | null>(null);
  const [selected, setSelected] = useState<{ url: string; name: string } | null>(null);

  // Each selection gets an object URL for its preview; release it when replaced or unmounted.
  useEffect(() => {
    return () => {
      if (selected) URL.revokeObjectURL(selected.url);
    };
  }, [selected]);

  return (
    <div className="space-y-5">
      <div>
        <p className="text-sm font-medium text-slate-800">Current {noun}</p>
        <div className="mt-2 flex min-h-24 items-center justify-center rounded-md border border-dashed border-slate-300 bg-slate-50 p-3">
          {version ? (
            <Image
              src={`/api/clinic/images/${kind}?v=${version}`}
              alt={`The clinic's current ${noun}`}
              width={320}
              height={96}
              unoptimized
              className="h-20 w-auto max-w-full object-contain"
            />
          ) : (
            <p className="flex items-center gap-2 text-sm text-slate-500">
              <ImageIcon className="size-4" aria-hidden="true" />
              No {noun} yet
            </p>
          )}
        </div>
      </div>

      <form
        noValidate
        aria-label={`Upload a new ${noun}`}
        aria-busy={pending}
        className="space-y-4"
        onSubmit={(event) => {
          event.preventDefault();
          const formElement = event.currentTarget;
          const form = new FormData(formElement);
          const file = form.get('file');
          // Quick answers for the obvious cases; the server checks the bytes themselves.
          if (!(file instanceof File) || file.size === 0) {
            setError(`Choose an image file for the ${noun}.`);
            return;
          }
          if (file.size > limit) {
            setError(`The ${noun} must be ${formatMegabytes(limit)} or smaller; this file is ${formatMegabytes(file.size)}.`);
            return;
          }
          form.set('kind', kind);
          setBusy('upload');
          startTransition(async () => {
            let result: Awaited<ReturnType<typeof uploadClinicImageAction>>;
            try {
              result = await uploadClinicImageAction(form);
            } catch {
              // The request itself failed (connection lost, or refused before reaching the action).
              setBusy(null);
              setFormError(`The ${noun} could not be uploaded. Check your connection and try again.`);
              return;
            }
            setBusy(null);
            if (!result.ok) {
              setError(result.fieldErrors?.file?.[0]);
              setFormError(result.fieldErrors?.file ? null : result.error);
              return;
            }
            setError(undefined);
            setFormError(null);
            setSelected(null);
            formElement.reset();
            toast({ title: `${title} uploaded`, description: 'It will appear on the next PDFs you export.', variant: 'success' });
            router.refresh();
          });
        }}
      >
        <FormError message={formError} />
        <Field
          label={version ? `Replace the ${noun}` : `Choose a ${noun}`}
          description={`PNG, JPEG or WebP, up to ${formatMegabytes(limit)}.`}
          error={error}
        >
          <Input
            name="file"
            type="file"
            accept={IMAGE_ACCEPT}
            disabled={pending}
            className="py-2 file:mr-3 h-auto"
            onChange={(event) => {
              const file = event.currentTarget.files?.[0];
              setFormError(null);
              setError(
                file && file.size > limit
                  ? `The ${noun} must be ${formatMegabytes(limit)} or smaller; this file is ${formatMegabytes(file.size)}.`
                  : undefined,
              );
              setSelected(file ? { url: URL.createObjectURL(file), name: file.name } : null);
            }}
          />
        </Field>
        {selected && (
          <div>
            <p className="text-sm font-medium text-slate-800">
              Selected image: <span className="font-normal break-all text-slate-600">{selected.name}</span>
            </p>
            <div className="mt-2 flex min-h-24 items-center justify-center rounded-md border border-slate-200 bg-white p-3">
              <Image
                src={selected.url}
                alt={`Preview of the selected ${noun}`}
                width={320}
                height={96}
                unoptimized
                className="h-20 w-auto max-w-full object-contain"
              />
            </div>
          </div>
        )}
        {busy && (
          <div className="space-y-1" role="status">
            <p className="text-sm text-slate-700">{busy === 'upload' ? `Uploading the ${noun}…` : `Removing the ${noun}…`}</p>
            <Progress aria-label={busy === 'upload' ? `Uploading the ${noun}` : `Removing the ${noun}`} />
          </div>
        )}
        <div className="flex flex-wrap gap-3">
          <Button type="submit" loading={busy === 'upload'} disabled={pending || !selected}>
            <Upload className="size-4" aria-hidden="true" />
            Upload {noun}
          </Button>
          {version && (
            <Button
              type="button"
              variant="outline"
              loading={busy === 'remove'}
              disabled={pending}
              onClick={() => {
                setBusy('remove');
                startTransition(async () => {
                  const result = await removeClinicImageAction(kind);
                  setBusy(null);
                  if (!result.ok) {
                    setFormError(result.error);
                    return;
                  }
                  setFormError(null);
                  toast({ title: `${title} removed`, description: 'Exported PDFs will no longer show it.', variant: 'success' });
                  router.refresh();
                });
              }}
            >
              <Trash2 className="size-4" aria-hidden="true" />
              Remove {noun}
            </Button>
          )}
        </div>
      </form>
    </div>
  );
}
