import Link from 'next/link';
import { FileText } from 'lucide-react';
import { buttonClasses } from '@/components/ui/button';
import { Skeleton } from '@/components/ui/skeleton';
import type { Actor } from '@/lib/auth/authorize';
import { db } from '@/lib/db/client';
import { visibleLettersWhere } from '@/lib/letters/letters';
import { TEMPLATE_LABELS } from '@/lib/letters/options';
import { storedTemplate } from '@/lib/letters/access';
import type { JobStatus } from '@/lib/jobs/types';

/** A letter job's page: where the letter is, once drafted. */
export async function LetterJobResult({ actor, jobId, status }: { actor: Actor; jobId: string; status: JobStatus }) {
  const letter = await db().letter.findFirst({
    where: { ...visibleLettersWhere(actor), jobId },
    select: { id: true, template: true, subject: true, currentVersion: true, analysisJobId: true },
  });
  if (status === 'queued' || status === 'running') {
    return (
      <section aria-labelledby="pending-letter-heading" aria-busy="true">
        <h2 id="pending-letter-heading" className="text-lg font-semibold text-slate-950">
          Letter
        </h2>
        <p className="mt-1 text-sm text-slate-600">The letter opens for editing here when it has been drafted.</p>
        <Skeleton className="mt-4 h-40" />
      </section>
    );
  }
  if (!letter) {
    return status === 'succeeded' ? (
      <p className="text-sm text-slate-600">
        {actor.role === 'staff' ? 'This letter has been deleted, or it is a clinical letter (staff open patient and insurance letters).' : 'This letter has been deleted.'}
      </p>
    ) : null;
  }
  return (
    <section aria-labelledby="letter-heading" className="rounded-lg border border-slate-200 bg-white p-4 sm:p-6">
      <h2 id="letter-heading" className="text-lg font-semibold text-slate-950">
        {TEMPLATE_LABELS[storedTemplate(letter.template)]}
      </h2>
      {letter.subject && <p className="mt-1 text-sm text-slate-700">Re: {letter.subject}</p>}
      <div className="mt-4 flex flex-wrap gap-3">
        {letter.currentVersion > 0 && (
          <Link href={`/reports/${letter.id}`} className={buttonClasses('primary')}>
            <FileText className="size-4" aria-hidden="true" />
            Open the letter
          </Link>
        )}
        {letter.analysisJobId && (
          <Link href={`/jobs/${letter.analysisJobId}#write-letter`} className={buttonClasses('secondary')}>
            Back to the analysis
          </Link>
        )}
      </div>
    </section>
  );
}
