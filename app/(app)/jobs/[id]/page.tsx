import type { Metadata } from 'next';
import { headers } from 'next/headers';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ArrowLeft, Download, FileText, Info } from 'lucide-react';
import { AnalysisReview } from '@/components/analysis/analysis-review';
import { formatJobTime } from '@/components/jobs/format';
import { JOB_TYPE_LABELS } from '@/components/jobs/stages';
import { EmptyState } from '@/components/ui/empty-state';
import { Skeleton } from '@/components/ui/skeleton';
import { TriageJobResult } from '@/components/triage/triage-result';
import { TranscriptionJobResult } from '@/components/transcription/transcript-result';
import { LetterJobResult } from '@/components/letters/letter-job-result';
import { WriteLetterSection } from '@/components/letters/write-letter-section';
import type { Actor } from '@/lib/auth/authorize';
import { SPECIALTY_LABELS } from '@/lib/analysis/schema';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { requestContextFrom } from '@/lib/http/request-context';
import { ANALYSIS_ROLES } from '@/lib/jobs/access';
import { getJobDetail } from '@/lib/jobs/queries';
import type { JobDetail } from '@/lib/jobs/types';
import { requirePageActor } from '@/lib/web/session';
import { JobStatusPanel } from './job-status-panel';

// The job's title can hold a patient's name: it never goes into the document title.
export const metadata: Metadata = { title: 'Job' };

const IMAGE_KINDS = new Set(['png', 'jpeg', 'webp', 'tiff']);

async function loadJob(id: string): Promise<{ job: JobDetail; mayManage: boolean; actor: Actor }> {
  const { actor } = await requirePageActor();
  try {
    const job = await getJobDetail(db(), actor, id, requestContextFrom(await headers()));
    return { job, mayManage: ANALYSIS_ROLES.includes(actor.role) && job.type === 'analysis', actor };
  } catch (error) {
    // Malformed ids and other clinics' jobs are simply not found.
    if (error instanceof AppError && error.code === 'not_found') notFound();
    throw error;
  }
}

export default async function JobPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { job, mayManage, actor } = await loadJob(id);
  const mayWriteLetter = job.type === 'analysis' && job.status === 'succeeded' && job.result !== null;
  const expectOcr = job.handwritten || (job.upload !== null && IMAGE_KINDS.has(job.upload.kind));
  const specialty = job.specialty && job.specialty !== 'auto' ? SPECIALTY_LABELS[job.specialty] : 'Detected automatically';

  return (
    <>
      <Link href="/jobs" className="inline-flex items-center gap-1.5 rounded text-sm font-medium text-brand-700 underline-offset-2 hover:underline">
        <ArrowLeft className="size-4" aria-hidden="true" />
        All jobs
      </Link>

      <header className="mt-3 mb-6">
        <h1 className="text-2xl font-bold tracking-tight break-words text-slate-950 sm:text-3xl">{job.title ?? 'Untitled note'}</h1>
        <p className="mt-2 text-sm text-slate-600">
          {JOB_TYPE_LABELS[job.type]}
          {job.patientName && <> · Patient: {job.patientName}</>} · Started by {job.createdBy?.name ?? 'a former member'} on{' '}
          <time dateTime={job.createdAt.toISOString()}>{formatJobTime(job.createdAt)}</time>
          {job.finishedAt && (
            <>
              {' '}
              · Finished <time dateTime={job.finishedAt.toISOString()}>{formatJobTime(job.finishedAt)}</time>
            </>
          )}
        </p>
        {/* Only analyses have a specialty; only documents can be forced through OCR. */}
        {(job.type === 'analysis' || job.handwritten) && (
          <p className="mt-1 text-sm text-slate-600">
            {job.type === 'analysis' && <>Specialty: {specialty}</>}
            {job.handwritten && `${job.type === 'analysis' ? ' · ' : ''}Handwritten or scanned (OCR forced)`}
          </p>
        )}
        {mayWriteLetter && (
          <p className="mt-3">
            <a href="#write-letter" className="rounded text-sm font-medium text-brand-700 underline underline-offset-2 hover:no-underline">
              Write a letter from this analysis
            </a>
          </p>
        )}
      </header>

      <div className="space-y-6">
        <JobStatusPanel
          key={job.status}
          jobId={job.id}
          type={job.type}
          initial={{ status: job.status, stage: job.stage, progress: job.progress, errorMessage: job.errorMessage }}
          cancelRequested={job.cancelRequested}
          visited={job.events.map((e) => e.stage)}
          expectOcr={expectOcr}
          mayManage={mayManage}
          retriedBy={job.retriedBy}
        />

        {job.retryOf && (
          <p className="text-sm text-slate-700">
            This is a retry of{' '}
            <Link href={`/jobs/${job.retryOf}`} className="font-medium text-brand-700 underline underline-offset-2 hover:no-underline">
              an earlier job
            </Link>
            .
          </p>
        )}

        {job.notices.length > 0 && (
          <ul className="space-y-2" aria-label="Notices">
            {job.notices.map((notice, i) => (
              <li key={i} className="flex gap-3 rounded-lg border border-warning-200 bg-warning-50 p-3 text-sm text-warning-700">
                <Info className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
                <span>{notice}</span>
              </li>
            ))}
          </ul>
        )}

        {job.type === 'letter' ? <LetterSource job={job} /> : <Source job={job} />}
      </div>

      <div className="mt-10">
        {job.type === 'letter' ? <LetterJobResult actor={actor} jobId={job.id} status={job.status} /> : <Result job={job} />}
      </div>

      {mayWriteLetter && (
        <div className="mt-10">
          <WriteLetterSection actor={actor} analysisJobId={job.id} />
        </div>
      )}
    </>
  );
}

function LetterSource({ job }: { job: JobDetail }) {
  return (
    <section aria-labelledby="source-heading" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="source-heading" className="text-base font-semibold text-slate-900">
        Input
      </h2>
      <p className="mt-1 text-sm text-slate-700">
        {job.sourceJobId ? (
          <Link href={`/jobs/${job.sourceJobId}`} className="font-medium text-brand-700 underline underline-offset-2 hover:no-underline">
            The analysis this letter is written from
          </Link>
        ) : (
          'The analysis this letter was written from has been deleted.'
        )}
      </p>
    </section>
  );
}

function Source({ job }: { job: JobDetail }) {
  const text = job.extractedText ?? job.inputText;
  return (
    <section aria-labelledby="source-heading" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="source-heading" className="text-base font-semibold text-slate-900">
        Input
      </h2>
      {job.upload ? (
        job.upload.deleted ? (
          <p className="mt-1 text-sm text-slate-600">
            The uploaded file ({job.upload.kind.toUpperCase()}) has been deleted from Maneiro, as your clinic’s retention period sets.
          </p>
        ) : (
          <p className="mt-1 text-sm">
            <a
              href={`/api/uploads/${job.upload.id}`}
              className="inline-flex items-center gap-1.5 rounded font-medium break-all text-brand-700 underline-offset-2 hover:underline"
            >
              <Download className="size-4 shrink-0" aria-hidden="true" />
              Download {job.upload.name}
            </a>
          </p>
        )
      ) : (
        <p className="mt-1 text-sm text-slate-600">Pasted text.</p>
      )}
      {text && (
        <details className="mt-3">
          <summary className="cursor-pointer rounded text-sm font-medium text-brand-700 underline-offset-2 hover:underline">
            {job.extractedText ? 'Show the text that was analysed' : 'Show the pasted text'}
          </summary>
          <pre className="mt-2 max-h-96 overflow-auto rounded-md bg-slate-50 p-3 font-sans text-sm whitespace-pre-wrap text-slate-800">{text}</pre>
        </details>
      )}
    </section>
  );
}

function Result({ job }: { job: JobDetail }) {
  if (job.type === 'triage') return <TriageJobResult jobId={job.id} status={job.status} />;
  if (job.type === 'transcription') return <TranscriptionJobResult jobId={job.id} status={job.status} />;
  if (job.status === 'succeeded') {
    if (job.result) return <AnalysisReview result={job.result} />;
    return (
      <EmptyState
        icon={FileText}
        title="The result cannot be shown"
        description="This job finished, but its stored result no longer matches the current format. Retry the analysis to produce a new one."
      />
    );
  }
  if (job.status === 'queued' || job.status === 'running') {
    return (
      <section aria-labelledby="pending-result-heading" aria-busy="true">
        <h2 id="pending-result-heading" className="text-lg font-semibold text-slate-950">
          Result
        </h2>
        <p className="mt-1 text-sm text-slate-600">The diagnoses, plan and references appear here when the analysis is complete.</p>
        <div className="mt-4 grid gap-4 lg:grid-cols-3">
          <Skeleton className="h-32" />
          <Skeleton className="h-32" />
          <Skeleton className="h-32" />
        </div>
      </section>
    );
  }
  return null;
}
