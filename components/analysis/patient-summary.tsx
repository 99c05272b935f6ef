import { Card, CardContent } from '@/components/ui/card';
import { SPECIALTY_LABELS, type AnalysisResult } from '@/lib/analysis/schema';
import { DOCUMENT_TYPE_LABELS, SEX_LABELS } from './labels';
import { Facts, ReviewSection } from './section';

const SUMMARY_PARTS: { key: keyof AnalysisResult['summary']; label: string }[] = [
  { key: 'visitContext', label: 'Visit context' },
  { key: 'examination', label: 'Examination' },
  { key: 'keyFindings', label: 'Key findings' },
  { key: 'clinicalImpression', label: 'Clinical impression' },
];

/** The first thing a reviewer reads: who the note is about, who wrote it, and what it says. */
export function PatientSummary({ result }: { result: AnalysisResult }) {
  const { patient, provider, summary } = result;
  const summaryParts = SUMMARY_PARTS.filter(({ key }) => summary[key]);
  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
      <ReviewSection id="patient" title="Patient">
        <Card>
          <CardContent>
            <Facts
              items={[
                { label: 'Name', value: patient.name },
                { label: 'Date of birth', value: patient.dateOfBirth },
                { label: 'Age', value: patient.age === null ? null : `${patient.age}` },
                { label: 'Sex', value: SEX_LABELS[patient.sex] },
                ...patient.identifiers.map((id, index) => ({ label: id.kind || `Identifier ${index + 1}`, value: id.value })),
                { label: 'Phone', value: patient.phone },
                { label: 'Address', value: patient.address },
              ]}
            />
            <div className="mt-4 border-t border-slate-100 pt-4">
              <Facts
                items={[
                  { label: 'Provider', value: provider.name },
                  { label: 'Clinic', value: provider.clinic },
                  { label: 'Document', value: DOCUMENT_TYPE_LABELS[result.documentType] },
                  { label: 'Specialty', value: SPECIALTY_LABELS[result.detectedSpecialty] },
                ]}
              />
            </div>
          </CardContent>
        </Card>
      </ReviewSection>

      <ReviewSection id="summary" title="Summary">
        <Card>
          <CardContent className="space-y-4 text-sm text-slate-800">
            <div>
              <h3 className="font-semibold text-slate-900">Chief complaint</h3>
              <p className="mt-1">{result.chiefComplaint ?? <span className="text-slate-500">Not recorded</span>}</p>
            </div>
            {summaryParts.length === 0 ? (
              <p className="text-slate-600">The note gave too little to summarise.</p>
            ) : (
              summaryParts.map(({ key, label }) => (
                <div key={key}>
                  <h3 className="font-semibold text-slate-900">{label}</h3>
                  <p className="mt-1 leading-relaxed whitespace-pre-line">{summary[key]}</p>
                </div>
              ))
            )}
          </CardContent>
        </Card>
      </ReviewSection>
    </div>
  );
}
