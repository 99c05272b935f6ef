'use client';

import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import { Tabs } from 'radix-ui';
import { AudioLines, FileUp, Mic } from 'lucide-react';
import { useActionForm } from '@/components/forms/use-action-form';
import { FileDrop, type FileFormats } from '@/components/jobs/file-drop';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { useToast } from '@/components/ui/toast';
import { FormError } from '@/components/form-error';
import { TRANSCRIPTION_LANGUAGES, TRANSCRIPTION_MODES, submitTranscriptionSchema, type TranscriptionLanguage, type TranscriptionMode } from '@/lib/jobs/transcription-input';
import { cn } from '@/lib/utils';
import { submitTranscriptionAction } from '@/app/(app)/transcribe/actions';
import { Recorder, type ReadyAudio } from './recorder';

const AUDIO_FORMATS: FileFormats = {
  input: '.webm,.ogg,.oga,.opus,.mp3,.m4a,.wav,audio/webm,audio/ogg,audio/mpeg,audio/mp4,audio/x-m4a,audio/wav,audio/x-wav',
  extensions: ['webm', 'ogg', 'oga', 'opus', 'mp3', 'm4a', 'wav'],
  text: 'WebM, Ogg, MP3, M4A or WAV',
};

export const MODE_LABELS: Record<TranscriptionMode, { title: string; body: string }> = {
  dictation: { title: 'Dictation', body: 'One voice: you dictating a note.' },
  conversation: { title: 'Exam conversation', body: 'Several voices, labelled Speaker 1 to Speaker 4 when the model can tell them apart.' },
};

export const LANGUAGE_LABELS: Record<TranscriptionLanguage, string> = {
  auto: 'Detect automatically',
  en: 'English',
  pt: 'Portuguese',
  es: 'Spanish',
  fr: 'French',
};

function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

const tabClasses = cn(
  'inline-flex flex-1 items-center justify-center gap-2 rounded-md px-3 py-2 text-sm font-medium text-slate-700 sm:flex-none',
  'hover:text-slate-950 data-[state=active]:bg-white data-[state=active]:text-brand-800 data-[state=active]:shadow-xs',
);

export interface TranscribeFormProps {
  maxUploadBytes: number;
  /** Null when transcription can run; otherwise what an administrator must configure. */
  unavailableReason: string | null;
}

/** Record or upload audio, choose mode, language and title, and start the transcription. */
export function TranscribeForm({ maxUploadBytes, unavailableReason }: TranscribeFormProps) {
  const router = useRouter();
  const { toast } = useToast();
  const { pending, errors, formError, setErrors, submit } = useActionForm();
  const idempotencyKey = useRef<string | null>(null);
  const [source, setSource] = useState<'record' | 'upload'>('record');
  const [recorded, setRecorded] = useState<ReadyAudio | null>(null);
  const [uploaded, setUploaded] = useState<ReadyAudio | null>(null);
  const [busy, setBusy] = useState(false);
  const [mode, setMode] = useState<TranscriptionMode>('dictation');
  const [language, setLanguage] = useState<TranscriptionLanguage>('auto');
  const [title, setTitle] = useState('');
  const disabled = unavailableReason !== null;
  const audio = source === 'record' ? recorded : uploaded;

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy || disabled) return;
    idempotencyKey.current ??= newIdempotencyKey();
    const input = { uploadId: audio?.uploadId ?? '', mode, language, title, idempotencyKey: idempotencyKey.current };
    const checked = submitTranscriptionSchema.safeParse(input);
    if (!checked.success) {
      const fieldErrors: Record<string, string[]> = {};
      for (const issue of checked.error.issues) (fieldErrors[String(issue.path[0] ?? 'form')] ??= []).push(issue.message);
      setErrors(fieldErrors);
      return;
    }
    submit(
      () => submitTranscriptionAction(input),
      ({ jobId, duplicate }) => {
        idempotencyKey.current = null;
        toast({ title: duplicate ? 'This transcription was already started' : 'Transcription started', variant: 'success' });
        router.push(`/jobs/${jobId}`);
      },
    );
  }

  return (
    <form noValidate onSubmit={onSubmit} aria-labelledby="transcribe-heading" aria-busy={pending} className="space-y-5">
      {unavailableReason && (
        <p role="note" className="rounded-lg border border-warning-200 bg-warning-50 p-3 text-sm text-warning-700">
          <span className="block font-semibold">Transcription is turned off on this server.</span>
          {unavailableReason}
        </p>
      )}
      <FormError message={formError} />
      <fieldset disabled={disabled} className="space-y-5 disabled:opacity-60">
        <Tabs.Root value={source} onValueChange={(value) => setSource(value === 'upload' ? 'upload' : 'record')}>
          <Tabs.List aria-label="How to give the audio" className="flex gap-1 rounded-lg bg-slate-100 p-1 sm:inline-flex">
            <Tabs.Trigger value="record" className={tabClasses} disabled={disabled}>
              <Mic className="size-4" aria-hidden="true" />
              Record
            </Tabs.Trigger>
            <Tabs.Trigger value="upload" className={tabClasses} disabled={disabled}>
              <FileUp className="size-4" aria-hidden="true" />
              Upload a file
            </Tabs.Trigger>
          </Tabs.List>
          <Tabs.Content value="record" forceMount className="mt-4 data-[state=inactive]:hidden">
            <Recorder onChange={setRecorded} onBusyChange={setBusy} disabled={disabled || pending} />
          </Tabs.Content>
          <Tabs.Content value="upload" forceMount className="mt-4 data-[state=inactive]:hidden">
            <FileDrop
              maxBytes={maxUploadBytes}
              subject="recording"
              formats={AUDIO_FORMATS}
              onChange={(file) => setUploaded(file ? { uploadId: file.id, label: file.name } : null)}
              onBusyChange={setBusy}
              disabled={disabled || pending}
            />
          </Tabs.Content>
        </Tabs.Root>
        {errors.uploadId?.[0] && (
          <p className="text-sm font-medium text-danger-700" role="alert">
            {errors.uploadId[0]}
          </p>
        )}

        <fieldset>
          <legend className="text-sm font-medium text-slate-900">Mode</legend>
          <div className="mt-2 grid gap-2 sm:grid-cols-2">
            {TRANSCRIPTION_MODES.map((m) => (
              <label
                key={m}
                className={cn(
                  'flex cursor-pointer items-start gap-3 rounded-lg border p-3 text-sm',
                  mode === m ? 'border-brand-500 bg-brand-50' : 'border-slate-200 bg-white hover:border-brand-300',
                )}
              >
                <input type="radio" name="mode" value={m} checked={mode === m} onChange={() => setMode(m)} className="mt-0.5 size-4 accent-brand-600" />
                <span>
                  <span className="block font-medium text-slate-900">{MODE_LABELS[m].title}</span>
                  <span className="text-slate-600">{MODE_LABELS[m].body}</span>
                </span>
              </label>
            ))}
          </div>
          {errors.mode?.[0] && <p className="mt-1 text-sm font-medium text-danger-700">{errors.mode[0]}</p>}
        </fieldset>

        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="Language" error={errors.language?.[0]}>
            <Select name="language" value={language} onChange={(e) => setLanguage(TRANSCRIPTION_LANGUAGES.find((l) => l === e.target.value) ?? 'auto')}>
              {TRANSCRIPTION_LANGUAGES.map((l) => (
                <option key={l} value={l}>
                  {LANGUAGE_LABELS[l]}
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
          <Button type="submit" loading={pending} disabled={busy || disabled || !audio}>
            <AudioLines className="size-4" aria-hidden="true" />
            Start transcription
          </Button>
          {busy && <p className="text-sm text-slate-600">Finish the recording or upload first…</p>}
          {!busy && !audio && !disabled && <p className="text-sm text-slate-600">Record or upload audio to continue.</p>}
        </div>
      </fieldset>
    </form>
  );
}
