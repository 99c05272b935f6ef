// Insurance letters: a prior authorisation request, a letter of medical
// necessity, or an appeal of a denial. Each names the procedure and the insurer,
// gives the diagnosis (with ICD-10 codes for the insurer), the objective
// findings, the treatment tried so far and the clinician's justification.
import { INSURANCE_TYPE_LABELS, type InsuranceLetterType } from '../options';
import type { LetterOutput } from '../schema';
import {
  diagnosisLines,
  examLines,
  measurementLines,
  patientIntro,
  planLines,
  section,
  sections,
  seenSentence,
  warningLines,
  type Facts,
} from './facts';
import { clause, lowerFirst, possessive, salutationFor, sentence, specialRequestSentence } from './text';

export const INSURANCE_SIGN_OFF = 'Sincerely,';

const INSURANCE_IDENTIFIER = /member|policy|insur|subscriber|plan|group|medicaid|medicare|payer/i;

const TREATMENT_STATUS = { current: 'ongoing', new: 'started at the last visit', changed: 'dose changed', discontinued: 'stopped' } as const;

export function writeInsurance(f: Facts): LetterOutput {
  const type: InsuranceLetterType = f.request.insuranceLetterType ?? 'medical_necessity';
  const typed = clause(f.request.procedure ?? 'the requested treatment');
  const procedure = lowerFirst(typed);
  const insurer = f.request.insurer ? clause(f.request.insurer) : null;
  const ids = f.analysis.patient.identifiers.filter((i) => INSURANCE_IDENTIFIER.test(i.kind)).map((i) => `${clause(i.kind)} ${i.value}`);
  const intro = patientIntro(f, ids);
  const reason = lowerFirst(clause(f.reason));

  const opening: Record<InsuranceLetterType, string> = {
    prior_auth: `I am writing to request prior authorisation${insurer ? ` from ${insurer}` : ''} for ${procedure} for ${intro}.`,
    medical_necessity: `I am writing to confirm that ${procedure} is medically necessary for ${intro}${insurer ? `, who is covered by ${insurer}` : ''}.`,
    appeal: `I am writing to appeal ${insurer ? possessive(insurer) : 'the'} decision to deny coverage of ${procedure} for ${intro}, and to ask that the decision be reviewed.`,
  };
  const ask: Record<InsuranceLetterType, string> = {
    prior_auth: `Please authorise ${procedure} so that treatment can go ahead without delay.`,
    medical_necessity: `Please accept this letter as documentation that ${procedure} is medically necessary, and cover it accordingly.`,
    appeal: `Please reverse the denial and approve coverage of ${procedure}. I believe the findings above show that it is medically necessary.`,
  };

  const dx = f.reasonDx;
  const findings = [...(dx?.supporting.map(clause) ?? []), ...measurementLines(f.analysis, { abnormalOnly: true }), ...examLines(f.analysis, { abnormalOnly: true, max: 10 }), ...warningLines(f.analysis)];
  const uniqueFindings = findings.filter((line, i) => findings.indexOf(line) === i);
  const tried = [
    ...f.analysis.medications.map((m) => `${clause(m.name)}${m.dose || m.frequency ? ` ${[m.dose, m.frequency].filter(Boolean).join(', ')}` : ''}: ${TREATMENT_STATUS[m.status]}`),
    ...planLines(f.analysis),
  ];
  const needs = { routine: 'needs routine care', soon: 'needs attention soon', urgent: 'needs urgent attention', emergent: 'needs emergency care' } as const;
  const severity = dx ? `The condition ${dx.severity !== 'unspecified' ? `is ${dx.severity} in severity and ` : ''}${needs[dx.urgency]}.` : null;
  const hasCodes = f.codes && f.analysis.diagnoses.some((d) => d.icd10Code !== null);

  return {
    subject: `${INSURANCE_TYPE_LABELS[type]}: ${typed} — ${clause(f.reason)}`,
    salutation: salutationFor(f.request.to, 'Sir or Madam'),
    sections: sections(
      section(null, [opening[type], `The diagnosis is ${reason}. ${seenSentence(f)}`]),
      section(hasCodes ? 'Diagnosis and ICD-10 codes' : 'Diagnosis', [diagnosisLines(f).length === 0 ? sentence(f.reason) : null], diagnosisLines(f)),
      section('Objective findings', [uniqueFindings.length === 0 ? 'No abnormal measurements are recorded in the notes.' : null], uniqueFindings),
      section('Treatment to date and alternatives tried', [tried.length === 0 ? 'No earlier treatment is recorded in the notes.' : null], tried),
      section('Medical necessity', [
        sentence(`${procedure} is medically necessary for the treatment of ${reason}`),
        f.request.justification ? sentence(f.request.justification) : null,
        severity,
      ]),
      section('Request', [
        ask[type],
        specialRequestSentence(f.request.specialRequests, 'clinician'),
        `Please contact ${f.clinic} if you need further information or records.`,
      ]),
    ),
    closing: INSURANCE_SIGN_OFF,
  };
}
