// Scoring an analysis provider against annotated notes (scripts/eval-analysis.ts,
// tests/unit/analysis-fixtures.test.ts). Pure: parsing a notes file and scoring
// outputs never touch the file system, the network or the clock.
//
// Counting rules (micro-averaged over notes):
// - specialty: correct when the detected specialty is in the note's acceptable list;
// - diagnosis codes: the distinct codes of a note, compared exactly (dot and case
//   ignored), and again on their 3-character category;
// - laterality: over expected diagnoses that a predicted one matched by category
//   (an exact-code match is preferred), whether the laterality agrees;
// - medications: an expected generic name is found when a predicted name contains
//   it as a word sequence, or is itself contained in it (brand suffixes, salts);
//   precision counts the predicted names that match no expected one;
// - vitals: each stated vital equal after rounding (blood pressure: both numbers).
import { z } from 'zod';
import { LATERALITIES, SPECIALTIES, type Laterality, type Vitals } from './schema';

// ---------------------------------------------------------------------------
// The notes file

const VITAL_KEYS = ['bloodPressure', 'heartRate', 'respiratoryRate', 'temperatureC', 'weightKg', 'heightCm', 'bmi', 'spo2'] as const;
export type VitalKey = (typeof VITAL_KEYS)[number];

const specialtySchema = z.enum(SPECIALTIES);

export const expectedSchema = z.object({
  diagnoses: z.array(
    z.object({
      code: z.string().regex(/^[A-Z][0-9][0-9A-Z](\.?[0-9A-Z]{1,4})?$/, 'an ICD-10-CM code such as H40.1112'),
      laterality: z.enum(LATERALITIES),
    }),
  ),
  medications: z.array(z.string().trim().min(1)),
  vitals: z
    .object({
      bloodPressure: z.string().regex(/^\d{2,3}\/\d{2,3}$/, 'systolic/diastolic, e.g. 150/95').optional(),
      heartRate: z.number().optional(),
      respiratoryRate: z.number().optional(),
      temperatureC: z.number().optional(),
      weightKg: z.number().optional(),
      heightCm: z.number().optional(),
      bmi: z.number().optional(),
      spo2: z.number().optional(),
    })
    .strict(),
  allergiesDocumented: z.boolean().optional(),
});
export type NoteExpectation = z.infer<typeof expectedSchema>;

const noteLineSchema = z.object({
  id: z.string().min(1),
  specialty: specialtySchema,
  acceptable_specialties: z.array(specialtySchema).optional(),
  text: z.string().min(1),
  expected: expectedSchema.optional(),
});

export interface EvalNote {
  id: string;
  specialty: z.infer<typeof specialtySchema>;
  /** Always includes `specialty`. */
  acceptableSpecialties: string[];
  text: string;
  expected: NoteExpectation | null;
}

/** A notes file that cannot be used; `line` is 1-based when one line is at fault. */
export class EvalFileError extends Error {
  constructor(
    message: string,
    readonly line: number | null = null,
  ) {
    super(line === null ? message : `line ${line}: ${message}`);
    this.name = 'EvalFileError';
  }
}

/** Parses JSON Lines (blank lines ignored). Errors name the line and field, never the note's text. */
export function parseEvalNotes(content: string): EvalNote[] {
  const notes: EvalNote[] = [];
  const ids = new Set<string>();
  content.split('\n').forEach((raw, index) => {
    const line = index + 1;
    if (!raw.trim()) return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw new EvalFileError('not valid JSON', line);
    }
    const parsed = noteLineSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new EvalFileError(`${issue.path.join('.') || 'note'}: ${issue.message}`, line);
    }
    const note = parsed.data;
    if (ids.has(note.id)) throw new EvalFileError(`duplicate id "${note.id}"`, line);
    ids.add(note.id);
    notes.push({
      id: note.id,
      specialty: note.specialty,
      acceptableSpecialties: [...new Set([note.specialty, ...(note.acceptable_specialties ?? [])])],
      text: note.text,
      expected: note.expected ?? null,
    });
  });
  if (notes.length === 0) throw new EvalFileError('the file holds no notes');
  return notes;
}

// ---------------------------------------------------------------------------
// Scoring one note

/** The parts of a provider's output that are scored (a ProviderOutput satisfies it). */
export interface ScoredOutput {
  detectedSpecialty: string;
  diagnoses: readonly { icd10Code: string | null; laterality: Laterality }[];
  medications: readonly { name: string }[];
  vitals: Vitals;
  allergies: readonly string[];
}

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

export interface NoteScore {
  id: string;
  specialty: string;
  predictedSpecialty: string;
  specialtyCorrect: boolean;
  /** Predicted diagnoses, and those of them without an ICD-10-CM code. */
  diagnoses: { total: number; uncoded: number };
  /** Null when the note carries no `expected` annotations. */
  detail: {
    codes: Counts & { missed: string[]; extra: string[] };
    categories: Counts & { missed: string[]; extra: string[] };
    laterality: { compared: number; correct: number; misses: { code: string; expected: Laterality; got: Laterality }[] };
    medications: { expected: number; found: number; missed: string[]; predicted: number; extra: string[] };
    vitals: { stated: number; correct: number; misses: { vital: VitalKey; expected: string; got: string }[] };
    allergies: { expected: boolean; documented: boolean } | null;
  } | null;
}

/** "h40.1112 " → "H401112". */
export function normalizeCode(code: string): string {
  return code.trim().toUpperCase().replace('.', '');
}

function countSets(expected: Set<string>, predicted: Set<string>) {
  const missed = [...expected].filter((c) => !predicted.has(c));
  const extra = [...predicted].filter((c) => !expected.has(c));
  return { tp: expected.size - missed.length, fp: extra.length, fn: missed.length, missed, extra };
}

/** Pairs each expected diagnosis with a predicted one of the same category, preferring the exact code. */
export function matchDiagnoses(
  expected: readonly { code: string; laterality: Laterality }[],
  predicted: readonly { icd10Code: string | null; laterality: Laterality }[],
): { code: string; expected: Laterality; got: Laterality }[] {
  const pool = predicted.filter((p) => p.icd10Code).map((p) => ({ code: normalizeCode(p.icd10Code!), laterality: p.laterality, used: false }));
  const pairs: { code: string; expected: Laterality; got: Laterality }[] = [];
  const targets = expected.map((e) => ({ code: normalizeCode(e.code), laterality: e.laterality }));
  const take = (want: (code: string) => boolean, target: { code: string; laterality: Laterality }) => {
    const hit = pool.find((p) => !p.used && want(p.code));
    if (!hit) return false;
    hit.used = true;
    pairs.push({ code: target.code, expected: target.laterality, got: hit.laterality });
    return true;
  };
  // Exact codes first, so a same-category sibling cannot steal another diagnosis's exact match.
  const unmatched = targets.filter((t) => !take((c) => c === t.code, t));
  for (const t of unmatched) take((c) => c.slice(0, 3) === t.code.slice(0, 3), t);
  return pairs;
}

function words(name: string): string {
  return ` ${name.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim()} `;
}

/** True when the predicted medication name names the expected generic. */
export function medicationMatches(expected: string, predicted: string): boolean {
  const e = words(expected);
  const p = words(predicted);
  if (p.trim().length < 3) return false;
  return p.includes(e) || e.includes(p);
}

const ROUNDING: Record<Exclude<VitalKey, 'bloodPressure'>, number> = {
  heartRate: 0,
  respiratoryRate: 0,
  spo2: 0,
  temperatureC: 1,
  bmi: 1,
  // Whole units: lb→kg and in→cm conversions may round differently in the last decimal.
  weightKg: 0,
  heightCm: 0,
};

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function scoreVitals(expected: NoteExpectation['vitals'], got: Vitals): NonNullable<NoteScore['detail']>['vitals'] {
  const result: NonNullable<NoteScore['detail']>['vitals'] = { stated: 0, correct: 0, misses: [] };
  for (const key of VITAL_KEYS) {
    const want = expected[key];
    if (want === undefined) continue;
    result.stated += 1;
    if (key === 'bloodPressure') {
      const bp = got.bloodPressure;
      const shown = bp ? `${bp.systolic}/${bp.diastolic}` : 'none';
      if (shown === want) result.correct += 1;
      else result.misses.push({ vital: key, expected: String(want), got: shown });
      continue;
    }
    const value = got[key];
    const digits = ROUNDING[key];
    if (value !== null && round(value, digits) === round(want as number, digits)) result.correct += 1;
    else result.misses.push({ vital: key, expected: String(want), got: value === null ? 'none' : String(value) });
  }
  return result;
}

export function scoreNote(note: EvalNote, output: ScoredOutput): NoteScore {
  const specialtyCorrect = note.acceptableSpecialties.includes(output.detectedSpecialty);
  const base = {
    id: note.id,
    specialty: note.specialty,
    predictedSpecialty: output.detectedSpecialty,
    specialtyCorrect,
    diagnoses: { total: output.diagnoses.length, uncoded: output.diagnoses.filter((d) => !d.icd10Code).length },
  };
  const expected = note.expected;
  if (!expected) return { ...base, detail: null };

  const expectedCodes = new Set(expected.diagnoses.map((d) => normalizeCode(d.code)));
  const predictedCodes = new Set(output.diagnoses.flatMap((d) => (d.icd10Code ? [normalizeCode(d.icd10Code)] : [])));
  const category = (codes: Set<string>) => new Set([...codes].map((c) => c.slice(0, 3)));

  const pairs = matchDiagnoses(expected.diagnoses, output.diagnoses);
  const lateralityMisses = pairs.filter((p) => p.expected !== p.got);

  const missedMeds = expected.medications.filter((m) => !output.medications.some((p) => medicationMatches(m, p.name)));
  const extraMeds = output.medications.map((p) => p.name).filter((name) => !expected.medications.some((m) => medicationMatches(m, name)));

  return {
    ...base,
    detail: {
      codes: countSets(expectedCodes, predictedCodes),
      categories: countSets(category(expectedCodes), category(predictedCodes)),
      laterality: { compared: pairs.length, correct: pairs.length - lateralityMisses.length, misses: lateralityMisses },
      medications: {
        expected: expected.medications.length,
        found: expected.medications.length - missedMeds.length,
        missed: missedMeds,
        predicted: output.medications.length,
        extra: extraMeds,
      },
      vitals: scoreVitals(expected.vitals, output.vitals),
      allergies: expected.allergiesDocumented === undefined ? null : { expected: expected.allergiesDocumented, documented: output.allergies.length > 0 },
    },
  };
}

// ---------------------------------------------------------------------------
// Aggregates

/** A rate with what it was computed from; `value` is null when there was nothing to count. */
export interface Rate {
  numerator: number;
  denominator: number;
  value: number | null;
}

export function rate(numerator: number, denominator: number): Rate {
  return { numerator, denominator, value: denominator === 0 ? null : numerator / denominator };
}

export interface PrecisionRecall {
  precision: Rate;
  recall: Rate;
  /** Null when precision or recall is undefined; 0 when both are 0. */
  f1: number | null;
}

export function precisionRecall(counts: Counts): PrecisionRecall {
  const precision = rate(counts.tp, counts.tp + counts.fp);
  const recall = rate(counts.tp, counts.tp + counts.fn);
  const p = precision.value;
  const r = recall.value;
  const f1 = p === null || r === null ? null : p + r === 0 ? 0 : (2 * p * r) / (p + r);
  return { precision, recall, f1 };
}

export interface Metrics {
  notes: number;
  specialty: Rate;
  /** Notes with `expected` annotations; the rest of the fields count only those. */
  annotated: number;
  codes: PrecisionRecall;
  categories: PrecisionRecall;
  laterality: Rate;
  /** Recall of the expected medications. */
  medications: Rate;
  /** Predicted medications that match an expected one. */
  medicationPrecision: Rate;
  vitals: Rate;
  /** Notes whose expected "allergies documented" agrees with a non-empty allergy list. */
  allergies: Rate;
  /** Predicted diagnoses without a code, over all notes (annotated or not). */
  uncodedDiagnoses: Rate;
}

export function aggregate(scores: readonly NoteScore[]): Metrics {
  const details = scores.flatMap((s) => (s.detail ? [s.detail] : []));
  type Detail = (typeof details)[number];
  const sum = (of: (d: Detail) => number) => details.reduce((n, d) => n + of(d), 0);
  const counts = (key: 'codes' | 'categories'): Counts => ({ tp: sum((d) => d[key].tp), fp: sum((d) => d[key].fp), fn: sum((d) => d[key].fn) });
  const withAllergies = details.filter((d) => d.allergies);
  return {
    notes: scores.length,
    specialty: rate(scores.filter((s) => s.specialtyCorrect).length, scores.length),
    annotated: details.length,
    codes: precisionRecall(counts('codes')),
    categories: precisionRecall(counts('categories')),
    laterality: rate(sum((d) => d.laterality.correct), sum((d) => d.laterality.compared)),
    medications: rate(sum((d) => d.medications.found), sum((d) => d.medications.expected)),
    medicationPrecision: rate(sum((d) => d.medications.predicted - d.medications.extra.length), sum((d) => d.medications.predicted)),
    vitals: rate(sum((d) => d.vitals.correct), sum((d) => d.vitals.stated)),
    allergies: rate(withAllergies.filter((d) => d.allergies!.expected === d.allergies!.documented).length, withAllergies.length),
    uncodedDiagnoses: rate(
      scores.reduce((n, s) => n + s.diagnoses.uncoded, 0),
      scores.reduce((n, s) => n + s.diagnoses.total, 0),
    ),
  };
}

/** Metrics per expected specialty, in the product's specialty order. */
export function bySpecialty(scores: readonly NoteScore[]): { specialty: string; metrics: Metrics }[] {
  return SPECIALTIES.flatMap((specialty) => {
    const group = scores.filter((s) => s.specialty === specialty);
    return group.length ? [{ specialty, metrics: aggregate(group) }] : [];
  });
}
