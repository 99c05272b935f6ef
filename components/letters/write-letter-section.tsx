import Link from 'next/link';
import { FileText } from 'lucide-react';
import { submitLetterAction } from '@/app/(app)/reports/actions';
import { formatJobTime } from '@/components/jobs/format';
import { db } from '@/lib/db/client';
import type { Actor } from '@/lib/auth/authorize';
import { visibleLettersWhere } from '@/lib/letters/letters';
import { TEMPLATE_LABELS } from '@/lib/letters/options';
import { getLetterFormContext } from '@/lib/letters/submit';
import { storedTemplate } from '@/lib/letters/access';
import { LetterForm } from './letter-form';

/** On a completed analysis: the letters already written from it, and the form to write another. */
export async function WriteLetterSection({ actor, analysisJobId }: { actor: Actor; analysisJobId: string }) {
  const [context, letters] = await Promise.all([
    getLetterFormContext(db(), actor, analysisJobId),
    db().letter.findMany({
      where: { ...visibleLettersWhere(actor), analysisJobId },
      orderBy: { createdAt: 'desc' },
      take: 20,
      select: { id: true, template: true, createdAt: true, currentVersion: true },
    }),
  ]);
  return (
    <section id="write-letter" aria-labelledby="write-letter-heading" className="scroll-mt-6 rounded-lg border border-slate-200 bg-white p-4 sm:p-6">
      <h2 id="write-letter-heading" className="text-lg font-semibold text-slate-950">
        Write a letter
      </h2>
      {letters.length > 0 && (
        <div className="mt-3">
          <h3 className="text-sm font-semibold text-slate-900">Letters from this analysis</h3>
          <ul className="mt-2 space-y-1.5">
            {letters.map((l) => (
              <li key={l.id} className="flex items-center gap-2 text-sm">
                <FileText className="size-4 shrink-0 text-slate-500" aria-hidden="true" />
                <Link href={`/reports/${l.id}`} className="rounded font-medium text-brand-700 underline-offset-2 hover:underline">
                  {TEMPLATE_LABELS[storedTemplate(l.template)]}
                </Link>
                <span className="text-slate-600">
                  · <time dateTime={l.createdAt.toISOString()}>{formatJobTime(l.createdAt)}</time>
                  {l.currentVersion === 0 ? ' · being drafted' : ` · version ${l.currentVersion}`}
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="mt-4">
        <LetterForm context={context} submit={submitLetterAction} />
      </div>
    </section>
  );
}
