import { describe, expect, it } from 'vitest';
import { bareIcd10, icd10ByTitle, icd10Title, isBillableIcd10, searchIcd10, validIcd10 } from '@/lib/analysis/icd10';

describe('the ICD-10-CM table (FY2026)', () => {
  it('accepts billable codes dotted or bare, in any case', () => {
    expect(isBillableIcd10('H40.1131')).toBe(true);
    expect(isBillableIcd10('H401131')).toBe(true);
    expect(isBillableIcd10('i10')).toBe(true);
    expect(isBillableIcd10('E11.9')).toBe(true);
    expect(isBillableIcd10('F32.A')).toBe(true);
  });

  it('rejects headers, invented and malformed codes', () => {
    expect(isBillableIcd10('H40')).toBe(false); // category header only
    expect(isBillableIcd10('R05')).toBe(false);
    expect(isBillableIcd10('E11.99')).toBe(false);
    expect(isBillableIcd10('Z99.999')).toBe(false);
    expect(isBillableIcd10('')).toBe(false);
    expect(isBillableIcd10('hello')).toBe(false);
  });

  it('returns the official long title', () => {
    expect(icd10Title('H25.11')).toBe('Age-related nuclear cataract, right eye');
    expect(icd10Title('M17.11')).toBe('Unilateral primary osteoarthritis, right knee');
    expect(icd10Title('H40.10X0')).toBe('Unspecified open-angle glaucoma, stage unspecified');
    expect(icd10Title('H40')).toBeNull();
  });

  it('normalises and formats', () => {
    expect(bareIcd10(' h40.1131 ')).toBe('H401131');
    expect(validIcd10('h401131')).toEqual({ code: 'H40.1131', title: 'Primary open-angle glaucoma, bilateral, mild stage' });
    expect(validIcd10('H40.1')).toBeNull();
  });

  it('searches by code prefix and by title words', () => {
    const byCode = searchIcd10('H40.11', 50);
    expect(byCode.length).toBeGreaterThan(10);
    expect(byCode.every((m) => m.code.startsWith('H40.11'))).toBe(true);
    const byWords = searchIcd10('nuclear cataract right', 5);
    expect(byWords.map((m) => m.code)).toContain('H25.11');
    expect(searchIcd10('   ')).toEqual([]);
  });

  it('finds a code by its exact title', () => {
    expect(icd10ByTitle('essential (primary) hypertension')?.code).toBe('I10');
    expect(icd10ByTitle('high blood pressure')).toBeNull();
  });
});
