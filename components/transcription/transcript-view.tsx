'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, useTransition } from 'react';
import { Copy, History, Pencil, Save, Sparkles, X } from 'lucide-react';
import { formatJobTime } from '@/components/jobs/format';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Select } from '@/components/ui/select';
import { Textarea } from '@/components/ui/textarea';
import { useToast } from '@/components/ui/toast';
import { SPECIALTIES, SPECIALTY_LABELS } from '@/lib/analysis/schema';
import { transcriptText, type TranscriptSegment } from '@/lib/jobs/transcription-input';
import { cn } from '@/lib/utils';
import { analyzeTranscriptAction, restoreTranscriptAction, saveTranscriptAction } from '@/app/(app)/transcribe/actions';
import { formatElapsed } from './recorder';

/** What the page passes: lib/jobs/transcription getTranscript's view, JSON-safe. */
export interface TranscriptData {
  jobId: string;
  durationMs: number | null;
  speakers: 'diarized' | 'single';
  versions: { version: number; authorId: string | null; authorName: string | null; createdAt: string }[];
  current: { version: number; segments: TranscriptSegment[]; text: string } | null;
  analysisJobs: { id: string; status: string; createdAt: string }[];
  upload: { id: string; contentType: string } | null;
}

function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Where the audio element plays the recording from. The app streams local files
 * without byte ranges, which a media element needs to seek, so the recording is
 * loaded once and played from memory. If that fails (an S3 redirect the browser
 * may not fetch across origins), the direct URL serves: S3 answers ranges itself.
 */
function usePlayableSource(uploadId: string | null): string | null {
  const [source, setSource] = useState<string | null>(null);
  useEffect(() => {
    if (!uploadId) return;
    const direct = `/api/uploads/${uploadId}`;
    let objectUrl: string | null = null;
    let cancelled = false;
    fetch(direct)
      .then((response) => (response.ok ? response.blob() : Promise.reject(new Error(`status ${response.status}`))))
      .then((blob) => {
        if (cancelled) return;
        objectUrl = URL.createObjectURL(blob);
        setSource(objectUrl);
      })
      .catch(() => {
        if (!cancelled) setSource(direct);
      });
    return () => {
      cancelled = true;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [uploadId]);
  return source;
}

/**
 * The transcript with timestamps and speakers, the recording synced to it (the
 * passage being played is highlighted; a timestamp seeks), editing saved as
 * versions, restore, copy, and "Analyze this transcript".
 */
export function TranscriptView({ data, mayEdit }: { data: TranscriptData; mayEdit: boolean }) {
  const router = useRouter();
  const { toast } = useToast();
  const audio = useRef<HTMLAudioElement>(null);
  const audioSource = usePlayableSource(data.upload?.id ?? null);
  const [playingMs, setPlayingMs] = useState<number | null>(null);
  const [editing, setEditing] = useState<TranscriptSegment[] | null>(null);
  const [message, setMessage] = useState<{ kind: 'error' | 'ok'; text: string } | null>(null);
  const [specialty, setSpecialty] = useState('auto');
  const [pending, startTransition] = useTransition();
  const analyzeKey = useRef<string | null>(null);
  const current = data.current;

  if (!current) {
    return <p className="text-sm text-slate-600">The transcript is not available.</p>;
  }
  const segments = current.segments;
  const activeIndex = playingMs === null ? -1 : segments.findIndex((s) => playingMs >= s.startMs && playingMs < s.endMs);

  function seek(ms: number) {
    const element = audio.current;
    if (!element) return;
    element.currentTime = ms / 1000;
    void element.play().catch(() => undefined);
  }

  function save() {
    if (!editing || !current) return;
    setMessage(null);
    startTransition(async () => {
      const result = await saveTranscriptAction(data.jobId, { baseVersion: current.version, segments: editing });
      if (!result.ok) {
        const field = result.fieldErrors && Object.values(result.fieldErrors).flat()[0];
        setMessage({ kind: 'error', text: field ?? result.error });
        return;
      }
      setEditing(null);
      setMessage({ kind: 'ok', text: `Saved as version ${result.data.version}.` });
      router.refresh();
    });
  }

  function restore(version: number) {
    setMessage(null);
    startTransition(async () => {
      const result = await restoreTranscriptAction(data.jobId, version);
      if (!result.ok) {
        setMessage({ kind: 'error', text: result.error });
        return;
      }
      setMessage({ kind: 'ok', text: `Version ${version} restored as version ${result.data.version}.` });
      router.refresh();
    });
  }

  function analyze() {
    setMessage(null);
    analyzeKey.current ??= newIdempotencyKey();
    const key = analyzeKey.current;
    startTransition(async () => {
      const result = await analyzeTranscriptAction(data.jobId, { specialty, idempotencyKey: key });
      if (!result.ok) {
        const field = result.fieldErrors && Object.values(result.fieldErrors).flat()[0];
        setMessage({ kind: 'error', text: field ?? result.error });
        return;
      }
      analyzeKey.current = null;
      toast({ title: 'Analysis started', variant: 'success' });
      router.push(`/jobs/${result.data.jobId}`);
    });
  }

  async function copy() {
    try {
      await navigator.clipboard.writeText(transcriptText(segments));
      toast({ title: 'Transcript copied', variant: 'success' });
    } catch {
      setMessage({ kind: 'error', text: 'The browser did not allow copying. Select the text and copy it instead.' });
    }
  }

  return (
    <div className="space-y-8">
      <section aria-labelledby="transcript-heading" className="space-y-4">
        <div className="flex flex-wrap items-center gap-2">
          <h2 id="transcript-heading" className="mr-auto text-lg font-semibold text-slate-950">
            Transcript <span className="text-sm font-normal text-slate-600">(version {current.version})</span>
          </h2>
          {!editing && (
            <Button variant="outline" size="sm" onClick={() => void copy()}>
              <Copy className="size-4" aria-hidden="true" />
              Copy
            </Button>
          )}
          {mayEdit && !editing && (
            <Button variant="outline" size="sm" onClick={() => setEditing(segments.map((s) => ({ ...s })))}>
              <Pencil className="size-4" aria-hidden="true" />
              Edit
            </Button>
          )}
        </div>
        <p className="text-sm text-slate-600">
          {data.speakers === 'diarized'
            ? 'Speakers are labelled by the transcription model; check the labels against the recording.'
            : 'This transcript is single-speaker: the configured model does not tell voices apart.'}
          {data.durationMs !== null && ` Length ${formatElapsed(data.durationMs)}.`}
        </p>

        {data.upload &&
          (audioSource ? (
            <audio
              ref={audio}
              controls
              preload="metadata"
              src={audioSource}
              className="w-full"
              aria-label="Recording"
              onTimeUpdate={(e) => setPlayingMs(e.currentTarget.currentTime * 1000)}
            />
          ) : (
            <p className="text-sm text-slate-600" role="status">
              Loading the recording…
            </p>
          ))}

        <div role="status" aria-live="polite">
          {message && (
            <p
              className={cn(
                'rounded-md border px-3 py-2 text-sm font-medium',
                message.kind === 'error' ? 'border-danger-200 bg-danger-50 text-danger-700' : 'border-success-200 bg-success-50 text-success-700',
              )}
            >
              {message.text}
            </p>
          )}
        </div>

        {editing ? (
          <div className="space-y-3">
            {editing.map((segment, i) => (
              <Field key={i} label={`${formatElapsed(segment.startMs)}${segment.speaker ? ` · ${segment.speaker}` : ''}`}>
                <Textarea
                  rows={Math.min(8, Math.max(2, Math.ceil(segment.text.length / 70)))}
                  value={segment.text}
                  onChange={(e) => setEditing((list) => list && list.map((s, j) => (j === i ? { ...s, text: e.target.value } : s)))}
                />
              </Field>
            ))}
            <div className="flex flex-wrap gap-2">
              <Button onClick={save} loading={pending}>
                <Save className="size-4" aria-hidden="true" />
                Save as a new version
              </Button>
              <Button variant="ghost" onClick={() => setEditing(null)} disabled={pending}>
                <X className="size-4" aria-hidden="true" />
                Cancel
              </Button>
            </div>
          </div>
        ) : (
          <ol className="space-y-2" aria-label="Transcript passages">
            {segments.map((segment, i) => (
              <li
                key={i}
                aria-current={i === activeIndex ? 'true' : undefined}
                className={cn('flex gap-3 rounded-md p-2 text-sm', i === activeIndex ? 'bg-brand-50 ring-1 ring-brand-200' : '')}
              >
                <button
                  type="button"
                  onClick={() => seek(segment.startMs)}
                  disabled={!data.upload}
                  className="h-fit shrink-0 rounded font-mono text-xs text-brand-700 tabular-nums underline-offset-2 hover:underline disabled:text-slate-500 disabled:no-underline"
                >
                  <span className="sr-only">Play from </span>
                  {formatElapsed(segment.startMs)}
                </button>
                <p className="min-w-0 text-slate-900">
                  {segment.speaker && <span className="font-semibold">{segment.speaker}: </span>}
                  {segment.text}
                </p>
              </li>
            ))}
          </ol>
        )}
      </section>

      {mayEdit && (
        <section aria-labelledby="analyze-heading" className="rounded-lg border border-slate-200 bg-white p-4">
          <h2 id="analyze-heading" className="text-base font-semibold text-slate-900">
            Analyze this transcript
          </h2>
          <p className="mt-1 text-sm text-slate-600">Runs a clinical analysis of the current version’s text, as for a pasted note, and links it here.</p>
          <div className="mt-3 flex flex-wrap items-end gap-3">
            <Field label="Specialty" className="min-w-56">
              <Select name="specialty" value={specialty} onChange={(e) => setSpecialty(e.target.value)}>
                <option value="auto">Detect automatically</option>
                {SPECIALTIES.map((s) => (
                  <option key={s} value={s}>
                    {SPECIALTY_LABELS[s]}
                  </option>
                ))}
              </Select>
            </Field>
            <Button onClick={analyze} loading={pending} disabled={editing !== null}>
              <Sparkles className="size-4" aria-hidden="true" />
              Analyze this transcript
            </Button>
          </div>
          {data.analysisJobs.length > 0 && (
            <ul className="mt-4 space-y-1 text-sm" aria-label="Analyses of this transcript">
              {data.analysisJobs.map((job) => (
                <li key={job.id}>
                  <Link href={`/jobs/${job.id}`} className="font-medium text-brand-700 underline underline-offset-2 hover:no-underline">
                    Analysis of {formatJobTime(job.createdAt)}
                  </Link>{' '}
                  <span className="text-slate-600">({job.status})</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}

      <section aria-labelledby="versions-heading">
        <h2 id="versions-heading" className="flex items-center gap-2 text-base font-semibold text-slate-900">
          <History className="size-4" aria-hidden="true" />
          Versions
        </h2>
        <ol className="mt-2 divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white text-sm">
          {[...data.versions].reverse().map((v) => (
            <li key={v.version} className="flex flex-wrap items-center gap-2 px-3 py-2">
              <span className="mr-auto">
                <span className="font-medium text-slate-900">Version {v.version}</span>
                {v.version === current.version && <span className="text-slate-600"> (current)</span>} ·{' '}
                {v.authorId === null ? 'from the transcription' : `edited by ${v.authorName ?? 'a former member'}`} ·{' '}
                <time dateTime={v.createdAt}>{formatJobTime(v.createdAt)}</time>
              </span>
              {mayEdit && v.version !== current.version && (
                <Button variant="ghost" size="sm" onClick={() => restore(v.version)} disabled={pending || editing !== null}>
                  Restore<span className="sr-only"> version {v.version}</span>
                </Button>
              )}
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
