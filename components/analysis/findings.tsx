import { OctagonAlert, TriangleAlert } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent } from '@/components/ui/card';
import { Progress } from '@/components/ui/progress';
import type { AnalysisResult } from '@/lib/analysis/schema';
import { CONFIDENCE_BADGES, QUALITY_BADGES, WARNING_BADGES } from './labels';
import { NothingRecorded, ReviewSection } from './section';

/** Red flags first and loud: a reviewer must not be able to miss them. */
export function Warnings({ warnings }: { warnings: AnalysisResult['warnings'] }) {
  if (warnings.length === 0) return null;
  const emergent = warnings.some((w) => w.severity !== 'caution');
  return (
    <section
      aria-labelledby="warnings-heading"
      className={
        emergent ? 'rounded-lg border-2 border-danger-600 bg-danger-50 p-4 sm:p-5' : 'rounded-lg border-2 border-warning-600 bg-warning-50 p-4 sm:p-5'
      }
    >
      <h2 id="warnings-heading" className={`flex items-center gap-2 text-lg font-bold ${emergent ? 'text-danger-700' : 'text-warning-700'}`}>
        <OctagonAlert className="size-5 shrink-0" aria-hidden="true" />
        {warnings.length === 1 ? 'Warning' : `Warnings (${warnings.length})`}
      </h2>
      <ul className="mt-3 space-y-3">
        {warnings.map((w, i) => {
          const badge = WARNING_BADGES[w.severity];
          return (
            <li key={i} className="rounded-md bg-white p-3 ring-1 ring-slate-200">
              <p className="flex flex-wrap items-center gap-2 font-semibold text-slate-950">
                <Badge variant={badge.variant}>{badge.label}</Badge>
                {w.message}
              </p>
              <p className="mt-1 text-sm text-slate-700">Basis: {w.basis}</p>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

export function OpenQuestions({ result }: { result: AnalysisResult }) {
  return (
    <div className="grid gap-8 lg:grid-cols-2 lg:gap-6">
      <ReviewSection id="unaddressed" title="Unaddressed findings" description="Findings in the note that no diagnosis or plan item deals with.">
        {result.unaddressedFindings.length === 0 ? (
          <NothingRecorded>Every finding in the note is addressed.</NothingRecorded>
        ) : (
          <ul className="space-y-3">
            {result.unaddressedFindings.map((f, i) => (
              <li key={i} className="rounded-lg border border-warning-200 bg-white p-4">
                <p className="flex items-start gap-2 font-semibold text-slate-950">
                  <TriangleAlert className="mt-0.5 size-4 shrink-0 text-warning-700" aria-hidden="true" />
                  {f.finding}
                </p>
                <p className="mt-1 text-sm text-slate-700">Why it matters: {f.significance}</p>
                <p className="mt-1 text-sm text-slate-700">Suggested: {f.suggestedAction}</p>
              </li>
            ))}
          </ul>
        )}
      </ReviewSection>

      <ReviewSection id="differential" title="Suggested diagnoses" description="A differential to consider; not part of the coded diagnoses.">
        {result.suggestedDiagnoses.length === 0 ? (
          <NothingRecorded>No other diagnoses are suggested.</NothingRecorded>
        ) : (
          <ul className="space-y-3">
            {result.suggestedDiagnoses.map((s, i) => {
              const confidence = CONFIDENCE_BADGES[s.confidence];
              return (
                <li key={i} className="rounded-lg border border-slate-200 bg-white p-4">
                  <p className="flex flex-wrap items-center gap-2 font-semibold text-slate-950">
                    {s.label}
                    <Badge variant={confidence.variant}>{confidence.label}</Badge>
                  </p>
                  <p className="mt-1 text-sm text-slate-700">{s.reasoning}</p>
                  {s.supportingFindings.length > 0 && (
                    <ul className="mt-2 list-disc space-y-0.5 pl-5 text-sm text-slate-700">
                      {s.supportingFindings.map((f, j) => (
                        <li key={j}>{f}</li>
                      ))}
                    </ul>
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </ReviewSection>

      <ReviewSection id="follow-up" title="Follow-up" className="lg:col-span-2">
        {result.followUp ? (
          <p className="rounded-lg border border-slate-200 bg-white p-4 text-sm text-slate-900">{result.followUp}</p>
        ) : (
          <NothingRecorded>The note does not say when the patient should be seen again.</NothingRecorded>
        )}
      </ReviewSection>
    </div>
  );
}

export function Quality({ quality }: { quality: AnalysisResult['quality'] }) {
  const level = QUALITY_BADGES[quality.level];
  return (
    <ReviewSection id="quality" title="Documentation quality" description="How complete the note itself is, not how well the patient is doing.">
      <Card>
        <CardContent>
          <div className="flex flex-wrap items-center gap-3">
            <p className="text-slate-700">
              <span className="text-3xl font-bold text-slate-950 tabular-nums">{quality.score}</span> / 100
            </p>
            <Badge variant={level.variant}>{level.label}</Badge>
          </div>
          <Progress
            className="mt-3 h-3"
            aria-label="Documentation quality score"
            value={quality.score}
            valueText={`${quality.score} out of 100, ${level.label.toLowerCase()}`}
          />
          <div className="mt-5 grid gap-6 md:grid-cols-2">
            <div>
              <h3 className="font-semibold text-slate-900">Issues</h3>
              {quality.issues.length === 0 ? (
                <p className="mt-1 text-sm text-slate-600">No issues found.</p>
              ) : (
                <ul className="mt-1 list-disc space-y-1 pl-5 text-sm text-slate-800">
                  {quality.issues.map((s, i) => (
                    <li key={i}>{s}</li>
                  ))}
                </ul>
              )}
            </div>
            <div>
              <h3 className="font-semibold text-slate-900">Suggestions</h3>
              {quality.suggestions.length === 0 ? (
                <p className="mt-1 text-sm text-slate-600">Nothing to suggest.</p>
              ) : (
                <ul className="mt-1 list-disc space-y-1 pl-5 text-sm text-slate-800">
                  {quality.suggestions.map((s, i) => (
                    <li key={i}>{s}</li>
                  ))}
                </ul>
              )}
            </div>
          </div>
        </CardContent>
      </Card>
    </ReviewSection>
  );
}

export function AnalysisMetaLine({ meta }: { meta: AnalysisResult['meta'] }) {
  const provider = meta.provider === 'offline' ? 'Offline analyzer' : 'OpenAI';
  return (
    <p className="text-xs text-slate-500">
      Produced by {provider} ({meta.model}), prompt {meta.promptVersion}, result schema v{meta.schemaVersion}.
      {meta.repaired && ' The provider’s output did not match the schema and was repaired once before it was stored.'}
      {meta.truncated && ' Only the first part of the text was analysed.'}
    </p>
  );
}
