import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import {
  aggregate,
  bySpecialty,
  matchDiagnoses,
  medicationMatches,
  normalizeCode,
  parseEvalNotes,
  precisionRecall,
  rate,
  scoreNote,
  scoreVitals,
  type EvalNote,
  type ScoredOutput,
} from '@/lib/analysis/eval';
import type { Vitals } from '@/lib/analysis/schema';
import { evalAnalysis, parseEvalArgs, readEvalNotesFile, type Analyze } from '@/scripts/eval-analysis';

const NO_VITALS: Vitals = { bloodPressure: null, heartRate: null, respiratoryRate: null, temperatureC: null, weightKg: null, heightCm: null, bmi: null, spo2: null };

function note(overrides: Partial<EvalNote> = {}): EvalNote {
  return {
    id: 'n1',
    specialty: 'ophthalmology',
    acceptableSpecialties: ['ophthalmology'],
    text: 'text',
    expected: {
      diagnoses: [
        { code: 'H40.1112', laterality: 'right' },
        { code: 'H40.052', laterality: 'left' },
        { code: 'E11.9', laterality: 'n/a' },
      ],
      medications: ['timolol', 'latanoprost'],
      vitals: { bloodPressure: '150/95', heartRate: 88 },
      allergiesDocumented: true,
    },
    ...overrides,
  };
}

function output(overrides: Partial<ScoredOutput> = {}): ScoredOutput {
  return { detectedSpecialty: 'ophthalmology', diagnoses: [], medications: [], vitals: NO_VITALS, allergies: [], ...overrides };
}

describe('rates and precision/recall', () => {
  it('leaves a rate undefined when there is nothing to count', () => {
    expect(rate(0, 0).value).toBeNull();
    expect(rate(3, 4).value).toBe(0.75);
  });

  it('handles every zero-division case', () => {
    expect(precisionRecall({ tp: 0, fp: 0, fn: 0 })).toEqual({ precision: rate(0, 0), recall: rate(0, 0), f1: null });
    // Nothing predicted: precision undefined, recall 0.
    const none = precisionRecall({ tp: 0, fp: 0, fn: 2 });
    expect([none.precision.value, none.recall.value, none.f1]).toEqual([null, 0, null]);
    // Predicted and expected but no overlap: everything 0.
    const wrong = precisionRecall({ tp: 0, fp: 1, fn: 1 });
    expect([wrong.precision.value, wrong.recall.value, wrong.f1]).toEqual([0, 0, 0]);
  });

  it('computes micro F1 as the harmonic mean', () => {
    const pr = precisionRecall({ tp: 2, fp: 2, fn: 0 });
    expect(pr.precision.value).toBe(0.5);
    expect(pr.recall.value).toBe(1);
    expect(pr.f1).toBeCloseTo(2 / 3, 10);
  });
});

describe('matching diagnoses', () => {
  it('normalizes codes', () => {
    expect(normalizeCode(' h40.1112 ')).toBe('H401112');
    expect(normalizeCode('I10')).toBe('I10');
  });

  it('prefers the exact code over a sibling of the same category', () => {
    const pairs = matchDiagnoses(
      [
        { code: 'E11.3311', laterality: 'right' },
        { code: 'E11.3392', laterality: 'left' },
      ],
      [
        { icd10Code: 'E11.3392', laterality: 'left' },
        { icd10Code: 'E11.3311', laterality: 'right' },
      ],
    );
    expect(pairs).toEqual([
      { code: 'E113311', expected: 'right', got: 'right' },
      { code: 'E113392', expected: 'left', got: 'left' },
    ]);
  });

  it('falls back to the category, uses each prediction once and ignores uncoded ones', () => {
    const pairs = matchDiagnoses(
      [
        { code: 'H40.1112', laterality: 'right' },
        { code: 'H40.052', laterality: 'left' },
      ],
      [
        { icd10Code: null, laterality: 'left' },
        { icd10Code: 'H40.10X0', laterality: 'bilateral' },
      ],
    );
    expect(pairs).toEqual([{ code: 'H401112', expected: 'right', got: 'bilateral' }]);
  });
});

describe('medication names', () => {
  it('matches a generic inside a fuller name, and a shorter name inside the generic', () => {
    expect(medicationMatches('timolol', 'Timolol 0.5% ophthalmic')).toBe(true);
    expect(medicationMatches('carbidopa', 'carbidopa-levodopa')).toBe(true);
    expect(medicationMatches('insulin glargine', 'Glargine')).toBe(true);
    expect(medicationMatches('sacubitril', 'Sacubitril/valsartan')).toBe(true);
  });

  it('does not match different drugs or fragments', () => {
    expect(medicationMatches('metformin', 'metoprolol')).toBe(false);
    expect(medicationMatches('prednisone', 'prednisolone')).toBe(false);
    expect(medicationMatches('aspirin', 'as')).toBe(false);
    expect(medicationMatches('insulin lispro', 'insulin glargine')).toBe(false);
  });
});

describe('vital signs', () => {
  it('counts each stated vital, both blood pressure numbers, after rounding', () => {
    const result = scoreVitals(
      { bloodPressure: '150/95', heartRate: 88, temperatureC: 37.3, weightKg: 82.6, spo2: 93 },
      { ...NO_VITALS, bloodPressure: { systolic: 150, diastolic: 90 }, heartRate: 88, temperatureC: 37.28, weightKg: 82.55, spo2: null },
    );
    expect(result.stated).toBe(5);
    expect(result.correct).toBe(3);
    expect(result.misses).toEqual([
      { vital: 'bloodPressure', expected: '150/95', got: '150/90' },
      { vital: 'spo2', expected: '93', got: 'none' },
    ]);
  });

  it('scores nothing when no vital was stated', () => {
    expect(scoreVitals({}, { ...NO_VITALS, heartRate: 70 })).toEqual({ stated: 0, correct: 0, misses: [] });
  });
});

describe('scoring a note', () => {
  const predicted = output({
    diagnoses: [
      { icd10Code: 'H40.1112', laterality: 'right' },
      { icd10Code: 'H40.052', laterality: 'right' },
      { icd10Code: 'I10', laterality: 'n/a' },
      { icd10Code: null, laterality: 'n/a' },
    ],
    medications: [{ name: 'Timolol' }, { name: 'lisinopril' }],
    vitals: { ...NO_VITALS, bloodPressure: { systolic: 150, diastolic: 95 }, heartRate: 90 },
    allergies: ['No known drug allergies'],
  });

  it('counts codes, categories, laterality, medications, vitals and allergies', () => {
    const score = scoreNote(note(), predicted);
    expect(score.specialtyCorrect).toBe(true);
    const d = score.detail!;
    expect(d.codes).toEqual({ tp: 2, fp: 1, fn: 1, missed: ['E119'], extra: ['I10'] });
    expect(d.categories).toEqual({ tp: 1, fp: 1, fn: 1, missed: ['E11'], extra: ['I10'] });
    expect(d.laterality).toEqual({ compared: 2, correct: 1, misses: [{ code: 'H40052', expected: 'left', got: 'right' }] });
    expect(d.medications).toEqual({ expected: 2, found: 1, missed: ['latanoprost'], predicted: 2, extra: ['lisinopril'] });
    expect([d.vitals.stated, d.vitals.correct]).toEqual([2, 1]);
    expect(d.allergies).toEqual({ expected: true, documented: true });
    expect(score.diagnoses).toEqual({ total: 4, uncoded: 1 });
  });

  it('counts a code predicted twice once', () => {
    const twice = output({ diagnoses: [{ icd10Code: 'I10', laterality: 'n/a' }, { icd10Code: 'i10', laterality: 'n/a' }] });
    expect(scoreNote(note(), twice).detail!.codes.fp).toBe(1);
  });

  it('accepts any specialty in the acceptable list', () => {
    const n = note({ specialty: 'pulmonology', acceptableSpecialties: ['pulmonology', 'neurology'] });
    expect(scoreNote(n, output({ detectedSpecialty: 'neurology' })).specialtyCorrect).toBe(true);
    expect(scoreNote(n, output({ detectedSpecialty: 'cardiology' })).specialtyCorrect).toBe(false);
  });

  it('scores only the specialty of a note without annotations', () => {
    expect(scoreNote(note({ expected: null }), predicted).detail).toBeNull();
  });
});

describe('aggregates', () => {
  it('micro-averages over notes and breaks down by specialty', () => {
    const a = scoreNote(
      note(),
      output({ diagnoses: [{ icd10Code: 'H40.1112', laterality: 'right' }, { icd10Code: null, laterality: 'n/a' }], medications: [{ name: 'timolol' }, { name: 'SpO2' }] }),
    );
    const b = scoreNote(
      note({ id: 'n2', specialty: 'cardiology', acceptableSpecialties: ['cardiology'], expected: { diagnoses: [{ code: 'I10', laterality: 'n/a' }], medications: [], vitals: {} } }),
      output({ detectedSpecialty: 'primary_care', diagnoses: [{ icd10Code: 'I10', laterality: 'n/a' }] }),
    );
    const m = aggregate([a, b]);
    expect(m.specialty).toEqual(rate(1, 2));
    expect(m.codes.precision).toEqual(rate(2, 2));
    expect(m.codes.recall).toEqual(rate(2, 4));
    expect(m.laterality).toEqual(rate(2, 2));
    expect(m.medications).toEqual(rate(1, 2));
    expect(m.medicationPrecision).toEqual(rate(1, 2));
    expect(m.uncodedDiagnoses).toEqual(rate(1, 3));
    expect(m.vitals).toEqual(rate(0, 2));
    expect(m.allergies).toEqual(rate(0, 1));
    expect(bySpecialty([b, a]).map((g) => [g.specialty, g.metrics.notes])).toEqual([
      ['ophthalmology', 1],
      ['cardiology', 1],
    ]);
  });

  it('reports undefined metrics when no note is annotated', () => {
    const m = aggregate([scoreNote(note({ expected: null }), output())]);
    expect(m.annotated).toBe(0);
    expect(m.codes.f1).toBeNull();
    expect(m.medications.value).toBeNull();
    expect(m.uncodedDiagnoses.value).toBeNull();
    expect(aggregate([]).specialty.value).toBeNull();
  });
});

describe('parsing a notes file', () => {
  const line = (o: object) => JSON.stringify({ id: 'a', specialty: 'neurology', text: 'Some text.', ...o });

  it('reads JSON Lines, skips blank lines and adds the specialty to the acceptable list', () => {
    const notes = parseEvalNotes(`${line({})}\n\n${line({ id: 'b', acceptable_specialties: ['psychiatry'] })}\n`);
    expect(notes.map((n) => [n.id, n.acceptableSpecialties, n.expected])).toEqual([
      ['a', ['neurology'], null],
      ['b', ['neurology', 'psychiatry'], null],
    ]);
  });

  it('names the line and the field at fault', () => {
    expect(() => parseEvalNotes(`${line({})}\n{not json`)).toThrow('line 2: not valid JSON');
    expect(() => parseEvalNotes(line({ specialty: 'podiatry' }))).toThrow(/^line 1: specialty:/);
    expect(() => parseEvalNotes(`${line({})}\n${line({})}`)).toThrow('line 2: duplicate id "a"');
    expect(() => parseEvalNotes(line({ expected: { diagnoses: [{ code: 'glaucoma', laterality: 'right' }], medications: [], vitals: {} } }))).toThrow(
      /^line 1: expected\.diagnoses\.0\.code:/,
    );
    expect(() => parseEvalNotes('\n\n')).toThrow('the file holds no notes');
  });
});

describe('the eval:analysis command', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eval-analysis-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const secret = 'Patient Zebulon Quartermaine has a distinctive history';
  const content = `${JSON.stringify({
    id: 'x-1',
    specialty: 'cardiology',
    text: secret,
    expected: { diagnoses: [{ code: 'I10', laterality: 'n/a' }], medications: ['amlodipine'], vitals: { heartRate: 70 } },
  })}\n`;
  const fake: Analyze = () => {
    throw new Error(`could not parse ${secret}`);
  };
  const run = (argv: string[], analyze?: Analyze) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = evalAnalysis(argv, { out: (s) => out.push(s), err: (s) => err.push(s) }, analyze);
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  it('parses its arguments', () => {
    expect(parseEvalArgs(['notes.jsonl', '--json'])).toEqual({ ok: true, args: { file: 'notes.jsonl', json: true, verbose: false } });
    expect(parseEvalArgs([]).ok).toBe(false);
    expect(parseEvalArgs(['a', 'b']).ok).toBe(false);
    expect(parseEvalArgs(['a', '--fast']).ok).toBe(false);
  });

  it('reads plain and gzipped files alike', () => {
    fs.writeFileSync(path.join(dir, 'plain.jsonl'), content);
    fs.writeFileSync(path.join(dir, 'zipped.jsonl.gz'), zlib.gzipSync(content));
    expect(readEvalNotesFile(path.join(dir, 'plain.jsonl'))).toEqual(readEvalNotesFile(path.join(dir, 'zipped.jsonl.gz')));
  });

  it('fails clearly on a missing, corrupt or malformed file', () => {
    expect(run([path.join(dir, 'absent.jsonl')])).toMatchObject({ code: 1, err: expect.stringContaining('no such file') });
    fs.writeFileSync(path.join(dir, 'broken.gz'), Buffer.from([0x1f, 0x8b, 1, 2, 3]));
    expect(run([path.join(dir, 'broken.gz')]).err).toContain('does not decompress');
    fs.writeFileSync(path.join(dir, 'bad.jsonl'), `${content}{"id": "y"}\n`);
    expect(run([path.join(dir, 'bad.jsonl')])).toMatchObject({ code: 1, err: expect.stringContaining('line 2: specialty:') });
  });

  it('never prints a note’s text, even when the analyzer fails on it', () => {
    fs.writeFileSync(path.join(dir, 'secret.jsonl'), content);
    for (const flags of [['--verbose'], ['--json', '--verbose']]) {
      const result = run([path.join(dir, 'secret.jsonl'), ...flags], fake);
      expect(result.code).toBe(0);
      expect(result.out).not.toContain('Zebulon');
      expect(result.out).toContain('x-1');
    }
    const text = run([path.join(dir, 'secret.jsonl'), '--verbose'], fake).out;
    expect(text).toContain('Analyzer errors              1');
    expect(text).toContain('x-1: analyzer error; specialty other (expected cardiology); codes missed I10; medications missed amlodipine; heartRate none (expected 70)');
  });

  it('reports the metrics of a working analyzer as JSON', () => {
    const good: Analyze = () =>
      ({
        detectedSpecialty: 'cardiology',
        diagnoses: [{ icd10Code: 'I10', laterality: 'n/a' }],
        medications: [{ name: 'Amlodipine' }],
        vitals: { ...NO_VITALS, heartRate: 70 },
        allergies: [],
      }) as unknown as ReturnType<Analyze>;
    const result = run([path.join(dir, 'plain.jsonl'), '--json'], good);
    const report = JSON.parse(result.out) as { metrics: { specialty: { value: number }; codes: { f1: number } }; schemaFailures: unknown[] };
    const verbose = JSON.parse(run([path.join(dir, 'plain.jsonl'), '--json', '--verbose'], good).out) as { notes: { detail: { medications: { extra: unknown } } }[] };
    expect(verbose.notes[0]!.detail.medications.extra).toBe(0);
    expect(report.metrics.specialty.value).toBe(1);
    expect(report.metrics.codes.f1).toBe(1);
    // The fake output is partial, so the schema check must flag it.
    expect(report.schemaFailures).toHaveLength(1);
  });
});
