// The exported PDF's file name (DOMAIN.md "PDF export"):
//   <CLINIC>_Dr<ProviderLast>_Px<PatientLast>_<PatientFirst>_<YYYYMMDD>_<kind>.pdf
// Every part is folded to ASCII letters, digits and hyphens, so the name survives
// any file system, email client or fax gateway, and each part is capped so the
// whole name stays under 120 characters.
import type { LetterKind } from './options';

const UNKNOWN = 'Unknown';

/** Longest each part may be, chosen so the whole name is at most 118 characters. */
const MAX = { clinic: 32, providerLast: 20, patientLast: 20, patientFirst: 16 } as const;

/** Letters that Unicode decomposition does not turn into a base letter plus accents. */
const SPECIAL_LETTERS: Record<string, string> = {
  ß: 'ss', ẞ: 'SS', æ: 'ae', Æ: 'AE', œ: 'oe', Œ: 'OE', ø: 'o', Ø: 'O', đ: 'd', Đ: 'D', ð: 'd', Ð: 'D',
  þ: 'th', Þ: 'Th', ł: 'l', Ł: 'L', ı: 'i', ħ: 'h', Ħ: 'H', ŀ: 'l', Ŀ: 'L',
};

/** Latin text with accents removed ("São" → "Sao", "Müller" → "Muller"); other scripts are left as they are. */
export function asciiFold(value: string): string {
  return value
    .replace(/[ßẞæÆœŒøØđĐðÐþÞłŁıħĦŀĿ]/g, (c) => SPECIAL_LETTERS[c] ?? c)
    .normalize('NFKD')
    .replace(/\p{M}/gu, '');
}

/** Only A–Z, a–z, 0–9 and single inner hyphens; at most `max` characters. */
function clean(value: string, max: number): string {
  return asciiFold(value)
    .replace(/[^A-Za-z0-9-]/g, '')
    .replace(/-{2,}/g, '-')
    .replace(/^-+/, '')
    .slice(0, max)
    .replace(/-+$/, '');
}

const capitalise = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);

const TITLES = new Set(['dr', 'doctor', 'prof', 'professor', 'mr', 'mrs', 'ms', 'miss', 'mx', 'sir', 'dame', 'rev', 'sr', 'sra', 'srta', 'mme', 'mlle', 'm', 'dra']);

// Degrees, fellowships and name suffixes, compared without dots or case ("M.D." = "MD").
const CREDENTIALS = new Set(
  [
    'MD', 'DO', 'OD', 'MB', 'BS', 'MBBS', 'MBChB', 'BCh', 'ChB', 'PhD', 'DPhil', 'MSc', 'MS', 'BSc', 'MA', 'MPH', 'MHSc',
    'FRCSC', 'FRCS', 'FRCP', 'FRCPC', 'FRACS', 'FRACP', 'FRANZCO', 'FRCOphth', 'MRCOphth', 'FEBO', 'FACS', 'FACP', 'FAAO', 'FAAP', 'DABO',
    'MRCP', 'MRCGP', 'CCFP', 'FCFP', 'DNP', 'NP', 'PA', 'PA-C', 'RN', 'APRN', 'CNP', 'FNP', 'CRNA', 'DDS', 'DMD', 'DPM', 'DC', 'ND',
    'PharmD', 'PsyD', 'EdD', 'LCSW', 'Esq', 'Jr', 'Sr', 'II', 'III', 'IV',
  ].map((c) => c.toLowerCase()),
);

const bare = (token: string): string => token.replace(/\./g, '').toLowerCase();
const isTitle = (token: string): boolean => TITLES.has(bare(token));
const isCredential = (token: string): boolean => CREDENTIALS.has(bare(token));

/** Surname particles kept with the surname ("da Silva", "van der Berg"). */
const PARTICLES = new Set(['da', 'das', 'de', 'del', 'della', 'der', 'di', 'do', 'dos', 'du', 'la', 'le', 'van', 'von', 'ten', 'ter', 'st']);

interface PersonName {
  first: string | null;
  last: string | null;
}

const words = (value: string): string[] => value.split(/[\s]+/).filter((w) => w !== '' && !/^[.,;:]+$/.test(w));

/** Drops leading titles ("Dr.", "Prof") and trailing credentials ("MD", "Jr."). */
function withoutTitles(tokens: string[]): string[] {
  let start = 0;
  while (start < tokens.length - 1 && isTitle(tokens[start] ?? '')) start++;
  let end = tokens.length;
  while (end > start + 1 && isCredential(tokens[end - 1] ?? '')) end--;
  return tokens.slice(start, end);
}

/**
 * First and last name from how people type them: "Jane Doe", "Dr. Maria Souza, MD",
 * "Doe, Jane", "Prof. Anne van der Berg FRCOphth". A single word is taken as the surname.
 */
export function parsePersonName(value: string | null): PersonName {
  const text = (value ?? '').replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
  if (text === '') return { first: null, last: null };
  const parts = text.split(',').map((p) => p.trim()).filter((p) => p !== '');
  // Parts after the first that are only credentials ("MD", "FRCSC") are dropped.
  const named = parts.filter((part, i) => i === 0 || !words(part).every(isCredential));
  if (named.length >= 2) {
    // "Last, First [Middle]"
    const last = withoutTitles(words(named[0] ?? ''));
    const first = withoutTitles(words(named[1] ?? ''));
    return { last: last.length ? last.join(' ') : null, first: first[0] ?? null };
  }
  const tokens = withoutTitles(words(named[0] ?? ''));
  const only = tokens.length === 1 ? (tokens[0] ?? '') : null;
  if (tokens.length === 0 || (only !== null && (isTitle(only) || isCredential(only)))) return { first: null, last: null };
  if (only !== null) return { first: null, last: only };
  let surnameStart = tokens.length - 1;
  while (surnameStart > 1 && PARTICLES.has((tokens[surnameStart - 1] ?? '').toLowerCase())) surnameStart--;
  return { first: tokens[0] ?? null, last: tokens.slice(surnameStart).join(' ') };
}

/** A name part as one capitalised word per source word: "van der Berg" → "VanDerBerg". */
function compact(value: string | null, max: number): string {
  if (!value) return UNKNOWN;
  // Apostrophes join ("O'Brien" → "OBrien"); other punctuation separates words.
  const joined = words(value.replace(/['’‘`]/g, '').replace(/[^\p{L}\p{N}\s-]/gu, ' '))
    .map((w) => capitalise(clean(w, max)))
    .join('');
  return clean(joined, max) || UNKNOWN;
}

function compactDate(iso: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso.trim());
  return match ? `${match[1]}${match[2]}${match[3]}` : 'Undated';
}

export interface LetterFileNameInput {
  clinicName: string;
  providerName: string | null;
  patientName: string | null;
  /** ISO date (YYYY-MM-DD) of the letter. */
  date: string;
  kind: LetterKind;
}

/** e.g. `LakesideEyeCare_DrSouza_PxDoe_Jane_20261128_referral.pdf` (at most 118 characters). */
export function letterFileName(input: LetterFileNameInput): string {
  const clinic = compact(input.clinicName, MAX.clinic);
  const provider = parsePersonName(input.providerName);
  const patient = parsePersonName(input.patientName);
  return [
    clinic === UNKNOWN ? 'Clinic' : clinic,
    `Dr${compact(provider.last, MAX.providerLast)}`,
    `Px${compact(patient.last, MAX.patientLast)}`,
    compact(patient.first, MAX.patientFirst),
    compactDate(input.date),
    input.kind,
  ].join('_') + '.pdf';
}
