// Small text helpers for the offline letter writer: sentence case, lists in
// prose, names in a salutation, and turning a special request into the writer's
// own sentence.

/**
 * "Primary open-angle glaucoma" → "primary open-angle glaucoma", for use inside a sentence.
 * Acronyms ("OCT", "HbA1c") and what looks like a name ("Jane Doe", "Dr. Silva") are left alone.
 */
export function lowerFirst(value: string): string {
  const [first = '', second = ''] = value.split(/\s+/);
  if (!/^[A-Z][a-z]/.test(first) || /^[A-Z][a-z]*[A-Z]/.test(first) || /^[A-Z][a-z]/.test(second)) return value;
  return value[0]!.toLowerCase() + value.slice(1);
}

export function upperFirst(value: string): string {
  return value ? value[0]!.toUpperCase() + value.slice(1) : value;
}

/** The text as one sentence: capitalised, ending in a full stop unless it already ends a sentence. */
export function sentence(value: string): string {
  const trimmed = value.trim().replace(/[,;:]+$/, '');
  if (!trimmed) return '';
  return upperFirst(/[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`);
}

/** Without a trailing full stop, for use inside another sentence. */
export function clause(value: string): string {
  return value.trim().replace(/[.;:,]+$/, '');
}

/** "a", "a and b", "a, b and c". */
export function joinAnd(items: readonly string[], conjunction = 'and'): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items.at(-1)}`;
}

const TITLE = /^(dr|doctor|prof|professor|mr|mrs|ms|miss|mx|sir|dame)\.?$/i;
const CREDENTIAL = /^(md|do|phd|mbbs|mbchb|mb|bch|frcs\w*|frcp\w*|facc|facp|faafp|fracs|od|rn|np|pa|pa-c|dnp|msc|bsc|ma|mph|jr|sr|ii|iii)\.?$/i;

/** The part of a "To" line that names the addressee: before the first comma, without parenthetical notes. */
function addresseeName(to: string): string {
  return (to.split(/[,;\n]/)[0] ?? to).replace(/\([^)]*\)/g, '').replace(/\s+/g, ' ').trim();
}

/** "Dr. Ana Silva, Glaucoma Service" → "Dear Dr. Silva,"; "Aetna Utilization Review" → "Dear Aetna Utilization Review,". */
export function salutationFor(to: string, fallback: string, greeting = 'Dear'): string {
  const name = addresseeName(to);
  const words = name.split(' ').filter((w) => w !== '');
  while (words.length > 1 && CREDENTIAL.test(words.at(-1)!)) words.pop();
  if (words.length === 0) return `${greeting} ${fallback},`;
  if (words.length >= 2 && TITLE.test(words[0]!)) return `${greeting} ${words[0]} ${words.at(-1)},`;
  return `${greeting} ${words.join(' ')},`;
}

/** The family name in "Dr. Ana Ribeiro, MD" (lower-cased), for telling whether two names are the same person. */
export function familyName(name: string | null): string | null {
  if (!name) return null;
  const words = addresseeName(name)
    .split(' ')
    .filter((w) => w !== '' && !TITLE.test(w) && !CREDENTIAL.test(w));
  return words.at(-1)?.toLowerCase().replace(/[^\p{L}'-]/gu, '') || null;
}

/** The possessive of a name or phrase: "Jane Doe's", "the patient's", "James's". */
export function possessive(value: string): string {
  return `${value}'s`;
}

const POLITE_PREFIX =
  /^(?:(?:and|also)\s+)?(?:please|pls|plz|kindly|could you(?: please)?|can you(?: please)?|would you(?: please| kindly)?|i(?:'d| would) like you to|i want you to|we(?:'d| would) like you to|i would ask you to|i ask that you|note to self:?)[\s,:]+/i;

const IMPERATIVE =
  /^(?:add|adjust|advise|arrange|ask|assess|assist|avoid|book|call|check|clarify|comment|confirm|consider|contact|continue|copy|discuss|document|email|ensure|evaluate|examine|exclude|expedite|explain|fax|follow|forward|give|include|inform|keep|let|look|measure|mention|monitor|note|obtain|offer|order|organi[sz]e|perform|phone|prioriti[sz]e|provide|re-?check|reassess|recommend|refer|remind|repeat|reply|request|review|rule|schedule|screen|see|send|share|start|stop|test|tell|titrate|treat|update|bring|use|take|remember|come)\b/i;

/** The request's own words, trimmed of quotes, politeness and end punctuation, so the writer can phrase it. */
function requestCore(value: string): string {
  let core = value.replace(/\s+/g, ' ').trim();
  // A request pasted in quotation marks is still the writer's request, not a quotation.
  core = core.replace(/^["'“‘«]+|["'”’»]+$/g, '').trim();
  for (let i = 0; i < 3 && POLITE_PREFIX.test(core); i++) core = core.replace(POLITE_PREFIX, '');
  return core.replace(/[.!?\s]+$/, '').trim();
}

export type RequestAudience = 'clinician' | 'patient';

/**
 * A special request as the writer's own sentence, never quoted: "please check the
 * angles" → "I would also be grateful if you could check the angles." A statement
 * ("interpreter needed") becomes "Please also note the following: interpreter needed."
 */
export function specialRequestSentence(value: string | null, audience: RequestAudience): string | null {
  if (!value) return null;
  const core = requestCore(value);
  if (core.length < 2) return null;
  if (audience === 'patient') {
    const remind = /^(?:remind|tell|ask|advise)\s+(?:the patient|patient|them|him|her|pt)\s+(?:to|that)\s+/i;
    if (remind.test(core)) return sentence(`Please remember to ${core.replace(remind, '')}`);
    if (IMPERATIVE.test(core)) return sentence(`Please also ${lowerFirst(core)}`);
    return sentence(`One more thing to mention: ${lowerFirst(core)}`);
  }
  if (IMPERATIVE.test(core)) return sentence(`I would also be grateful if you could ${lowerFirst(core)}`);
  return sentence(`Please also note the following: ${lowerFirst(core)}`);
}
