'use client';

import { useEffect, useRef, useState } from 'react';
import type { JobStatus } from '@/lib/jobs/types';
import { isTerminal, JOB_STATUSES } from './stages';

export interface LiveStatus {
  status: JobStatus;
  stage: string;
  progress: number;
  errorMessage: string | null;
}

export type LiveMode = 'idle' | 'stream' | 'polling';

/** How often the fallback asks GET /api/jobs/[id]. */
export const POLL_INTERVAL_MS = 2_000;
/** Stream errors in a row (without an event in between) before falling back to polling. */
const MAX_STREAM_ERRORS = 3;

/** Reads a status out of an SSE payload or the polling JSON; anything else is ignored. */
export function parseLiveStatus(value: unknown): LiveStatus | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.status !== 'string' || !(JOB_STATUSES as readonly string[]).includes(v.status)) return null;
  if (typeof v.stage !== 'string' || typeof v.progress !== 'number') return null;
  return {
    status: v.status as JobStatus,
    stage: v.stage,
    progress: v.progress,
    errorMessage: typeof v.errorMessage === 'string' ? v.errorMessage : null,
  };
}

/**
 * Follows a job until it ends: server-sent events from /api/jobs/[id]/events
 * (EventSource resumes with Last-Event-ID by itself), or, where EventSource is
 * missing or keeps failing (a proxy that buffers or cuts streams), polling
 * GET /api/jobs/[id] every 2 s. Calls `onTerminal` once when the job ends.
 */
export function useJobProgress(
  jobId: string,
  initial: LiveStatus,
  initialVisited: readonly string[],
  onTerminal: (status: LiveStatus) => void,
) {
  const [status, setStatus] = useState<LiveStatus>(initial);
  const [visited, setVisited] = useState<readonly string[]>(initialVisited);
  const [mode, setMode] = useState<LiveMode>(isTerminal(initial.status) ? 'idle' : 'stream');
  const onTerminalRef = useRef(onTerminal);
  useEffect(() => {
    onTerminalRef.current = onTerminal;
  }, [onTerminal]);
  const startedTerminal = isTerminal(initial.status);

  useEffect(() => {
    if (startedTerminal) return;
    let stopped = false;
    let source: EventSource | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let streamErrors = 0;

    const stop = () => {
      stopped = true;
      source?.close();
      if (timer) clearTimeout(timer);
    };
    const apply = (next: LiveStatus | null) => {
      if (!next || stopped) return;
      setStatus(next);
      setVisited((stages) => (stages.includes(next.stage) ? stages : [...stages, next.stage]));
      if (isTerminal(next.status)) {
        stop();
        setMode('idle');
        onTerminalRef.current(next);
      }
    };
    const poll = async () => {
      try {
        const response = await fetch(`/api/jobs/${jobId}`, { cache: 'no-store', headers: { accept: 'application/json' } });
        if (response.ok) apply(parseLiveStatus(await response.json()));
      } catch {
        // Offline for a moment: the next poll tries again.
      }
      if (!stopped) timer = setTimeout(() => void poll(), POLL_INTERVAL_MS);
    };
    const fallBack = () => {
      source?.close();
      source = null;
      setMode('polling');
      void poll();
    };

    if (typeof EventSource === 'undefined') {
      fallBack();
    } else {
      source = new EventSource(`/api/jobs/${jobId}/events`);
      source.addEventListener('stage', (event) => {
        streamErrors = 0;
        try {
          apply(parseLiveStatus(JSON.parse((event as MessageEvent<string>).data)));
        } catch {
          // A malformed event is skipped; the next one carries the full status again.
        }
      });
      source.onerror = () => {
        if (stopped || !source) return;
        streamErrors += 1;
        // CLOSED: the browser will not reconnect (an error status or a wrong content type).
        if (source.readyState === EventSource.CLOSED || streamErrors >= MAX_STREAM_ERRORS) fallBack();
      };
    }
    return stop;
  }, [jobId, startedTerminal]);

  return { status, setStatus, visited, mode };
}
