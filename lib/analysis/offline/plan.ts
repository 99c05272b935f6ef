// Plan items from the plan (or combined assessment and plan) sections: one per
// numbered or bulleted entry, else one per sentence. Each is linked to the
// diagnoses whose words it mentions and carries a timeline when one is written.
import type { DiagnosisDraft } from './diagnoses';
import { capitalize, cleanPhrase, splitSentences, truncate } from './normalize';
import type { Section } from './sections';

export interface PlanDraft {
  title: string;
  bullets: string[];
  diagnosisIndexes: number[];
  timeline: string | null;
}

const NUMBER_WORDS = '(?:\\d+(?:\\.\\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|a few|several|a couple of)';
const TIMELINE = new RegExp(
  `\\b((?:in|within|for|after|every|over(?: the next)?|x)\\s+${NUMBER_WORDS}(?:\\s*(?:-|to|or)\\s*${NUMBER_WORDS})?\\s*(?:days?|weeks?|wks?|months?|mos?|years?|yrs?|hours?)|${NUMBER_WORDS}(?:\\s*(?:-|to)\\s*${NUMBER_WORDS})?[- ](?:day|week|month|year)s?\\b(?: follow[- ]?up)?|next (?:week|month|visit|year)|tomorrow|today|immediately|as needed|prn|annually|yearly|in the morning)\\b`,
  'i',
);

export function timelineOf(text: string): string | null {
  const m = TIMELINE.exec(text);
  return m ? m[1]!.replace(/\s+/g, ' ') : null;
}

function planItems(body: string): string[] {
  const lines = body
    .split('\n')
    .flatMap((l) => l.split(/\s+(?=\d{1,2}[.)]\s+[A-Za-z])/))
    .map((l) => l.trim())
    .filter(Boolean);
  const numbered = lines.filter((l) => /^(\d{1,2}[.)]|[-*])\s/.test(l));
  if (numbered.length >= 2) {
    // Lines between numbered entries belong to the entry above.
    const items: string[] = [];
    for (const l of lines) {
      if (/^(\d{1,2}[.)]|[-*])\s/.test(l) || items.length === 0) items.push(l);
      else items[items.length - 1] += ` ${l}`;
    }
    return items;
  }
  return lines.flatMap((l) => splitSentences(l));
}

export function extractPlan(sections: Section[], diagnoses: DiagnosisDraft[]): PlanDraft[] {
  const out: PlanDraft[] = [];
  for (const s of sections) {
    if (!['plan', 'assessment_plan', 'follow_up'].includes(s.kind)) continue;
    for (const raw of planItems(s.body)) {
      const item = cleanPhrase(raw);
      if (item.length < 3) continue;
      const head = /^([A-Z][^:.]{2,60}):\s*(.+)$/.exec(item) ?? /^([^.]{3,70}?)\s+[-–]\s+(.+)$/.exec(item);
      let title: string;
      let bullets: string[];
      if (head) {
        title = cleanPhrase(head[1]!);
        bullets = splitSentences(head[2]!).map(cleanPhrase).filter(Boolean);
      } else {
        const sentences = splitSentences(item).map(cleanPhrase).filter(Boolean);
        const first = sentences[0] ?? item;
        title = truncate(first, 90);
        bullets = (title === first ? sentences.slice(1) : sentences).map((b) => truncate(b, 240));
      }
      const diagnosisIndexes = diagnoses.map((d, i) => (d.terms && d.terms.test(item) ? i : -1)).filter((i) => i >= 0);
      out.push({ title: capitalize(title), bullets: bullets.slice(0, 8), diagnosisIndexes, timeline: timelineOf(item) });
      if (out.length >= 15) return out;
    }
  }
  return out;
}

const FOLLOW_UP = /\b(follow[- ]?up (in|with|appointment|visit)|follow[- ]?up\b.*\b(weeks?|months?|days?|years?|prn|p\.r\.n\.|as needed)|return (to (the )?(clinic|office)|in)|see (him|her|the patient|them|you) (again|back|in)|rtc|come back)\b/i;
const RECHECK = /\b(recheck|re-?evaluat\w+|repeat)\b.*\b(in|within)\b/i;

/** The follow-up instruction as written, from the plan or the whole note; explicit follow-up wins over a recheck. */
export function extractFollowUp(sections: Section[], text: string): string | null {
  const preferred = sections.filter((s) => ['follow_up', 'plan', 'assessment_plan'].includes(s.kind)).map((s) => s.body);
  for (const re of [FOLLOW_UP, RECHECK]) {
    for (const body of [...preferred, text]) {
      for (const sentence of splitSentences(body)) {
        // Upper-case lines are headings ("FOLLOW-UP CARE"), not instructions.
        if (sentence === sentence.toUpperCase() && sentence.length < 60) continue;
        if (re.test(sentence)) return truncate(cleanPhrase(sentence), 200);
      }
    }
  }
  return null;
}
