'use client';

import { useEffect, useRef, useState } from 'react';
import { CheckCircle2, Mic, Pause, Play, RotateCcw, Square, Trash2 } from 'lucide-react';
import { formatBytes } from '@/components/jobs/format';
import { Button } from '@/components/ui/button';
import { RECORDING_TIMESLICE_MS } from '@/lib/recordings/limits';
import { cn } from '@/lib/utils';

/** An audio file ready to transcribe: a finished recording or an uploaded file. */
export interface ReadyAudio {
  uploadId: string;
  label: string;
}

interface RecordingInfo {
  id: string;
  chunkCount: number;
  byteSize: number;
  createdAt: string;
}

type Phase = 'idle' | 'starting' | 'recording' | 'paused' | 'finishing' | 'done';

/** The formats the API takes, best first; the browser records in the first it supports. */
const MIME_CANDIDATES = ['audio/webm;codecs=opus', 'audio/webm', 'audio/ogg;codecs=opus', 'audio/ogg'];

function pickMimeType(): string | null {
  if (typeof MediaRecorder === 'undefined') return null;
  return MIME_CANDIDATES.find((t) => MediaRecorder.isTypeSupported(t)) ?? null;
}

function errorMessageOf(body: unknown, status: number): string {
  const error = (body as { error?: { message?: unknown } } | null)?.error;
  return typeof error?.message === 'string' ? error.message : `The server answered with error ${status}. Please try again.`;
}

async function api<T>(url: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(url, { ...init, headers: { accept: 'application/json', ...(init.headers ?? {}) } });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, errorMessageOf(body, response.status));
  return body as T;
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
  /** Worth another try: the network, the server's own trouble, or a rate limit. */
  get transient(): boolean {
    return this.status >= 500 || this.status === 408 || this.status === 429;
  }
}

/** "3:07" or "1:02:09". */
export function formatElapsed(ms: number): string {
  const total = Math.floor(ms / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

function levelWord(level: number): string {
  if (level < 4) return 'silent';
  if (level < 15) return 'quiet';
  if (level < 70) return 'good';
  return 'very loud';
}

/** Read only in event handlers and timers, never during render. */
function monotonicNow(): number {
  return performance.now();
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface RecorderProps {
  /** Called with the finished recording's upload, or null when it is discarded or a new one starts. */
  onChange: (audio: ReadyAudio | null) => void;
  /** True while recording or uploading, so the form can wait. */
  onBusyChange?: (busy: boolean) => void;
  disabled?: boolean;
}

/**
 * Records from the microphone with MediaRecorder, uploading a chunk every few
 * seconds as it is produced (in order, each retried until it is stored), so a
 * closed tab loses at most the last seconds: the unfinished recording is
 * offered again on the next visit, to resume or discard.
 */
export function Recorder({ onChange, onBusyChange, disabled }: RecorderProps) {
  const [phase, setPhase] = useState<Phase>('idle');
  const [elapsedMs, setElapsedMs] = useState(0);
  const [level, setLevel] = useState(0);
  const [sent, setSent] = useState({ chunks: 0, bytes: 0 });
  const [queued, setQueued] = useState(0);
  const [retrying, setRetrying] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [unfinished, setUnfinished] = useState<RecordingInfo[]>([]);
  const [resumingFrom, setResumingFrom] = useState<RecordingInfo | null>(null);

  const recordingId = useRef<string | null>(null);
  const nextIndex = useRef(0);
  const queue = useRef<{ index: number; blob: Blob }[]>([]);
  const pumping = useRef<Promise<void> | null>(null);
  const failed = useRef<string | null>(null);
  const recorder = useRef<MediaRecorder | null>(null);
  const stream = useRef<MediaStream | null>(null);
  const audioContext = useRef<AudioContext | null>(null);
  const frame = useRef<number | null>(null);
  const clock = useRef<{ since: number | null; before: number }>({ since: null, before: 0 });
  const ticker = useRef<ReturnType<typeof setInterval> | null>(null);
  const busyRef = useRef(onBusyChange);

  useEffect(() => {
    busyRef.current = onBusyChange;
  }, [onBusyChange]);

  useEffect(() => {
    busyRef.current?.(phase === 'starting' || phase === 'recording' || phase === 'paused' || phase === 'finishing');
  }, [phase]);

  // Unfinished recordings of this member (a closed tab), to resume or discard.
  useEffect(() => {
    let live = true;
    api<{ recordings: RecordingInfo[] }>('/api/recordings?status=recording')
      .then(({ recordings }) => {
        if (live) setUnfinished(recordings.filter((r) => r.chunkCount > 0));
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);

  // Leaving mid-recording asks first; what was sent stays resumable either way.
  useEffect(() => {
    if (phase !== 'recording' && phase !== 'paused' && phase !== 'finishing') return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [phase]);

  function releaseDevices() {
    if (frame.current !== null) cancelAnimationFrame(frame.current);
    frame.current = null;
    if (ticker.current) clearInterval(ticker.current);
    ticker.current = null;
    stream.current?.getTracks().forEach((track) => track.stop());
    stream.current = null;
    void audioContext.current?.close().catch(() => undefined);
    audioContext.current = null;
  }

  useEffect(() => () => releaseDevices(), []);

  function elapsedNow(): number {
    const { since, before } = clock.current;
    return before + (since === null ? 0 : monotonicNow() - since);
  }

  function startClock() {
    clock.current.since = monotonicNow();
  }

  function stopClock() {
    clock.current = { since: null, before: elapsedNow() };
  }

  /** Sends queued chunks one at a time, in order; a failed one is retried (with growing pauses) until stored. */
  function pump(): Promise<void> {
    pumping.current ??= (async () => {
      try {
        while (queue.current.length > 0 && !failed.current) {
          const { index, blob } = queue.current[0]!;
          for (let attempt = 0; ; attempt++) {
            try {
              const stored = await api<{ chunkCount: number; byteSize: number }>(`/api/recordings/${recordingId.current}/chunks/${index}`, {
                method: 'PUT',
                body: blob,
                headers: { 'content-type': 'application/octet-stream' },
              });
              setSent({ chunks: stored.chunkCount, bytes: stored.byteSize });
              setRetrying(null);
              break;
            } catch (e) {
              if (e instanceof ApiError && !e.transient) {
                failed.current = e.message;
                setError(e.message);
                return;
              }
              setRetrying(`Sending part ${index + 1} failed; retrying (attempt ${attempt + 2})…`);
              await sleep(Math.min(10_000, 1000 * 2 ** attempt));
            }
          }
          queue.current.shift();
          setQueued(queue.current.length);
        }
      } finally {
        pumping.current = null;
      }
    })();
    return pumping.current;
  }

  function meter(source: MediaStream) {
    const context = new AudioContext();
    audioContext.current = context;
    const analyser = context.createAnalyser();
    analyser.fftSize = 1024;
    context.createMediaStreamSource(source).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    let last = 0;
    const tick = (now: number) => {
      frame.current = requestAnimationFrame(tick);
      if (now - last < 100) return; // ten updates a second are plenty for the eye
      last = now;
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const s of samples) sum += s * s;
      const rms = Math.sqrt(sum / samples.length);
      // Speech sits around -30 dBFS; map -60…0 dB to 0…100.
      const db = 20 * Math.log10(Math.max(rms, 1e-6));
      setLevel(Math.round(Math.max(0, Math.min(100, ((db + 60) / 60) * 100))));
    };
    frame.current = requestAnimationFrame(tick);
  }

  async function start(resume: RecordingInfo | null) {
    setError(null);
    failed.current = null;
    onChange(null);
    const mimeType = pickMimeType();
    if (!mimeType || !navigator.mediaDevices?.getUserMedia) {
      setError('This browser cannot record audio here. Use a current Chrome, Edge or Firefox, or upload a recording as a file.');
      return;
    }
    setPhase('starting');
    let media: MediaStream;
    try {
      media = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true } });
    } catch {
      setPhase('idle');
      setError('Maneiro could not use the microphone. Allow microphone access for this site in the browser’s address bar, then try again.');
      return;
    }
    try {
      if (resume) {
        recordingId.current = resume.id;
        nextIndex.current = resume.chunkCount;
        setSent({ chunks: resume.chunkCount, bytes: resume.byteSize });
      } else {
        const created = await api<{ id: string }>('/api/recordings', {
          method: 'POST',
          body: JSON.stringify({ contentType: mimeType }),
          headers: { 'content-type': 'application/json' },
        });
        recordingId.current = created.id;
        nextIndex.current = 0;
        setSent({ chunks: 0, bytes: 0 });
      }
    } catch (e) {
      media.getTracks().forEach((track) => track.stop());
      setPhase('idle');
      setError(e instanceof Error ? e.message : 'The recording could not be started. Please try again.');
      return;
    }
    setResumingFrom(resume);
    setUnfinished((list) => list.filter((r) => r.id !== resume?.id));
    stream.current = media;
    const mediaRecorder = new MediaRecorder(media, { mimeType });
    recorder.current = mediaRecorder;
    mediaRecorder.ondataavailable = (event) => {
      if (event.data.size === 0) return;
      queue.current.push({ index: nextIndex.current++, blob: event.data });
      setQueued(queue.current.length);
      void pump();
    };
    mediaRecorder.start(RECORDING_TIMESLICE_MS);
    meter(media);
    clock.current = { since: monotonicNow(), before: 0 };
    setElapsedMs(0);
    ticker.current = setInterval(() => setElapsedMs(elapsedNow()), 250);
    setPhase('recording');
  }

  function pause() {
    recorder.current?.pause();
    stopClock();
    setElapsedMs(elapsedNow());
    setPhase('paused');
  }

  function resume() {
    recorder.current?.resume();
    startClock();
    setPhase('recording');
  }

  async function stop() {
    const mediaRecorder = recorder.current;
    if (!mediaRecorder) return;
    setPhase('finishing');
    stopClock();
    setElapsedMs(elapsedNow());
    const stopped = new Promise<void>((resolve) => mediaRecorder.addEventListener('stop', () => resolve(), { once: true }));
    mediaRecorder.stop();
    await stopped;
    releaseDevices();
    setLevel(0);
    await pump();
    if (failed.current) {
      setPhase('idle');
      return;
    }
    try {
      const completed = await api<{ uploadId: string }>(`/api/recordings/${recordingId.current}/complete`, { method: 'POST' });
      setPhase('done');
      onChange({ uploadId: completed.uploadId, label: `Recording, ${formatElapsed(elapsedNow())}` });
    } catch (e) {
      setError(e instanceof Error ? e.message : 'The recording could not be finished. Please try again.');
      // Everything was sent: the recording can still be finished from the resume offer after a reload.
      setPhase('idle');
    }
  }

  async function discard(info: RecordingInfo) {
    setError(null);
    try {
      await api(`/api/recordings/${info.id}`, { method: 'DELETE' });
      setUnfinished((list) => list.filter((r) => r.id !== info.id));
    } catch (e) {
      setError(e instanceof Error ? e.message : 'The recording could not be discarded. Please try again.');
    }
  }

  function recordAgain() {
    onChange(null);
    setPhase('idle');
    setElapsedMs(0);
    setSent({ chunks: 0, bytes: 0 });
  }

  const active = phase === 'recording' || phase === 'paused';
  const statusText =
    phase === 'recording'
      ? 'Recording'
      : phase === 'paused'
        ? 'Paused'
        : phase === 'finishing'
          ? 'Finishing the upload…'
          : phase === 'starting'
            ? 'Starting the microphone…'
            : phase === 'done'
              ? 'Recording saved'
              : 'Ready to record';

  return (
    <div className="space-y-4">
      {unfinished.length > 0 && phase === 'idle' && (
        <section aria-labelledby="unfinished-heading" className="rounded-lg border border-warning-200 bg-warning-50 p-3 text-sm text-warning-700">
          <h3 id="unfinished-heading" className="font-semibold">
            Unfinished recording{unfinished.length > 1 ? 's' : ''}
          </h3>
          <p className="mt-1">A recording was interrupted (the page was closed or reloaded). Continue it, or throw it away.</p>
          <ul className="mt-2 space-y-2">
            {unfinished.map((r) => (
              <li key={r.id} className="flex flex-wrap items-center gap-2">
                <span className="mr-auto text-slate-800">
                  Started {new Date(r.createdAt).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' })} · {formatBytes(r.byteSize)}
                </span>
                <Button size="sm" onClick={() => void start(r)} disabled={disabled}>
                  <RotateCcw className="size-4" aria-hidden="true" />
                  Resume
                </Button>
                <Button size="sm" variant="ghost" onClick={() => void discard(r)}>
                  <Trash2 className="size-4" aria-hidden="true" />
                  Discard
                </Button>
              </li>
            ))}
          </ul>
        </section>
      )}

      <div className="rounded-lg border border-slate-200 bg-slate-50 p-4">
        <div className="flex flex-wrap items-center gap-3">
          <span
            className={cn('inline-flex size-3 rounded-full', phase === 'recording' ? 'animate-pulse bg-danger-600' : phase === 'paused' ? 'bg-warning-500' : 'bg-slate-300')}
            aria-hidden="true"
          />
          <p className="font-medium text-slate-900" role="status" aria-live="polite">
            {statusText}
            {resumingFrom && active && ' (continuing the earlier recording)'}
          </p>
          <p className="ml-auto font-mono text-2xl text-slate-950 tabular-nums" aria-label={`Elapsed time ${formatElapsed(elapsedMs)}`}>
            <time>{formatElapsed(elapsedMs)}</time>
          </p>
        </div>

        <div className="mt-3">
          <div
            role="meter"
            aria-label="Microphone level"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={level}
            aria-valuetext={active ? `${levelWord(level)}, ${level} %` : 'Not listening'}
            className="h-2.5 w-full overflow-hidden rounded-full bg-slate-200"
          >
            <div className={cn('h-full rounded-full transition-[width] duration-100', level >= 70 ? 'bg-warning-500' : 'bg-success-600')} style={{ width: `${level}%` }} />
          </div>
          <p className="mt-1 text-xs text-slate-600">
            Microphone level: <span data-testid="level-word">{active ? levelWord(level) : 'not listening'}</span>
          </p>
        </div>

        <div className="mt-4 flex flex-wrap gap-2">
          {(phase === 'idle' || phase === 'starting') && (
            <Button onClick={() => void start(null)} loading={phase === 'starting'} disabled={disabled}>
              <Mic className="size-4" aria-hidden="true" />
              Start recording
            </Button>
          )}
          {phase === 'recording' && (
            <Button variant="secondary" onClick={pause}>
              <Pause className="size-4" aria-hidden="true" />
              Pause
            </Button>
          )}
          {phase === 'paused' && (
            <Button variant="secondary" onClick={resume}>
              <Play className="size-4" aria-hidden="true" />
              Resume
            </Button>
          )}
          {active && (
            <Button variant="danger" onClick={() => void stop()}>
              <Square className="size-4" aria-hidden="true" />
              Stop
            </Button>
          )}
          {phase === 'done' && (
            <Button variant="ghost" onClick={recordAgain}>
              <Trash2 className="size-4" aria-hidden="true" />
              Record again instead
            </Button>
          )}
        </div>

        {phase !== 'idle' && phase !== 'starting' && (
          <p className="mt-3 text-sm text-slate-700" aria-live="polite">
            {phase === 'done' ? (
              <span className="inline-flex items-center gap-1.5 text-success-700">
                <CheckCircle2 className="size-4" aria-hidden="true" />
                Saved: {sent.chunks} {sent.chunks === 1 ? 'part' : 'parts'}, {formatBytes(sent.bytes)}.
              </span>
            ) : (
              <>
                Uploaded {sent.chunks} {sent.chunks === 1 ? 'part' : 'parts'} ({formatBytes(sent.bytes)})
                {queued > 0 ? `; ${queued} waiting to send` : '; all sent so far'}.
              </>
            )}
          </p>
        )}
        {retrying && <p className="mt-2 text-sm font-medium text-warning-700">{retrying}</p>}
      </div>

      {error && (
        <p className="rounded-md border border-danger-200 bg-danger-50 px-3 py-2 text-sm font-medium text-danger-700" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
