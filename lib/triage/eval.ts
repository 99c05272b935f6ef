// Measures the offline triage against annotated documents (tests/fixtures/triage):
// document-type and urgency accuracy, the type confusions, and how often the
// patient's name and the sender's fax number are read correctly.
import { z } from 'zod';
import { triageOffline } from './offline';
import { TRIAGE_DOCUMENT_TYPES, TRIAGE_URGENCIES, triageOutputSchema } from './schema';

export const annotatedDocumentSchema = z.object({
  id: z.string().min(1),
  documentType: z.enum(TRIAGE_DOCUMENT_TYPES),
  urgency: z.enum(TRIAGE_URGENCIES),
  patientName: z.string().nullable(),
  fromFax: z.string().nullable(),
  text: z.string().min(20),
});
export type AnnotatedDocument = z.infer<typeof annotatedDocumentSchema>;

export function parseAnnotatedDocuments(jsonl: string): AnnotatedDocument[] {
  return jsonl
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      const parsed = annotatedDocumentSchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`line ${i + 1}: ${parsed.error.issues.map((x) => x.path.join('.')).join(', ')}`);
      return parsed.data;
    });
}

const nameKey = (s: string | null) => (s ?? '').toLowerCase().replace(/[^a-z ]/g, '').split(/\s+/).filter(Boolean).sort().join(' ');
const faxKey = (s: string | null) => (s ?? '').replace(/\D/g, '').replace(/^1(?=\d{10}$)/, '');

export interface TriageEvalReport {
  documents: number;
  schemaValid: number;
  typeAccuracy: number;
  urgencyAccuracy: number;
  patientNameAccuracy: number;
  faxAccuracy: number;
  /** "expected → predicted": count, for misclassified types. */
  confusions: Record<string, number>;
  misses: { id: string; field: string; expected: string | null; got: string | null }[];
}

export function evaluateTriage(documents: AnnotatedDocument[]): TriageEvalReport {
  let valid = 0;
  let type = 0;
  let urgency = 0;
  let name = 0;
  let fax = 0;
  const confusions: Record<string, number> = {};
  const misses: TriageEvalReport['misses'] = [];
  for (const doc of documents) {
    const out = triageOffline(doc.text);
    if (triageOutputSchema.safeParse(out).success) valid++;
    if (out.documentType === doc.documentType) type++;
    else {
      const k = `${doc.documentType} → ${out.documentType}`;
      confusions[k] = (confusions[k] ?? 0) + 1;
      misses.push({ id: doc.id, field: 'documentType', expected: doc.documentType, got: out.documentType });
    }
    if (out.urgency === doc.urgency) urgency++;
    else misses.push({ id: doc.id, field: 'urgency', expected: doc.urgency, got: out.urgency });
    if (nameKey(out.regarding.patientName) === nameKey(doc.patientName)) name++;
    else misses.push({ id: doc.id, field: 'patientName', expected: doc.patientName, got: out.regarding.patientName });
    if (faxKey(out.from.fax) === faxKey(doc.fromFax)) fax++;
    else misses.push({ id: doc.id, field: 'fromFax', expected: doc.fromFax, got: out.from.fax });
  }
  const n = documents.length || 1;
  return {
    documents: documents.length,
    schemaValid: valid,
    typeAccuracy: type / n,
    urgencyAccuracy: urgency / n,
    patientNameAccuracy: name / n,
    faxAccuracy: fax / n,
    confusions,
    misses,
  };
}
