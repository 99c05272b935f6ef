// Letters from one clinician to another: standard and urgent referrals,
// co-management and a request for a second opinion. Each opens after the
// salutation with why the letter is written, gives the findings in sections and
// closes by inviting the reader's impressions; the sign-off ends the body.
import type { LetterOutput } from '../schema';
import {
  allergySentence,
  diagnosisLines,
  examLines,
  followUpSentence,
  measurementLines,
  medicationLines,
  patientIntro,
  planLines,
  section,
  sections,
  seenSentence,
  urgencyOf,
  urgencySentence,
  warningLines,
  type Facts,
} from './facts';
import { clause, lowerFirst, possessive, salutationFor, sentence, specialRequestSentence } from './text';

export const CLINICIAN_SIGN_OFF = 'With kind regards,';

const focusOf = (f: Facts): string | null => (f.request.referralFocus ? lowerFirst(clause(f.request.referralFocus)) : null);
const reasonInSentence = (f: Facts): string => lowerFirst(clause(f.reason));

function salutation(f: Facts): string {
  return salutationFor(f.request.to, f.request.recipientType === 'family_physician' ? 'Doctor' : 'Colleague');
}

/** The close that invites the reader's impressions, worded for who reads it. */
function invitation(f: Facts, thanks: string): string {
  switch (f.request.recipientType) {
    case 'family_physician':
      return `${thanks} I would be grateful for your impressions, and thank you for your ongoing care of ${f.patient}.`;
    case 'specialist':
      return `${thanks} I would be grateful for your impressions and recommendations, and I am happy to discuss the case at any time.`;
    default:
      return `${thanks} I would welcome your impressions, and I am happy to answer any questions.`;
  }
}

function findingsSection(f: Facts, heading: string): ReturnType<typeof section> {
  const lines = [...measurementLines(f.analysis), ...examLines(f.analysis, { abnormalOnly: true, max: 12 })];
  const exam = f.analysis.summary.examination;
  return section(heading, [exam ? sentence(exam) : lines.length === 0 ? 'No examination findings are recorded in the notes.' : null], lines);
}

function assessmentSection(f: Facts): ReturnType<typeof section> {
  const { clinicalImpression, keyFindings } = f.analysis.summary;
  const dx = diagnosisLines(f);
  return section(
    'Assessment',
    [clinicalImpression && sentence(clinicalImpression), keyFindings && sentence(keyFindings), dx.length === 0 && 'No diagnosis has been confirmed yet.'],
    dx,
  );
}

function planSection(f: Facts, heading: string): ReturnType<typeof section> {
  const meds = medicationLines(f.analysis);
  return section(
    heading,
    [
      meds.length > 0 ? `Current medications: ${meds.join('; ')}.` : 'No medications are recorded in the notes.',
      allergySentence(f.analysis),
      followUpSentence(f),
    ],
    planLines(f.analysis),
  );
}

export function writeReferral(f: Facts): LetterOutput {
  const focus = focusOf(f);
  const urgency = urgencyOf(f);
  return {
    subject: `Referral${focus ? ` for ${focus}` : ''} — ${clause(f.reason)}`,
    salutation: salutation(f),
    sections: sections(
      section(null, [
        `I would be grateful if you could see ${patientIntro(f)} for ${focus ?? 'your assessment and advice on further management'}. The reason for referral is ${reasonInSentence(f)}.`,
        `${seenSentence(f)} ${urgencySentence(urgency, f.patient)}`,
      ]),
      findingsSection(f, 'Exam findings'),
      assessmentSection(f),
      planSection(f, 'Plan'),
      section(null, [specialRequestSentence(f.request.specialRequests, 'clinician'), invitation(f, `Thank you for seeing ${f.patient}.`)]),
    ),
    closing: CLINICIAN_SIGN_OFF,
  };
}

export function writeUrgentReferral(f: Facts): LetterOutput {
  const focus = focusOf(f);
  const emergent = urgencyOf(f) === 'emergent';
  // Warnings and what supports the reason come first; measurements only when those are missing.
  const primary = [...warningLines(f.analysis), ...(f.reasonDx?.supporting.map(clause) ?? [])];
  const critical = primary.length > 0 ? primary : [...measurementLines(f.analysis, { abnormalOnly: true }), ...examLines(f.analysis, { abnormalOnly: true, max: 6 })];
  const unique = critical.filter((line, i) => critical.indexOf(line) === i);
  return {
    subject: `URGENT referral${focus ? ` for ${focus}` : ''} — ${clause(f.reason)}`,
    salutation: salutation(f),
    sections: sections(
      section(null, [
        `URGENT: I would be grateful if you could see ${patientIntro(f)} ${emergent ? 'today' : 'within 24–48 hours'} for ${focus ?? 'urgent assessment and management'}. The reason for referral is ${reasonInSentence(f)}.`,
        seenSentence(f),
      ]),
      section('Critical findings', [unique.length === 0 ? 'No critical values were recorded; the urgency rests on the clinical picture described below.' : null], unique),
      assessmentSection(f),
      planSection(f, 'Action taken so far'),
      section(null, [
        specialRequestSentence(f.request.specialRequests, 'clinician'),
        `If ${f.patient} cannot be seen ${emergent ? 'today' : 'within this time'}, please contact ${f.clinic} straight away so that we can arrange care elsewhere.`,
        invitation(f, `Thank you for seeing ${f.patient} at short notice.`),
      ]),
    ),
    closing: CLINICIAN_SIGN_OFF,
  };
}

/** What the recipient is asked to take on, by who they are. */
function recipientTasks(f: Facts, focus: string | null): string[] {
  const tasks = focus ? [`Take on ${focus}, and let us know your findings and recommendations`] : [];
  switch (f.request.recipientType) {
    case 'family_physician':
      return [
        ...tasks,
        `Continue to manage ${possessive(f.patient)} general health and other medications`,
        'Let us know of any new medication, hospital admission or change in general health',
      ];
    case 'specialist':
      return [...tasks, ...(focus ? [] : [`Provide specialist assessment and treatment for ${reasonInSentence(f)}`]), 'Send us a copy of your notes after each visit'];
    default:
      return [...tasks, 'Share with us any information relevant to this care', 'Contact us with any concern between visits'];
  }
}

export function writeCoManagement(f: Facts): LetterOutput {
  const focus = focusOf(f);
  const ours = [...planLines(f.analysis), `See ${f.patient} for follow-up${f.analysis.followUp ? ` (${clause(f.analysis.followUp)})` : ''}`, 'Send you a copy of each visit note'];
  const meds = medicationLines(f.analysis);
  return {
    subject: `Co-management${focus ? ` (${focus})` : ''} — ${clause(f.reason)}`,
    salutation: salutation(f),
    sections: sections(
      section(null, [`I am writing to ask whether you would share the care of ${patientIntro(f)} with us for ${reasonInSentence(f)}.`, seenSentence(f)]),
      section('Current status', [f.analysis.summary.clinicalImpression && sentence(f.analysis.summary.clinicalImpression), f.analysis.summary.keyFindings && sentence(f.analysis.summary.keyFindings)], [
        ...diagnosisLines(f),
        ...measurementLines(f.analysis, { abnormalOnly: true }),
      ]),
      section('Current treatment', [meds.length === 0 ? 'No medications are recorded in the notes.' : null, allergySentence(f.analysis)], meds),
      section(`Our practice (${f.clinic}) will`, [], ours),
      section('We would ask you to', [specialRequestSentence(f.request.specialRequests, 'clinician')], recipientTasks(f, focus)),
      section('Follow-up and communication', [
        followUpSentence(f),
        'We will write to you after each visit; please send us your notes too, so that we both have the full picture.',
        f.analysis.warnings.length > 0 ? `These findings need prompt attention from whichever of us sees ${f.patient} first: ${warningLines(f.analysis).map(lowerFirst).join('; ')}.` : null,
      ]),
      section(null, [`Thank you for working with us on ${possessive(f.patient)} care. I would welcome your impressions and any change you would suggest to this arrangement.`]),
    ),
    closing: CLINICIAN_SIGN_OFF,
  };
}

export function writeSecondOpinion(f: Facts): LetterOutput {
  const focus = focusOf(f);
  const { chiefComplaint, summary, suggestedDiagnoses } = f.analysis;
  const differential = suggestedDiagnoses.map(
    (s) => `${clause(s.label)} (${s.confidence} confidence): ${clause(s.reasoning)}${s.supportingFindings.length > 0 ? `. Supporting findings: ${s.supportingFindings.map(clause).join('; ')}` : ''}`,
  );
  const findings = [...measurementLines(f.analysis), ...examLines(f.analysis)];
  return {
    subject: `Request for a second opinion — ${clause(f.reason)}`,
    salutation: salutation(f),
    sections: sections(
      section(null, [
        `I would be grateful for your independent opinion on the care of ${patientIntro(f)}. The question concerns ${reasonInSentence(f)}.${focus ? ` In particular, I would value your view on ${focus}.` : ''}`,
        seenSentence(f),
      ]),
      section('Case summary', [
        chiefComplaint && `Presenting concern: ${sentence(lowerFirst(chiefComplaint))}`,
        summary.examination && sentence(summary.examination),
        summary.keyFindings && sentence(summary.keyFindings),
        !chiefComplaint && !summary.examination && !summary.keyFindings && 'The notes contain no narrative summary of the visit.',
      ]),
      section('Objective findings', [findings.length === 0 ? 'No measurements or examination findings are recorded in the notes.' : null], findings),
      section('Working diagnoses', [f.analysis.diagnoses.length === 0 ? 'No working diagnosis has been recorded.' : null], diagnosisLines(f)),
      section('Differential diagnosis', [differential.length === 0 ? 'No alternative diagnoses were recorded.' : null], differential),
      section('Current management', [allergySentence(f.analysis)], [...planLines(f.analysis), ...medicationLines(f.analysis)]),
      section(
        'Questions for you',
        [specialRequestSentence(f.request.specialRequests, 'clinician')],
        [
          f.reasonDx ? `Do you agree with the working diagnosis of ${reasonInSentence(f)}?` : 'Do you agree with the assessment so far?',
          ...(focus ? [`What is your view on ${focus}?`] : []),
          'Would you change the current management, or suggest further investigations?',
        ],
      ),
      section(null, [
        `Thank you for reviewing ${possessive(f.patient)} case. I would be grateful for your impressions, and I am happy to send any images or records you need.`,
      ]),
    ),
    closing: CLINICIAN_SIGN_OFF,
  };
}

