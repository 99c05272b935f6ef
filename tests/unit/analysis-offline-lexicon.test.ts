import { describe, expect, it } from 'vitest';
import { isBillableIcd10 } from '@/lib/analysis/icd10';
import { REFERENCES } from '@/lib/analysis/references';
import { CONCEPTS, compiledConcepts, resolveCode } from '@/lib/analysis/offline/lexicon';
import { LATERALITIES, SEVERITIES } from '@/lib/analysis/schema';

// Words that switch a concept to a subtype code; every combination must give a billable code.
const CONTEXTS = [
  '', 'type 1', 'type 2', 'with macular edema', 'proliferative', 'nuclear', 'cortical', 'posterior subcapsular', 'age-related', 'exacerbation', 'intermittent',
  'persistent', 'recurrent', 'major depressive', 'with psychotic features', 'stage 3a', 'stage 4', 'esrd', 'acute on chronic systolic', 'chronic diastolic', 'acute',
  'paroxysmal', 'permanent', 'chronic', 'geographic atrophy subfoveal', 'intermediate', 'early', 'scar', 'inactive', 'active', 'hypoxic', 'hypercapnic', 'tension',
  'spontaneous', 'mixed', 'morbid', 'septic shock', 'esophagitis', 'gastric ulcer', 'duodenal ulcer', 'hematemesis', 'melena', 'rectal bleeding', 'partial', 'complete',
  'cholecystitis', 'alcoholic', 'gallstone', 'constipation', 'diarrhea', 'epigastric', 'ruq', 'llq', 'periumbilical', 'vomiting', 'nausea vomiting', 'without aura',
  'with aura', 'chronic migraine', 'parkinsonism', 'vascular', 'metabolic', 'toxic', 'hepatic', 'lateral meniscus', 'medial meniscus', 'cervical', 'radiculopathy',
  'claudication', 'lumbar', 'trochanteric', 'seropositive', 'seronegative', 'polyarthritis', 'monoarthritis', 'stickler', 'allergic contact', 'irritant', 'rash', 'plaque',
  'guttate', 'in situ', 'atypical', 'plantar', 'androgenetic', 'bipolar ii', 'inattentive', 'combined', 'withdrawal', 'abuse', 'dependence', 'borderline', 'antisocial',
  'depressed mood', 'anxiety', 'ketoacidosis', 'neuropathy', 'nephropathy', 'hypoglycemia', 'uncontrolled', 'secondary', 'idiopathic pulmonary fibrosis', 'indeterminate',
  'sciatica', 'lower respiratory infection', 'relapsing', 'status asthmaticus',
];

describe('the diagnosis lexicon', () => {
  it('has a few hundred concepts with unique ids across the specialties', () => {
    expect(CONCEPTS.length).toBeGreaterThanOrEqual(250);
    expect(new Set(CONCEPTS.map((c) => c.id)).size).toBe(CONCEPTS.length);
    const specialties = new Set(CONCEPTS.map((c) => c.specialty));
    for (const s of ['ophthalmology', 'primary_care', 'cardiology', 'dermatology', 'endocrinology', 'gastroenterology', 'neurology', 'orthopedics', 'pulmonology', 'rheumatology', 'psychiatry']) {
      expect(specialties.has(s as never), s).toBe(true);
    }
  });

  it('only ever produces billable FY2026 codes', () => {
    const bad: string[] = [];
    for (const concept of CONCEPTS)
      for (const laterality of LATERALITIES)
        for (const severity of SEVERITIES)
          for (const context of CONTEXTS) {
            const { code } = resolveCode(concept, { laterality, severity, context });
            if (!isBillableIcd10(code)) bad.push(`${concept.id}: ${code} (${laterality}, ${severity}, "${context}")`);
          }
    expect(bad).toEqual([]);
  });

  it('compiles every concept into a working pattern', () => {
    for (const { concept, re } of compiledConcepts()) {
      re.lastIndex = 0;
      expect(re.test(concept.label) || concept.terms.length > 0, concept.id).toBe(true);
    }
  });

  it('refers only to topics that have references, or to none', () => {
    const referenced = new Set(REFERENCES.flatMap((r) => r.topics));
    const missing = CONCEPTS.flatMap((c) => (c.topics ?? []).filter((t) => !referenced.has(t)).map((t) => `${c.id}:${t}`));
    expect(missing).toEqual([]);
  });

  it('chooses the laterality- and stage-specific code', () => {
    const poag = CONCEPTS.find((c) => c.id === 'poag')!;
    expect(resolveCode(poag, { laterality: 'right', severity: 'moderate', context: '' }).code).toBe('H40.1112');
    expect(resolveCode(poag, { laterality: 'bilateral', severity: 'mild', context: '' }).code).toBe('H40.1131');
    const unspecified = resolveCode(poag, { laterality: 'n/a', severity: 'unspecified', context: '' });
    expect(unspecified.code).toBe('H40.10X0');
    expect(unspecified.notes.join(' ')).toContain('Laterality not documented: H40.10X0 used');
    const knee = CONCEPTS.find((c) => c.id === 'knee_oa')!;
    expect(resolveCode(knee, { laterality: 'left', severity: 'unspecified', context: '' }).code).toBe('M17.12');
    expect(resolveCode(knee, { laterality: 'bilateral', severity: 'unspecified', context: '' }).code).toBe('M17.0');
    const dr = CONCEPTS.find((c) => c.id === 'diabetic_retinopathy')!;
    expect(resolveCode(dr, { laterality: 'left', severity: 'moderate', context: 'type 2 with macular edema' }).code).toBe('E11.3312');
    expect(resolveCode(dr, { laterality: 'right', severity: 'unspecified', context: 'proliferative type 2 without macular edema' }).code).toBe('E11.3591');
  });
});

describe('the reference list', () => {
  it('has well-formed, unique entries', () => {
    expect(new Set(REFERENCES.map((r) => r.id)).size).toBe(REFERENCES.length);
    for (const r of REFERENCES) {
      expect(r.citation.length, r.id).toBeGreaterThan(30);
      if (r.pubmedId) expect(r.pubmedId).toMatch(/^\d{1,9}$/);
      if (r.url) expect(r.url).toMatch(/^https:\/\//);
      expect(r.topics.length).toBeGreaterThan(0);
    }
  });
});
