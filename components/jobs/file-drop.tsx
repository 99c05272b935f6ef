'use client';

import { useEffect, useId, useRef, useState } from 'react';
import { CheckCircle2, FileUp, X } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Progress } from '@/components/ui/progress';
import { cn } from '@/lib/utils';
import { formatBytes } from './format';

/** What POST /api/uploads answers for a stored file. */
export interface UploadedFile {
  id: string;
  kind: string;
  byteSize: number;
  duplicate: boolean;
  name: string;
}

/** Document types an analysis reads (DOMAIN.md "Inputs"); the server decides by the bytes, this only spares a round trip. */
export const DOCUMENT_EXTENSIONS = ['pdf', 'docx', 'txt', 'png', 'jpg', 'jpeg', 'webp', 'tif', 'tiff'] as const;
const ACCEPT = [
  ...DOCUMENT_EXTENSIONS.map((e) => `.${e}`),
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'text/plain',
  'image/png',
  'image/jpeg',
  'image/webp',
  'image/tiff',
].join(',');
const KINDS_TEXT = 'PDF, Word (DOCX), plain text, PNG, JPEG, WebP or TIFF';

type Phase =
  | { kind: 'idle' }
  | { kind: 'uploading'; name: string; size: number; percent: number }
  | { kind: 'uploaded'; name: string; size: number; upload: UploadedFile }
  | { kind: 'error'; name: string | null; size: number | null; message: string };

/** The message of an error body (lib/errors.ts toErrorBody), or null. */
function errorMessageOf(body: unknown): string | null {
  const error = (body as { error?: { message?: unknown; fieldErrors?: Record<string, unknown> } } | null)?.error;
  if (!error) return null;
  const field = error.fieldErrors && Object.values(error.fieldErrors).flat().find((m): m is string => typeof m === 'string');
  return field ?? (typeof error.message === 'string' ? error.message : null);
}

function uploadedFileOf(body: unknown): UploadedFile | null {
  const b = body as Partial<UploadedFile> | null;
  if (!b || typeof b.id !== 'string' || typeof b.byteSize !== 'number') return null;
  return { id: b.id, kind: String(b.kind ?? ''), byteSize: b.byteSize, duplicate: b.duplicate === true, name: typeof b.name === 'string' ? b.name : '' };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export interface FileDropProps {
  /** The plan's upload limit, checked here before sending (the server checks again). */
  maxBytes: number;
  /** Called with the stored file, or null when it is removed or replaced. */
  onChange: (upload: UploadedFile | null) => void;
  /** Called while a file is being sent, so the form can wait for it. */
  onBusyChange?: (busy: boolean) => void;
  disabled?: boolean;
  /** What the file holds, in the zone's prompt and messages ("note" for analyses, "document" for triage). */
  subject?: string;
  /** The file types the zone takes; documents (DOCUMENT_FORMATS) unless given: the transcription page passes audio. */
  formats?: FileFormats;
}

export interface FileFormats {
  /** The file input's accept attribute. */
  input: string;
  extensions: readonly string[];
  /** "PDF, Word (DOCX), …", shown under the prompt and in errors. */
  text: string;
}

export const DOCUMENT_FORMATS: FileFormats = { input: ACCEPT, extensions: DOCUMENT_EXTENSIONS, text: KINDS_TEXT };

/**
 * Drop a file on the zone or choose one (the zone is the file input's label, so a
 * click, Enter or Space opens the picker). The file is sent at once to
 * POST /api/uploads with its progress shown; the server's errors appear inline.
 */
export function FileDrop({ maxBytes, onChange, onBusyChange, disabled, subject = 'note', formats = DOCUMENT_FORMATS }: FileDropProps) {
  const inputId = useId();
  const hintId = `${inputId}-hint`;
  const statusId = `${inputId}-status`;
  const inputRef = useRef<HTMLInputElement>(null);
  const request = useRef<XMLHttpRequest | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [dragging, setDragging] = useState(false);

  useEffect(() => () => request.current?.abort(), []);

  function setBusy(busy: boolean) {
    onBusyChange?.(busy);
  }

  function reset() {
    request.current?.abort();
    request.current = null;
    setBusy(false);
    setPhase({ kind: 'idle' });
    onChange(null);
    if (inputRef.current) inputRef.current.value = '';
  }

  function fail(name: string | null, size: number | null, message: string) {
    setBusy(false);
    setPhase({ kind: 'error', name, size, message });
    onChange(null);
  }

  function send(file: File) {
    request.current?.abort();
    onChange(null);
    const extension = file.name.includes('.') ? file.name.split('.').pop()!.toLowerCase() : '';
    if (!formats.extensions.includes(extension)) {
      fail(file.name, file.size, `That kind of file cannot be used here. Choose a ${formats.text} file.`);
      return;
    }
    if (file.size === 0) {
      fail(file.name, file.size, `That file is empty. Choose the file that holds the ${subject}.`);
      return;
    }
    if (file.size > maxBytes) {
      fail(file.name, file.size, `That file is ${formatBytes(file.size)}; your clinic’s plan accepts files up to ${formatBytes(maxBytes)}.`);
      return;
    }

    const form = new FormData();
    form.append('file', file);
    const xhr = new XMLHttpRequest();
    request.current = xhr;
    setBusy(true);
    setPhase({ kind: 'uploading', name: file.name, size: file.size, percent: 0 });
    xhr.upload.onprogress = (event) => {
      if (!event.lengthComputable || request.current !== xhr) return;
      setPhase({ kind: 'uploading', name: file.name, size: file.size, percent: Math.min(99, Math.round((event.loaded / event.total) * 100)) });
    };
    xhr.onload = () => {
      if (request.current !== xhr) return;
      request.current = null;
      const body = parseJson(xhr.responseText);
      const uploaded = xhr.status >= 200 && xhr.status < 300 ? uploadedFileOf(body) : null;
      if (!uploaded) {
        fail(file.name, file.size, errorMessageOf(body) ?? `The upload did not go through (error ${xhr.status}). Please try again.`);
        return;
      }
      setBusy(false);
      setPhase({ kind: 'uploaded', name: file.name, size: uploaded.byteSize, upload: uploaded });
      onChange(uploaded);
    };
    xhr.onerror = () => {
      if (request.current !== xhr) return;
      request.current = null;
      fail(file.name, file.size, 'The upload was interrupted. Check your connection and try again.');
    };
    xhr.open('POST', '/api/uploads');
    xhr.setRequestHeader('accept', 'application/json');
    xhr.send(form);
  }

  const busy = phase.kind === 'uploading';
  const describedBy = phase.kind === 'idle' ? hintId : `${hintId} ${statusId}`;

  return (
    <div className="space-y-3">
      <label
        htmlFor={inputId}
        onDragOver={(event) => {
          if (disabled) return;
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(event) => {
          event.preventDefault();
          setDragging(false);
          if (disabled) return;
          const files = event.dataTransfer.files;
          if (files.length > 1) {
            fail(null, null, `Drop one file at a time: each job reads one ${subject}.`);
            return;
          }
          const file = files[0];
          if (file) send(file);
        }}
        className={cn(
          'flex cursor-pointer flex-col items-center justify-center rounded-lg border-2 border-dashed px-4 py-8 text-center transition-colors',
          'has-[input:focus-visible]:outline-3 has-[input:focus-visible]:outline-offset-2 has-[input:focus-visible]:outline-focus',
          dragging ? 'border-brand-600 bg-brand-50' : 'border-slate-300 bg-slate-50 hover:border-brand-400 hover:bg-brand-50/50',
          disabled && 'cursor-not-allowed opacity-60',
        )}
      >
        <FileUp className="size-8 text-brand-700" aria-hidden="true" />
        <span className="mt-2 text-sm font-semibold text-slate-900">
          Drop the {subject} here, or <span className="text-brand-700 underline underline-offset-2">choose a file</span>
        </span>
        <span id={hintId} className="mt-1 text-xs text-slate-600">
          {formats.text}; up to {formatBytes(maxBytes)}.
        </span>
        <input
          ref={inputRef}
          id={inputId}
          type="file"
          name="file"
          accept={formats.input}
          className="sr-only"
          aria-label={`${subject.charAt(0).toUpperCase()}${subject.slice(1)} file`}
          aria-describedby={describedBy}
          disabled={disabled || busy}
          onChange={(event) => {
            const file = event.target.files?.[0];
            if (file) send(file);
          }}
        />
      </label>

      <div id={statusId} aria-live="polite">
        {phase.kind === 'uploading' && (
          <div className="rounded-md border border-slate-200 bg-white p-3">
            <div className="flex items-center justify-between gap-3 text-sm">
              <span className="min-w-0 truncate font-medium text-slate-900">{phase.name}</span>
              <span className="shrink-0 text-slate-600 tabular-nums">
                {formatBytes(phase.size)} · {phase.percent} %
              </span>
            </div>
            <Progress className="mt-2" aria-label="Upload progress" value={phase.percent} valueText={`Uploading, ${phase.percent} %`} />
            <Button variant="ghost" size="sm" className="mt-2" onClick={reset}>
              Stop the upload
            </Button>
          </div>
        )}
        {phase.kind === 'uploaded' && (
          <div className="flex items-center gap-3 rounded-md border border-success-200 bg-success-50 p-3 text-sm">
            <CheckCircle2 className="size-5 shrink-0 text-success-700" aria-hidden="true" />
            <span className="min-w-0 flex-1">
              <span className="block truncate font-medium text-slate-900">{phase.name}</span>
              <span className="text-slate-700">
                {formatBytes(phase.size)} · {phase.upload.duplicate ? 'Already uploaded before: the stored copy is used.' : 'Uploaded.'}
              </span>
            </span>
            <Button variant="ghost" size="sm" onClick={reset}>
              <X className="size-4" aria-hidden="true" />
              Remove<span className="sr-only"> {phase.name}</span>
            </Button>
          </div>
        )}
        {phase.kind === 'error' && (
          <p className="rounded-md border border-danger-200 bg-danger-50 px-3 py-2 text-sm font-medium text-danger-700" role="alert">
            {phase.name && (
              <span className="block font-semibold break-all">
                {phase.name}
                {phase.size !== null && ` (${formatBytes(phase.size)})`}
              </span>
            )}
            {phase.message}
          </p>
        )}
      </div>
    </div>
  );
}
