import { FileText, ShieldAlert } from 'lucide-react';
import { Facts, NothingRecorded, ReviewSection } from '@/components/analysis/section';
import { Skeleton } from '@/components/ui/skeleton';
import { EmptyState } from '@/components/ui/empty-state';
import { db } from '@/lib/db/client';
import { ANALYSIS_ROLES } from '@/lib/jobs/access';
import { getTriageView } from '@/lib/jobs/triage';
import type { JobStatus } from '@/lib/jobs/types';
import { URGENCY_WINDOWS, type TriageResult } from '@/lib/triage/schema';
import { requirePageActor } from '@/lib/web/session';
import { documentTypeLabel, urgencyWithWindow } from './format';
import { OpenAnalysis } from './open-analysis';
import { TriageTaskLists } from './task-lists';
import { UrgencyBadge } from './urgency-badge';

/** Shown above every triage (DOMAIN.md: positioning). */
export function TriageReviewNotice() {
  return (
    <aside aria-label="About this result" className="flex gap-3 rounded-lg border border-info-200 bg-info-50 p-4 text-sm text-info-700">
      <ShieldAlert className="mt-0.5 size-5 shrink-0" aria-hidden="true" />
      <p>
        <strong className="font-semibold">AI output — review before use.</strong> This triage was drafted by software from the document. Check the
        urgency, the sender and the tasks against the document; a clinician remains responsible for clinical decisions.
      </p>
    </aside>
  );
}

function Summary({ result }: { result: TriageResult }) {
  return (
    <ReviewSection id="triage-summary" title="Triage">
      <div className="rounded-lg border border-slate-200 bg-white p-4">
        <div className="flex flex-wrap items-center gap-3">
          <UrgencyBadge urgency={result.urgency} className="px-3 py-1 text-sm" />
          <p className="text-sm font-medium text-slate-900">Act {URGENCY_WINDOWS[result.urgency]}</p>
        </div>
        <Facts
          className="mt-4"
          items={[
            { label: 'Document type', value: documentTypeLabel(result.documentType) },
            { label: 'Urgency', value: urgencyWithWindow(result.urgency) },
          ]}
        />
      </div>
    </ReviewSection>
  );
}

function Parties({ result }: { result: TriageResult }) {
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <ReviewSection id="triage-from" title="From">
        <div className="rounded-lg border border-slate-200 bg-white p-4">
          <Facts
            items={[
              { label: 'Provider', value: result.from.provider },
              { label: 'Clinic', value: result.from.clinic },
              { label: 'Fax', value: result.from.fax },
              { label: 'Phone', value: result.from.phone },
            ]}
          />
        </div>
      </ReviewSection>
      <ReviewSection id="triage-regarding" title="Regarding">
        <div className="rounded-lg border border-slate-200 bg-white p-4">
          <Facts
            items={[
              { label: 'Patient', value: result.regarding.patientName },
              { label: 'Date of birth', value: result.regarding.dateOfBirth },
            ]}
          />
        </div>
      </ReviewSection>
    </div>
  );
}

function ClinicalInfo({ result }: { result: TriageResult }) {
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <ReviewSection id="triage-key-info" title="Key clinical information">
        {result.keyClinicalInfo.length === 0 ? (
          <NothingRecorded>The document holds no clinical information to point out.</NothingRecorded>
        ) : (
          <ul className="list-disc space-y-1 rounded-lg border border-slate-200 bg-white py-4 pr-4 pl-8 text-sm text-slate-900">
            {result.keyClinicalInfo.map((line, i) => (
              <li key={i}>{line}</li>
            ))}
          </ul>
        )}
      </ReviewSection>
      <ReviewSection id="triage-reasoning" title="Reasoning">
        <p className="rounded-lg border border-slate-200 bg-white p-4 text-sm whitespace-pre-line text-slate-900">{result.reasoning}</p>
      </ReviewSection>
    </div>
  );
}

/**
 * The triage of a document on its job page: the result once complete (urgency,
 * type, sender, patient, clinical information, reasoning), the task lists to
 * tick, and the way on to a full analysis. While the job runs, placeholders.
 */
export async function TriageJobResult({ jobId, status }: { jobId: string; status: JobStatus }) {
  if (status === 'queued' || status === 'running') {
    return (
      <section aria-labelledby="pending-result-heading" aria-busy="true">
        <h2 id="pending-result-heading" className="text-lg font-semibold text-slate-950">
          Triage
        </h2>
        <p className="mt-1 text-sm text-slate-600">The urgency, the document type and the task lists appear here when triage is complete.</p>
        <div className="mt-4 grid gap-4 lg:grid-cols-3">
          <Skeleton className="h-24" />
          <Skeleton className="h-24" />
          <Skeleton className="h-24" />
        </div>
      </section>
    );
  }
  if (status !== 'succeeded') return null;

  const { user, actor } = await requirePageActor();
  const view = await getTriageView(db(), actor, jobId);
  if (!view.result) {
    return (
      <EmptyState
        icon={FileText}
        title="The triage cannot be shown"
        description="This job finished, but its stored result no longer matches the current format. Triage the document again to produce a new one."
      />
    );
  }
  const result = view.result;

  return (
    <div className="space-y-10">
      <TriageReviewNotice />
      <Summary result={result} />
      <Parties result={result} />
      <ClinicalInfo result={result} />
      <ReviewSection id="triage-tasks" title="Tasks" description="Tick a task when it is done: it is saved at once and the clinic sees who did it.">
        <TriageTaskLists jobId={jobId} tasks={view.tasks} viewerName={user.name} />
      </ReviewSection>
      <ReviewSection id="triage-analysis" title="Full analysis">
        <OpenAnalysis jobId={jobId} mayAnalyze={ANALYSIS_ROLES.includes(actor.role)} analysisJobs={view.analysisJobs} />
      </ReviewSection>
      <p className="text-xs text-slate-500">
        Triaged by {result.meta.provider === 'offline' ? 'Maneiro’s offline rules' : `the AI model ${result.meta.model}`}
        {result.meta.truncated && '; the document was longer than the triage reads and was cut'}.
      </p>
    </div>
  );
}
