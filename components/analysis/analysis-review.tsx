import { ShieldAlert } from 'lucide-react';
import type { AnalysisResult } from '@/lib/analysis/schema';
import { ExamFindings, Medications, VitalsAndValues } from './clinical-data';
import { CrossReferenced } from './cross-referenced';
import { AnalysisMetaLine, OpenQuestions, Quality, Warnings } from './findings';
import { PatientSummary } from './patient-summary';

/** Shown above every piece of AI output (DOMAIN.md: positioning). */
export function AiReviewNotice() {
  return (
    <aside
      aria-label="About this result"
      className="flex gap-3 rounded-lg border border-info-200 bg-info-50 p-4 text-sm text-info-700"
    >
      <ShieldAlert className="mt-0.5 size-5 shrink-0" aria-hidden="true" />
      <p>
        <strong className="font-semibold">AI output — review before use.</strong> This analysis was drafted by software from the note. A
        clinician must review it and remains responsible for every diagnosis, code and plan taken from it.
      </p>
    </aside>
  );
}

/**
 * The review screen of an analysis (DOMAIN.md): summary and patient first, then
 * warnings, then diagnoses, plan and references side by side, then the rest.
 */
export function AnalysisReview({ result }: { result: AnalysisResult }) {
  return (
    <div className="space-y-10">
      <AiReviewNotice />
      <PatientSummary result={result} />
      <Warnings warnings={result.warnings} />
      <CrossReferenced diagnoses={result.diagnoses} plan={result.plan} references={result.references} />
      <Medications result={result} />
      <VitalsAndValues result={result} />
      <ExamFindings result={result} />
      <OpenQuestions result={result} />
      <Quality quality={result.quality} />
      <AnalysisMetaLine meta={result.meta} />
    </div>
  );
}
