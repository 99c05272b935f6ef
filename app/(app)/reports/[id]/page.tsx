import type { Metadata } from 'next';
import { headers } from 'next/headers';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ArrowLeft, Download, Info, ShieldAlert } from 'lucide-react';
import { formatBytes, formatJobTime } from '@/components/jobs/format';
import { LetterActions, RestoreVersionButton } from '@/components/letters/letter-actions';
import { LetterBody } from '@/components/letters/letter-body';
import { LetterEditorPanel } from '@/components/letters/letter-editor-panel';
import { LetterStatusBadge } from '@/components/letters/letter-list';
import { buttonClasses } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { requestContextFrom } from '@/lib/http/request-context';
import { getLetter, type LetterView } from '@/lib/letters/letters';
import { LANGUAGE_LABELS, RECIPIENT_LABELS, TEMPLATE_LABELS, type LetterLanguage } from '@/lib/letters/options';
import { requirePageActor } from '@/lib/web/session';
import { deleteLetterAction, duplicateLetterAction, exportLetterAction, restoreLetterAction, saveLetterAction } from '../actions';

// The patient's name never goes into the document title.
export const metadata: Metadata = { title: 'Letter' };
export const dynamic = 'force-dynamic';

const SOURCE_LABELS = { generated: 'Drafted', edited: 'Edited', restored: 'Restored', duplicated: 'Copied from another letter' } as const;

async function loadLetter(id: string, version: number | undefined): Promise<LetterView> {
  const { actor } = await requirePageActor();
  try {
    return await getLetter(db(), actor, id, requestContextFrom(await headers()), { version });
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') notFound();
    throw error;
  }
}

function formatLetterDate(iso: string): string {
  return new Date(`${iso}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

export default async function LetterPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { id } = await params;
  const raw = (await searchParams).version;
  const requested = typeof raw === 'string' && /^[1-9][0-9]{0,5}$/.test(raw) ? Number(raw) : undefined;
  const letter = await loadLetter(id, requested);
  const viewingOld = letter.shown !== null && letter.shown.version !== letter.currentVersion;
  const language = (letter.meta?.language ?? letter.language) as LetterLanguage;

  return (
    <>
      <Link href="/reports" className="inline-flex items-center gap-1.5 rounded text-sm font-medium text-brand-700 underline-offset-2 hover:underline">
        <ArrowLeft className="size-4" aria-hidden="true" />
        All reports
      </Link>

      <header className="mt-3 mb-6">
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-bold tracking-tight break-words text-slate-950 sm:text-3xl">
            {TEMPLATE_LABELS[letter.template]}
            {letter.patient.name ? ` for ${letter.patient.name}` : ''}
          </h1>
          <LetterStatusBadge status={letter.status} />
        </div>
        <dl className="mt-3 grid gap-x-6 gap-y-1 text-sm sm:grid-cols-[auto_1fr]">
          <dt className="font-semibold text-slate-900">To</dt>
          <dd className="break-words text-slate-700">
            {letter.toLine} <span className="text-slate-500">({RECIPIENT_LABELS[letter.recipientType]})</span>
          </dd>
          <dt className="font-semibold text-slate-900">From</dt>
          <dd className="break-words text-slate-700">{letter.fromLine}</dd>
          <dt className="font-semibold text-slate-900">Date</dt>
          <dd className="text-slate-700">{formatLetterDate(letter.letterDate)}</dd>
          {letter.subject && (
            <>
              <dt className="font-semibold text-slate-900">Re</dt>
              <dd className="break-words text-slate-700">{letter.subject}</dd>
            </>
          )}
        </dl>
        <p className="mt-3 text-sm text-slate-600">
          {letter.author ? `Written by ${letter.author}` : 'Written by a former member'} · Language: {LANGUAGE_LABELS[language] ?? language}
          {letter.analysisJobId && (
            <>
              {' · '}
              <Link href={`/jobs/${letter.analysisJobId}`} className="font-medium text-brand-700 underline underline-offset-2 hover:no-underline">
                The analysis
              </Link>
            </>
          )}
          {letter.duplicatedFromId && (
            <>
              {' · '}
              <Link href={`/reports/${letter.duplicatedFromId}`} className="font-medium text-brand-700 underline underline-offset-2 hover:no-underline">
                The original letter
              </Link>
            </>
          )}
        </p>
      </header>

      {letter.status === 'drafting' && (
        <EmptyState
          icon={Info}
          title="The letter is being drafted"
          description={
            letter.jobId ? (
              <>
                Follow its progress on{' '}
                <Link href={`/jobs/${letter.jobId}`} className="font-medium text-brand-700 underline underline-offset-2">
                  the job page
                </Link>
                ; it opens here for editing when it is ready.
              </>
            ) : (
              'It opens here for editing when it is ready.'
            )
          }
        />
      )}
      {letter.status === 'failed' && (
        <EmptyState
          icon={Info}
          title="The letter could not be drafted"
          description={
            <>
              {letter.jobError ?? 'The drafting job did not finish.'}{' '}
              {letter.analysisJobId && (
                <Link href={`/jobs/${letter.analysisJobId}#write-letter`} className="font-medium text-brand-700 underline underline-offset-2">
                  Write it again from the analysis
                </Link>
              )}
            </>
          }
        />
      )}

      {letter.shown && (
        <div className="grid gap-8 lg:grid-cols-[minmax(0,1fr)_20rem]">
          <div className="min-w-0 space-y-4">
            <aside aria-label="About this letter" className="flex gap-3 rounded-lg border border-info-200 bg-info-50 p-4 text-sm text-info-700">
              <ShieldAlert className="mt-0.5 size-5 shrink-0" aria-hidden="true" />
              <p>
                <strong className="font-semibold">AI output — review before use.</strong> This letter was drafted by software from the analysis. Read it
                in full and correct it before you sign or send it; the clinician who signs it remains responsible for its content.
              </p>
            </aside>
            {letter.notices.length > 0 && (
              <ul className="space-y-2" aria-label="Notices">
                {letter.notices.map((notice, i) => (
                  <li key={i} className="flex gap-3 rounded-lg border border-warning-200 bg-warning-50 p-3 text-sm text-warning-700">
                    <Info className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
                    <span>{notice}</span>
                  </li>
                ))}
              </ul>
            )}
            {viewingOld ? (
              <section aria-labelledby="old-version-heading" className="space-y-4">
                <div className="flex flex-wrap items-center justify-between gap-3 rounded-lg border border-warning-200 bg-warning-50 p-3">
                  <h2 id="old-version-heading" className="text-sm font-semibold text-warning-700">
                    You are viewing version {letter.shown.version} of {letter.currentVersion}.
                  </h2>
                  <div className="flex flex-wrap items-center gap-3">
                    {letter.canEdit && <RestoreVersionButton letterId={letter.id} version={letter.shown.version} baseVersion={letter.currentVersion} restore={restoreLetterAction} />}
                    <Link href={`/reports/${letter.id}`} className="text-sm font-medium text-brand-700 underline underline-offset-2">
                      Back to the current version
                    </Link>
                  </div>
                </div>
                <LetterBody content={letter.shown.content} className="rounded-lg border border-slate-200 bg-white p-4 sm:p-6" />
              </section>
            ) : (
              <LetterEditorPanel
                key={letter.id}
                letterId={letter.id}
                version={letter.currentVersion}
                content={letter.shown.content}
                readOnly={!letter.canEdit}
                save={saveLetterAction}
              />
            )}
          </div>

          <div className="space-y-8">
            <section aria-labelledby="export-heading">
              <h2 id="export-heading" className="text-base font-semibold text-slate-950">
                Export
              </h2>
              <p className="mt-1 mb-3 text-sm text-slate-600">A PDF of the current version on your clinic’s letterhead.</p>
              <LetterActions letterId={letter.id} canEdit={letter.canEdit} exportPdf={exportLetterAction} duplicate={duplicateLetterAction} remove={deleteLetterAction} />
            </section>

            <section aria-labelledby="pdfs-heading">
              <h2 id="pdfs-heading" className="text-base font-semibold text-slate-950">
                PDFs on file
              </h2>
              {letter.pdfs.length === 0 ? (
                <p className="mt-1 text-sm text-slate-600">None yet. Each export is kept here exactly as it was produced.</p>
              ) : (
                <ul className="mt-2 space-y-3">
                  {letter.pdfs.map((pdf) => (
                    <li key={pdf.id} className="rounded-lg border border-slate-200 bg-white p-3 text-sm">
                      <p className="font-medium text-slate-900">
                        Version {pdf.version} · {pdf.pageCount} {pdf.pageCount === 1 ? 'page' : 'pages'} · {pdf.pageSize === 'a4' ? 'A4' : 'US Letter'}
                      </p>
                      <p className="text-slate-600">
                        <time dateTime={pdf.createdAt.toISOString()}>{formatJobTime(pdf.createdAt)}</time>
                        {pdf.createdBy ? ` · ${pdf.createdBy}` : ''} · {formatBytes(pdf.byteSize)}
                      </p>
                      <p className="text-slate-600">
                        Written by {pdf.provider === 'openai' ? 'OpenAI' : pdf.provider === 'offline' ? 'the offline writer' : pdf.provider} ({pdf.model}, prompt {pdf.promptVersion})
                      </p>
                      <p className="font-mono text-xs break-all text-slate-500" title="SHA-256 of the file">
                        SHA-256 {pdf.sha256}
                      </p>
                      <a
                        href={`/api/reports/${letter.id}/pdf?pdf=${pdf.id}`}
                        download
                        className={buttonClasses('outline', 'sm', 'mt-2')}
                        aria-label={`Download the PDF of version ${pdf.version} made ${formatJobTime(pdf.createdAt)}`}
                      >
                        <Download className="size-4" aria-hidden="true" />
                        Download
                      </a>
                    </li>
                  ))}
                </ul>
              )}
            </section>

            <section aria-labelledby="versions-heading">
              <h2 id="versions-heading" className="text-base font-semibold text-slate-950">
                Versions
              </h2>
              <ol className="mt-2 space-y-2" aria-label="Versions, newest first">
                {letter.versions.map((v) => {
                  const current = v.version === letter.currentVersion;
                  const shown = v.version === letter.shown?.version;
                  return (
                    <li key={v.version} className="text-sm">
                      <Link
                        href={current ? `/reports/${letter.id}` : `/reports/${letter.id}?version=${v.version}`}
                        aria-current={shown ? 'page' : undefined}
                        className="rounded font-medium text-brand-700 underline-offset-2 hover:underline aria-[current=page]:text-slate-950 aria-[current=page]:no-underline"
                      >
                        Version {v.version}
                        {current ? ' (current)' : ''}
                      </Link>
                      <span className="block text-slate-600">
                        {SOURCE_LABELS[v.source]}
                        {v.restoredFromVersion ? ` from version ${v.restoredFromVersion}` : ''}
                        {v.author ? ` by ${v.author}` : v.source === 'generated' ? ` by ${letter.meta?.provider === 'openai' ? 'OpenAI' : 'the offline writer'}` : ''} ·{' '}
                        <time dateTime={v.createdAt.toISOString()}>{formatJobTime(v.createdAt)}</time>
                      </span>
                    </li>
                  );
                })}
              </ol>
            </section>
          </div>
        </div>
      )}
    </>
  );
}
