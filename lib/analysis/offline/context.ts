// Reading the words around a mention: negation, family history, history-of,
// uncertainty, laterality and severity. Windows are limited to the clause the
// mention is in, so "no chest pain, but shortness of breath" negates only the first.
import type { Laterality, Severity } from '../schema';

const NEGATION = /\b(no|not|denies|denied|denying|negative for|without|free of|absence of|absent|no evidence of|no signs? of|ruled out|rules out|resolved|never had|nor)\b[^.;]*$/i;
const NEGATION_AFTER = /^[^.;]{0,25}\b(ruled out|was negative|were negative|is negative|has resolved|resolved|unlikely|not (seen|found|present))\b/i;
const FAMILY = /\b(family history|mother|father|sister|brother|sibling|aunt|uncle|grandmother|grandfather|grandparent|cousin|son|daughter|maternal|paternal|parents?)\b[^.;]*$/i;
const HISTORY_OF = /\b(history of|h\/o|hx of|status post|s\/p|previous|prior|past|remote)\s+(\w+\s+){0,3}$/i;
const UNCERTAIN = /\b(possible|possibly|probable|probably|likely|suspect(ed)?|suspicious for|questionable|concern for|concerning for|consistent with|suggest(s|ive of)?|rule out|r\/o|versus|vs\.?|differential|cannot exclude|may (have|be)|to exclude)\b[^.;]*$/i;

export interface MentionContext {
  negated: boolean;
  family: boolean;
  historical: boolean;
  uncertain: boolean;
  /** How sure the wording is, when uncertain. */
  hedge: 'possible' | 'likely' | null;
}

/** The part of `text` before `index` that belongs to the same clause. */
export function clauseBefore(text: string, index: number, max = 70): string {
  const start = Math.max(0, index - max);
  const before = text.slice(start, index);
  const cut = Math.max(before.lastIndexOf('.'), before.lastIndexOf(';'), before.lastIndexOf('\n'), before.lastIndexOf(' but '), before.lastIndexOf(' however'));
  return cut >= 0 ? before.slice(cut + 1) : before;
}

export function clauseAfter(text: string, index: number, max = 60): string {
  const after = text.slice(index, index + max);
  const cut = after.search(/[.;\n]|\bbut\b/);
  return cut >= 0 ? after.slice(0, cut) : after;
}

export function mentionContext(text: string, start: number, end: number): MentionContext {
  // Denial lists run long ("denies fever, chills, … chest pain"), so negation looks
  // back to the start of the sentence; family words only nearby.
  const before = clauseBefore(text, start, 220);
  const near = clauseBefore(text, start, 60);
  const after = clauseAfter(text, end);
  const uncertain = UNCERTAIN.test(before) || /^\s*(\?|is (suspected|possible|likely)|(cannot|can't) be (excluded|ruled out)|versus|vs\b)/i.test(after);
  const hedge = !uncertain ? null : /\b(probable|probably|likely|consistent with|suggest|concerning for|suspicious)\b/i.test(before) ? 'likely' : 'possible';
  return {
    negated: NEGATION.test(before) || NEGATION_AFTER.test(after),
    family: FAMILY.test(near),
    historical: HISTORY_OF.test(before),
    uncertain,
    hedge,
  };
}

/** Laterality words in a short window; eyes also use OD/OS/OU. */
export function lateralityIn(window: string, kind: 'eye' | 'body'): Laterality {
  const w = window.toLowerCase();
  const both = /\b(bilateral(ly)?|both (eyes|knees|hips|sides|shoulders|hands|wrists|ears|legs|feet)|b\/l)\b/.test(w) || (kind === 'eye' && /\bou\b/.test(w));
  const right = /\b(right|rt\.?)\b/.test(w) || (kind === 'eye' && /\bod\b/.test(w));
  const left = /\b(left|lt\.?)\b/.test(w) || (kind === 'eye' && /\bos\b/.test(w));
  if (both || (right && left)) return 'bilateral';
  if (right) return 'right';
  if (left) return 'left';
  return 'n/a';
}

export function severityIn(window: string): Severity {
  const w = window.toLowerCase();
  if (/\b(severe|severely|advanced|end[- ]stage|critical|grade (3|iii|4|iv))\b/.test(w)) return 'severe';
  if (/\b(moderate|moderately|grade (2|ii))\b/.test(w)) return 'moderate';
  if (/\b(mild|mildly|early|minimal|grade (1|i))\b/.test(w)) return 'mild';
  return 'unspecified';
}
