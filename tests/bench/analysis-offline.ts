// Offline analyzer benchmark: notes analysed per second and milliseconds per note
// on synthetic notes of about 1, 4 and 16 thousand characters (the analysis cap),
// after a warm-up (regex compilation and the one-time ICD-10 table load are
// reported separately). Rates only: nothing here asserts a time.
// Standalone: npx tsx tests/bench/analysis-offline.ts
import { pathToFileURL } from 'node:url';
import { analyzeOffline } from '@/lib/analysis/offline';

const BLOCKS = [
  'HPI: 64-year-old man with type 2 diabetes mellitus and hypertension, here for follow-up. Denies chest pain or shortness of breath. Home glucose readings 140 to 180.',
  'Medications: Metformin 1000 mg twice daily, lisinopril 20 mg daily, atorvastatin 40 mg nightly, aspirin 81 mg daily.\nAllergies: Sulfa (rash).',
  'Vital signs: BP 148/92, HR 84, RR 16, Temp 98.4 F, Weight 220 lb, Height 5 ft 9 in, SpO2 96% on room air.',
  'Exam:\nHEENT: Normal.\nLungs: Clear to auscultation bilaterally.\nHeart: Regular rate and rhythm, no murmur.\nExtremities: Trace edema bilaterally, diminished monofilament sensation in both feet.',
  'Eye exam: Visual acuity OD 20/30, OS 20/40. IOP 23 OD, 18 OS. Moderate nonproliferative diabetic retinopathy OU without macular edema; 2+ nuclear sclerosis OU.',
  'Labs: HbA1c 8.4%, LDL 118 mg/dL, creatinine 1.2 mg/dL, eGFR 58, potassium 4.6, TSH 2.3.',
  'Assessment:\n1. Type 2 diabetes mellitus with hyperglycemia\n2. Essential hypertension, not at goal\n3. Moderate nonproliferative diabetic retinopathy, both eyes\n4. Chronic kidney disease stage 3a\n5. Primary osteoarthritis of the right knee',
  'Plan:\n1. Diabetes: add empagliflozin 10 mg daily; recheck HbA1c in 3 months.\n2. Hypertension: increase lisinopril to 40 mg daily; home BP log.\n3. Retinopathy: ophthalmology follow-up in 4 months.\n4. CKD: urine albumin to creatinine ratio; avoid NSAIDs.\n5. Knee: physical therapy, acetaminophen as needed.\n6. Follow up in 3 months.',
];

function note(targetChars: number): string {
  const parts: string[] = [];
  let i = 0;
  while (parts.join('\n').length < targetChars) parts.push(BLOCKS[i++ % BLOCKS.length]!);
  return parts.join('\n').slice(0, targetChars);
}

export async function benchAnalysisOffline(): Promise<void> {
  const t0 = performance.now();
  analyzeOffline({ text: note(2000), specialty: null });
  console.log(`offline analyzer: first call (ICD-10 table load, regex compilation) ${(performance.now() - t0).toFixed(0)} ms`);
  for (const size of [1000, 4000, 16000]) {
    const text = note(size);
    for (let i = 0; i < 20; i++) analyzeOffline({ text, specialty: null });
    let n = 0;
    const start = performance.now();
    while (performance.now() - start < 2000) {
      analyzeOffline({ text, specialty: null });
      n++;
    }
    const ms = (performance.now() - start) / n;
    console.log(`offline analyzer: ${String(size).padStart(5)} chars — ${ms.toFixed(2)} ms/note, ${(1000 / ms).toFixed(0)} notes/s`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await benchAnalysisOffline();
