import { describe, expect, it } from 'vitest';
import { asciiFold, letterFileName, parsePersonName } from '@/lib/letters/file-name';
import { contentDisposition } from '@/lib/uploads/content-disposition';

const contentDispositionHeader = (name: string) => contentDisposition(name, 'pdf');

const base = { clinicName: 'Lakeside Eye Care', providerName: 'Dr. Maria Souza', patientName: 'Jane Doe', date: '2026-11-28', kind: 'referral' as const };

describe('letterFileName', () => {
  it('follows <CLINIC>_Dr<ProviderLast>_Px<PatientLast>_<PatientFirst>_<YYYYMMDD>_<kind>.pdf', () => {
    expect(letterFileName(base)).toBe('LakesideEyeCare_DrSouza_PxDoe_Jane_20261128_referral.pdf');
    expect(letterFileName({ ...base, kind: 'insurance' })).toBe('LakesideEyeCare_DrSouza_PxDoe_Jane_20261128_insurance.pdf');
  });

  it('folds accents to ASCII', () => {
    expect(asciiFold('São Müller Ørsted Łukasz Straße')).toBe('Sao Muller Orsted Lukasz Strasse');
    expect(
      letterFileName({ ...base, clinicName: 'Clínica São João', providerName: 'Dra. Inês Gonçalves', patientName: 'François Lefèvre' }),
    ).toBe('ClinicaSaoJoao_DrGoncalves_PxLefevre_Francois_20261128_referral.pdf');
  });

  it('strips titles and credentials from the provider', () => {
    for (const name of ['Dr. Maria Souza, MD', 'Dr Maria Souza MD', 'Maria Souza, M.D., FRCSC', 'Prof. Dr. Maria Souza', 'Souza, Maria, MD', 'DR. MARIA SOUZA, OD']) {
      expect(letterFileName({ ...base, providerName: name }), name).toMatch(/^LakesideEyeCare_Dr(Souza|SOUZA)_PxDoe_Jane_/);
    }
    expect(parsePersonName('Dr. Anne van der Berg FRCOphth')).toEqual({ first: 'Anne', last: 'van der Berg' });
    expect(letterFileName({ ...base, providerName: 'Dr. Anne van der Berg FRCOphth' })).toContain('_DrVanDerBerg_');
  });

  it('reads "Last, First" names', () => {
    expect(parsePersonName('Doe, Jane Mary')).toEqual({ last: 'Doe', first: 'Jane' });
    expect(letterFileName({ ...base, patientName: 'Doe, Jane' })).toBe('LakesideEyeCare_DrSouza_PxDoe_Jane_20261128_referral.pdf');
    expect(letterFileName({ ...base, patientName: 'Mrs. Jane Mary Doe' })).toBe('LakesideEyeCare_DrSouza_PxDoe_Jane_20261128_referral.pdf');
  });

  it('uses Unknown for missing names and parts', () => {
    expect(letterFileName({ ...base, providerName: null, patientName: null })).toBe('LakesideEyeCare_DrUnknown_PxUnknown_Unknown_20261128_referral.pdf');
    expect(letterFileName({ ...base, providerName: '  ', patientName: 'Cher' })).toBe('LakesideEyeCare_DrUnknown_PxCher_Unknown_20261128_referral.pdf');
    expect(letterFileName({ ...base, providerName: 'Dr.' })).toContain('_DrUnknown_');
    expect(letterFileName({ ...base, clinicName: '' })).toMatch(/^Clinic_DrSouza_/);
    expect(letterFileName({ ...base, date: 'not a date' })).toContain('_Undated_referral.pdf');
  });

  it('keeps only letters, digits and hyphens in each part', () => {
    const name = letterFileName({
      ...base,
      clinicName: "St. Mary's Eye & Vision / Clinic <b>\"2\"</b>",
      providerName: 'Dr. Seán O’Brien-Smith',
      patientName: 'Mary-Jane  "Robert\'); DROP TABLE--" Watson\r\nX-Header: 1',
    });
    expect(name).toMatch(/^[A-Za-z0-9_-]+\.pdf$/);
    expect(name).toMatch(/^StMarysEyeVisionClinicB2B_DrOBrien-Smith_Px/);
    expect(name.split('_')).toHaveLength(6);
  });

  it('caps the length', () => {
    const long = 'Pneumonoultramicroscopicsilicovolcanoconiosis';
    const name = letterFileName({
      clinicName: `${long} ${long} Regional Ophthalmology Associates`,
      providerName: `Dr. ${long}-${long}`,
      patientName: `${long} ${long}-${long}`,
      date: '2026-11-28',
      kind: 'insurance',
    });
    expect(name.length).toBeLessThanOrEqual(120);
    expect(name).toMatch(/^[A-Za-z0-9_-]+_Dr[A-Za-z0-9-]+_Px[A-Za-z0-9-]+_[A-Za-z0-9-]+_20261128_insurance\.pdf$/);
    expect(name).not.toMatch(/-_/);
  });
});

describe('contentDisposition of a letter PDF (lib/uploads/content-disposition.ts)', () => {
  it('gives an ASCII fallback and a UTF-8 encoded name', () => {
    expect(contentDispositionHeader('LakesideEyeCare_DrSouza_PxDoe_Jane_20261128_referral.pdf')).toBe(
      `attachment; filename="LakesideEyeCare_DrSouza_PxDoe_Jane_20261128_referral.pdf"; filename*=UTF-8''LakesideEyeCare_DrSouza_PxDoe_Jane_20261128_referral.pdf`,
    );
    expect(contentDispositionHeader('Carta São João ✓.pdf')).toBe(
      `attachment; filename="Carta Sao Joao _.pdf"; filename*=UTF-8''Carta%20S%C3%A3o%20Jo%C3%A3o%20%E2%9C%93.pdf`,
    );
  });

  it('never lets quotes, backslashes, line breaks or non-ASCII through raw', () => {
    const header = contentDispositionHeader('a"b\\c\r\nSet-Cookie: x=1; é\'(*).pdf');
    const fallback = /filename="([^"]*)"/.exec(header)?.[1];
    expect(fallback).toBe('a_b_c__Set-Cookie_ x_1_ e____.pdf');
    expect(header).not.toMatch(/[\r\n\\]/);
    expect(header).toMatch(/^[\x20-\x7e]+$/);
    // Exactly the two parameters: nothing injected ends the quoted string early.
    expect(header.match(/"/g)).toHaveLength(2);
    const encoded = /filename\*=UTF-8''(.*)$/.exec(header)?.[1] ?? '';
    expect(encoded).toMatch(/^[A-Za-z0-9!#$&+.^_`|~%-]+$/);
    expect(decodeURIComponent(encoded)).toBe('a"b_c__Set-Cookie: x=1; é\'(*).pdf');
  });

  it('survives empty names and broken UTF-16', () => {
    expect(contentDispositionHeader('')).toBe(`attachment; filename="download.pdf"; filename*=UTF-8''download.pdf`);
    expect(() => contentDispositionHeader('bad\uD800.pdf')).not.toThrow();
    expect(contentDispositionHeader('bad\uD800.pdf')).toContain(`filename*=UTF-8''bad%EF%BF%BD.pdf`);
  });
});
