// A synthetic glaucoma follow-up note (invented patient, clinician and clinic) that
// the analysis and letter journeys start from; tests/fixtures/analysis/glaucoma-result.json
// is the offline analyzer's result for it.
export const GLAUCOMA_NOTE = [
  'GLAUCOMA FOLLOW-UP VISIT',
  'Patient: Harold Vennick   DOB: 03/14/1956   MRN: 4471-220',
  'Provider: Marisol Otero, MD - Lakeshore Eye Associates',
  'CHIEF COMPLAINT: Routine glaucoma check, no new visual complaints.',
  'MEDICATIONS: latanoprost 0.005% 1 gtt OD qhs; timolol 0.5% 1 gtt OD BID.',
  'ALLERGIES: NKDA.',
  'Visual acuity (cc): OD 20/30, OS 20/25',
  'IOP (Goldmann): OD 19 mmHg, OS 24 mmHg',
  'DFE: C/D 0.75 OD with inferior rim thinning, 0.4 OS with healthy rim.',
  'ASSESSMENT:',
  '1. Primary open-angle glaucoma, right eye, moderate stage.',
  '2. Ocular hypertension, left eye.',
  'PLAN:',
  '1. Continue latanoprost OD qhs and timolol OD BID.',
  '2. Repeat IOP in 3 months, HVF and OCT OS in 6 months.',
  'Return 3 months.',
];
