import Link from 'next/link';
import { Inbox } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { cn } from '@/lib/utils';
import { TRIAGE_URGENCIES, URGENCY_LABELS } from '@/lib/triage/schema';
import { describeCounts, documentTypeLabel, formatAge, formatTaskCount, isTriageUrgency, URGENCY_BADGES } from './format';
import type { TriageInbox } from './types';
import { UrgencyBadge } from './urgency-badge';

/** How many documents of each urgency still have open tasks, as badges with a sentence for screen readers. */
export function InboxCounts({ counts, className }: { counts: TriageInbox['counts']; className?: string }) {
  return (
    <div className={className}>
      <p className="sr-only">{describeCounts(counts)}</p>
      <ul className="flex flex-wrap gap-2" aria-hidden="true">
        {TRIAGE_URGENCIES.map((u) => (
          <li key={u}>
            <Badge variant={counts[u] > 0 ? URGENCY_BADGES[u] : 'neutral'} className="text-sm tabular-nums">
              {counts[u]} {URGENCY_LABELS[u].toLowerCase()}
            </Badge>
          </li>
        ))}
        {counts.pending > 0 && (
          <li>
            <Badge variant="info" className="text-sm tabular-nums">
              {counts.pending} being triaged
            </Badge>
          </li>
        )}
      </ul>
    </div>
  );
}

/**
 * The dashboard's view of the triage inbox: counts per urgency and the first open
 * documents (the backend's order: open tasks first, then urgency, then age).
 */
export function InboxSummary({ inbox, now = new Date(), className }: { inbox: TriageInbox; now?: Date; className?: string }) {
  const top = inbox.items.slice(0, 5);
  return (
    <section aria-labelledby="inbox-summary-heading" className={cn('rounded-lg border border-slate-200 bg-white p-4 sm:p-5', className)}>
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h2 id="inbox-summary-heading" className="flex items-center gap-2 text-lg font-semibold text-slate-950">
          <Inbox className="size-5 text-brand-700" aria-hidden="true" />
          Triage inbox
        </h2>
        <Link href="/triage" className="rounded text-sm font-medium text-brand-700 underline-offset-2 hover:underline">
          Open the inbox
        </Link>
      </div>
      <InboxCounts counts={inbox.counts} className="mt-3" />
      {top.length === 0 ? (
        <p className="mt-3 text-sm text-slate-600">
          No incoming document has open tasks.{' '}
          <Link href="/triage" className="font-medium text-brand-700 underline underline-offset-2 hover:no-underline">
            Triage a document
          </Link>{' '}
          when a fax or letter arrives.
        </p>
      ) : (
        <ul className="mt-4 divide-y divide-slate-100" aria-label="Documents with open tasks">
          {top.map((item) => (
            <li key={item.id} className="flex flex-col gap-1 py-2.5 sm:flex-row sm:items-center sm:gap-3">
              <span className="w-20 shrink-0">
                {isTriageUrgency(item.urgency) ? (
                  <UrgencyBadge urgency={item.urgency} />
                ) : (
                  <Badge variant="info">Triaging…</Badge>
                )}
              </span>
              <span className="min-w-0 flex-1">
                <Link href={`/jobs/${item.id}`} className="rounded font-medium break-words text-brand-700 underline-offset-2 hover:underline">
                  {item.title ?? 'Untitled document'}
                </Link>
                <span className="block text-xs text-slate-600">
                  {isTriageUrgency(item.urgency) ? documentTypeLabel(item.documentType) : 'Being triaged'}
                  {item.patientName && <> · {item.patientName}</>} · {formatAge(new Date(item.createdAt), now)}
                </span>
              </span>
              <span className="shrink-0 text-xs text-slate-700 tabular-nums">{formatTaskCount(item.openTasks, item.totalTasks)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
