'use client';

import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import { Tabs } from 'radix-ui';
import { ClipboardPaste, FileUp, Sparkles } from 'lucide-react';
import { useActionForm, type FieldErrors } from '@/components/forms/use-action-form';
import { FileDrop, type UploadedFile } from '@/components/jobs/file-drop';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { Textarea } from '@/components/ui/textarea';
import { useToast } from '@/components/ui/toast';
import { FormError } from '@/components/form-error';
import { SPECIALTIES, SPECIALTY_LABELS } from '@/lib/analysis/schema';
import { SPECIALTY_CHOICES, submitAnalysisSchema, type SpecialtyChoice } from '@/lib/jobs/analysis-input';
import { cn } from '@/lib/utils';
import { submitAnalysisJobAction } from './actions';

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

export interface NewJobPanelProps {
  /** The plan's upload limit in bytes. */
  maxUploadBytes: number;
  /** Characters of text that go into an analysis (ANALYSIS_MAX_CHARS); more is truncated with a notice. */
  analysisMaxChars: number;
}

export function NewJobPanel({ maxUploadBytes, analysisMaxChars }: NewJobPanelProps) {
  const router = useRouter();
  const { toast } = useToast();
  const { pending, errors, formError, setErrors, submit } = useActionForm();
  const idempotencyKey = useRef<string | null>(null);
  const [source, setSource] = useState<Source>('upload');
  const [upload, setUpload] = useState<UploadedFile | null>(null);
  const [uploading, setUploading] = useState(false);
  const [text, setText] = useState('');
  const [specialty, setSpecialty] = useState<SpecialtyChoice>('auto');
  const [handwritten, setHandwritten] = useState(false);
  const [title, setTitle] = useState('');

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (uploading) return;
    idempotencyKey.current ??= newIdempotencyKey();
    const input =
      source === 'upload'
        ? { uploadId: upload?.id, specialty, handwritten, title, idempotencyKey: idempotencyKey.current }
        : { text, specialty, handwritten: false, title, idempotencyKey: idempotencyKey.current };
    // The same schema the server applies: obvious mistakes are answered without a round trip.
    const checked = submitAnalysisSchema.safeParse(input);
    if (!checked.success) {
      const fieldErrors = fieldErrorsOf(checked.error.issues);
      if (source === 'upload' && !upload) fieldErrors.uploadId = ['Choose a file to analyse, or paste the note as text instead.'];
      setErrors(fieldErrors);
      return;
    }
    submit(
      () => submitAnalysisJobAction(input),
      ({ jobId, duplicate }) => {
        idempotencyKey.current = null;
        toast({ title: duplicate ? 'This analysis was already started' : 'Analysis started', variant: 'success' });
        router.push(`/jobs/${jobId}`);
      },
    );
  }

  const sourceError = source === 'upload' ? (errors.uploadId?.[0] ?? errors.text?.[0]) : errors.text?.[0];
  const overCap = text.length > analysisMaxChars;

  return (
    <form noValidate onSubmit={onSubmit} aria-labelledby="new-job-heading" aria-busy={pending} className="space-y-5">
      <FormError message={formError} />
      <Tabs.Root value={source} onValueChange={(value) => setSource(value === 'text' ? 'text' : 'upload')}>
        <Tabs.List aria-label="How to give the note" className="flex gap-1 rounded-lg bg-slate-100 p-1 sm:inline-flex">
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
          <FileDrop maxBytes={maxUploadBytes} onChange={setUpload} onBusyChange={setUploading} disabled={pending} />
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
              <span className="block text-slate-600">Reads the page as an image even when the file has a text layer. Images are always read this way.</span>
            </span>
          </label>
        </Tabs.Content>

        <Tabs.Content value="text" forceMount className="mt-4 data-[state=inactive]:hidden">
          <Field
            label="Note text"
            error={source === 'text' ? sourceError : undefined}
            description={
              <span aria-live="off" className="tabular-nums">
                {text.length.toLocaleString('en-US')} {text.length === 1 ? 'character' : 'characters'}
              </span>
            }
          >
            <Textarea name="text" rows={10} value={text} onChange={(e) => setText(e.target.value)} placeholder="Paste the clinical note here." />
          </Field>
          {overCap && (
            <p role="status" className="mt-2 rounded-md border border-warning-200 bg-warning-50 px-3 py-2 text-sm text-warning-700">
              This text is longer than {analysisMaxChars.toLocaleString('en-US')} characters: only the first{' '}
              {analysisMaxChars.toLocaleString('en-US')} are analysed, and the job will say so.
            </p>
          )}
        </Tabs.Content>
      </Tabs.Root>

      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Specialty" error={errors.specialty?.[0]} description="Detected from the note unless you choose one.">
          <Select name="specialty" value={specialty} onChange={(e) => setSpecialty(SPECIALTY_CHOICES.find((c) => c === e.target.value) ?? 'auto')}>
            <option value="auto">Detect automatically</option>
            {SPECIALTIES.map((s) => (
              <option key={s} value={s}>
                {SPECIALTY_LABELS[s]}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Title (optional)" error={errors.title?.[0]} description="Helps you find the job in your clinic’s list.">
          <Input name="title" value={title} maxLength={200} autoComplete="off" onChange={(e) => setTitle(e.target.value)} />
        </Field>
      </div>
      {errors.idempotencyKey?.[0] && <FormError message={errors.idempotencyKey[0]} />}

      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" loading={pending} disabled={uploading}>
          <Sparkles className="size-4" aria-hidden="true" />
          Start analysis
        </Button>
        {uploading && <p className="text-sm text-slate-600">Waiting for the upload to finish…</p>}
      </div>
    </form>
  );
}
