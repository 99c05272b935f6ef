// Patient demographics and the note's author. The provider comes only from
// signature-like places (a "Dr." name with credentials, "signed by", the last
// lines); a name that is also the patient's is never taken as the provider.
import { cleanPhrase } from './normalize';

export interface PatientDraft {
  name: string | null;
  dateOfBirth: string | null;
  age: number | null;
  sex: 'female' | 'male' | 'other' | 'unknown';
  identifiers: { kind: string; value: string }[];
  phone: string | null;
  address: string | null;
}

const NAME = "[A-Z][a-zA-Z'\\-]{1,30}(?:[ \\t]+[A-Z]\\.?(?=[ \\t]))?(?:[ \\t]+[A-Z][a-zA-Z'\\-]{1,30}){0,2}\\b";

/** Header labels that follow a name on the same line ("Patient: Jane Doe   DOB: …"). */
const LABEL_WORD = /^(?:DOB|D\.O\.B\.?|MRN|Age|Sex|Gender|Date|DOS|Phone|Tel|ID|Acct|Account|Visit|Encounter|Room|Bed|Provider|Physician|Referring)$/i;

/** Drops label words a name pattern swallowed from the rest of the header line. */
function withoutTrailingLabels(name: string): string {
  const words = name.split(/[ \t]+/);
  while (words.length > 1 && LABEL_WORD.test(words[words.length - 1]!)) words.pop();
  return words.join(' ');
}

export function extractPatient(text: string): PatientDraft {
  // Labels in any case, but the name itself must be capitalised ("Patient: the …" is not a name).
  const name = new RegExp(`\\b(?:[Pp]atient(?: [Nn]ame)?|PATIENT(?: NAME)?|[Pp]t(?: [Nn]ame)?|PT(?: NAME)?|[Nn]ame|NAME|R[Ee])\\s*:\\s*(${NAME})`).exec(text)?.[1] ?? null;
  const dob = /\b(?:dob|d\.o\.b\.|date of birth|born(?: on)?)\s*:?\s*(\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}|[A-Z][a-z]+ \d{1,2},? \d{4})/i.exec(text)?.[1] ?? null;
  const ageM = /\b(\d{1,3})[- ](?:year|yr)s?[- ]old\b/i.exec(text) ?? /\bage\s*:?\s*(\d{1,3})\b/i.exec(text) ?? /\b(\d{1,3})\s*(?:yo|y\/o|y\.o\.)\b/i.exec(text);
  const age = ageM && Number(ageM[1]) <= 130 ? Number(ageM[1]) : null;
  const head = text.slice(0, 1500);
  let sex: PatientDraft['sex'] = 'unknown';
  const sexField = /\b(?:sex|gender)\s*:\s*(male|female|m|f|other|non-?binary)\b/i.exec(text)?.[1]?.toLowerCase();
  if (sexField) sex = sexField.startsWith('f') ? 'female' : sexField.startsWith('m') ? 'male' : 'other';
  else if (/\b(\d{1,3}[- ]year[- ]old|\d{1,3}\s*(?:yo|y\/o))\s+(?:\w+\s+){0,3}(female|woman|lady|girl)\b/i.test(head) || /\b(female|woman|lady|girl)\b/i.test(head.slice(0, 400))) sex = 'female';
  else if (/\b(\d{1,3}[- ]year[- ]old|\d{1,3}\s*(?:yo|y\/o))\s+(?:\w+\s+){0,3}(male|man|gentleman|boy)\b/i.test(head) || /\b(male|gentleman|boy)\b/i.test(head.slice(0, 400))) sex = 'male';
  else {
    const she = (head.match(/\b(she|her)\b/gi) ?? []).length;
    const he = (head.match(/\b(he|his|him)\b/gi) ?? []).length;
    if (she >= 2 && she > he * 2) sex = 'female';
    else if (he >= 2 && he > she * 2) sex = 'male';
  }
  const identifiers: { kind: string; value: string }[] = [];
  const mrn = /\b(MRN|medical record(?: number| no\.?| #)?|chart (?:number|no\.?|#))\s*[:#]?\s*([A-Z0-9-]{4,20})\b/i.exec(text);
  if (mrn && /\d/.test(mrn[2]!)) identifiers.push({ kind: 'MRN', value: mrn[2]! });
  const hn = /\b(health (?:card|number)|hcn|ohip|nhs(?: number)?|medicare(?: number| id)?)\s*[:#]?\s*([A-Z0-9 -]{6,20}?)(?=\s*(?:$|\n|,|;))/im.exec(text);
  if (hn && /\d/.test(hn[2]!)) identifiers.push({ kind: 'Health number', value: hn[2]!.trim() });
  const phone = /\b(?:phone|tel|telephone|cell|mobile)\s*[:#]?\s*(\+?1?[\s.-]?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4})\b/i.exec(text)?.[1] ?? null;
  const address = /\baddress\s*:\s*([^\n]{5,120})/i.exec(text)?.[1] ?? null;
  return { name: name ? cleanPhrase(withoutTrailingLabels(name)) : null, dateOfBirth: dob, age, sex, identifiers, phone, address: address ? cleanPhrase(address) : null };
}

const CREDENTIALS = '(?:MD|M\\.D\\.|DO|D\\.O\\.|OD|O\\.D\\.|NP|PA-C|PA|FRCSC|FRCPC|FACS|FACC|MBBS|PhD|DPM|RN|CNP|APRN)';

export function extractProvider(text: string, patientName: string | null): { name: string | null; clinic: string | null } {
  const candidates: string[] = [];
  const signed = /\b(?:electronically signed by|signed by|dictated by|attending(?: physician)?|provider|physician|surgeon|consultant|examined by)\s*:?\s*((?:Dr\.?\s+)?[A-Z][a-zA-Z'\-.]{1,30}(?:\s+[A-Z][a-zA-Z'\-.]{1,30}){0,3}(?:,?\s*\b(?:MD|M\.D\.|DO|OD|NP|PA-C|PA|FRCSC|MBBS)\b)*)/g;
  let m: RegExpExecArray | null;
  while ((m = signed.exec(text))) candidates.push(m[1]!);
  const cred = new RegExp(`((?:Dr\\.?\\s+)?[A-Z][a-zA-Z'\\-]{1,30}(?:\\s+[A-Z]\\.?)?(?:\\s+[A-Z][a-zA-Z'\\-]{1,30}){0,2}),?\\s+${CREDENTIALS}\\b`, 'g');
  while ((m = cred.exec(text))) candidates.push(m[0]);
  const tail = text.slice(-400);
  const dr = /\bDr\.?\s+[A-Z][a-zA-Z'\-]{1,30}(?:\s+[A-Z][a-zA-Z'\-]{1,30})?/g;
  while ((m = dr.exec(tail))) candidates.push(m[0]);
  const patientWords = (patientName ?? '').toLowerCase().split(/\s+/).filter((w) => w.length > 1);
  const name =
    candidates
      .map((c) => cleanPhrase(c.replace(/\s+/g, ' ')))
      .find((c) => {
        const words = c.toLowerCase().replace(/,.*$/, '').replace(/^dr\.?\s+/, '').split(/\s+/);
        if (words.length === 0 || words[0]!.length < 2) return false;
        if (/^(the|this|a|an|patient|he|she|i|we)$/i.test(words[0]!)) return false;
        return !patientWords.length || !words.some((w) => patientWords.includes(w));
      }) ?? null;
  const clinic = /\b((?:[A-Z][A-Za-z&']+[ \t]){1,5}(?:Clinic|Medical Center|Medical Centre|Hospital|Eye Center|Eye Centre|Associates|Health Centre|Health Center|Family Practice|Medical Group))\b/.exec(text)?.[1] ?? null;
  return { name, clinic: clinic ? cleanPhrase(clinic) : null };
}
