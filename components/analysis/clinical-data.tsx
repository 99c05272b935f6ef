import { Badge } from '@/components/ui/badge';
import { Card, CardContent } from '@/components/ui/card';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import type { AnalysisResult, Vitals } from '@/lib/analysis/schema';
import { MEDICATION_STATUS_BADGES } from './labels';
import { Facts, NothingRecorded, ReviewSection } from './section';

type Measurement = AnalysisResult['clinicalValues']['labs'][number];

/** Intraocular pressure above this (mmHg) is flagged, as the warnings do. */
const IOP_LIMIT = 21;

export function Medications({ result }: { result: AnalysisResult }) {
  return (
    <div className="grid gap-8 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)] lg:gap-6">
      <ReviewSection id="medications" title="Medications">
        {result.medications.length === 0 ? (
          <NothingRecorded>No medications are recorded in the note.</NothingRecorded>
        ) : (
          <Table>
            <THead>
              <TR>
                <TH>Medication</TH>
                <TH>Dose</TH>
                <TH>Frequency</TH>
                <TH>Status</TH>
              </TR>
            </THead>
            <TBody>
              {result.medications.map((m, i) => {
                const status = MEDICATION_STATUS_BADGES[m.status];
                return (
                  <TR key={i}>
                    <TH scope="row" className="font-medium whitespace-normal text-slate-900">
                      {m.name}
                    </TH>
                    <TD>{m.dose ?? '—'}</TD>
                    <TD>{m.frequency ?? '—'}</TD>
                    <TD>
                      <Badge variant={status.variant}>{status.label}</Badge>
                    </TD>
                  </TR>
                );
              })}
            </TBody>
          </Table>
        )}
      </ReviewSection>
      <ReviewSection id="allergies" title="Allergies">
        {result.allergies.length === 0 ? (
          <NothingRecorded>No allergies are documented. If the patient has none, say so in the note (“no known drug allergies”).</NothingRecorded>
        ) : (
          <ul className="flex flex-wrap gap-2">
            {result.allergies.map((a, i) => (
              <li key={i}>
                <Badge variant="warning" className="text-sm">
                  {a}
                </Badge>
              </li>
            ))}
          </ul>
        )}
      </ReviewSection>
    </div>
  );
}

function vitalsFacts(v: Vitals) {
  return [
    { label: 'Blood pressure', value: v.bloodPressure ? `${v.bloodPressure.systolic}/${v.bloodPressure.diastolic} mmHg` : null },
    { label: 'Heart rate', value: v.heartRate === null ? null : `${v.heartRate} bpm` },
    { label: 'Respiratory rate', value: v.respiratoryRate === null ? null : `${v.respiratoryRate} /min` },
    { label: 'Temperature', value: v.temperatureC === null ? null : `${v.temperatureC.toFixed(1)} °C` },
    { label: 'Weight', value: v.weightKg === null ? null : `${v.weightKg} kg` },
    { label: 'Height', value: v.heightCm === null ? null : `${v.heightCm} cm` },
    { label: 'BMI', value: v.bmi === null ? null : v.bmi.toFixed(1) },
    { label: 'SpO₂', value: v.spo2 === null ? null : `${v.spo2} %` },
  ];
}

export function VitalsAndValues({ result }: { result: AnalysisResult }) {
  const facts = vitalsFacts(result.vitals).filter((f) => f.value !== null);
  const { labs, imaging, eye, other } = result.clinicalValues;
  const hasValues = labs.length + imaging.length + other.length > 0 || eye !== null;
  return (
    <div className="space-y-8">
      <ReviewSection id="vitals" title="Vitals">
        {facts.length === 0 ? (
          <NothingRecorded>No vital signs are recorded in the note.</NothingRecorded>
        ) : (
          <Card>
            <CardContent>
              <Facts items={facts} className="sm:grid-cols-4" />
            </CardContent>
          </Card>
        )}
      </ReviewSection>

      <ReviewSection id="clinical-values" title="Clinical values">
        {!hasValues ? (
          <NothingRecorded>No lab results, imaging or specialty measurements are recorded in the note.</NothingRecorded>
        ) : (
          <div className="space-y-5">
            {eye && <EyeTable eye={eye} />}
            {labs.length > 0 && <MeasurementTable label="Lab results" rows={labs} />}
            {other.length > 0 && <MeasurementTable label="Other measurements" rows={other} />}
            {imaging.length > 0 && (
              <Table label="Imaging">
                <THead>
                  <TR>
                    <TH>Study</TH>
                    <TH>Finding</TH>
                  </TR>
                </THead>
                <TBody>
                  {imaging.map((row, i) => (
                    <TR key={i}>
                      <TH scope="row" className="font-medium whitespace-normal">
                        {row.study}
                      </TH>
                      <TD>{row.finding}</TD>
                    </TR>
                  ))}
                </TBody>
              </Table>
            )}
          </div>
        )}
      </ReviewSection>
    </div>
  );
}

function Abnormal({ abnormal }: { abnormal: boolean | null }) {
  if (abnormal === null) return <span className="text-slate-500">—</span>;
  return abnormal ? <Badge variant="danger">Abnormal</Badge> : <Badge variant="success">Normal</Badge>;
}

function MeasurementTable({ label, rows }: { label: string; rows: Measurement[] }) {
  return (
    <Table label={label}>
      <THead>
        <TR>
          <TH>{label === 'Lab results' ? 'Test' : 'Measurement'}</TH>
          <TH>Value</TH>
          <TH>Flag</TH>
        </TR>
      </THead>
      <TBody>
        {rows.map((row, i) => (
          <TR key={i}>
            <TH scope="row" className="font-medium whitespace-normal">
              {row.name}
            </TH>
            <TD className="tabular-nums">
              {row.value}
              {row.unit ? ` ${row.unit}` : ''}
            </TD>
            <TD>
              <Abnormal abnormal={row.abnormal} />
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}

function EyeTable({ eye }: { eye: NonNullable<AnalysisResult['clinicalValues']['eye']> }) {
  const iop = (value: number | null) =>
    value === null ? (
      '—'
    ) : (
      <span className={value > IOP_LIMIT ? 'font-semibold text-danger-700' : undefined}>
        {value} mmHg{value > IOP_LIMIT && <span className="sr-only"> (above {IOP_LIMIT})</span>}
      </span>
    );
  return (
    <Table label="Eye measurements">
      <THead>
        <TR>
          <TH>Eye measurement</TH>
          <TH>Right eye (OD)</TH>
          <TH>Left eye (OS)</TH>
        </TR>
      </THead>
      <TBody>
        <TR>
          <TH scope="row" className="font-medium">
            Visual acuity
          </TH>
          <TD>{eye.visualAcuity.right ?? '—'}</TD>
          <TD>{eye.visualAcuity.left ?? '—'}</TD>
        </TR>
        <TR>
          <TH scope="row" className="font-medium">
            Intraocular pressure
          </TH>
          <TD className="tabular-nums">{iop(eye.intraocularPressure.right)}</TD>
          <TD className="tabular-nums">{iop(eye.intraocularPressure.left)}</TD>
        </TR>
        <TR>
          <TH scope="row" className="font-medium">
            Refraction
          </TH>
          <TD>{eye.refraction.right ?? '—'}</TD>
          <TD>{eye.refraction.left ?? '—'}</TD>
        </TR>
      </TBody>
    </Table>
  );
}

export function ExamFindings({ result }: { result: AnalysisResult }) {
  return (
    <ReviewSection id="exam" title="Examination findings">
      {result.examFindings.length === 0 ? (
        <NothingRecorded>No examination findings are recorded in the note.</NothingRecorded>
      ) : (
        <div className="grid gap-4 md:grid-cols-2">
          {result.examFindings.map((group, i) => (
            <Card key={i}>
              <CardContent>
                <h3 className="font-semibold text-slate-900">{group.category}</h3>
                <dl className="mt-2 space-y-1.5 text-sm">
                  {group.findings.map((f, j) => (
                    <div key={j} className="flex flex-wrap items-baseline gap-x-2">
                      <dt className="text-slate-600">{f.label}:</dt>
                      <dd className={f.abnormal ? 'font-semibold text-danger-700' : 'text-slate-900'}>
                        {f.value}
                        {f.abnormal && <span className="ml-1.5 text-xs">(abnormal)</span>}
                      </dd>
                    </div>
                  ))}
                </dl>
              </CardContent>
            </Card>
          ))}
        </div>
      )}
    </ReviewSection>
  );
}
