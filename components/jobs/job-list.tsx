import Link from 'next/link';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import type { JobListItem } from '@/lib/jobs/types';
import { formatJobTime } from './format';
import { JOB_TYPE_LABELS, stageLabel } from './stages';
import { JobStatusBadge } from './status-badge';

export const jobTitle = (job: Pick<JobListItem, 'title'>): string => job.title ?? 'Untitled note';

function TitleLink({ job }: { job: JobListItem }) {
  return (
    <Link href={`/jobs/${job.id}`} className="rounded font-medium break-words text-brand-700 underline-offset-2 hover:underline">
      {jobTitle(job)}
    </Link>
  );
}

/** Status, plus the stage and progress while the job runs. */
function StatusCell({ job }: { job: JobListItem }) {
  return (
    <span className="flex flex-wrap items-center gap-x-2 gap-y-1">
      <JobStatusBadge status={job.status} />
      {job.status === 'running' && (
        <span className="text-xs text-slate-600 tabular-nums">
          {stageLabel(job.type, job.stage)}, {job.progress} %
        </span>
      )}
    </span>
  );
}

/**
 * The clinic's jobs: a table on wider screens, a list of cards on phones (both
 * rendered; CSS shows one, and the hidden one is out of the accessibility tree).
 */
export function JobList({ jobs, caption }: { jobs: JobListItem[]; caption: string }) {
  return (
    <>
      <div className="hidden md:block">
        <Table label={caption}>
          <THead>
            <TR>
              <TH>Title</TH>
              <TH>Patient</TH>
              <TH>Type</TH>
              <TH>Status</TH>
              <TH>Started by</TH>
              <TH>Created</TH>
            </TR>
          </THead>
          <TBody>
            {jobs.map((job) => (
              <TR key={job.id}>
                <TH scope="row" className="max-w-64 font-normal whitespace-normal">
                  <TitleLink job={job} />
                </TH>
                <TD>{job.patientName ?? <span className="text-slate-500">—</span>}</TD>
                <TD className="whitespace-nowrap">{JOB_TYPE_LABELS[job.type]}</TD>
                <TD>
                  <StatusCell job={job} />
                </TD>
                <TD>{job.createdBy?.name ?? <span className="text-slate-500">Former member</span>}</TD>
                <TD className="whitespace-nowrap">
                  <time dateTime={new Date(job.createdAt).toISOString()}>{formatJobTime(job.createdAt)}</time>
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      </div>
      <ul className="space-y-3 md:hidden" aria-label={caption}>
        {jobs.map((job) => (
          <li key={job.id} className="rounded-lg border border-slate-200 bg-white p-4">
            <div className="flex items-start justify-between gap-3">
              <TitleLink job={job} />
              <span className="shrink-0 text-xs text-slate-600">{JOB_TYPE_LABELS[job.type]}</span>
            </div>
            <div className="mt-2">
              <StatusCell job={job} />
            </div>
            <dl className="mt-3 grid grid-cols-2 gap-x-4 gap-y-1 text-xs">
              <dt className="text-slate-600">Patient</dt>
              <dd className="text-slate-900">{job.patientName ?? '—'}</dd>
              <dt className="text-slate-600">Started by</dt>
              <dd className="text-slate-900">{job.createdBy?.name ?? 'Former member'}</dd>
              <dt className="text-slate-600">Created</dt>
              <dd className="text-slate-900">
                <time dateTime={new Date(job.createdAt).toISOString()}>{formatJobTime(job.createdAt)}</time>
              </dd>
            </dl>
          </li>
        ))}
      </ul>
    </>
  );
}

/** The dashboard's short list of recent jobs. */
export function RecentJobs({ jobs }: { jobs: JobListItem[] }) {
  return (
    <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
      {jobs.map((job) => (
        <li key={job.id} className="flex flex-col gap-1.5 px-4 py-3">
          <div className="flex items-start justify-between gap-3">
            <TitleLink job={job} />
            <StatusCell job={job} />
          </div>
          <p className="text-xs text-slate-600">
            {JOB_TYPE_LABELS[job.type]}
            {job.patientName && <> · {job.patientName}</>} · <time dateTime={new Date(job.createdAt).toISOString()}>{formatJobTime(job.createdAt)}</time>
          </p>
        </li>
      ))}
    </ul>
  );
}
