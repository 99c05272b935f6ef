'use client';

import { useState } from 'react';
import { BookOpen, ExternalLink } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import type { Diagnosis, PlanItem, Reference } from '@/lib/analysis/schema';
import { cn } from '@/lib/utils';
import { citationsOf, describeCitations } from './citations';
import { LATERALITY_LABELS, listNumbers, REFERENCE_SOURCE_LABELS, SEVERITY_LABELS, URGENCY_BADGES } from './labels';
import { NothingRecorded, ReviewSection } from './section';

export interface CrossReferencedProps {
  diagnoses: Diagnosis[];
  plan: PlanItem[];
  references: Reference[];
}

/**
 * Diagnoses, plan and references side by side on wide screens. Selecting a
 * reference (a toggle button) highlights the diagnoses and plan items that cite
 * it, and says so in text and to screen readers: colour is never the only signal.
 */
export function CrossReferenced({ diagnoses, plan, references }: CrossReferencedProps) {
  const [selected, setSelected] = useState<number | null>(null);
  const citations = selected === null ? null : citationsOf(selected, diagnoses, plan);

  return (
    <div>
      <div className="grid gap-8 lg:grid-cols-2 lg:gap-6 xl:grid-cols-[minmax(0,1.2fr)_minmax(0,1fr)_minmax(0,0.8fr)]">
        <ReviewSection id="diagnoses" title="Diagnoses">
          {diagnoses.length === 0 ? (
            <NothingRecorded>No diagnosis could be identified in the note.</NothingRecorded>
          ) : (
            <ol className="space-y-3">
              {diagnoses.map((d) => (
                <DiagnosisCard key={d.number} diagnosis={d} citedReference={citations?.diagnoses.includes(d.number) ? selected : null} />
              ))}
            </ol>
          )}
        </ReviewSection>

        <ReviewSection id="plan" title="Plan">
          {plan.length === 0 ? (
            <NothingRecorded>The note has no plan. Document one for each diagnosis.</NothingRecorded>
          ) : (
            <ol className="space-y-3">
              {plan.map((item) => (
                <PlanCard
                  key={item.number}
                  item={item}
                  diagnoses={diagnoses}
                  citedReference={citations?.plan.includes(item.number) ? selected : null}
                />
              ))}
            </ol>
          )}
        </ReviewSection>

        <ReviewSection
          id="references"
          title="References"
          className="lg:col-span-2 xl:col-span-1"
          description={references.length > 0 ? 'Select a reference to highlight what cites it.' : undefined}
        >
          {references.length === 0 ? (
            <NothingRecorded>No references were attached to this analysis.</NothingRecorded>
          ) : (
            <>
              <ol className="space-y-2">
                {references.map((r) => (
                  <ReferenceItem key={r.number} reference={r} pressed={selected === r.number} onToggle={() => setSelected((s) => (s === r.number ? null : r.number))} />
                ))}
              </ol>
              {selected !== null && (
                <Button variant="ghost" size="sm" className="mt-2" onClick={() => setSelected(null)}>
                  Clear the highlight
                </Button>
              )}
            </>
          )}
        </ReviewSection>
      </div>
      <p role="status" aria-live="polite" className="sr-only">
        {selected !== null && citations ? describeCitations(selected, citations) : ''}
      </p>
    </div>
  );
}

function CitedNote({ reference }: { reference: number | null }) {
  if (reference === null) return null;
  return (
    <p className="mt-3 inline-flex items-center gap-1.5 rounded bg-brand-100 px-2 py-0.5 text-xs font-semibold text-brand-800">
      <BookOpen className="size-3.5" aria-hidden="true" />
      Cites reference {reference}
    </p>
  );
}

function cardClasses(highlighted: boolean) {
  return cn(
    'scroll-mt-6 rounded-lg border bg-white p-4 transition-colors',
    highlighted ? 'border-brand-600 bg-brand-50 ring-2 ring-brand-600' : 'border-slate-200',
  );
}

function ItemNumber({ n }: { n: number }) {
  return (
    <span className="flex size-7 shrink-0 items-center justify-center rounded-full bg-slate-100 text-sm font-semibold text-slate-700 tabular-nums" aria-hidden="true">
      {n}
    </span>
  );
}

function DiagnosisCard({ diagnosis: d, citedReference }: { diagnosis: Diagnosis; citedReference: number | null }) {
  const urgency = URGENCY_BADGES[d.urgency];
  return (
    <li id={`diagnosis-${d.number}`} className={cardClasses(citedReference !== null)} data-highlighted={citedReference !== null || undefined}>
      <div className="flex gap-3">
        <ItemNumber n={d.number} />
        <div className="min-w-0 flex-1">
          <h3 className="font-semibold text-slate-950">
            <span className="sr-only">Diagnosis {d.number}: </span>
            {d.label}
          </h3>
          <p className="mt-1 text-sm text-slate-700">
            {d.icd10Code ? (
              <>
                <span className="sr-only">ICD-10 code </span>
                <code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-sm font-semibold text-slate-900">{d.icd10Code}</code>{' '}
                {d.icd10Description}
              </>
            ) : (
              <span className="text-slate-600">No ICD-10 code could be given with confidence.</span>
            )}
          </p>
          <div className="mt-2 flex flex-wrap gap-1.5">
            <Badge>Laterality: {LATERALITY_LABELS[d.laterality]}</Badge>
            <Badge>Severity: {SEVERITY_LABELS[d.severity]}</Badge>
            <Badge variant={urgency.variant}>{urgency.label}</Badge>
          </div>
          {d.supporting.length > 0 && (
            <div className="mt-3">
              <p className="text-xs font-semibold tracking-wide text-slate-600 uppercase">Supporting</p>
              <ul className="mt-1 list-disc space-y-0.5 pl-5 text-sm text-slate-800">
                {d.supporting.map((s, i) => (
                  <li key={i}>{s}</li>
                ))}
              </ul>
            </div>
          )}
          {d.codingNotes.length > 0 && (
            <div className="mt-3">
              <p className="text-xs font-semibold tracking-wide text-slate-600 uppercase">Coding notes</p>
              <ul className="mt-1 list-disc space-y-0.5 pl-5 text-sm text-slate-700">
                {d.codingNotes.map((s, i) => (
                  <li key={i}>{s}</li>
                ))}
              </ul>
            </div>
          )}
          {d.referenceNumbers.length > 0 && (
            <p className="mt-3 text-xs text-slate-600">
              {d.referenceNumbers.length === 1 ? 'Reference' : 'References'} {listNumbers(d.referenceNumbers)}
            </p>
          )}
          <CitedNote reference={citedReference} />
        </div>
      </div>
    </li>
  );
}

function PlanCard({ item, diagnoses, citedReference }: { item: PlanItem; diagnoses: Diagnosis[]; citedReference: number | null }) {
  return (
    <li id={`plan-${item.number}`} className={cardClasses(citedReference !== null)} data-highlighted={citedReference !== null || undefined}>
      <div className="flex gap-3">
        <ItemNumber n={item.number} />
        <div className="min-w-0 flex-1">
          <h3 className="font-semibold text-slate-950">
            <span className="sr-only">Plan item {item.number}: </span>
            {item.title}
          </h3>
          {item.timeline && <p className="mt-0.5 text-sm text-slate-600">When: {item.timeline}</p>}
          {item.bullets.length > 0 && (
            <ul className="mt-2 list-disc space-y-0.5 pl-5 text-sm text-slate-800">
              {item.bullets.map((b, i) => (
                <li key={i}>{b}</li>
              ))}
            </ul>
          )}
          {item.diagnosisNumbers.length > 0 && (
            <div className="mt-3">
              <p className="text-xs font-semibold tracking-wide text-slate-600 uppercase">Addresses</p>
              <ul className="mt-1 flex flex-wrap gap-1.5" aria-label={`Diagnoses addressed by plan item ${item.number}`}>
                {item.diagnosisNumbers.map((n) => {
                  const diagnosis = diagnoses.find((d) => d.number === n);
                  return (
                    <li key={n}>
                      <a
                        href={`#diagnosis-${n}`}
                        className="inline-flex max-w-full items-center gap-1 rounded-full bg-info-50 px-2 py-0.5 text-xs font-medium text-info-700 ring-1 ring-info-200 ring-inset hover:bg-info-100"
                      >
                        <span className="shrink-0 font-semibold whitespace-nowrap">Dx {n}</span>
                        {diagnosis && <span className="min-w-0 truncate">{diagnosis.label}</span>}
                      </a>
                    </li>
                  );
                })}
              </ul>
            </div>
          )}
          {item.referenceNumbers.length > 0 && (
            <p className="mt-3 text-xs text-slate-600">
              {item.referenceNumbers.length === 1 ? 'Reference' : 'References'} {listNumbers(item.referenceNumbers)}
            </p>
          )}
          <CitedNote reference={citedReference} />
        </div>
      </div>
    </li>
  );
}

function ReferenceItem({ reference: r, pressed, onToggle }: { reference: Reference; pressed: boolean; onToggle: () => void }) {
  const pubmed = r.pubmedId ? `https://pubmed.ncbi.nlm.nih.gov/${r.pubmedId}/` : null;
  const link = r.url ?? pubmed;
  return (
    <li className={cn('rounded-lg border bg-white', pressed ? 'border-brand-600 ring-2 ring-brand-600' : 'border-slate-200')}>
      <button
        type="button"
        aria-pressed={pressed}
        onClick={onToggle}
        className="flex w-full gap-2 rounded-lg p-3 text-left text-sm hover:bg-slate-50"
      >
        <span className="font-semibold text-slate-700 tabular-nums">
          <span className="sr-only">Reference </span>
          {r.number}.
        </span>
        <span className="min-w-0">
          <span className="block break-words text-slate-900">{r.citation}</span>
          <span className="mt-1 block text-xs text-slate-600">{REFERENCE_SOURCE_LABELS[r.source]}</span>
        </span>
      </button>
      {link && (
        <a
          href={link}
          target="_blank"
          rel="noopener noreferrer"
          className="mx-3 mb-3 inline-flex items-center gap-1 rounded text-xs font-medium text-brand-700 underline-offset-2 hover:underline"
        >
          {r.url ? 'Open the source' : `PubMed ${r.pubmedId}`}
          <span className="sr-only"> of reference {r.number} (opens in a new tab)</span>
          <ExternalLink className="size-3" aria-hidden="true" />
        </a>
      )}
    </li>
  );
}
