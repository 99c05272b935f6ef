'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useCallback, useState, useTransition } from 'react';
import { Ban, RotateCcw, XCircle } from 'lucide-react';
import { JobStatusBadge } from '@/components/jobs/status-badge';
import { JobTimeline } from '@/components/jobs/job-timeline';
import { isTerminal, stageLabel } from '@/components/jobs/stages';
import { useJobProgress, type LiveStatus } from '@/components/jobs/use-job-progress';
import { Button } from '@/components/ui/button';
import { Card, CardContent } from '@/components/ui/card';
import { Progress } from '@/components/ui/progress';
import { useToast } from '@/components/ui/toast';
import { FormError } from '@/components/form-error';
import type { JobType } from '@/lib/jobs/types';
import { cancelJobAction, retryJobAction } from './actions';

export interface JobStatusPanelProps {
  jobId: string;
  type: JobType;
  initial: LiveStatus;
  cancelRequested: boolean;
  /** Stages the job has already been through (from its events). */
  visited: string[];
  /** Whether the OCR stage is expected (an image, or "handwritten" was ticked). */
  expectOcr: boolean;
  /** The viewer's role may cancel and retry this kind of job. */
  mayManage: boolean;
  /** The job that retried this one, if any: retrying again is pointless. */
  retriedBy: string | null;
}

/** The job's live status: badge, progress, stages, the failure message, and cancel / retry. */
export function JobStatusPanel({ jobId, type, initial, cancelRequested: initialCancel, visited: initialVisited, expectOcr, mayManage, retriedBy }: JobStatusPanelProps) {
  const router = useRouter();
  const { toast } = useToast();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [cancelRequested, setCancelRequested] = useState(initialCancel);
  // The server page re-renders with the final state (and the result) when the job ends.
  const onTerminal = useCallback(() => router.refresh(), [router]);
  const { status: live, setStatus, visited, mode } = useJobProgress(jobId, initial, initialVisited, onTerminal);
  const terminal = isTerminal(live.status);
  const label = stageLabel(type, live.stage);
  const percent = live.status === 'succeeded' ? 100 : live.progress;

  function cancel() {
    setError(null);
    startTransition(async () => {
      const result = await cancelJobAction(jobId);
      if (!result.ok) {
        setError(result.error);
        return;
      }
      if (result.data.cancelRequested) {
        setCancelRequested(true);
        toast({ title: 'Cancel requested', description: 'The analysis stops at its next stage.', variant: 'info' });
      } else {
        setStatus({ status: result.data.status, stage: result.data.stage, progress: result.data.progress, errorMessage: result.data.errorMessage });
        toast({ title: 'Analysis canceled', description: 'It no longer counts towards your plan’s allowance.', variant: 'success' });
        router.refresh();
      }
    });
  }

  function retry() {
    setError(null);
    startTransition(async () => {
      const result = await retryJobAction(jobId);
      if (!result.ok) {
        setError(result.error);
        return;
      }
      toast({ title: 'Analysis started again', description: 'The new job uses the same input.', variant: 'success' });
      router.push(`/jobs/${result.data.jobId}`);
    });
  }

  const statusText =
    live.status === 'queued'
      ? 'Waiting for a worker to pick it up.'
      : live.status === 'running'
        ? cancelRequested
          ? `Cancel requested: stopping after “${label}”.`
          : `${label} (${percent} %)`
        : live.status === 'succeeded'
          ? 'Complete.'
          : live.status === 'canceled'
            ? 'Canceled. It does not count towards your plan’s allowance.'
            : 'Failed. It does not count towards your plan’s allowance.';

  return (
    <Card>
      <CardContent className="space-y-4">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <div className="flex min-w-0 flex-wrap items-center gap-3">
            <JobStatusBadge status={live.status} className="text-sm" />
            <p role="status" aria-live="polite" className="text-sm font-medium text-slate-800">
              {statusText}
            </p>
          </div>
          {mayManage && (
            <div className="flex flex-wrap gap-2">
              {!terminal && !cancelRequested && (
                <Button variant="outline" size="sm" onClick={cancel} loading={pending}>
                  <Ban className="size-4" aria-hidden="true" />
                  Cancel analysis
                </Button>
              )}
              {(live.status === 'failed' || live.status === 'canceled') && !retriedBy && (
                <Button size="sm" onClick={retry} loading={pending}>
                  <RotateCcw className="size-4" aria-hidden="true" />
                  Retry analysis
                </Button>
              )}
            </div>
          )}
        </div>

        {!terminal && (
          <Progress
            aria-label="Analysis progress"
            value={live.status === 'queued' ? null : percent}
            valueText={live.status === 'queued' ? 'Queued' : `${label}, ${percent} %`}
          />
        )}

        <JobTimeline type={type} status={live.status} stage={live.stage} visited={visited} expectOptional={expectOcr} />

        {live.status === 'failed' && (
          <div role="alert" className="flex gap-3 rounded-md border border-danger-200 bg-danger-50 p-3 text-sm text-danger-700">
            <XCircle className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
            <p>{live.errorMessage ?? 'The analysis could not be completed.'}</p>
          </div>
        )}
        {retriedBy && (
          <p className="text-sm text-slate-700">
            This job was retried:{' '}
            <Link href={`/jobs/${retriedBy}`} className="font-medium text-brand-700 underline underline-offset-2 hover:no-underline">
              open the new job
            </Link>
            .
          </p>
        )}
        <FormError message={error} />
        {!terminal && (
          <p className="text-xs text-slate-500">
            {mode === 'polling' ? 'Checking for updates every 2 seconds.' : 'This page updates by itself as the job moves on.'}
          </p>
        )}
      </CardContent>
    </Card>
  );
}
