// One repair pass over provider output that failed the schema (DOMAIN.md,
// "Analysis"): missing lists become empty, scalars are coerced, unknown enum
// values fall back to the neutral choice, items without their label are dropped,
// numbers are renumbered 1..n with every cross-reference remapped, and ICD-10
// codes are normalised. It never invents clinical content: what cannot be fixed
// (no quality score, not an object at all) stays invalid and the pipeline fails.
import { ANALYSIS_INVALID_MESSAGE, AnalysisFailure } from './errors';
import { icd10Title, isBillableIcd10 } from './icd10';
import {
  CONFIDENCES,
  DOCUMENT_TYPES,
  LATERALITIES,
  MEDICATION_STATUSES,
  QUALITY_LEVELS,
  REFERENCE_SOURCES,
  SEVERITIES,
  SPECIALTIES,
  URGENCIES,
  formatIcd10,
  providerOutputSchema,
  qualityLevel,
  type ProviderOutput,
} from './schema';

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function obj(value: unknown): Obj {
  return isObj(value) ? value : {};
}

/** Trimmed non-empty text; numbers and booleans become text; anything else is null. */
function str(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() || null;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return null;
}

/** A finite number from a number or a numeric string ("28", "28 mmHg", "37,5"); else null. */
function num(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const match = /^\s*(-?\d+(?:[.,]\d+)?)/.exec(value);
  return match?.[1] ? Number(match[1].replace(',', '.')) : null;
}

function int(value: unknown, min: number, max: number): number | null {
  const n = num(value);
  if (n === null) return null;
  const rounded = Math.round(n);
  return rounded >= min && rounded <= max ? rounded : null;
}

function ranged(value: unknown, min: number, max: number): number | null {
  const n = num(value);
  return n !== null && n >= min && n <= max ? n : null;
}

function bool(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  const s = typeof value === 'string' ? value.trim().toLowerCase() : null;
  if (s === 'true' || s === 'yes' || s === 'abnormal' || s === 'high' || s === 'low') return true;
  if (s === 'false' || s === 'no' || s === 'normal') return false;
  return null;
}

/** Lists: a single value becomes a one-item list; anything else an empty one. */
function list(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (value === undefined || value === null) return [];
  return [value];
}

function texts(value: unknown): string[] {
  return list(value)
    .map(str)
    .filter((s): s is string => s !== null);
}

function key(value: string): string {
  return value.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

/** Maps "Right", "RIGHT EYE", "OD" etc. onto the enum, or the neutral value. */
function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T, aliases: Record<string, T> = {}): T {
  const s = str(value);
  if (s === null) return fallback;
  const k = key(s);
  const direct = allowed.find((a) => key(a) === k);
  return direct ?? aliases[k] ?? fallback;
}

const LATERALITY_ALIASES: Record<string, (typeof LATERALITIES)[number]> = {
  od: 'right',
  right_eye: 'right',
  r: 'right',
  os: 'left',
  left_eye: 'left',
  l: 'left',
  ou: 'bilateral',
  both: 'bilateral',
  both_eyes: 'bilateral',
  na: 'n/a',
  not_applicable: 'n/a',
  none: 'n/a',
};
const CONFIDENCE_ALIASES: Record<string, (typeof CONFIDENCES)[number]> = { med: 'medium', moderate: 'medium' };
const REFERENCE_ALIASES: Record<string, (typeof REFERENCE_SOURCES)[number]> = {
  guideline: 'society_guideline',
  trial: 'landmark_trial',
};
const SPECIALTY_ALIASES: Record<string, (typeof SPECIALTIES)[number]> = {
  family_medicine: 'primary_care',
  internal_medicine: 'primary_care',
  general_practice: 'primary_care',
  orthopaedics: 'orthopedics',
};

/** Parses the number a model gave an item ("2", 2, "#2"); null when absent or not a positive integer. */
function itemNo(value: unknown): number | null {
  const n = num(typeof value === 'string' ? value.replace(/^#/, '') : value);
  return n !== null && Number.isInteger(n) && n >= 1 ? n : null;
}

function numbers(value: unknown): number[] {
  return list(value)
    .map(itemNo)
    .filter((n): n is number => n !== null);
}

function repairDiagnosis(raw: unknown) {
  const d = obj(raw);
  const label = str(d.label ?? d.name ?? d.title);
  if (!label) return null;
  const codingNotes = texts(d.codingNotes);
  const given = str(d.icd10Code);
  const icd10Code = given === null ? null : normaliseIcd10(given);
  if (given !== null && icd10Code === null) {
    codingNotes.push(`The suggested code "${given.slice(0, 20)}" is not an ICD-10-CM code; code this diagnosis by hand.`);
  }
  return {
    number: itemNo(d.number) ?? 0,
    label,
    icd10Code,
    icd10Description: icd10Code === null ? null : str(d.icd10Description),
    laterality: oneOf(d.laterality, LATERALITIES, 'n/a', LATERALITY_ALIASES),
    severity: oneOf(d.severity, SEVERITIES, 'unspecified'),
    urgency: oneOf(d.urgency, URGENCIES, 'routine'),
    supporting: texts(d.supporting),
    referenceNumbers: numbers(d.referenceNumbers),
    codingNotes,
  };
}

function repairPlanItem(raw: unknown) {
  const p = obj(raw);
  const title = str(p.title ?? p.label ?? p.name);
  if (!title) return null;
  return {
    number: itemNo(p.number) ?? 0,
    title,
    bullets: texts(p.bullets),
    diagnosisNumbers: numbers(p.diagnosisNumbers),
    timeline: str(p.timeline),
    referenceNumbers: numbers(p.referenceNumbers),
  };
}

function repairReference(raw: unknown) {
  const r = obj(raw);
  const citation = str(r.citation ?? r.title ?? r.label);
  if (!citation) return null;
  const pubmedId = str(r.pubmedId)?.replace(/^PMID:?\s*/i, '') ?? null;
  const url = str(r.url);
  return {
    number: itemNo(r.number) ?? 0,
    citation,
    pubmedId: pubmedId && /^[0-9]{1,9}$/.test(pubmedId) ? pubmedId : null,
    url: url && URL.canParse(url) && /^https?:\/\//i.test(url) ? url : null,
    source: oneOf(r.source, REFERENCE_SOURCES, pubmedId ? 'pubmed' : 'society_guideline', REFERENCE_ALIASES),
  };
}

function repairMeasurement(raw: unknown) {
  const m = obj(raw);
  const name = str(m.name ?? m.label);
  const value = str(m.value);
  if (!name || !value) return null;
  return { name, value, unit: str(m.unit), abnormal: bool(m.abnormal) };
}

function compact<T>(items: (T | null)[]): T[] {
  return items.filter((item): item is T => item !== null);
}

/** Temperatures above the Celsius range but plausible in Fahrenheit are converted. */
function temperatureC(value: unknown): number | null {
  const n = num(value);
  if (n === null) return null;
  const celsius = n >= 80 && n <= 113 ? Math.round(((n - 32) * 5) / 9 * 10) / 10 : n;
  return celsius >= 25 && celsius <= 45 ? celsius : null;
}

function bloodPressure(value: unknown): { systolic: number; diastolic: number } | null {
  if (typeof value === 'string') {
    const match = /(\d{2,3})\s*\/\s*(\d{2,3})/.exec(value);
    return match ? bloodPressure({ systolic: match[1], diastolic: match[2] }) : null;
  }
  const bp = obj(value);
  const systolic = int(bp.systolic, 40, 300);
  const diastolic = int(bp.diastolic, 20, 200);
  return systolic !== null && diastolic !== null ? { systolic, diastolic } : null;
}

function perEye<T>(value: unknown, read: (v: unknown) => T | null) {
  const eye = obj(value);
  return { right: read(eye.right ?? eye.od), left: read(eye.left ?? eye.os) };
}

function repairEye(value: unknown) {
  if (!isObj(value)) return null;
  const eye = {
    visualAcuity: perEye(value.visualAcuity, str),
    intraocularPressure: perEye(value.intraocularPressure, (v) => ranged(v, 0, 80)),
    refraction: perEye(value.refraction, str),
  };
  const any = Object.values(eye).some((side) => side.right !== null || side.left !== null);
  return any ? eye : null;
}

/** Only the score cannot be defaulted: a made-up score would mislead. */
function repairQuality(value: unknown) {
  const q = obj(value);
  const raw = num(q.score);
  const score = raw === null ? null : Math.min(100, Math.max(0, Math.round(raw)));
  return {
    score,
    level: score === null ? q.level : oneOf(q.level, QUALITY_LEVELS, qualityLevel(score)),
    issues: texts(q.issues),
    suggestions: texts(q.suggestions),
  };
}

/**
 * The repaired draft, not yet validated: fields that cannot be repaired are left
 * as they were so validation still rejects them.
 */
export function repairDraft(raw: unknown): unknown {
  if (!isObj(raw)) return raw;
  const patient = obj(raw.patient);
  const provider = obj(raw.provider);
  const summary = obj(raw.summary);
  const vitals = obj(raw.vitals);
  const values = obj(raw.clinicalValues);
  const draft = {
    documentType: oneOf(raw.documentType, DOCUMENT_TYPES, 'other'),
    detectedSpecialty: oneOf(raw.detectedSpecialty, SPECIALTIES, 'other', SPECIALTY_ALIASES),
    provider: { name: str(provider.name), clinic: str(provider.clinic) },
    patient: {
      name: str(patient.name),
      dateOfBirth: str(patient.dateOfBirth),
      age: int(patient.age, 0, 130),
      sex: oneOf(patient.sex, ['female', 'male', 'other', 'unknown'] as const, 'unknown', {
        f: 'female',
        m: 'male',
        woman: 'female',
        man: 'male',
      }),
      identifiers: compact(
        list(patient.identifiers).map((i) => {
          const kind = str(obj(i).kind);
          const value = str(obj(i).value);
          return kind && value ? { kind, value } : null;
        }),
      ),
      phone: str(patient.phone),
      address: str(patient.address),
    },
    chiefComplaint: str(raw.chiefComplaint),
    summary: {
      visitContext: str(summary.visitContext),
      examination: str(summary.examination),
      keyFindings: str(summary.keyFindings),
      clinicalImpression: str(summary.clinicalImpression),
    },
    diagnoses: compact(list(raw.diagnoses).map(repairDiagnosis)),
    suggestedDiagnoses: compact(
      list(raw.suggestedDiagnoses).map((s) => {
        const o = obj(s);
        const label = str(o.label ?? o.name);
        const reasoning = str(o.reasoning);
        if (!label || !reasoning) return null;
        return {
          label,
          supportingFindings: texts(o.supportingFindings),
          reasoning,
          confidence: oneOf(o.confidence, CONFIDENCES, 'low', CONFIDENCE_ALIASES),
        };
      }),
    ),
    plan: compact(list(raw.plan).map(repairPlanItem)),
    medications: compact(
      list(raw.medications).map((m) => {
        const o = obj(m);
        const name = str(o.name);
        if (!name) return null;
        return {
          name,
          dose: str(o.dose),
          frequency: str(o.frequency),
          status: oneOf(o.status, MEDICATION_STATUSES, 'current'),
        };
      }),
    ),
    allergies: texts(raw.allergies),
    vitals: {
      bloodPressure: bloodPressure(vitals.bloodPressure),
      heartRate: int(vitals.heartRate, 10, 300),
      respiratoryRate: int(vitals.respiratoryRate, 2, 80),
      temperatureC: temperatureC(vitals.temperatureC),
      weightKg: ranged(vitals.weightKg, 0.3, 400),
      heightCm: ranged(vitals.heightCm, 20, 260),
      bmi: ranged(vitals.bmi, 5, 100),
      spo2: int(vitals.spo2, 30, 100),
    },
    clinicalValues: {
      labs: compact(list(values.labs).map(repairMeasurement)),
      imaging: compact(
        list(values.imaging).map((i) => {
          const study = str(obj(i).study);
          const finding = str(obj(i).finding);
          return study && finding ? { study, finding } : null;
        }),
      ),
      eye: repairEye(values.eye),
      other: compact(list(values.other).map(repairMeasurement)),
    },
    examFindings: compact(
      list(raw.examFindings).map((e) => {
        const category = str(obj(e).category);
        if (!category) return null;
        const findings = compact(
          list(obj(e).findings).map((f) => {
            const label = str(obj(f).label);
            const value = str(obj(f).value);
            return label && value ? { label, value, abnormal: bool(obj(f).abnormal) ?? false } : null;
          }),
        );
        return findings.length > 0 ? { category, findings } : null;
      }),
    ),
    warnings: compact(
      list(raw.warnings).map((w) => {
        const message = str(obj(w).message);
        const basis = str(obj(w).basis);
        if (!message || !basis) return null;
        return { message, severity: oneOf(obj(w).severity, ['caution', 'urgent', 'emergent'] as const, 'caution'), basis };
      }),
    ),
    unaddressedFindings: compact(
      list(raw.unaddressedFindings).map((u) => {
        const finding = str(obj(u).finding);
        const significance = str(obj(u).significance);
        const suggestedAction = str(obj(u).suggestedAction);
        return finding && significance && suggestedAction ? { finding, significance, suggestedAction } : null;
      }),
    ),
    followUp: str(raw.followUp),
    references: compact(list(raw.references).map(repairReference)),
    quality: repairQuality(raw.quality),
  };
  return linkConsistently(draft, 'always');
}

/**
 * Repairs output that failed the schema, once, and validates the result.
 * Throws AnalysisFailure('analysis_invalid') when it is still not an analysis.
 */
export function repairAnalysisOutput(raw: unknown): ProviderOutput {
  const parsed = providerOutputSchema.safeParse(repairDraft(raw));
  if (!parsed.success) {
    throw new AnalysisFailure('analysis_invalid', ANALYSIS_INVALID_MESSAGE, false, {
      cause: new Error(`Still invalid after repair at: ${describeIssues(parsed.error.issues)}`),
    });
  }
  return checkIcd10Codes(parsed.data);
}

/** Issue paths and codes only: messages could quote model output, which may hold PHI. */
export function describeIssues(issues: readonly { path: PropertyKey[]; code: string }[]): string {
  return issues
    .slice(0, 10)
    .map((i) => `${i.path.map(String).join('.') || '(root)'} (${i.code})`)
    .join(', ');
}

/** "h40.1131", "H401131", "H40 1131" → "H40.1131"; null when it cannot be an ICD-10-CM code. */
export function normaliseIcd10(code: string): string | null {
  const bare = code.toUpperCase().replace(/[\s.]/g, '');
  return /^[A-Z][0-9][0-9A-Z][0-9A-Z]{0,4}$/.test(bare) ? formatIcd10(bare) : null;
}

interface Numbered {
  number: number;
}
interface Linkable {
  diagnoses: (Numbered & { referenceNumbers: number[] })[];
  plan: (Numbered & { diagnosisNumbers: number[]; referenceNumbers: number[] })[];
  references: Numbered[];
}

/**
 * Numbers a list 1..n and maps each old number that was unambiguous to its new
 * one. With `keepDistinct`, a list whose numbers are already distinct positive
 * integers keeps them (text such as "Diagnosis 3 has no laterality" stays true).
 */
function renumber(items: Numbered[], keepDistinct: boolean): Map<number, number> {
  const counts = new Map<number, number>();
  for (const item of items) counts.set(item.number, (counts.get(item.number) ?? 0) + 1);
  const clean = keepDistinct && items.every((item) => item.number >= 1 && counts.get(item.number) === 1);
  const map = new Map<number, number>();
  items.forEach((item, index) => {
    const next = clean ? item.number : index + 1;
    if (item.number >= 1 && counts.get(item.number) === 1) map.set(item.number, next);
    item.number = next;
  });
  return map;
}

function remap(values: number[], map: Map<number, number>): number[] {
  const out = new Set<number>();
  for (const value of values) {
    const mapped = map.get(value);
    if (mapped !== undefined) out.add(mapped);
  }
  return [...out].sort((a, b) => a - b);
}

/**
 * Makes the links between diagnoses, plan items and references consistent:
 * lists are renumbered 1..n (`renumber: 'always'`, after repair dropped items) or
 * only when their numbers are duplicated or missing (`'when_ambiguous'`, for
 * valid output); links are remapped and links to nothing are dropped. Returns a copy.
 */
export function linkConsistently<T extends Linkable>(output: T, mode: 'always' | 'when_ambiguous'): T {
  const copy = structuredClone(output);
  const keepDistinct = mode === 'when_ambiguous';
  const references = renumber(copy.references, keepDistinct);
  const diagnoses = renumber(copy.diagnoses, keepDistinct);
  renumber(copy.plan, keepDistinct);
  for (const d of copy.diagnoses) d.referenceNumbers = remap(d.referenceNumbers, references);
  for (const p of copy.plan) {
    p.referenceNumbers = remap(p.referenceNumbers, references);
    p.diagnosisNumbers = remap(p.diagnosisNumbers, diagnoses);
  }
  return copy;
}

/**
 * Checks every code against the FY2026 billable table: a code that is not in it
 * (a category such as "H40", a made-up code) is removed with a coding note; a
 * valid one gets its official title as the description.
 */
export function checkIcd10Codes(output: ProviderOutput): ProviderOutput {
  return {
    ...output,
    diagnoses: output.diagnoses.map((d) => {
      if (d.icd10Code === null) return d;
      if (isBillableIcd10(d.icd10Code)) {
        return { ...d, icd10Description: icd10Title(d.icd10Code) ?? d.icd10Description };
      }
      return {
        ...d,
        icd10Code: null,
        icd10Description: null,
        codingNotes: [
          ...d.codingNotes,
          `${d.icd10Code} is not a billable ICD-10-CM code (FY2026); choose a more specific code.`,
        ],
      };
    }),
  };
}
