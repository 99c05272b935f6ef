'use client';

import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import { Tabs } from 'radix-ui';
import { ClipboardPaste, FileUp, Inbox } from 'lucide-react';
import { useActionForm, type FieldErrors } from '@/components/forms/use-action-form';
import { FileDrop, type UploadedFile } from '@/components/jobs/file-drop';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Textarea } from '@/components/ui/textarea';
import { useToast } from '@/components/ui/toast';
import { FormError } from '@/components/form-error';
import { submitTriageSchema } from '@/lib/jobs/triage-input';
import { cn } from '@/lib/utils';
import { submitTriageJobAction } from './actions';

type Source = 'upload' | 'text';

/** A fresh key per form: a resubmitted form (double click, retried request) returns the job its first submit created. */
function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // Older browsers on plain http lack randomUUID; getRandomValues is everywhere.
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

function fieldErrorsOf(issues: readonly { path: readonly PropertyKey[]; message: string }[]): FieldErrors {
  const errors: Record<string, string[]> = {};
  for (const issue of issues) (errors[String(issue.path[0] ?? 'form')] ??= []).push(issue.message);
  return errors;
}

const tabClasses = cn(
  'inline-flex flex-1 items-center justify-center gap-2 rounded-md px-3 py-2 text-sm font-medium text-slate-700 sm:flex-none',
  'hover:text-slate-950 data-[state=active]:bg-white data-[state=active]:text-brand-800 data-[state=active]:shadow-xs',
);

/** "Triage a document": upload an incoming fax or letter, or paste its text; the job page follows it. */
export function TriagePanel({ maxUploadBytes }: { maxUploadBytes: number }) {
  const router = useRouter();
  const { toast } = useToast();
  const { pending, errors, formError, setErrors, submit } = useActionForm();
  const idempotencyKey = useRef<string | null>(null);
  const [source, setSource] = useState<Source>('upload');
  const [upload, setUpload] = useState<UploadedFile | null>(null);
  const [uploading, setUploading] = useState(false);
  const [text, setText] = useState('');
  const [handwritten, setHandwritten] = useState(false);
  const [title, setTitle] = useState('');

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (uploading) return;
    idempotencyKey.current ??= newIdempotencyKey();
    const input =
      source === 'upload'
        ? { uploadId: upload?.id, handwritten, title, idempotencyKey: idempotencyKey.current }
        : { text, handwritten: false, title, idempotencyKey: idempotencyKey.current };
    // The same schema the server applies: obvious mistakes are answered without a round trip.
    const checked = submitTriageSchema.safeParse(input);
    if (!checked.success) {
      const fieldErrors = fieldErrorsOf(checked.error.issues);
      if (source === 'upload' && !upload) fieldErrors.uploadId = ['Choose the incoming document, or paste its text instead.'];
      setErrors(fieldErrors);
      return;
    }
    submit(
      () => submitTriageJobAction(input),
      ({ jobId, duplicate }) => {
        idempotencyKey.current = null;
        toast({ title: duplicate ? 'This document was already sent to triage' : 'Triage started', variant: 'success' });
        router.push(`/jobs/${jobId}`);
      },
    );
  }

  const sourceError = source === 'upload' ? (errors.uploadId?.[0] ?? errors.text?.[0]) : errors.text?.[0];

  return (
    <form noValidate onSubmit={onSubmit} aria-labelledby="triage-panel-heading" aria-busy={pending} className="space-y-5">
      <FormError message={formError} />
      <Tabs.Root value={source} onValueChange={(value) => setSource(value === 'text' ? 'text' : 'upload')}>
        <Tabs.List aria-label="How to give the document" className="flex gap-1 rounded-lg bg-slate-100 p-1 sm:inline-flex">
          <Tabs.Trigger value="upload" className={tabClasses}>
            <FileUp className="size-4" aria-hidden="true" />
            Upload a file
          </Tabs.Trigger>
          <Tabs.Trigger value="text" className={tabClasses}>
            <ClipboardPaste className="size-4" aria-hidden="true" />
            Paste text
          </Tabs.Trigger>
        </Tabs.List>

        {/* Both panels stay mounted so switching tabs keeps an upload or a paste. */}
        <Tabs.Content value="upload" forceMount className="mt-4 space-y-4 data-[state=inactive]:hidden">
          <FileDrop maxBytes={maxUploadBytes} onChange={setUpload} onBusyChange={setUploading} disabled={pending} subject="document" />
          {source === 'upload' && sourceError && (
            <p className="text-sm font-medium text-danger-700" role="alert">
              {sourceError}
            </p>
          )}
          <label className="flex items-start gap-3 text-sm text-slate-800">
            <input
              type="checkbox"
              name="handwritten"
              checked={handwritten}
              onChange={(e) => setHandwritten(e.target.checked)}
              className="mt-0.5 size-4 rounded border-slate-300 accent-brand-600"
            />
            <span>
              <span className="font-medium">Handwritten or scanned (force OCR)</span>
              <span className="block text-slate-600">For faxes that are pictures of a page even inside a PDF. Images are always read this way.</span>
            </span>
          </label>
        </Tabs.Content>

        <Tabs.Content value="text" forceMount className="mt-4 data-[state=inactive]:hidden">
          <Field
            label="Document text"
            error={source === 'text' ? sourceError : undefined}
            description={
              <span aria-live="off" className="tabular-nums">
                {text.length.toLocaleString('en-US')} {text.length === 1 ? 'character' : 'characters'}
              </span>
            }
          >
            <Textarea name="text" rows={8} value={text} onChange={(e) => setText(e.target.value)} placeholder="Paste the fax, letter or form here." />
          </Field>
        </Tabs.Content>
      </Tabs.Root>

      <Field label="Title (optional)" error={errors.title?.[0]} description="Helps you find the document in the inbox.">
        <Input name="title" value={title} maxLength={200} autoComplete="off" onChange={(e) => setTitle(e.target.value)} />
      </Field>
      {errors.idempotencyKey?.[0] && <FormError message={errors.idempotencyKey[0]} />}

      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" loading={pending} disabled={uploading}>
          <Inbox className="size-4" aria-hidden="true" />
          Triage document
        </Button>
        {uploading && <p className="text-sm text-slate-600">Waiting for the upload to finish…</p>}
      </div>
    </form>
  );
}
