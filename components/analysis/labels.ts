// Display names and badge colours of the analysis result's enums, shared by the
// review screen's server and client components (so it lives outside 'use client').
import type { BadgeVariant } from '@/components/ui/badge';
import type { AnalysisResult, DocumentType, Laterality, QualityLevel, Severity, Urgency, Warning } from '@/lib/analysis/schema';

export const DOCUMENT_TYPE_LABELS: Record<DocumentType, string> = {
  encounter_note: 'Encounter note',
  referral_request: 'Referral request',
  consultation_report: 'Consultation report',
  lab_results: 'Lab results',
  prescription: 'Prescription',
  insurance_form: 'Insurance form',
  correspondence: 'Correspondence',
  other: 'Other document',
};

export const LATERALITY_LABELS: Record<Laterality, string> = {
  left: 'Left',
  right: 'Right',
  bilateral: 'Bilateral',
  'n/a': 'Not applicable',
};

export const SEVERITY_LABELS: Record<Severity, string> = {
  mild: 'Mild',
  moderate: 'Moderate',
  severe: 'Severe',
  unspecified: 'Unspecified',
};

export const URGENCY_BADGES: Record<Urgency, { label: string; variant: BadgeVariant }> = {
  routine: { label: 'Routine', variant: 'neutral' },
  soon: { label: 'Soon', variant: 'info' },
  urgent: { label: 'Urgent', variant: 'warning' },
  emergent: { label: 'Emergent', variant: 'danger' },
};

export const WARNING_BADGES: Record<Warning['severity'], { label: string; variant: BadgeVariant }> = {
  caution: { label: 'Caution', variant: 'warning' },
  urgent: { label: 'Urgent', variant: 'danger' },
  emergent: { label: 'Emergent', variant: 'danger' },
};

export const CONFIDENCE_BADGES: Record<AnalysisResult['suggestedDiagnoses'][number]['confidence'], { label: string; variant: BadgeVariant }> = {
  low: { label: 'Low confidence', variant: 'neutral' },
  medium: { label: 'Medium confidence', variant: 'info' },
  high: { label: 'High confidence', variant: 'success' },
};

export const MEDICATION_STATUS_BADGES: Record<AnalysisResult['medications'][number]['status'], { label: string; variant: BadgeVariant }> = {
  current: { label: 'Current', variant: 'neutral' },
  new: { label: 'New', variant: 'success' },
  changed: { label: 'Changed', variant: 'info' },
  discontinued: { label: 'Discontinued', variant: 'warning' },
};

export const REFERENCE_SOURCE_LABELS: Record<AnalysisResult['references'][number]['source'], string> = {
  pubmed: 'PubMed',
  society_guideline: 'Society guideline',
  landmark_trial: 'Landmark trial',
};

export const QUALITY_BADGES: Record<QualityLevel, { label: string; variant: BadgeVariant }> = {
  poor: { label: 'Poor', variant: 'danger' },
  fair: { label: 'Fair', variant: 'warning' },
  good: { label: 'Good', variant: 'info' },
  excellent: { label: 'Excellent', variant: 'success' },
};

export const SEX_LABELS: Record<AnalysisResult['patient']['sex'], string> = {
  female: 'Female',
  male: 'Male',
  other: 'Other',
  unknown: 'Not stated',
};

/** "Reference 2" / "references 1 and 3" style lists: "1, 2 and 5". */
export function listNumbers(numbers: readonly number[]): string {
  if (numbers.length <= 1) return numbers.join('');
  return `${numbers.slice(0, -1).join(', ')} and ${numbers[numbers.length - 1]}`;
}
