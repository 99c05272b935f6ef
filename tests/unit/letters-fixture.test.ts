// The stored analysis result that end-to-end tests start letters from must stay
// a valid analysis: if the schema changes, regenerate it with the offline analyzer.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analysisResultSchema } from '@/lib/analysis/schema';
import { referralFocusOptions } from '@/lib/letters/focus';

describe('tests/fixtures/analysis/glaucoma-result.json', () => {
  const raw: unknown = JSON.parse(fs.readFileSync(path.join('tests', 'fixtures', 'analysis', 'glaucoma-result.json'), 'utf8'));

  it('passes the analysis schema and has a coded first diagnosis with focus options', () => {
    const result = analysisResultSchema.parse(raw);
    expect(result.patient.name).toBe('Harold Vennick');
    expect(result.diagnoses[0]?.icd10Code).toMatch(/^H40\./);
    expect(referralFocusOptions(result.diagnoses[0] ?? null, result.detectedSpecialty).length).toBeGreaterThanOrEqual(3);
  });
});
