// Evaluates the offline fax triage on annotated documents (JSON lines):
//   npm run eval:triage -- tests/fixtures/triage/documents.jsonl
import { readFileSync } from 'node:fs';
import { evaluateTriage, parseAnnotatedDocuments } from '@/lib/triage/eval';

const file = process.argv[2] ?? 'tests/fixtures/triage/documents.jsonl';
const report = evaluateTriage(parseAnnotatedDocuments(readFileSync(file, 'utf8')));
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
console.log(`Documents: ${report.documents} (schema-valid: ${report.schemaValid})`);
console.log(`Document type accuracy: ${pct(report.typeAccuracy)}`);
console.log(`Urgency accuracy:       ${pct(report.urgencyAccuracy)}`);
console.log(`Patient name accuracy:  ${pct(report.patientNameAccuracy)}`);
console.log(`Sender fax accuracy:    ${pct(report.faxAccuracy)}`);
const confusions = Object.entries(report.confusions);
console.log(confusions.length ? 'Type confusions (expected → predicted):' : 'Type confusions: none');
for (const [pair, count] of confusions) console.log(`  ${pair}: ${count}`);
if (process.argv.includes('--misses')) for (const m of report.misses) console.log(`  ${m.id} ${m.field}: expected ${m.expected ?? '∅'}, got ${m.got ?? '∅'}`);
