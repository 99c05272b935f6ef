import Link from 'next/link';
import { Loader2 } from 'lucide-react';
import { JobStatusBadge } from '@/components/jobs/status-badge';
import { formatJobTime } from '@/components/jobs/format';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { cn } from '@/lib/utils';
import { documentTypeLabel, formatAge, formatTaskCount, isTriageUrgency } from './format';
import type { TriageInboxItem } from './types';
import { UrgencyBadge } from './urgency-badge';

const titleOf = (item: TriageInboxItem): string => item.title ?? 'Untitled document';
const processing = (item: TriageInboxItem): boolean => item.status === 'queued' || item.status === 'running';

function TitleLink({ item }: { item: TriageInboxItem }) {
  return (
    <Link href={`/jobs/${item.id}`} className="rounded font-medium break-words text-brand-700 underline-offset-2 hover:underline">
      {titleOf(item)}
    </Link>
  );
}

/** Urgency once triaged; "Triaging…" while the job runs; the job's status when it failed or was canceled. */
function UrgencyCell({ item }: { item: TriageInboxItem }) {
  if (isTriageUrgency(item.urgency)) return <UrgencyBadge urgency={item.urgency} />;
  if (processing(item)) {
    return (
      <span className="inline-flex items-center gap-1.5 text-xs font-medium text-info-700">
        <Loader2 className="size-3.5 animate-spin motion-reduce:animate-none" aria-hidden="true" />
        Triaging…
      </span>
    );
  }
  return <JobStatusBadge status={item.status} />;
}

function Tasks({ item }: { item: TriageInboxItem }) {
  if (processing(item)) return <span className="text-slate-500">—</span>;
  return (
    <span className={cn('tabular-nums', item.openTasks > 0 ? 'font-medium text-slate-900' : 'text-slate-600')}>
      {formatTaskCount(item.openTasks, item.totalTasks)}
    </span>
  );
}

function Age({ item, now }: { item: TriageInboxItem; now: Date }) {
  const created = new Date(item.createdAt);
  return (
    <time dateTime={created.toISOString()} title={formatJobTime(created)}>
      {formatAge(created, now)}
    </time>
  );
}

const dash = <span className="text-slate-500">—</span>;

/**
 * The staff inbox: a table on wider screens, cards on phones (both rendered; CSS
 * shows one). Rows come in the backend's order: open tasks first, then urgency, then age.
 */
export function TriageInboxList({ items, caption, now = new Date() }: { items: TriageInboxItem[]; caption: string; now?: Date }) {
  return (
    <>
      <div className="hidden md:block">
        <Table label={caption}>
          <THead>
            <TR>
              <TH>Urgency</TH>
              <TH>Document</TH>
              <TH>From</TH>
              <TH>Patient</TH>
              <TH>Received</TH>
              <TH>Tasks</TH>
            </TR>
          </THead>
          <TBody>
            {items.map((item) => (
              <TR key={item.id}>
                <TD className="whitespace-nowrap">
                  <UrgencyCell item={item} />
                </TD>
                <TH scope="row" className="max-w-64 font-normal whitespace-normal">
                  <TitleLink item={item} />
                  <span className="block text-xs text-slate-600">{processing(item) ? 'Being triaged' : documentTypeLabel(item.documentType)}</span>
                </TH>
                <TD className="max-w-56 break-words">{item.from ?? dash}</TD>
                <TD>{item.patientName ?? dash}</TD>
                <TD className="whitespace-nowrap">
                  <Age item={item} now={now} />
                </TD>
                <TD className="whitespace-nowrap">
                  <Tasks item={item} />
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      </div>
      <ul className="space-y-3 md:hidden" aria-label={caption}>
        {items.map((item) => (
          <li key={item.id} className="rounded-lg border border-slate-200 bg-white p-4">
            <div className="flex items-start justify-between gap-3">
              <TitleLink item={item} />
              <span className="shrink-0">
                <UrgencyCell item={item} />
              </span>
            </div>
            <p className="mt-1 text-xs text-slate-600">{processing(item) ? 'Being triaged' : documentTypeLabel(item.documentType)}</p>
            <dl className="mt-3 grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 gap-y-1 text-xs">
              <dt className="text-slate-600">From</dt>
              <dd className="break-words text-slate-900">{item.from ?? '—'}</dd>
              <dt className="text-slate-600">Patient</dt>
              <dd className="text-slate-900">{item.patientName ?? '—'}</dd>
              <dt className="text-slate-600">Received</dt>
              <dd className="text-slate-900">
                <Age item={item} now={now} />
              </dd>
              <dt className="text-slate-600">Tasks</dt>
              <dd className="text-slate-900">
                <Tasks item={item} />
              </dd>
            </dl>
          </li>
        ))}
      </ul>
    </>
  );
}
