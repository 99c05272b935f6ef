'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useRef, useState, useTransition } from 'react';
import { Lock, Sparkles } from 'lucide-react';
import { STATUS_BADGES } from '@/components/jobs/stages';
import { Button } from '@/components/ui/button';
import { useToast } from '@/components/ui/toast';
import { FormError } from '@/components/form-error';
import { analyzeTriagedDocumentAction } from '@/app/(app)/triage/actions';

function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

const statusText = (status: string): string =>
  (STATUS_BADGES as Record<string, { label: string } | undefined>)[status]?.label.toLowerCase() ?? status;

export interface OpenAnalysisProps {
  jobId: string;
  /** The viewer may start clinical analyses (clinicians, admins, owners). */
  mayAnalyze: boolean;
  /** Analyses already started from this document, newest first. */
  analysisJobs: { id: string; status: string }[];
}

/** "Open the full analysis": starts a clinical analysis of the triaged document and goes to it. */
export function OpenAnalysis({ jobId, mayAnalyze, analysisJobs }: OpenAnalysisProps) {
  const router = useRouter();
  const { toast } = useToast();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const idempotencyKey = useRef<string | null>(null);

  function start() {
    setError(null);
    idempotencyKey.current ??= newIdempotencyKey();
    const key = idempotencyKey.current;
    startTransition(async () => {
      const result = await analyzeTriagedDocumentAction(jobId, { idempotencyKey: key });
      if (!result.ok) {
        setError(result.error);
        return;
      }
      idempotencyKey.current = null;
      toast({ title: result.data.duplicate ? 'This analysis was already started' : 'Analysis started', variant: 'success' });
      router.push(`/jobs/${result.data.jobId}`);
    });
  }

  return (
    <div className="space-y-3">
      {mayAnalyze ? (
        <div className="flex flex-wrap items-center gap-3">
          <Button onClick={start} loading={pending}>
            <Sparkles className="size-4" aria-hidden="true" />
            Open the full analysis
          </Button>
          <p className="text-sm text-slate-600">Starts a clinical analysis of this document (diagnoses, plan, references); it counts as one job.</p>
        </div>
      ) : (
        <div className="flex gap-3 rounded-lg border border-slate-200 bg-slate-50 p-4 text-sm text-slate-700">
          <Lock className="mt-0.5 size-5 shrink-0 text-slate-500" aria-hidden="true" />
          <p>
            A full clinical analysis of this document is started by a clinician, an admin or an owner. Add it to the doctor’s tasks or ask one of
            them to open it from this page.
          </p>
        </div>
      )}
      <FormError message={error} />
      {analysisJobs.length > 0 && (
        <div className="text-sm">
          <p className="font-medium text-slate-900">Analyses of this document</p>
          <ul className="mt-1 space-y-1">
            {analysisJobs.map((analysis, i) => (
              <li key={analysis.id}>
                <Link href={`/jobs/${analysis.id}`} className="rounded font-medium text-brand-700 underline underline-offset-2 hover:no-underline">
                  Analysis {analysisJobs.length - i}
                </Link>{' '}
                <span className="text-slate-600">({statusText(analysis.status)})</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
