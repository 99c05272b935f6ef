// The offline fax triage: rules over the text of an incoming document (cover
// sheet plus content). It classifies the document by weighted cues (the cover
// sheet's "Re:" line counts more than the body), sets urgency from explicit
// cues and clinical red flags (the analysis module's thresholds), reads the
// sender from the "From" block, the patient from "Re:/Patient:/DOB" labels, and
// writes the tasks a front desk and a doctor would do with this kind of document.
import { extractLabs, extractVitals } from '@/lib/analysis/offline/measurements';
import { normalizeText, cleanPhrase } from '@/lib/analysis/offline/normalize';
import { extractPatient, extractProvider } from '@/lib/analysis/offline/patient';
import { detectWarnings } from '@/lib/analysis/offline/warnings';
import { URGENCY_WINDOWS, type TriageDocumentType, type TriageOutput, type TriageUrgency } from './schema';

export const OFFLINE_TRIAGE_MODEL = 'maneiro-triage-offline-1';
export const OFFLINE_TRIAGE_PROMPT_VERSION = 'triage-offline-2026.11';

interface Cue {
  re: RegExp;
  weight: number;
}

/** Cues per type. Weights: 3 = names the document itself, 2 = strong content cue, 1 = supporting. */
const TYPE_CUES: Record<Exclude<TriageDocumentType, 'other'>, Cue[]> = {
  referral_request: [
    { re: /\breferral (request|form|for)\b|\brequest(ing)? (a |for )?(referral|consult(ation)?|evaluation|appointment)\b/i, weight: 3 },
    { re: /\b(please (see|evaluate|assess)|kindly (see|evaluate)|reason for referral|referred (to you )?for|referring (physician|provider|doctor|clinic)|new patient referral)\b/i, weight: 3 },
    { re: /\b(i am referring|we are referring|would appreciate (your|an) (evaluation|opinion|assessment)|for (your )?(evaluation|assessment) and (management|treatment))\b/i, weight: 2 },
    { re: /\breferral\b/i, weight: 1 },
  ],
  consultation_report: [
    { re: /\b(consult(ation)? (note|report|letter)|consultation summary|office visit note|clinic note|progress note|operative report|discharge summary)\b/i, weight: 3 },
    { re: /\b(thank you for (referring|the referral|allowing me|asking me)|it was a pleasure (to see|seeing)|i (saw|had the pleasure of seeing)|seen in consultation)\b/i, weight: 3 },
    { re: /\b(impression|assessment and plan|recommendations?)\s*:/i, weight: 1 },
    { re: /\b(history of present illness|physical exam(ination)?|hpi)\s*:/i, weight: 1 },
  ],
  lab_results: [
    { re: /\b(lab(oratory)? (report|results?)|test results?|pathology report|cumulative report|final report|specimen (collected|received))\b/i, weight: 3 },
    { re: /\b(reference (range|interval)|ref(\.)? range|critical (value|result)|panic value|flag\s*:|units?\s*:?\s*(mmol|mg\/dl))\b/i, weight: 2 },
    { re: /\b(cbc|cmp|bmp|lipid panel|hba1c|tsh|basic metabolic|comprehensive metabolic|urinalysis|culture)\b/i, weight: 1 },
  ],
  insurance: [
    { re: /\b(prior (authori[sz]ation|auth)|pre-?authori[sz]ation|precertification|pre-?cert|utilization review|explanation of benefits|eob)\b/i, weight: 3 },
    { re: /\b(member id|subscriber id|policy (number|no|#)|group (number|no|#)|claim (number|no|#|denied|status)|insurance (verification|company|carrier)|health plan|coverage determination|medical necessity)\b/i, weight: 2 },
    { re: /\b(insurance|insurer|payer|payor|benefits|copay|deductible|appeal)\b/i, weight: 1 },
  ],
  records_request: [
    { re: /\b(request for (medical )?records|records request|request(ing)? (a )?(copy|copies) of|release of (medical )?(records|information)|medical records request)\b/i, weight: 3 },
    { re: /\b(hipaa|authori[sz]ation (for|to) (release|disclose)|authori[sz]ation for (use|disclosure)|subpoena|attorney|law (firm|office)|disability (claim|determination))\b/i, weight: 2 },
    { re: /\b(please (send|forward|fax) (copies|all|the (patient'?s?|following)|records|office notes)|records (from|for) (the period|dates))\b/i, weight: 2 },
  ],
  prescription: [
    { re: /\b(refill request|prescription (request|renewal|refill)|renewal request|rx renewal|request for refill|medication refill)\b/i, weight: 3 },
    { re: /\b(pharmacy|pharmacist|dispense|sig\s*:|qty|quantity\s*:|refills?\s*:|ndc|days supply|e-?prescri\w+)\b/i, weight: 2 },
    { re: /\b(rx|prescription|refill)\b/i, weight: 1 },
  ],
  correspondence: [
    { re: /\b(dear (dr|doctor|colleague)|to whom it may concern|please be advised|this letter is to (inform|notify|confirm)|we are writing to)\b/i, weight: 2 },
    { re: /\b(notice of|change of (address|practice)|has (moved|retired|relocated)|no longer (accepting|practicing)|deceased|passed away|sincerely|regards)\b/i, weight: 1 },
  ],
  marketing: [
    { re: /\b(special (offer|promotion|pricing)|limited[- ]time (offer)?|unsubscribe|opt[- ]out|remove (your number|you) from (our|this) (fax|mailing) list|to be removed|webinar|free (trial|sample|lunch|consultation for practices)|discount|% off|order now|call now|register (now|today))\b/i, weight: 3 },
    { re: /\b(introducing|announc\w+ (our|the) new|promo(tion(al)?)?|exclusive|save \$|sale|vendor|newsletter|conference|cme credits?|sponsored)\b/i, weight: 1 },
  ],
};

/** How many times a cue matches (up to 3), so one stray word does not decide a type. */
function count(re: RegExp, text: string): number {
  const global = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
  return Math.min(3, (text.match(global) ?? []).length);
}

/** The cover sheet's subject and the first lines say what the document is. */
function headerOf(text: string): string {
  const subject = /^\s*(?:re|subject|regarding|document type|type)\s*:[^\n]*/gim;
  const lines = text.split('\n').slice(0, 4).join('\n');
  return [lines, ...(text.match(subject) ?? [])].join('\n');
}

export function classify(text: string): { type: TriageDocumentType; scores: Record<string, number>; cues: string[] } {
  const header = headerOf(text);
  const scores: Record<string, number> = {};
  const cues: string[] = [];
  for (const [type, list] of Object.entries(TYPE_CUES)) {
    let score = 0;
    for (const cue of list) {
      const body = count(cue.re, text);
      if (body === 0) continue;
      // The header doubles a cue's weight: the cover sheet names the document.
      const inHeader = cue.re.test(header) ? 1 : 0;
      score += cue.weight * (Math.min(body, 2) + inHeader * 2);
      if (cue.weight >= 2) cues.push(cleanPhrase(cue.re.exec(text)?.[0] ?? ''));
    }
    scores[type] = score;
  }
  // Marketing beats everything when its unmistakable cues are present: clinical
  // words in a vendor's flyer ("referral program", "lab services") are bait.
  const marketingStrong = count(TYPE_CUES.marketing[0]!.re, text);
  if (marketingStrong >= 2 || (marketingStrong >= 1 && (scores.marketing ?? 0) >= 6 && !/\b(patient|dob|date of birth)\s*:/i.test(text))) {
    return { type: 'marketing', scores, cues };
  }
  const ranked = Object.entries(scores).sort((a, b) => b[1] - a[1]);
  const best = ranked[0];
  if (!best || best[1] < 2) return { type: 'other', scores, cues };
  return { type: best[0] as TriageDocumentType, scores, cues };
}

const URGENT_CUES = /\b(urgent(ly)?|stat|asap|as soon as possible|emergent|emergency|critical (value|result|lab)|panic (value|result)|call(ed)? (the )?(physician|provider|doctor) immediately|within (24|48|24[-–]48|twenty-four|forty-eight) (h|hours?)|same[- ]day|today if possible|immediate(ly)? (attention|evaluation|review))\b/i;
const NOT_URGENT = /\b(non[- ]?urgent|not (urgent|an emergency)|no urgency|routine)\b/i;
const SOON_CUES = /\b(soon|semi[- ]?urgent|expedite[d]?|at your earliest convenience|within (1|2|one|two|1[-–]2) weeks?|within ([3-9]|1[0-4]|a few) (business |calendar )?days|next (week|available)|prompt(ly)?|running (low|out)|out of (medication|meds|pills)|(due|deadline|respond|response required) (by|within)|abnormal|elevated|worsening|time[- ]sensitive)\b/i;

export function urgencyOf(text: string, type: TriageDocumentType): { urgency: TriageUrgency; reasons: string[]; redFlags: string[] } {
  if (type === 'marketing') return { urgency: 'routine', reasons: ['marketing never needs clinical action'], redFlags: [] };
  const labs = extractLabs(text);
  const warnings = detectWarnings({ text, vitals: extractVitals(text), labs, eye: null });
  const redFlags = warnings.filter((w) => w.severity === 'urgent' || w.severity === 'emergent').map((w) => w.message);
  const reasons: string[] = [];
  const urgentCue = URGENT_CUES.exec(text);
  // "Urgent" inside "non-urgent" is not a cue.
  const urgentCueIsReal = urgentCue !== null && !/\b(non[- ]?|not )$/i.test(text.slice(Math.max(0, urgentCue.index - 5), urgentCue.index));
  if (urgentCueIsReal) reasons.push(`the document says "${cleanPhrase(urgentCue[0])}"`);
  if (redFlags.length) reasons.push(`red flag: ${redFlags.join('; ')}`);
  // Administrative documents are not made urgent by a clinical word alone.
  const administrative = type === 'records_request' || type === 'correspondence';
  if ((urgentCueIsReal && !(administrative && !redFlags.length && !/\b(urgent|stat|asap)\b/i.test(text))) || redFlags.length) {
    return { urgency: 'urgent', reasons, redFlags };
  }
  if (NOT_URGENT.test(text) && !SOON_CUES.test(text.replace(/\bnot urgent\b/gi, ''))) return { urgency: 'routine', reasons: ['marked non-urgent or routine'], redFlags };
  const soon = SOON_CUES.exec(text);
  const abnormalLab = labs.find((l) => l.abnormal);
  if (soon || (type === 'lab_results' && abnormalLab)) {
    if (soon) reasons.push(`the document says "${cleanPhrase(soon[0])}"`);
    if (abnormalLab && type === 'lab_results') reasons.push(`abnormal ${abnormalLab.name}`);
    return { urgency: 'soon', reasons, redFlags };
  }
  return { urgency: 'routine', reasons: ['no urgency cues or red flags'], redFlags };
}

const PHONE = String.raw`\+?1?[\s.-]?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}`;
const FAX_RE = new RegExp(String.raw`\b(?:fax|facsimile|f)\b\.?\s*(?:no\.?|number|#)?\s*[:#]?\s*(${PHONE})`, 'i');
const PHONE_RE = new RegExp(String.raw`\b(?:phone|tel|telephone|ph|p|call(?: us)?(?: at)?)\b\.?\s*(?:no\.?|number|#)?\s*[:#]?\s*(${PHONE})`, 'i');

const BLOCK_LABEL = /^\s*(to|attn|attention|re|subject|date|pages|from|sender|sent by|patient|pt|dob|message|comments?|cc)\b\s*:/i;

/** The lines of the "From:" block: the label's line and those after it until the next label. */
function fromBlock(text: string): string | null {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^\s*(from|sender|sent by|referring (physician|provider|doctor|clinic))\s*:/i.test(l));
  if (start < 0) return null;
  const out = [lines[start]!];
  for (let i = start + 1; i < lines.length && i < start + 5; i++) {
    if (BLOCK_LABEL.test(lines[i]!) || lines[i]!.trim() === '') break;
    out.push(lines[i]!);
  }
  // Several labels on one line ("From: X   Fax: Y   To: Z"): cut at the next block label.
  return out.join('\n').replace(/\s(to|attn|re|date|pages)\s*:.*$/ims, '');
}

/** The "To:" block, whose fax number is the clinic's own and never the sender's. */
function toBlock(text: string): string {
  const m = /^\s*(to|attn|attention)\s*:[^\n]*(\n(?!\s*(from|re|subject|date|pages|sender)\s*:)[^\n]+){0,3}/im.exec(text);
  return m ? m[0].replace(/\s(from|re|date|pages)\s*:.*$/ims, '') : '';
}

function formatNumber(raw: string): string {
  const digits = raw.replace(/\D/g, '').replace(/^1(?=\d{10}$)/, '');
  return digits.length === 10 ? `(${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}` : raw.trim();
}

const CREDENTIAL_NAME =
  /((?:Dr\.?\s+)?[A-Z][a-zA-Z'-]{1,30}(?:\s+[A-Z]\.?)?(?:\s+[A-Z][a-zA-Z'-]{1,30}){0,2}),?\s+(MD|M\.D\.|DO|D\.O\.|OD|NP|FNP|FNP-C|PA-C|PA|DPM|DDS|MBBS|PharmD|RPh)\b/;
const DR_NAME = /\bDr\.?\s+[A-Z][a-zA-Z'-]{1,30}(?:\s+[A-Z]\.?)?(?:\s+[A-Z][a-zA-Z'-]{1,30})?/;
const CLINIC_RE =
  /\b((?:[A-Z][A-Za-z&'.-]+[ \t]){1,5}(?:Clinic|Medical Center|Medical Centre|Hospital|Eye Center|Associates|Health Center|Health Centre|Family Practice|Family Medicine|Medical Group|Pharmacy|Laboratories|Laboratory|Labs|Diagnostics|Health Plan|Healthcare|Health|Insurance|Law Group|Law Office|LLP|Cardiology|Dermatology|Orthopedics|Neurology|Pediatrics|Urgent Care|Surgery Center|Imaging))\b/;

export function extractSender(text: string, patientName: string | null): TriageOutput['from'] {
  const block = fromBlock(text);
  const to = toBlock(text);
  const withoutTo = to ? text.replace(to, '') : text;
  const faxIn = (s: string) => FAX_RE.exec(s)?.[1] ?? null;
  const phoneIn = (s: string) => PHONE_RE.exec(s)?.[1] ?? null;
  const fax = (block && faxIn(block)) ?? faxIn(withoutTo);
  const phone = (block && phoneIn(block)) ?? phoneIn(withoutTo);

  const samePerson = (name: string) => {
    if (!patientName) return false;
    const words = patientName.toLowerCase().split(/[\s,]+/).filter((w) => w.length > 1);
    return name.toLowerCase().split(/[\s,.]+/).some((w) => words.includes(w));
  };
  let provider: string | null = null;
  for (const source of [block ?? '', withoutTo]) {
    const m = CREDENTIAL_NAME.exec(source) ?? DR_NAME.exec(source);
    if (m && !samePerson(m[0])) {
      provider = cleanPhrase(m[0].replace(/\s+/g, ' '));
      break;
    }
  }
  if (!provider) {
    const fallback = extractProvider(withoutTo, patientName).name;
    provider = fallback && /\b(dr|md|do|np|pa)\b/i.test(fallback) ? fallback : null;
  }
  let clinic: string | null = null;
  for (const source of [block ?? '', withoutTo]) {
    const m = CLINIC_RE.exec(source);
    if (m) {
      clinic = cleanPhrase(m[1]!);
      break;
    }
  }
  // A "From:" line that names an organisation without a recognised suffix.
  if (!clinic && block) {
    const first = block.split('\n')[0]!.replace(/^\s*(from|sender|sent by)\s*:\s*/i, '').split(/\s{2,}|\t|,|\b(?:fax|phone|tel)\b/i)[0]!.trim();
    if (first && !/\d{3}/.test(first) && first !== provider && !DR_NAME.test(first) && !CREDENTIAL_NAME.test(first)) clinic = cleanPhrase(first);
  }
  return { provider, clinic, fax: fax ? formatNumber(fax) : null, phone: phone ? formatNumber(phone) : null };
}

/** Words that follow "Re:" without being a name ("Re: Referral for …"). */
const NOT_A_NAME = /^(referral|request|consult\w*|lab\w*|results?|prior|authori[sz]ation|records?|prescription|refill|renewal|medication|insurance|claim|patient|new|follow|urgent|stat|your|our|the|a|an|fax|appointment|update|notice|change|special|limited|free|mutual|dr|doctor)$/i;

const NAME_WORDS = String.raw`[A-Z][a-zA-Z'-]{1,30}(?:\s+[A-Z]\.?)?(?:\s+[A-Z][a-zA-Z'-]{1,30}){1,2}`;
const LAST_FIRST = String.raw`[A-Z][A-Za-z'-]{1,30},\s*[A-Z][A-Za-z'-]{1,30}(?:\s+[A-Z]\.?(?![a-z]))?`;

function tidyName(raw: string): string | null {
  let name = raw.trim().replace(/\s+/g, ' ');
  const lastFirst = /^([A-Za-z'-]+),\s*([A-Za-z'-]+)(?:\s+([A-Z])\.?)?$/.exec(name);
  if (lastFirst) name = [lastFirst[2], lastFirst[3], lastFirst[1]].filter(Boolean).join(' ');
  // Names written in capitals on forms: "JANE DOE" → "Jane Doe".
  if (name === name.toUpperCase()) name = name.toLowerCase().replace(/\b([a-z])/g, (c) => c.toUpperCase());
  const words = name.split(' ').filter((w) => !/^(DOB|MRN|Date|Age|Sex|Phone|ID|Member|Policy|Birth)$/i.test(w));
  if (words.length < 2 || words.some((w) => NOT_A_NAME.test(w))) return null;
  return words.join(' ');
}

export function extractRegarding(text: string): TriageOutput['regarding'] {
  const labels = String.raw`(?:patient(?:\s+name)?|pt(?:\s+name)?|name|re|regarding|member(?:\s+name)?|subscriber|client|claimant|insured)`;
  const candidates: string[] = [];
  const labelled = new RegExp(String.raw`\b${labels}\s*[:#]\s*(${LAST_FIRST}|${NAME_WORDS})`, 'gi');
  for (const m of text.matchAll(labelled)) candidates.push(m[1]!);
  const phrased = new RegExp(String.raw`\b(?:our (?:mutual )?patient|your patient|the patient|for patient|patient|regarding|[Rr]e:?\s+\w+(?:\s+\w+)?\s+for)\s*,?\s+(${NAME_WORDS})`, 'g');
  for (const m of text.matchAll(phrased)) candidates.push(m[1]!);
  let patientName: string | null = null;
  for (const c of candidates) {
    // Label words written in capitals would swallow the next label ("JANE DOE DOB").
    const cut = c.split(/\s+(?=(?:DOB|MRN|Date|Sex|Age|ID|Subscriber|Member|Policy|Group|Claim)\b)/)[0]!;
    const tidy = tidyName(cut);
    if (tidy) {
      patientName = tidy;
      break;
    }
  }
  const dob = extractPatient(text).dateOfBirth;
  return { patientName, dateOfBirth: dob };
}

function lineAfter(text: string, label: RegExp): string | null {
  const m = new RegExp(String.raw`(?:^|\n)\s*(?:${label.source})\s*:\s*(?<value>[^\n]{3,200})`, 'i').exec(text);
  return m?.groups?.value ? cleanPhrase(m.groups.value) : null;
}

export function keyClinicalInfo(text: string, type: TriageDocumentType, redFlags: string[]): string[] {
  if (type === 'marketing') return [];
  const out: string[] = [];
  const add = (label: string, value: string | null) => {
    if (!value) return;
    const item = `${label}: ${value}`;
    if (!out.some((o) => o.toLowerCase() === item.toLowerCase())) out.push(item);
  };
  add('Reason for referral', lineAfter(text, /reason for (referral|consult(ation)?)|referral reason|requested service|service requested/));
  add('Diagnosis', lineAfter(text, /diagnos[ie]s|dx|icd-?10(?: code)?s?/));
  add('Impression', lineAfter(text, /impression|assessment/));
  add('Recommendations', lineAfter(text, /recommendations?|plan/));
  add('Medication', lineAfter(text, /medication(?: requested)?|drug|rx|medication name/));
  add('Requested', lineAfter(text, /records requested|information requested|requested (records|information)|service|procedure(?: requested)?|cpt(?: codes?)?/));
  for (const flag of redFlags) add('Red flag', flag);
  for (const lab of extractLabs(text).filter((l) => l.abnormal)) add('Abnormal result', `${lab.name} ${lab.value}${lab.unit ? ` ${lab.unit}` : ''}`);
  return out.slice(0, 12);
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

function tasksFor(
  type: TriageDocumentType,
  urgency: TriageUrgency,
  text: string,
  from: TriageOutput['from'],
  regarding: TriageOutput['regarding'],
  redFlags: string[],
): { frontDesk: string[]; doctor: string[] } {
  const patient = regarding.patientName ?? 'the patient';
  const sender = from.provider ?? from.clinic ?? 'the sender';
  const window = URGENCY_WINDOWS[urgency];
  const faxBack = from.fax ? ` at ${from.fax}` : '';
  const frontDesk: string[] = [];
  const doctor: string[] = [];
  const member = /\b(?:member|subscriber|policy)\s*(?:id|number|no\.?|#)\s*[:#]?\s*([A-Z0-9-]{5,20})\b/i.exec(text)?.[1];
  const medication = lineAfter(text, /medication(?: requested)?|drug|rx|medication name/);
  const abnormal = extractLabs(text).filter((l) => l.abnormal);
  switch (type) {
    case 'referral_request':
      frontDesk.push(`Schedule new-patient consult for ${patient} ${window}`);
      frontDesk.push(`Call ${patient} to offer the appointment${regarding.dateOfBirth ? ` (DOB ${regarding.dateOfBirth})` : ''}`);
      frontDesk.push(member ? `Verify insurance member ID ${member} and any referral authorization` : 'Verify insurance and whether a referral authorization is required');
      frontDesk.push(`Fax appointment confirmation to ${sender}${faxBack}`);
      frontDesk.push('Scan referral into chart');
      if (urgency === 'urgent') doctor.push(`Review urgent referral today${redFlags.length ? `: ${redFlags.join('; ')}` : ''}`);
      else doctor.push(`Review referral from ${sender} and confirm the ${urgency} priority`);
      break;
    case 'consultation_report':
      frontDesk.push('Scan consultation report into chart');
      if (/\b(follow[- ]?up|return|recheck|see (him|her|them) (again|back))\b/i.test(text)) frontDesk.push(`Schedule follow-up for ${patient} as recommended`);
      doctor.push(`Review consultation report from ${sender}${urgency === 'urgent' ? ' today' : ''}`);
      if (redFlags.length) doctor.push(`Act on: ${redFlags.join('; ')}`);
      if (/\b(recommend|suggest|start|stop|increase|decrease|discontinue)\w*\b/i.test(text)) doctor.push('Decide on the consultant\'s medication and plan recommendations');
      break;
    case 'lab_results':
      if (urgency === 'urgent') frontDesk.push('Tell the doctor about the critical result now, before filing');
      frontDesk.push('Scan lab results into chart');
      if (abnormal.length || urgency !== 'routine') frontDesk.push(`Call ${patient} to book a results follow-up ${window}`);
      for (const flag of redFlags) doctor.push(`Review critical result: ${lowerFirst(flag)}`);
      for (const lab of abnormal.filter((l) => !redFlags.some((f) => f.toLowerCase().includes(l.name.toLowerCase())))) {
        doctor.push(`Review abnormal ${lab.name} ${lab.value}${lab.unit ? ` ${lab.unit}` : ''}`);
      }
      doctor.push('Sign off lab results');
      break;
    case 'insurance':
      if (member) frontDesk.push(`Verify insurance member ID ${member} with the payer`);
      else frontDesk.push('Verify the patient\'s insurance coverage with the payer');
      if (/\b(prior (authori[sz]ation|auth)|pre-?authori[sz]ation|precertification|pre-?cert)\b/i.test(text)) {
        frontDesk.push(`Pull chart notes and complete the prior authorization form ${window}`);
        frontDesk.push(`Fax completed form and supporting notes to ${sender}${faxBack}`);
        doctor.push('Sign prior authorization and confirm medical necessity');
      } else if (/\b(denied|denial|appeal)\b/i.test(text)) {
        frontDesk.push('Log the denial and note the appeal deadline');
        doctor.push('Decide whether to appeal the denial (letter of medical necessity)');
      } else {
        frontDesk.push('Update insurance details in the patient record');
      }
      frontDesk.push('Scan into chart');
      break;
    case 'records_request':
      frontDesk.push('Verify a signed HIPAA authorization (or subpoena) is attached and valid');
      frontDesk.push(`Confirm identity of ${patient}${regarding.dateOfBirth ? ` (DOB ${regarding.dateOfBirth})` : ''} matches the chart`);
      frontDesk.push(`Fax records to ${sender}${faxBack}`);
      frontDesk.push('Log the disclosure in the release-of-information log');
      break;
    case 'prescription':
      frontDesk.push(`Pull chart for ${patient} and attach the request for the doctor`);
      frontDesk.push(`Fax signed prescription back to ${sender}${faxBack}`);
      doctor.push(`Sign prescription refill request${medication ? ` for ${medication}` : ''}`);
      if (/\b(prior (authori[sz]ation|auth)|not covered|formulary)\b/i.test(text)) doctor.push('Choose a covered alternative or support the prior authorization');
      break;
    case 'correspondence':
      frontDesk.push('Scan into chart');
      if (/\b(change of address|has (moved|relocated)|new (address|fax|phone))\b/i.test(text)) frontDesk.push(`Update ${sender}'s contact details in the directory`);
      doctor.push(`Read letter from ${sender}`);
      break;
    case 'marketing':
      frontDesk.push('Discard: marketing');
      if (/\b(unsubscribe|opt[- ]out|remove)\b/i.test(text)) frontDesk.push('Ask the sender to remove the clinic from its fax list');
      break;
    case 'other':
      frontDesk.push('Scan into chart and route to the right person');
      doctor.push('Review document and decide on next steps');
      break;
  }
  return { frontDesk, doctor };
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}

/** The offline triage of one document's text. */
export function triageOffline(rawText: string): TriageOutput {
  const text = normalizeText(rawText);
  const { type, cues } = classify(text);
  const { urgency, reasons, redFlags } = urgencyOf(text, type);
  const regarding = extractRegarding(text);
  const from = extractSender(text, regarding.patientName);
  const typeWords = type.replace(/_/g, ' ');
  const cueText = cues.length ? `cues: ${[...new Set(cues.map((c) => `"${c.toLowerCase()}"`))].slice(0, 4).join(', ')}` : 'no strong cues for any document type';
  const reasoning =
    `Classified as ${article(typeWords)} ${typeWords} (${cueText}). ` +
    `Urgency ${urgency} (${URGENCY_WINDOWS[urgency]}): ${reasons.join('; ')}.`;
  const tasks = tasksFor(type, urgency, text, from, regarding, redFlags);
  return {
    documentType: type,
    urgency,
    from,
    regarding,
    keyClinicalInfo: keyClinicalInfo(text, type, redFlags),
    reasoning,
    frontDeskTasks: tasks.frontDesk,
    doctorTasks: tasks.doctor,
  };
}
