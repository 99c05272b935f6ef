// Which diagnoses and plan items cite a reference: what the review screen
// highlights when a reference is selected. Pure, so it is unit-tested.
import type { Diagnosis, PlanItem } from '@/lib/analysis/schema';
import { listNumbers } from './labels';

export interface Citations {
  diagnoses: number[];
  plan: number[];
}

export function citationsOf(reference: number, diagnoses: readonly Diagnosis[], plan: readonly PlanItem[]): Citations {
  return {
    diagnoses: diagnoses.filter((d) => d.referenceNumbers.includes(reference)).map((d) => d.number),
    plan: plan.filter((p) => p.referenceNumbers.includes(reference)).map((p) => p.number),
  };
}

/** The sentence announced when a reference is selected, e.g. "Reference 2 is cited by diagnosis 1 and plan item 3." */
export function describeCitations(reference: number, citations: Citations): string {
  const parts: string[] = [];
  if (citations.diagnoses.length > 0) parts.push(`${citations.diagnoses.length === 1 ? 'diagnosis' : 'diagnoses'} ${listNumbers(citations.diagnoses)}`);
  if (citations.plan.length > 0) parts.push(`${citations.plan.length === 1 ? 'plan item' : 'plan items'} ${listNumbers(citations.plan)}`);
  if (parts.length === 0) return `Reference ${reference} is not cited by any diagnosis or plan item.`;
  return `Reference ${reference} is cited by ${parts.join(' and ')}.`;
}
