// npm run eval:analysis -- <notes.jsonl[.gz]> [--json] [--verbose]
// Runs the offline analyzer over a JSON Lines file of notes (only each note's
// `text`, with the specialty on "auto") and prints how well it did: specialty
// accuracy always; diagnosis codes, laterality, medications and vitals when the
// notes carry `expected` annotations (see tests/fixtures/analysis/README.md).
// Output names notes by id and diagnoses by code, never quotes a note: the real
// notes file must not be echoed.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import zlib from 'node:zlib';
import {
  aggregate,
  bySpecialty,
  EvalFileError,
  parseEvalNotes,
  scoreNote,
  type EvalNote,
  type Metrics,
  type NoteScore,
  type PrecisionRecall,
  type Rate,
  type ScoredOutput,
} from '@/lib/analysis/eval';
import { analyzeOffline } from '@/lib/analysis/offline';
import { providerOutputSchema, type ProviderOutput, type Specialty } from '@/lib/analysis/schema';

export const EVAL_USAGE = 'Usage: npm run eval:analysis -- <notes.jsonl[.gz]> [--json] [--verbose]';

export interface EvalArgs {
  file: string;
  json: boolean;
  verbose: boolean;
}

export function parseEvalArgs(argv: readonly string[]): { ok: true; args: EvalArgs } | { ok: false; error: string } {
  let file: string | null = null;
  let json = false;
  let verbose = false;
  for (const arg of argv) {
    if (arg === '--json') json = true;
    else if (arg === '--verbose') verbose = true;
    else if (arg.startsWith('--')) return { ok: false, error: `Unknown option "${arg}".\n${EVAL_USAGE}` };
    else if (file === null) file = arg;
    else return { ok: false, error: `Only one notes file can be evaluated at a time.\n${EVAL_USAGE}` };
  }
  if (file === null) return { ok: false, error: EVAL_USAGE };
  return { ok: true, args: { file, json, verbose } };
}

/** Reads a notes file, gunzipping it when it is gzip (by its magic bytes, not its name). */
export function readEvalNotesFile(file: string): EvalNote[] {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : 'unreadable';
    throw new EvalFileError(`Cannot read ${file}: ${why}.`);
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = zlib.gunzipSync(bytes);
    } catch {
      throw new EvalFileError(`Cannot read ${file}: it starts like a gzip file but does not decompress.`);
    }
  }
  try {
    return parseEvalNotes(bytes.toString('utf8'));
  } catch (error) {
    if (error instanceof EvalFileError) throw new EvalFileError(`${file}: ${error.message}`);
    throw error;
  }
}

export type Analyze = (input: { text: string; specialty: Specialty | null }) => ProviderOutput;

export interface EvalRun {
  metrics: Metrics;
  bySpecialty: { specialty: string; metrics: Metrics }[];
  scores: NoteScore[];
  /** Notes whose output failed providerOutputSchema: id and the first failing field. */
  schemaFailures: { id: string; path: string }[];
  /** Notes on which the analyzer threw (scored as an empty answer). */
  crashes: string[];
}

const EMPTY_OUTPUT: ScoredOutput = {
  detectedSpecialty: 'other',
  diagnoses: [],
  medications: [],
  vitals: { bloodPressure: null, heartRate: null, respiratoryRate: null, temperatureC: null, weightKg: null, heightCm: null, bmi: null, spo2: null },
  allergies: [],
};

/** Analyzes every note (text only, specialty "auto") and scores the outputs. */
export function evaluateNotes(notes: readonly EvalNote[], analyze: Analyze = analyzeOffline): EvalRun {
  const scores: NoteScore[] = [];
  const schemaFailures: EvalRun['schemaFailures'] = [];
  const crashes: string[] = [];
  for (const note of notes) {
    let output: ScoredOutput = EMPTY_OUTPUT;
    try {
      const raw = analyze({ text: note.text, specialty: null });
      const checked = providerOutputSchema.safeParse(raw);
      if (!checked.success) schemaFailures.push({ id: note.id, path: checked.error.issues[0]!.path.join('.') });
      output = raw;
    } catch {
      // The error message could quote the note, so only the id is kept.
      crashes.push(note.id);
    }
    scores.push(scoreNote(note, output));
  }
  return { metrics: aggregate(scores), bySpecialty: bySpecialty(scores), scores, schemaFailures, crashes };
}

function pct(value: number | null): string {
  return value === null ? 'n/a' : `${(value * 100).toFixed(1)}%`;
}

function showRate(r: Rate): string {
  return `${pct(r.value).padStart(6)} (${r.numerator}/${r.denominator})`;
}

function showPr(pr: PrecisionRecall): string {
  return `precision ${showRate(pr.precision)}  recall ${showRate(pr.recall)}  F1 ${pct(pr.f1)}`;
}

export function formatReport(file: string, run: EvalRun, verbose: boolean): string {
  const m = run.metrics;
  const lines = [`Evaluated ${m.notes} notes from ${path.basename(file)} (${m.annotated} annotated), offline analyzer, specialty "auto".`, ''];
  lines.push(`Specialty accuracy           ${showRate(m.specialty)}`);
  if (m.annotated > 0) {
    lines.push(
      `Diagnosis codes (exact)      ${showPr(m.codes)}`,
      `Diagnosis codes (category)   ${showPr(m.categories)}`,
      `Laterality (matched dx)      ${showRate(m.laterality)}`,
      `Medication recall            ${showRate(m.medications)}`,
      `Medication precision         ${showRate(m.medicationPrecision)}`,
      `Vital signs                  ${showRate(m.vitals)}`,
      `Allergies documented         ${showRate(m.allergies)}`,
    );
  }
  lines.push(`Diagnoses without a code     ${showRate(m.uncodedDiagnoses)}`);
  lines.push(`Outputs failing the schema   ${run.schemaFailures.length}`, `Analyzer errors              ${run.crashes.length}`, '');

  const header = ['specialty', 'notes', 'spec.acc', ...(m.annotated ? ['code P', 'code R', 'code F1', 'cat R', 'meds R', 'vitals'] : [])];
  const rows = run.bySpecialty.map(({ specialty, metrics: s }) => [
    specialty,
    String(s.notes),
    pct(s.specialty.value),
    ...(m.annotated
      ? [pct(s.codes.precision.value), pct(s.codes.recall.value), pct(s.codes.f1), pct(s.categories.recall.value), pct(s.medications.value), pct(s.vitals.value)]
      : []),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const row of [header, ...rows]) lines.push(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '));

  if (verbose) {
    lines.push('', 'Misses by note (ids and codes only):');
    for (const s of run.scores) {
      const parts: string[] = [];
      if (!s.specialtyCorrect) parts.push(`specialty ${s.predictedSpecialty} (expected ${s.specialty})`);
      const d = s.detail;
      if (d) {
        if (d.codes.missed.length) parts.push(`codes missed ${d.codes.missed.join(' ')}`);
        if (d.codes.extra.length) parts.push(`codes extra ${d.codes.extra.join(' ')}`);
        for (const l of d.laterality.misses) parts.push(`laterality ${l.code} ${l.got} (expected ${l.expected})`);
        if (d.medications.missed.length) parts.push(`medications missed ${d.medications.missed.join(', ')}`);
        // A count, not names: a wrongly extracted "medication" can be a fragment of the note.
        if (d.medications.extra.length) parts.push(`unexpected medications ${d.medications.extra.length}`);
        for (const v of d.vitals.misses) parts.push(`${v.vital} ${v.got} (expected ${v.expected})`);
        if (d.allergies && d.allergies.expected !== d.allergies.documented) parts.push(`allergies ${d.allergies.documented ? 'listed' : 'not listed'}`);
      }
      if (run.crashes.includes(s.id)) parts.unshift('analyzer error');
      const failure = run.schemaFailures.find((f) => f.id === s.id);
      if (failure) parts.unshift(`schema failure at ${failure.path || 'root'}`);
      if (parts.length) lines.push(`  ${s.id}: ${parts.join('; ')}`);
    }
  }
  return lines.join('\n');
}

/** The command itself (the tests call it); returns the exit code. */
export function evalAnalysis(argv: readonly string[], io: { out: (s: string) => void; err: (s: string) => void }, analyze?: Analyze): number {
  const parsed = parseEvalArgs(argv);
  if (!parsed.ok) {
    io.err(parsed.error);
    return 1;
  }
  const { file, json, verbose } = parsed.args;
  let notes: EvalNote[];
  try {
    notes = readEvalNotesFile(file);
  } catch (error) {
    if (!(error instanceof EvalFileError)) throw error;
    io.err(error.message);
    return 1;
  }
  const run = evaluateNotes(notes, analyze);
  if (json) {
    io.out(
      JSON.stringify(
        {
          file: path.basename(file),
          metrics: run.metrics,
          bySpecialty: run.bySpecialty,
          schemaFailures: run.schemaFailures,
          crashes: run.crashes,
          // Unexpected medication names come from the note itself, so only their count is shown.
          ...(verbose
            ? { notes: run.scores.map((s) => (s.detail ? { ...s, detail: { ...s.detail, medications: { ...s.detail.medications, extra: s.detail.medications.extra.length } } } : s)) }
            : {}),
        },
        null,
        2,
      ),
    );
  } else {
    io.out(formatReport(file, run, verbose));
  }
  return 0;
}

// Run as a command (not when a test imports the module).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exit(evalAnalysis(process.argv.slice(2), { out: console.log, err: console.error }));
}
