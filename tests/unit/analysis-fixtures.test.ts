import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseEvalNotes } from '@/lib/analysis/eval';
import { isBillableIcd10 } from '@/lib/analysis/icd10';
import { analyzeOffline } from '@/lib/analysis/offline';
import { SPECIALTIES } from '@/lib/analysis/schema';
import { evaluateNotes } from '@/scripts/eval-analysis';

// The synthetic notes (tests/fixtures/analysis/README.md) are the analyzer's
// annotated regression set: they must stay well-formed and correctly coded, and
// the analyzer's aggregate scores on them must not fall below the floors here.
const FIXTURE = 'tests/fixtures/analysis/synthetic-notes.jsonl';
const notes = parseEvalNotes(fs.readFileSync(FIXTURE, 'utf8'));

describe('the synthetic notes', () => {
  it('has at least 30 annotated notes covering every specialty but "other"', () => {
    expect(notes.length).toBeGreaterThanOrEqual(30);
    expect(notes.every((n) => n.expected !== null)).toBe(true);
    for (const specialty of SPECIALTIES.filter((s) => s !== 'other')) {
      expect(notes.filter((n) => n.specialty === specialty).length, specialty).toBeGreaterThanOrEqual(3);
    }
  });

  it('uses ids that name the specialty', () => {
    for (const n of notes) expect(n.id).toMatch(new RegExp(`^syn-${n.specialty}-[0-9]+$`));
  });

  it('codes every expected diagnosis with a billable FY2026 ICD-10-CM code, once per note', () => {
    for (const n of notes) {
      const codes = n.expected!.diagnoses.map((d) => d.code);
      expect(codes.length, n.id).toBeGreaterThan(0);
      expect(new Set(codes).size, n.id).toBe(codes.length);
      for (const code of codes) expect(isBillableIcd10(code), `${n.id} ${code}`).toBe(true);
    }
  });

  it('writes medications as lower-case generic names that the note mentions', () => {
    for (const n of notes) {
      for (const name of n.expected!.medications) {
        expect(name, n.id).toBe(name.toLowerCase());
        expect(n.text.toLowerCase(), `${n.id} ${name}`).toContain(name.split(' ')[0]);
      }
    }
  });
});

// The hold-out notes were written after the analyzer was tuned and must never be
// used to tune it, so they are only checked for being well-formed and correctly
// coded here; scoring them is `npm run eval:analysis -- <file>`, with no floors.
const HOLDOUT = 'tests/fixtures/analysis/holdout-notes.jsonl';

describe('the hold-out notes', () => {
  const holdout = parseEvalNotes(fs.readFileSync(HOLDOUT, 'utf8'));

  it('are annotated and cover every specialty but "other" at least twice', () => {
    expect(holdout.length).toBeGreaterThanOrEqual(20);
    expect(holdout.every((n) => n.expected !== null)).toBe(true);
    for (const specialty of SPECIALTIES.filter((s) => s !== 'other')) {
      expect(holdout.filter((n) => n.specialty === specialty).length, specialty).toBeGreaterThanOrEqual(2);
    }
    for (const n of holdout) expect(n.id).toMatch(new RegExp(`^hold-${n.specialty}-[0-9]+$`));
  });

  it('share no id or text with the synthetic notes', () => {
    const ids = new Set(notes.map((n) => n.id));
    const texts = new Set(notes.map((n) => n.text));
    for (const n of holdout) {
      expect(ids.has(n.id), n.id).toBe(false);
      expect(texts.has(n.text), n.id).toBe(false);
    }
  });

  it('code every expected diagnosis with a billable FY2026 ICD-10-CM code, once per note', () => {
    for (const n of holdout) {
      const codes = n.expected!.diagnoses.map((d) => d.code);
      expect(codes.length, n.id).toBeGreaterThan(0);
      expect(new Set(codes).size, n.id).toBe(codes.length);
      for (const code of codes) expect(isBillableIcd10(code), `${n.id} ${code}`).toBe(true);
    }
  });

  it('write medications as lower-case generic names that the note mentions', () => {
    for (const n of holdout) {
      for (const name of n.expected!.medications) {
        expect(name, n.id).toBe(name.toLowerCase());
        expect(n.text.toLowerCase(), `${n.id} ${name}`).toContain(name.split(' ')[0]);
      }
    }
  });
});

// Floors sit at about 80 % of what the analyzer measured when they were set
// (2026-11-29: specialty 94.6 %, codes P 68.4 % / R 58.7 %, categories P 88.3 % /
// R 80.0 %, laterality 97.1 %, medications R 84.1 % / P 87.2 %, vitals 100 %,
// allergies 94.6 %): a guard against regressions, not a target. Raise them as the
// analyzer improves.
const FLOORS = {
  specialty: 0.75,
  codePrecision: 0.53,
  codeRecall: 0.46,
  categoryPrecision: 0.7,
  categoryRecall: 0.64,
  laterality: 0.77,
  medicationRecall: 0.67,
  medicationPrecision: 0.7,
  vitals: 0.8,
  allergies: 0.75,
};

describe('the offline analyzer on the synthetic notes', () => {
  const run = evaluateNotes(notes, analyzeOffline);

  it('produces output that passes the provider schema for every note', () => {
    expect(run.crashes).toEqual([]);
    // evaluateNotes checks every output against providerOutputSchema.
    expect(run.schemaFailures).toEqual([]);
    expect(run.scores).toHaveLength(notes.length);
  });

  it('keeps its aggregate scores above the regression floors', () => {
    const m = run.metrics;
    const measured = {
      specialty: m.specialty.value,
      codePrecision: m.codes.precision.value,
      codeRecall: m.codes.recall.value,
      categoryPrecision: m.categories.precision.value,
      categoryRecall: m.categories.recall.value,
      laterality: m.laterality.value,
      medicationRecall: m.medications.value,
      medicationPrecision: m.medicationPrecision.value,
      vitals: m.vitals.value,
      allergies: m.allergies.value,
    };
    for (const [metric, floor] of Object.entries(FLOORS)) {
      expect(measured[metric as keyof typeof FLOORS], metric).toBeGreaterThanOrEqual(floor);
    }
  });
});
