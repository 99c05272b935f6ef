// The curated diagnosis lexicon: common diagnoses across the product's
// specialties, each with the words clinicians use for it and how to pick its
// ICD-10-CM code from laterality, severity and the words around it. Every code
// produced here is checked against the official table before it is emitted
// (tests/unit/analysis-offline-lexicon.test.ts checks them all).
import type { Laterality, Severity, Specialty, Urgency } from '../schema';

export interface CodeContext {
  laterality: Laterality;
  severity: Severity;
  /** The words around the mention, lower case (for subtypes such as "with macular edema"). */
  context: string;
}

export interface CodeChoice {
  code: string;
  notes: string[];
}

export type CodeResolver = (ctx: CodeContext) => CodeChoice;

export interface Concept {
  id: string;
  label: string;
  /** Case-insensitive regex fragments, matched on word boundaries. */
  terms: string[];
  /** Abbreviations matched case-sensitively (e.g. "POAG", "CAD"). */
  abbreviations?: string[];
  specialty: Specialty;
  code: string | CodeResolver;
  /** Which laterality words apply: eyes (OD/OS/OU) or paired body parts. */
  lateral?: 'eye' | 'body';
  /** Severity is part of the label (and maybe the code). */
  graded?: boolean;
  urgency?: Urgency;
  /** Reference topic(s) (lib/analysis/references). */
  topics?: string[];
}

type LatCodes = { right: string; left: string; bilateral: string; unspecified: string };

/** Picks a code by laterality; without one, the unspecified code and a coding note. */
function byLaterality(codes: LatCodes): CodeResolver {
  return ({ laterality }) => {
    if (laterality === 'right') return { code: codes.right, notes: [] };
    if (laterality === 'left') return { code: codes.left, notes: [] };
    if (laterality === 'bilateral') return { code: codes.bilateral, notes: [] };
    return { code: codes.unspecified, notes: [`Laterality not documented: ${codes.unspecified} used`] };
  };
}

/** Eye codes written as a stem plus a laterality digit 1/2/3/9 (e.g. H40.05x). */
function eyeStem(stem: string, unspecifiedDigit = '9'): CodeResolver {
  return byLaterality({ right: `${stem}1`, left: `${stem}2`, bilateral: `${stem}3`, unspecified: `${stem}${unspecifiedDigit}` });
}

/** Glaucoma codes: laterality digit then a 7th character for the stage. */
function glaucomaStaged(stem: string, unspecifiedEye: string): CodeResolver {
  return ({ laterality, severity, context }) => {
    const notes: string[] = [];
    const stage = severity === 'mild' ? '1' : severity === 'moderate' ? '2' : severity === 'severe' ? '3' : /indeterminate/.test(context) ? '4' : '0';
    if (stage === '0') notes.push('Glaucoma stage not documented: 7th character 0 (stage unspecified) used');
    if (laterality === 'n/a') {
      notes.push(`Laterality not documented: ${unspecifiedEye}${stage} used`);
      return { code: `${unspecifiedEye}${stage}`, notes };
    }
    const digit = laterality === 'right' ? '1' : laterality === 'left' ? '2' : '3';
    return { code: `${stem}${digit}${stage}`, notes };
  };
}

/** Diabetic retinopathy: diabetes type, stage, macular edema and eye, all in one code. */
const diabeticRetinopathy: CodeResolver = ({ laterality, severity, context }) => {
  const type = /type (1|i)\b|t1dm|iddm/.test(context) ? 'E10' : 'E11';
  const edema = /without (diabetic )?macular edema|no (diabetic )?macular edema|no dme|without dme/.test(context)
    ? false
    : /macular edema|\bdme\b|\bcsme\b/.test(context);
  const eye = laterality === 'right' ? '1' : laterality === 'left' ? '2' : laterality === 'bilateral' ? '3' : '9';
  const notes: string[] = [];
  let stage: string | null = null;
  if (/proliferative/.test(context) && !/non-?proliferative/.test(context)) stage = '5';
  else if (severity === 'mild') stage = '2';
  else if (severity === 'moderate') stage = '3';
  else if (severity === 'severe') stage = '4';
  if (type === 'E11' && !/type (2|ii)|t2dm|niddm/.test(context)) notes.push('Diabetes type not documented: type 2 assumed');
  if (!stage) {
    notes.push('Retinopathy stage not documented: unspecified diabetic retinopathy code used');
    return { code: `${type}.3${edema ? '11' : '19'}`, notes };
  }
  if (eye === '9') notes.push('Laterality not documented: unspecified eye used');
  return { code: `${type}.3${stage}${edema ? '1' : '9'}${eye}`, notes };
};

const diabetes: CodeResolver = ({ context }) => {
  const type1 = /type (1|i)\b|t1dm|iddm|juvenile/.test(context);
  const t = type1 ? 'E10' : 'E11';
  const notes = type1 || /type (2|ii)|t2dm|niddm|adult[- ]onset/.test(context) ? [] : ['Diabetes type not documented: type 2 assumed'];
  if (/ketoacidosis|\bdka\b/.test(context)) return { code: `${t}.10`, notes };
  if (/neuropath/.test(context)) return { code: `${t}.40`, notes };
  if (/nephropath|kidney disease|\bckd\b/.test(context)) return { code: `${t}.22`, notes };
  if (/hypoglyc/.test(context)) return { code: `${t}.649`, notes };
  if (/uncontrolled|poorly controlled|hyperglyc|not (well )?controlled|elevated (a1c|hba1c)/.test(context)) return { code: `${t}.65`, notes };
  return { code: `${t}.9`, notes };
};

const asthma: CodeResolver = ({ context, severity }) => {
  const exac = affirmed(context, /exacerbation|\bacute\b|attack|flare/);
  const status = /status asthmaticus/.test(context) ? '2' : exac ? '1' : '9';
  if (/intermittent/.test(context)) return { code: `J45.2${status === '9' ? '0' : status}`, notes: [] };
  if (/persistent/.test(context)) {
    const level = severity === 'mild' ? '3' : severity === 'moderate' ? '4' : severity === 'severe' ? '5' : null;
    if (level) return { code: `J45.${level}${status === '9' ? '0' : status}`, notes: [] };
  }
  return { code: `J45.90${status}`, notes: severity === 'unspecified' ? ['Asthma severity not documented: unspecified asthma code used'] : [] };
};

const depression: CodeResolver = ({ context, severity }) => {
  const recurrent = /recurrent/.test(context);
  const psychotic = /with psychotic|psychotic features/.test(context) && !/without psychotic/.test(context);
  if (recurrent) {
    if (psychotic) return { code: 'F33.3', notes: [] };
    const c = severity === 'mild' ? 'F33.0' : severity === 'moderate' ? 'F33.1' : severity === 'severe' ? 'F33.2' : 'F33.9';
    return { code: c, notes: c === 'F33.9' ? ['Severity not documented: F33.9 used'] : [] };
  }
  if (/major depressive|\bmdd\b|major depression/.test(context)) {
    if (psychotic) return { code: 'F32.3', notes: [] };
    const c = severity === 'mild' ? 'F32.0' : severity === 'moderate' ? 'F32.1' : severity === 'severe' ? 'F32.2' : 'F32.9';
    return { code: c, notes: c === 'F32.9' ? ['Episode (single/recurrent) and severity not documented: F32.9 used'] : [] };
  }
  return { code: 'F32.A', notes: [] };
};

const ckd: CodeResolver = ({ context }) => {
  const m = /stage (5|v|4|iv|3a|3b|3|iii|2|ii|1|i)\b/.exec(context);
  const map: Record<string, string> = { '1': 'N18.1', i: 'N18.1', '2': 'N18.2', ii: 'N18.2', '3': 'N18.30', iii: 'N18.30', '3a': 'N18.31', '3b': 'N18.32', '4': 'N18.4', iv: 'N18.4', '5': 'N18.5', v: 'N18.5' };
  if (/end[- ]stage|esrd/.test(context)) return { code: 'N18.6', notes: [] };
  if (m) return { code: map[m[1]!]!, notes: [] };
  return { code: 'N18.9', notes: ['CKD stage not documented: N18.9 used'] };
};

const heartFailure: CodeResolver = ({ context }) => {
  const acuity = /acute on chronic/.test(context) ? '3' : /\bacute\b|decompensated|exacerbation/.test(context) ? '1' : /chronic/.test(context) ? '2' : '0';
  if (/systolic|reduced ejection|hfref/.test(context)) return { code: `I50.2${acuity}`, notes: [] };
  if (/diastolic|preserved ejection|hfpef/.test(context)) return { code: `I50.3${acuity}`, notes: [] };
  return { code: 'I50.9', notes: ['Heart failure type (systolic/diastolic) not documented: I50.9 used'] };
};

const atrialFibrillation: CodeResolver = ({ context }) => {
  if (/paroxysmal/.test(context)) return { code: 'I48.0', notes: [] };
  if (/longstanding persistent/.test(context)) return { code: 'I48.11', notes: [] };
  if (/persistent/.test(context)) return { code: 'I48.19', notes: [] };
  if (/permanent/.test(context)) return { code: 'I48.21', notes: [] };
  if (/chronic/.test(context)) return { code: 'I48.20', notes: [] };
  return { code: 'I48.91', notes: ['Type of atrial fibrillation not documented: I48.91 used'] };
};

const copd: CodeResolver = ({ context }) =>
  affirmed(context, /exacerbation|\bacute\b/) ? { code: 'J44.1', notes: [] } : /lower respiratory infection|pneumonia/.test(context) ? { code: 'J44.0', notes: [] } : { code: 'J44.9', notes: [] };

const amdDry: CodeResolver = ({ laterality, context }) => {
  const stage = /geographic atrophy.*(subfoveal|center)/.test(context) ? '4' : /geographic atrophy|advanced/.test(context) ? '3' : /intermediate/.test(context) ? '2' : /early/.test(context) ? '1' : '0';
  const eye = laterality === 'right' ? '1' : laterality === 'left' ? '2' : laterality === 'bilateral' ? '3' : '9';
  const notes: string[] = [];
  if (eye === '9') notes.push(`Laterality not documented: H35.319${stage === '0' ? '0' : stage} used`);
  if (stage === '0') notes.push('AMD stage not documented: stage unspecified used');
  return { code: `H35.31${eye}${stage}`, notes };
};

const amdWet: CodeResolver = ({ laterality, context }) => {
  const stage = /scar/.test(context) ? '3' : /inactive/.test(context) ? '2' : /active/.test(context) ? '1' : '0';
  const eye = laterality === 'right' ? '1' : laterality === 'left' ? '2' : laterality === 'bilateral' ? '3' : '9';
  const notes: string[] = [];
  if (eye === '9') notes.push('Laterality not documented: unspecified eye used');
  return { code: `H35.32${eye}${stage}`, notes };
};

const cataract: CodeResolver = (ctx) => {
  if (/nuclear/.test(ctx.context)) return byLaterality({ right: 'H25.11', left: 'H25.12', bilateral: 'H25.13', unspecified: 'H25.10' })(ctx);
  if (/cortical/.test(ctx.context)) return byLaterality({ right: 'H25.011', left: 'H25.012', bilateral: 'H25.013', unspecified: 'H25.019' })(ctx);
  if (/posterior subcapsular|\bpsc\b/.test(ctx.context)) return byLaterality({ right: 'H25.041', left: 'H25.042', bilateral: 'H25.043', unspecified: 'H25.049' })(ctx);
  if (/age[- ]related|senile/.test(ctx.context)) return byLaterality({ right: 'H25.811', left: 'H25.812', bilateral: 'H25.813', unspecified: 'H25.819' })(ctx);
  return { code: 'H26.9', notes: ['Cataract type not documented: H26.9 used'] };
};

/** True when `re` occurs in the context and is not directly negated ("no recent exacerbation"). */
function affirmed(context: string, re: RegExp): boolean {
  const m = re.exec(context);
  if (!m) return false;
  return !/\b(no|not|without|denies|negative for)\b[^.;,]{0,25}$/.test(context.slice(0, m.index));
}

/** Laterality digit convention 1 right, 2 left, 9 unspecified (bilateral has no code in these families). */
const sideDigit = (lat: Laterality) => (lat === 'right' ? '1' : lat === 'left' ? '2' : '9');

const knee = byLaterality({ right: 'M17.11', left: 'M17.12', bilateral: 'M17.0', unspecified: 'M17.10' });
const hip = byLaterality({ right: 'M16.11', left: 'M16.12', bilateral: 'M16.0', unspecified: 'M16.10' });

export const CONCEPTS: Concept[] = [
  // Ophthalmology
  { id: 'poag', label: 'Primary open-angle glaucoma', terms: ['primary open[- ]angle glaucoma', 'open[- ]angle glaucoma', 'chronic open[- ]angle glaucoma'], abbreviations: ['POAG'], specialty: 'ophthalmology', code: glaucomaStaged('H40.11', 'H40.10X'), lateral: 'eye', graded: true, topics: ['glaucoma'] },
  { id: 'glaucoma', label: 'Glaucoma', terms: ['glaucoma'], specialty: 'ophthalmology', code: () => ({ code: 'H40.9', notes: ['Glaucoma type not documented: H40.9 used'] }), lateral: 'eye', topics: ['glaucoma'] },
  { id: 'nt_glaucoma', label: 'Normal-tension glaucoma', terms: ['normal[- ]tension glaucoma', 'low[- ]tension glaucoma'], abbreviations: ['NTG'], specialty: 'ophthalmology', code: glaucomaStaged('H40.12', 'H40.129'), lateral: 'eye', graded: true, topics: ['glaucoma'] },
  { id: 'pacg', label: 'Primary angle-closure glaucoma', terms: ['(chronic |primary )?angle[- ]closure glaucoma', 'narrow[- ]angle glaucoma'], abbreviations: ['PACG'], specialty: 'ophthalmology', code: glaucomaStaged('H40.22', 'H40.229'), lateral: 'eye', graded: true, topics: ['glaucoma'] },
  { id: 'acute_angle_closure', label: 'Acute angle-closure glaucoma', terms: ['acute angle[- ]closure( glaucoma| attack)?'], specialty: 'ophthalmology', code: eyeStem('H40.21'), lateral: 'eye', urgency: 'emergent', topics: ['glaucoma'] },
  { id: 'ocular_hypertension', label: 'Ocular hypertension', terms: ['ocular hypertension'], abbreviations: ['OHTN', 'OHT'], specialty: 'ophthalmology', code: eyeStem('H40.05'), lateral: 'eye', topics: ['glaucoma'] },
  { id: 'glaucoma_suspect', label: 'Glaucoma suspect', terms: ['glaucoma suspect', 'suspected glaucoma', 'open[- ]angle with borderline findings'], specialty: 'ophthalmology', code: eyeStem('H40.00'), lateral: 'eye', topics: ['glaucoma'] },
  { id: 'cataract', label: 'Cataract', terms: ['(age[- ]related |senile |nuclear |cortical |posterior subcapsular )?cataracts?', 'nuclear sclerosis', 'nuclear sclerotic cataracts?'], specialty: 'ophthalmology', code: cataract, lateral: 'eye', graded: true, topics: ['cataract'] },
  { id: 'pseudophakia', label: 'Pseudophakia', terms: ['pseudophakia', 'pseudophakic'], specialty: 'ophthalmology', code: 'Z96.1', lateral: 'eye', topics: ['cataract'] },
  { id: 'amd_wet', label: 'Exudative age-related macular degeneration', terms: ['(exudative|wet|neovascular) (age[- ]related )?macular degeneration', '(wet|exudative|neovascular) amd', 'choroidal neovascular(ization)?'], specialty: 'ophthalmology', code: amdWet, lateral: 'eye', urgency: 'soon', topics: ['amd'] },
  { id: 'amd_dry', label: 'Nonexudative age-related macular degeneration', terms: ['(dry|nonexudative|non-exudative|atrophic) (age[- ]related )?macular degeneration', '(dry|nonexudative|non-exudative) amd', 'geographic atrophy'], specialty: 'ophthalmology', code: amdDry, lateral: 'eye', topics: ['amd'] },
  { id: 'amd', label: 'Age-related macular degeneration', terms: ['(age[- ]related )?macular degeneration', 'armd'], abbreviations: ['AMD', 'ARMD'], specialty: 'ophthalmology', code: 'H35.30', lateral: 'eye', topics: ['amd'] },
  { id: 'diabetic_retinopathy', label: 'Diabetic retinopathy', terms: ['(non-?proliferative |proliferative )?diabetic retinopathy', 'diabetic macular edema'], abbreviations: ['NPDR', 'PDR', 'DME'], specialty: 'ophthalmology', code: diabeticRetinopathy, lateral: 'eye', graded: true, topics: ['diabetic_retinopathy', 'diabetes'] },
  { id: 'retinal_detachment', label: 'Retinal detachment', terms: ['retinal detachment', 'detached retina', 'rhegmatogenous retinal detachment'], specialty: 'ophthalmology', code: byLaterality({ right: 'H33.001', left: 'H33.002', bilateral: 'H33.003', unspecified: 'H33.009' }), lateral: 'eye', urgency: 'emergent', topics: ['retina'] },
  { id: 'pvd', label: 'Posterior vitreous detachment', terms: ['posterior vitreous detachment', 'vitreous detachment'], abbreviations: ['PVD'], specialty: 'ophthalmology', code: byLaterality({ right: 'H43.811', left: 'H43.812', bilateral: 'H43.813', unspecified: 'H43.819' }), lateral: 'eye', topics: ['retina'] },
  { id: 'dry_eye', label: 'Dry eye syndrome', terms: ['dry eye( syndrome| disease)?', 'keratoconjunctivitis sicca', 'tear film insufficiency'], specialty: 'ophthalmology', code: byLaterality({ right: 'H04.121', left: 'H04.122', bilateral: 'H04.123', unspecified: 'H04.129' }), lateral: 'eye', topics: ['dry_eye'] },
  { id: 'conjunctivitis_allergic', label: 'Allergic conjunctivitis', terms: ['allergic conjunctivitis'], specialty: 'ophthalmology', code: byLaterality({ right: 'H10.11', left: 'H10.12', bilateral: 'H10.13', unspecified: 'H10.10' }), lateral: 'eye', topics: ['conjunctivitis'] },
  { id: 'conjunctivitis', label: 'Conjunctivitis', terms: ['(viral |bacterial |acute )?conjunctivitis', 'pink eye'], specialty: 'ophthalmology', code: (ctx) => (/bacterial|mucopurulent|purulent/.test(ctx.context) ? eyeStem('H10.02')(ctx) : /\bacute\b/.test(ctx.context) ? byLaterality({ right: 'H10.31', left: 'H10.32', bilateral: 'H10.33', unspecified: 'H10.30' })(ctx) : { code: 'H10.9', notes: [] }), lateral: 'eye', topics: ['conjunctivitis'] },
  { id: 'blepharitis', label: 'Blepharitis', terms: ['blepharitis'], specialty: 'ophthalmology', code: byLaterality({ right: 'H01.003', left: 'H01.006', bilateral: 'H01.009', unspecified: 'H01.009' }), lateral: 'eye', topics: ['dry_eye'] },
  { id: 'myopia', label: 'Myopia', terms: ['myopia', 'nearsighted(ness)?'], specialty: 'ophthalmology', code: byLaterality({ right: 'H52.11', left: 'H52.12', bilateral: 'H52.13', unspecified: 'H52.10' }), lateral: 'eye', graded: true },
  { id: 'hyperopia', label: 'Hypermetropia', terms: ['hyperopia', 'hypermetropia', 'farsighted(ness)?'], specialty: 'ophthalmology', code: byLaterality({ right: 'H52.01', left: 'H52.02', bilateral: 'H52.03', unspecified: 'H52.00' }), lateral: 'eye' },
  { id: 'astigmatism', label: 'Astigmatism', terms: ['astigmatism'], specialty: 'ophthalmology', code: byLaterality({ right: 'H52.201', left: 'H52.202', bilateral: 'H52.203', unspecified: 'H52.209' }), lateral: 'eye' },
  { id: 'presbyopia', label: 'Presbyopia', terms: ['presbyopia'], specialty: 'ophthalmology', code: 'H52.4' },
  { id: 'keratoconus', label: 'Keratoconus', terms: ['keratoconus'], specialty: 'ophthalmology', code: byLaterality({ right: 'H18.601', left: 'H18.602', bilateral: 'H18.603', unspecified: 'H18.609' }), lateral: 'eye' },
  { id: 'uveitis', label: 'Anterior uveitis', terms: ['(anterior )?uveitis', 'iritis', 'iridocyclitis'], specialty: 'ophthalmology', code: byLaterality({ right: 'H20.9', left: 'H20.9', bilateral: 'H20.9', unspecified: 'H20.9' }), lateral: 'eye', urgency: 'soon' },
  { id: 'chalazion', label: 'Chalazion', terms: ['chalazion', 'chalazia'], specialty: 'ophthalmology', code: 'H00.19', lateral: 'eye' },
  { id: 'macular_hole', label: 'Macular hole', terms: ['macular hole'], specialty: 'ophthalmology', code: byLaterality({ right: 'H35.341', left: 'H35.342', bilateral: 'H35.343', unspecified: 'H35.349' }), lateral: 'eye', topics: ['retina'] },
  { id: 'epiretinal_membrane', label: 'Epiretinal membrane', terms: ['epiretinal membrane', 'macular pucker'], abbreviations: ['ERM'], specialty: 'ophthalmology', code: byLaterality({ right: 'H35.371', left: 'H35.372', bilateral: 'H35.373', unspecified: 'H35.379' }), lateral: 'eye', topics: ['retina'] },
  { id: 'crvo', label: 'Central retinal vein occlusion', terms: ['central retinal vein occlusion'], abbreviations: ['CRVO'], specialty: 'ophthalmology', code: byLaterality({ right: 'H34.8110', left: 'H34.8120', bilateral: 'H34.8130', unspecified: 'H34.8190' }), lateral: 'eye', urgency: 'urgent', topics: ['retina'] },
  { id: 'crao', label: 'Central retinal artery occlusion', terms: ['central retinal artery occlusion'], abbreviations: ['CRAO'], specialty: 'ophthalmology', code: byLaterality({ right: 'H34.11', left: 'H34.12', bilateral: 'H34.13', unspecified: 'H34.10' }), lateral: 'eye', urgency: 'emergent', topics: ['retina'] },
  { id: 'amblyopia', label: 'Amblyopia', terms: ['amblyopia'], specialty: 'ophthalmology', code: byLaterality({ right: 'H53.001', left: 'H53.002', bilateral: 'H53.003', unspecified: 'H53.009' }), lateral: 'eye' },
  { id: 'strabismus', label: 'Strabismus', terms: ['strabismus'], specialty: 'ophthalmology', code: 'H50.9' },
  { id: 'pterygium', label: 'Pterygium', terms: ['pterygium'], specialty: 'ophthalmology', code: byLaterality({ right: 'H11.001', left: 'H11.002', bilateral: 'H11.003', unspecified: 'H11.009' }), lateral: 'eye' },
  { id: 'corneal_abrasion', label: 'Corneal abrasion', terms: ['corneal abrasion'], specialty: 'ophthalmology', code: byLaterality({ right: 'S05.01XA', left: 'S05.02XA', bilateral: 'S05.00XA', unspecified: 'S05.00XA' }), lateral: 'eye', urgency: 'soon' },
  { id: 'vision_loss', label: 'Sudden vision loss', terms: ['sudden (loss of vision|vision loss|visual loss)', 'acute (vision|visual) loss'], specialty: 'ophthalmology', code: byLaterality({ right: 'H53.131', left: 'H53.132', bilateral: 'H53.133', unspecified: 'H53.139' }), lateral: 'eye', urgency: 'emergent', topics: ['retina'] },

  // Cardiology
  { id: 'stemi', label: 'ST-elevation myocardial infarction', terms: ['st[- ]elevation (myocardial infarction|mi)'], abbreviations: ['STEMI'], specialty: 'cardiology', code: 'I21.3', urgency: 'emergent', topics: ['acs'] },
  { id: 'nstemi', label: 'Non-ST-elevation myocardial infarction', terms: ['non[- ]st[- ]elevation (myocardial infarction|mi)'], abbreviations: ['NSTEMI'], specialty: 'cardiology', code: 'I21.4', urgency: 'emergent', topics: ['acs'] },
  { id: 'mi', label: 'Acute myocardial infarction', terms: ['(acute )?myocardial infarction', 'heart attack'], abbreviations: ['AMI'], specialty: 'cardiology', code: 'I21.9', urgency: 'emergent', topics: ['acs'] },
  { id: 'unstable_angina', label: 'Unstable angina', terms: ['unstable angina', 'acute coronary syndrome'], abbreviations: ['ACS'], specialty: 'cardiology', code: 'I20.0', urgency: 'emergent', topics: ['acs'] },
  { id: 'angina', label: 'Angina pectoris', terms: ['(stable )?angina( pectoris)?'], specialty: 'cardiology', code: 'I20.9', topics: ['cad'] },
  { id: 'cad', label: 'Coronary artery disease', terms: ['coronary artery disease', 'atherosclerotic heart disease', 'ischemic heart disease', 'coronary disease'], abbreviations: ['CAD', 'ASHD'], specialty: 'cardiology', code: ({ context }) => (affirmed(context, /unstable angina/) ? { code: 'I25.110', notes: [] } : affirmed(context, /angina/) ? { code: 'I25.119', notes: [] } : { code: 'I25.10', notes: [] }), topics: ['cad'] },
  { id: 'heart_failure', label: 'Heart failure', terms: ['(congestive |systolic |diastolic |acute |chronic |decompensated )*heart failure', 'hfref', 'hfpef', 'cardiac failure'], abbreviations: ['CHF', 'HFrEF', 'HFpEF'], specialty: 'cardiology', code: heartFailure, topics: ['heart_failure'] },
  { id: 'cardiomyopathy', label: 'Cardiomyopathy', terms: ['(dilated |ischemic |nonischemic |non-ischemic )?cardiomyopathy'], specialty: 'cardiology', code: ({ context }) => (/ischemic/.test(context) && !/non-?ischemic/.test(context) ? { code: 'I25.5', notes: [] } : /dilated/.test(context) ? { code: 'I42.0', notes: [] } : { code: 'I42.9', notes: [] }), topics: ['heart_failure'] },
  { id: 'hcm', label: 'Hypertrophic cardiomyopathy', terms: ['hypertrophic (obstructive )?cardiomyopathy'], abbreviations: ['HCM', 'HOCM'], specialty: 'cardiology', code: 'I42.2', topics: ['heart_failure'] },
  { id: 'afib', label: 'Atrial fibrillation', terms: ['(paroxysmal |persistent |permanent |chronic )?atrial fibrillation', 'a[.-]? ?fib'], abbreviations: ['AF', 'AFib', 'PAF'], specialty: 'cardiology', code: atrialFibrillation, topics: ['afib'] },
  { id: 'aflutter', label: 'Atrial flutter', terms: ['atrial flutter'], specialty: 'cardiology', code: 'I48.92', topics: ['afib'] },
  { id: 'svt', label: 'Supraventricular tachycardia', terms: ['supraventricular tachycardia', 'paroxysmal supraventricular tachycardia'], abbreviations: ['SVT', 'PSVT'], specialty: 'cardiology', code: 'I47.10' },
  { id: 'vt', label: 'Ventricular tachycardia', terms: ['ventricular tachycardia'], abbreviations: ['VT'], specialty: 'cardiology', code: 'I47.20', urgency: 'urgent' },
  { id: 'pvc', label: 'Premature ventricular contractions', terms: ['premature ventricular (contractions?|complexes|beats)', 'ventricular ectopy', 'ventricular premature (beats|complexes)'], abbreviations: ['PVCs', 'PVC'], specialty: 'cardiology', code: 'I49.3' },
  { id: 'bradycardia', label: 'Bradycardia', terms: ['(sinus )?bradycardia'], specialty: 'cardiology', code: 'R00.1' },
  { id: 'tachycardia', label: 'Tachycardia', terms: ['(sinus )?tachycardia'], specialty: 'cardiology', code: 'R00.0' },
  { id: 'palpitations', label: 'Palpitations', terms: ['palpitations?'], specialty: 'cardiology', code: 'R00.2' },
  { id: 'av_block', label: 'Complete heart block', terms: ['complete heart block', 'third[- ]degree (av |atrioventricular )?block'], specialty: 'cardiology', code: 'I44.2', urgency: 'emergent' },
  { id: 'aortic_stenosis', label: 'Aortic stenosis', terms: ['aortic (valve )?stenosis'], specialty: 'cardiology', code: 'I35.0', graded: true, topics: ['valve'] },
  { id: 'mitral_regurgitation', label: 'Mitral regurgitation', terms: ['mitral (valve )?(regurgitation|insufficiency)'], specialty: 'cardiology', code: 'I34.0', graded: true, topics: ['valve'] },
  { id: 'mitral_valve_prolapse', label: 'Mitral valve prolapse', terms: ['mitral valve prolapse'], abbreviations: ['MVP'], specialty: 'cardiology', code: 'I34.1', topics: ['valve'] },
  { id: 'murmur', label: 'Heart murmur', terms: ['(heart |cardiac |systolic |diastolic )murmur'], specialty: 'cardiology', code: 'R01.1', topics: ['valve'] },
  { id: 'pericarditis', label: 'Acute pericarditis', terms: ['pericarditis'], specialty: 'cardiology', code: 'I30.9', urgency: 'urgent' },
  { id: 'pad', label: 'Peripheral artery disease', terms: ['peripheral (arterial|artery|vascular) disease'], abbreviations: ['PAD', 'PVD'], specialty: 'cardiology', code: 'I73.9' },
  { id: 'dvt', label: 'Deep vein thrombosis of lower extremity', terms: ['deep (vein|venous) thrombosis'], abbreviations: ['DVT'], specialty: 'cardiology', code: byLaterality({ right: 'I82.401', left: 'I82.402', bilateral: 'I82.403', unspecified: 'I82.409' }), lateral: 'body', urgency: 'urgent', topics: ['vte'] },
  { id: 'pe', label: 'Pulmonary embolism', terms: ['pulmonary embol(ism|us|i)'], abbreviations: ['PE'], specialty: 'pulmonology', code: 'I26.99', urgency: 'emergent', topics: ['vte'] },
  { id: 'hypertensive_crisis', label: 'Hypertensive urgency', terms: ['hypertensive (urgency|crisis)'], specialty: 'cardiology', code: 'I16.0', urgency: 'urgent', topics: ['hypertension'] },
  { id: 'hypertensive_emergency', label: 'Hypertensive emergency', terms: ['hypertensive emergency', 'malignant hypertension'], specialty: 'cardiology', code: 'I16.1', urgency: 'emergent', topics: ['hypertension'] },
  { id: 'hypertension', label: 'Essential hypertension', terms: ['(essential |primary |systemic |uncontrolled |poorly controlled )?hypertension', 'high blood pressure', 'elevated blood pressure'], abbreviations: ['HTN'], specialty: 'primary_care', code: 'I10', topics: ['hypertension'] },
  { id: 'hypotension', label: 'Hypotension', terms: ['hypotension'], specialty: 'primary_care', code: 'I95.9' },
  { id: 'chest_pain', label: 'Chest pain', terms: ['chest pain', 'chest discomfort', 'chest pressure'], specialty: 'cardiology', code: 'R07.9', topics: ['chest_pain'] },
  { id: 'syncope', label: 'Syncope', terms: ['syncope', 'syncopal episodes?', 'fainting'], specialty: 'cardiology', code: 'R55', topics: ['chest_pain'] },
  { id: 'endocarditis', label: 'Infective endocarditis', terms: ['(infective |bacterial )?endocarditis'], specialty: 'cardiology', code: 'I33.0', urgency: 'urgent', topics: ['valve'] },
  { id: 'shone', label: 'Congenital heart disease', terms: ['shone complex', 'congenital heart disease', 'coarctation of the aorta'], specialty: 'cardiology', code: 'Q24.9' },

  // Pulmonology
  { id: 'asthma', label: 'Asthma', terms: ['(mild |moderate |severe )?(intermittent |persistent )?asthma', 'reactive airway disease'], abbreviations: ['RAD'], specialty: 'pulmonology', code: asthma, graded: true, topics: ['asthma'] },
  { id: 'copd', label: 'Chronic obstructive pulmonary disease', terms: ['chronic obstructive pulmonary disease', 'chronic obstructive lung disease', 'copd exacerbation'], abbreviations: ['COPD', 'AECOPD'], specialty: 'pulmonology', code: copd, graded: true, topics: ['copd'] },
  { id: 'emphysema', label: 'Emphysema', terms: ['emphysema'], specialty: 'pulmonology', code: 'J43.9', topics: ['copd'] },
  { id: 'chronic_bronchitis', label: 'Chronic bronchitis', terms: ['chronic bronchitis'], specialty: 'pulmonology', code: 'J42', topics: ['copd'] },
  { id: 'bronchitis', label: 'Acute bronchitis', terms: ['(acute )?bronchitis'], specialty: 'primary_care', code: 'J20.9', topics: ['uri'] },
  { id: 'pneumonia', label: 'Pneumonia', terms: ['(community[- ]acquired |aspiration |bacterial |viral |lobar )?pneumonia', 'pneumonitis'], abbreviations: ['CAP'], specialty: 'pulmonology', code: 'J18.9', urgency: 'soon', topics: ['pneumonia'] },
  { id: 'aspiration_pneumonia', label: 'Aspiration pneumonia', terms: ['aspiration pneumonia'], specialty: 'pulmonology', code: 'J69.0', urgency: 'urgent', topics: ['pneumonia'] },
  { id: 'subcutaneous_emphysema', label: 'Subcutaneous emphysema', terms: ['subcutaneous emphysema'], specialty: 'pulmonology', code: 'T79.7XXA', urgency: 'urgent', topics: ['pneumothorax'] },
  { id: 'pneumothorax', label: 'Pneumothorax', terms: ['(spontaneous |tension |traumatic )?pneumothorax'], abbreviations: ['PTX'], specialty: 'pulmonology', code: ({ context }) => (/tension/.test(context) ? { code: 'J93.0', notes: [] } : /spontaneous/.test(context) ? { code: 'J93.83', notes: [] } : { code: 'J93.9', notes: [] }), urgency: 'urgent', topics: ['pneumothorax'] },
  { id: 'pleural_effusion', label: 'Pleural effusion', terms: ['pleural effusions?'], specialty: 'pulmonology', code: 'J90' },
  { id: 'osa', label: 'Obstructive sleep apnea', terms: ['(obstructive )?sleep apnea( syndrome)?', 'sleep[- ]disordered breathing'], abbreviations: ['OSA'], specialty: 'pulmonology', code: 'G47.33', topics: ['osa'] },
  { id: 'resp_failure', label: 'Respiratory failure', terms: ['(acute |chronic |hypoxic |hypoxemic |hypercapnic |hypercarbic )*respiratory failure'], specialty: 'pulmonology', code: ({ context }) => {
    const acuity = /acute on chronic/.test(context) ? 'J96.2' : /acute/.test(context) ? 'J96.0' : /chronic/.test(context) ? 'J96.1' : 'J96.9';
    const kind = /hypox/.test(context) ? '1' : /hypercap|hypercarb/.test(context) ? '2' : '0';
    return { code: `${acuity}${kind}`, notes: [] };
  }, urgency: 'emergent', topics: ['copd'] },
  { id: 'pulmonary_nodule', label: 'Pulmonary nodule', terms: ['(solitary )?pulmonary nodules?', 'lung nodules?'], specialty: 'pulmonology', code: 'R91.1', topics: ['nodule'] },
  { id: 'lung_cancer', label: 'Malignant neoplasm of lung', terms: ['lung (cancer|carcinoma|malignancy)', '(non-small|small) cell (lung )?(cancer|carcinoma)', 'bronchogenic carcinoma'], abbreviations: ['NSCLC', 'SCLC'], specialty: 'pulmonology', code: 'C34.90', urgency: 'soon', topics: ['nodule'] },
  { id: 'ild', label: 'Interstitial lung disease', terms: ['interstitial lung disease', 'pulmonary fibrosis', 'idiopathic pulmonary fibrosis'], abbreviations: ['ILD', 'IPF'], specialty: 'pulmonology', code: ({ context }) => (/idiopathic pulmonary fibrosis|\bipf\b/.test(context) ? { code: 'J84.112', notes: [] } : { code: 'J84.9', notes: [] }), topics: ['ild'] },
  { id: 'pulmonary_hypertension', label: 'Pulmonary hypertension', terms: ['pulmonary (arterial )?hypertension'], abbreviations: ['PAH'], specialty: 'pulmonology', code: 'I27.20' },
  { id: 'bronchiectasis', label: 'Bronchiectasis', terms: ['bronchiectasis'], specialty: 'pulmonology', code: 'J47.9' },
  { id: 'sarcoidosis', label: 'Sarcoidosis', terms: ['sarcoidosis'], specialty: 'pulmonology', code: 'D86.9' },
  { id: 'hemoptysis', label: 'Hemoptysis', terms: ['hemoptysis'], specialty: 'pulmonology', code: 'R04.2', urgency: 'soon' },
  { id: 'dyspnea', label: 'Dyspnea', terms: ['dyspnea', 'shortness of breath', 'breathlessness', 'dyspnea on exertion'], abbreviations: ['SOB', 'DOE'], specialty: 'pulmonology', code: 'R06.00' },
  { id: 'cough', label: 'Cough', terms: ['(chronic |persistent )?cough'], specialty: 'primary_care', code: 'R05.9' },
  { id: 'hypoxemia', label: 'Hypoxemia', terms: ['hypoxemia', 'hypoxia'], specialty: 'pulmonology', code: 'R09.02', urgency: 'urgent' },
  { id: 'foreign_body_airway', label: 'Foreign body in respiratory tract', terms: ['foreign bod(y|ies) (in|of) (the )?(right |left )?(main ?stem )?(bronchus|airway|trachea|lung)', '(aspirated|bronchial|airway) foreign body'], specialty: 'pulmonology', code: 'T17.908A', urgency: 'urgent' },
  { id: 'tuberculosis', label: 'Pulmonary tuberculosis', terms: ['(pulmonary )?tuberculosis'], abbreviations: ['TB'], specialty: 'pulmonology', code: 'A15.0', urgency: 'soon' },

  // Primary care / general
  { id: 'uri', label: 'Acute upper respiratory infection', terms: ['upper respiratory (tract )?infection', 'common cold', 'viral syndrome', 'nasopharyngitis'], abbreviations: ['URI'], specialty: 'primary_care', code: 'J06.9', topics: ['uri'] },
  { id: 'sinusitis', label: 'Sinusitis', terms: ['(acute |chronic |bacterial |maxillary )?sinusitis', 'rhinosinusitis'], specialty: 'primary_care', code: ({ context }) => {
    const chronic = /chronic/.test(context);
    if (/maxillary/.test(context)) return { code: chronic ? 'J32.0' : 'J01.00', notes: [] };
    if (/frontal/.test(context)) return { code: chronic ? 'J32.1' : 'J01.10', notes: [] };
    return { code: chronic ? 'J32.9' : 'J01.90', notes: [] };
  }, topics: ['sinusitis'] },
  { id: 'pharyngitis', label: 'Pharyngitis', terms: ['(acute |viral )?pharyngitis', 'sore throat'], specialty: 'primary_care', code: 'J02.9', topics: ['pharyngitis'] },
  { id: 'strep', label: 'Streptococcal pharyngitis', terms: ['strep(tococcal)? (pharyngitis|throat)'], specialty: 'primary_care', code: 'J02.0', topics: ['pharyngitis'] },
  { id: 'otitis_media', label: 'Otitis media', terms: ['(acute )?otitis media'], abbreviations: ['AOM'], specialty: 'primary_care', code: byLaterality({ right: 'H66.91', left: 'H66.92', bilateral: 'H66.93', unspecified: 'H66.90' }), lateral: 'body' },
  { id: 'otitis_externa', label: 'Otitis externa', terms: ['otitis externa', "swimmer's ear"], specialty: 'primary_care', code: byLaterality({ right: 'H60.91', left: 'H60.92', bilateral: 'H60.93', unspecified: 'H60.90' }), lateral: 'body' },
  { id: 'allergic_rhinitis', label: 'Allergic rhinitis', terms: ['allergic rhinitis', 'hay fever', 'seasonal allergies'], specialty: 'primary_care', code: 'J30.9' },
  { id: 'influenza', label: 'Influenza', terms: ['influenza', 'the flu'], specialty: 'primary_care', code: 'J11.1', topics: ['influenza'] },
  { id: 'covid', label: 'COVID-19', terms: ['covid(-19)?', 'sars-cov-2( infection)?'], specialty: 'primary_care', code: 'U07.1' },
  { id: 'uti', label: 'Urinary tract infection', terms: ['urinary tract infection', 'cystitis'], abbreviations: ['UTI'], specialty: 'primary_care', code: ({ context }) => (/cystitis/.test(context) ? { code: affirmed(context, /hematuria/) ? 'N30.01' : 'N30.00', notes: [] } : { code: 'N39.0', notes: [] }), topics: ['uti'] },
  { id: 'pyelonephritis', label: 'Acute pyelonephritis', terms: ['pyelonephritis'], specialty: 'primary_care', code: 'N10', urgency: 'soon', topics: ['uti'] },
  { id: 'hyperlipidemia', label: 'Hyperlipidemia', terms: ['hyperlipidemia', 'dyslipidemia', 'high cholesterol', 'hypercholesterolemia', 'elevated cholesterol', 'mixed hyperlipidemia'], abbreviations: ['HLD'], specialty: 'primary_care', code: ({ context }) => (/mixed/.test(context) ? { code: 'E78.2', notes: [] } : /hypercholesterolemia|high cholesterol|elevated cholesterol/.test(context) ? { code: 'E78.00', notes: [] } : { code: 'E78.5', notes: [] }), topics: ['lipids'] },
  { id: 'hypertriglyceridemia', label: 'Hypertriglyceridemia', terms: ['hypertriglyceridemia'], specialty: 'primary_care', code: 'E78.1', topics: ['lipids'] },
  { id: 'obesity', label: 'Obesity', terms: ['(morbid |severe |class (i|ii|iii|1|2|3) )?obesity', 'morbidly obese'], specialty: 'primary_care', code: ({ context }) => (/morbid|severe|class (iii|3)/.test(context) ? { code: 'E66.01', notes: [] } : { code: 'E66.9', notes: [] }) },
  { id: 'overweight', label: 'Overweight', terms: ['overweight'], specialty: 'primary_care', code: 'E66.3' },
  { id: 'anemia', label: 'Anemia', terms: ['anemia', 'anaemia'], specialty: 'primary_care', code: 'D64.9', topics: ['anemia'] },
  { id: 'iron_deficiency_anemia', label: 'Iron deficiency anemia', terms: ['iron[- ]deficiency anemia', 'iron deficiency'], specialty: 'primary_care', code: 'D50.9', topics: ['anemia'] },
  { id: 'b12_deficiency', label: 'Vitamin B12 deficiency', terms: ['(vitamin )?b12 deficiency', 'pernicious anemia'], specialty: 'primary_care', code: 'E53.8', topics: ['anemia'] },
  { id: 'vitamin_d_deficiency', label: 'Vitamin D deficiency', terms: ['vitamin d deficiency', 'vitamin d insufficiency'], specialty: 'primary_care', code: 'E55.9' },
  { id: 'ckd', label: 'Chronic kidney disease', terms: ['chronic kidney disease', 'chronic renal (insufficiency|failure|disease)', 'end[- ]stage renal disease'], abbreviations: ['CKD', 'ESRD'], specialty: 'primary_care', code: ckd, topics: ['ckd'] },
  { id: 'aki', label: 'Acute kidney injury', terms: ['acute kidney injury', 'acute renal failure'], abbreviations: ['AKI', 'ARF'], specialty: 'primary_care', code: 'N17.9', urgency: 'urgent', topics: ['ckd'] },
  { id: 'dehydration', label: 'Dehydration', terms: ['dehydration', 'volume depletion'], specialty: 'primary_care', code: 'E86.0' },
  { id: 'hypokalemia', label: 'Hypokalemia', terms: ['hypokalemia'], specialty: 'primary_care', code: 'E87.6' },
  { id: 'hyperkalemia', label: 'Hyperkalemia', terms: ['hyperkalemia'], specialty: 'primary_care', code: 'E87.5', urgency: 'urgent' },
  { id: 'hyponatremia', label: 'Hyponatremia', terms: ['hyponatremia'], specialty: 'primary_care', code: 'E87.1' },
  { id: 'fatigue', label: 'Fatigue', terms: ['fatigue', 'malaise'], specialty: 'primary_care', code: 'R53.83' },
  { id: 'fever', label: 'Fever', terms: ['fever', 'febrile illness', 'pyrexia'], specialty: 'primary_care', code: 'R50.9' },
  { id: 'dizziness', label: 'Dizziness', terms: ['dizziness', 'lightheadedness'], specialty: 'primary_care', code: 'R42' },
  { id: 'insomnia', label: 'Insomnia', terms: ['insomnia'], specialty: 'primary_care', code: 'G47.00' },
  { id: 'tobacco', label: 'Nicotine dependence, cigarettes', terms: ['tobacco (use|abuse|dependence)', 'nicotine dependence', 'current smoker', 'cigarette smoker', 'smokes? (cigarettes|\\d+ packs?)'], specialty: 'primary_care', code: 'F17.210', topics: ['tobacco'] },
  { id: 'sepsis', label: 'Sepsis', terms: ['sepsis', 'septic shock', 'septicemia'], specialty: 'primary_care', code: ({ context }) => (/septic shock/.test(context) ? { code: 'R65.21', notes: ['Code the underlying infection first'] } : { code: 'A41.9', notes: [] }), urgency: 'emergent' },
  { id: 'cellulitis', label: 'Cellulitis', terms: ['cellulitis'], specialty: 'dermatology', code: 'L03.90', urgency: 'soon', topics: ['ssti'] },
  { id: 'abscess', label: 'Cutaneous abscess', terms: ['(skin |cutaneous |subcutaneous )?abscess'], specialty: 'dermatology', code: 'L02.91', urgency: 'soon', topics: ['ssti'] },
  { id: 'multiple_trauma', label: 'Multiple injuries', terms: ['multiple trauma', 'multiple injuries', 'polytrauma', 'motor vehicle (accident|collision|crash)'], abbreviations: ['MVA', 'MVC'], specialty: 'primary_care', code: 'T07.XXXA', urgency: 'urgent' },
  { id: 'overdose', label: 'Poisoning / drug ingestion', terms: ['overdose', 'ingestion', 'intoxication', 'poisoning'], specialty: 'primary_care', code: 'T50.901A', urgency: 'urgent' },
  { id: 'hypothyroidism', label: 'Hypothyroidism', terms: ['hypothyroidism', 'hypothyroid', 'underactive thyroid'], specialty: 'endocrinology', code: 'E03.9', topics: ['thyroid'] },
  { id: 'postsurgical_hypothyroidism', label: 'Postprocedural hypothyroidism', terms: ['post(-| )?(surgical|thyroidectomy|ablative) hypothyroidism'], specialty: 'endocrinology', code: 'E89.0', topics: ['thyroid'] },
  { id: 'hashimoto', label: "Hashimoto's thyroiditis", terms: ["hashimoto'?s( thyroiditis| disease)?", 'chronic lymphocytic thyroiditis', 'autoimmune thyroiditis'], specialty: 'endocrinology', code: 'E06.3', topics: ['thyroid'] },
  { id: 'hyperthyroidism', label: 'Hyperthyroidism', terms: ['hyperthyroidism', 'thyrotoxicosis', 'overactive thyroid'], specialty: 'endocrinology', code: 'E05.90', topics: ['thyroid'] },
  { id: 'graves', label: "Graves' disease", terms: ["graves'? disease", 'diffuse toxic goiter'], specialty: 'endocrinology', code: 'E05.00', topics: ['thyroid'] },
  { id: 'thyroid_nodule', label: 'Thyroid nodule', terms: ['thyroid (nodule|mass|lesion)s?', 'nodular thyroid'], specialty: 'endocrinology', code: 'E04.1', topics: ['thyroid'] },
  { id: 'goiter', label: 'Goiter', terms: ['(multinodular |nontoxic |non-toxic )?goiter'], abbreviations: ['MNG'], specialty: 'endocrinology', code: ({ context }) => (/multinodular/.test(context) ? { code: 'E04.2', notes: [] } : { code: 'E04.9', notes: [] }), topics: ['thyroid'] },
  { id: 'thyroid_cancer', label: 'Malignant neoplasm of thyroid gland', terms: ['thyroid (cancer|carcinoma|malignancy)', '(papillary|follicular|medullary|anaplastic) (thyroid )?carcinoma'], specialty: 'endocrinology', code: 'C73', urgency: 'soon', topics: ['thyroid'] },
  { id: 'diabetes', label: 'Type 2 diabetes mellitus', terms: ['(type (1|2|i|ii) )?diabetes( mellitus)?', 'diabetic', 'dm(1|2| type (1|2|i|ii))'], abbreviations: ['DM', 'T2DM', 'T1DM', 'NIDDM', 'IDDM', 'DM2', 'DM1'], specialty: 'endocrinology', code: diabetes, topics: ['diabetes'] },
  { id: 'prediabetes', label: 'Prediabetes', terms: ['pre-?diabetes', 'impaired fasting glucose', 'impaired glucose tolerance'], specialty: 'endocrinology', code: 'R73.03', topics: ['diabetes'] },
  { id: 'hypoglycemia', label: 'Hypoglycemia', terms: ['hypoglycemia'], specialty: 'endocrinology', code: 'E16.2', urgency: 'urgent', topics: ['diabetes'] },
  { id: 'diabetic_neuropathy', label: 'Diabetic polyneuropathy', terms: ['diabetic (peripheral )?(poly)?neuropathy'], specialty: 'endocrinology', code: ({ context }) => ({ code: /type (1|i)\b|t1dm/.test(context) ? 'E10.42' : 'E11.42', notes: [] }), topics: ['diabetes'] },
  { id: 'hyperparathyroidism', label: 'Primary hyperparathyroidism', terms: ['(primary )?hyperparathyroidism'], specialty: 'endocrinology', code: ({ context }) => (/secondary/.test(context) ? { code: 'N25.81', notes: [] } : { code: 'E21.0', notes: [] }) },
  { id: 'adrenal_insufficiency', label: 'Adrenal insufficiency', terms: ['adrenal insufficiency', "addison'?s disease"], specialty: 'endocrinology', code: 'E27.40', urgency: 'soon' },
  { id: 'cushing', label: "Cushing's syndrome", terms: ["cushing'?s (syndrome|disease)"], specialty: 'endocrinology', code: 'E24.9' },
  { id: 'pcos', label: 'Polycystic ovarian syndrome', terms: ['polycystic ovar(y|ian) syndrome'], abbreviations: ['PCOS'], specialty: 'endocrinology', code: 'E28.2' },
  { id: 'osteoporosis', label: 'Osteoporosis', terms: ['osteoporosis'], specialty: 'endocrinology', code: 'M81.0', topics: ['osteoporosis'] },
  { id: 'osteopenia', label: 'Osteopenia', terms: ['osteopenia'], specialty: 'endocrinology', code: 'M85.80', topics: ['osteoporosis'] },
  { id: 'hypercalcemia', label: 'Hypercalcemia', terms: ['hypercalcemia'], specialty: 'endocrinology', code: 'E83.52' },

  // Gastroenterology
  { id: 'gerd', label: 'Gastro-esophageal reflux disease', terms: ['gastro-?esophageal reflux( disease)?', 'acid reflux', 'reflux esophagitis', 'heartburn'], abbreviations: ['GERD'], specialty: 'gastroenterology', code: ({ context }) => (/esophagitis/.test(context) ? { code: 'K21.00', notes: [] } : { code: 'K21.9', notes: [] }), topics: ['gerd'] },
  { id: 'barrett', label: "Barrett's esophagus", terms: ["barrett'?s esophagus"], specialty: 'gastroenterology', code: 'K22.70', topics: ['gerd'] },
  { id: 'esophagitis', label: 'Esophagitis', terms: ['esophagitis'], specialty: 'gastroenterology', code: 'K20.90', topics: ['gerd'] },
  { id: 'dysphagia', label: 'Dysphagia', terms: ['dysphagia', 'difficulty swallowing'], specialty: 'gastroenterology', code: 'R13.10' },
  { id: 'gastritis', label: 'Gastritis', terms: ['gastritis'], specialty: 'gastroenterology', code: 'K29.70' },
  { id: 'pud', label: 'Peptic ulcer disease', terms: ['peptic ulcer( disease)?', 'gastric ulcer', 'duodenal ulcer'], abbreviations: ['PUD'], specialty: 'gastroenterology', code: ({ context }) => (/gastric ulcer/.test(context) ? { code: 'K25.9', notes: [] } : /duodenal ulcer/.test(context) ? { code: 'K26.9', notes: [] } : { code: 'K27.9', notes: [] }), topics: ['gi_bleed'] },
  { id: 'h_pylori', label: 'Helicobacter pylori infection', terms: ['h\\.? ?pylori', 'helicobacter pylori'], specialty: 'gastroenterology', code: 'A04.8' },
  { id: 'gi_bleed', label: 'Gastrointestinal hemorrhage', terms: ['(upper |lower )?(gi|gastrointestinal) (bleed(ing)?|hemorrhage)', 'melena', 'hematemesis', 'hematochezia', 'rectal bleeding', 'bright red blood per rectum', 'coffee[- ]ground emesis'], abbreviations: ['UGIB', 'LGIB', 'BRBPR'], specialty: 'gastroenterology', code: ({ context }) => (/hematemesis|coffee/.test(context) ? { code: 'K92.0', notes: [] } : /melena/.test(context) ? { code: 'K92.1', notes: [] } : /rectal bleeding|hematochezia|brbpr|bright red blood/.test(context) ? { code: 'K62.5', notes: [] } : { code: 'K92.2', notes: [] }), urgency: 'urgent', topics: ['gi_bleed'] },
  { id: 'sbo', label: 'Small bowel obstruction', terms: ['small bowel obstruction', 'bowel obstruction', 'intestinal obstruction'], abbreviations: ['SBO'], specialty: 'gastroenterology', code: ({ context }) => (/partial/.test(context) ? { code: 'K56.600', notes: [] } : /complete/.test(context) ? { code: 'K56.601', notes: [] } : { code: 'K56.609', notes: ['Partial vs complete obstruction not documented: K56.609 used'] }), urgency: 'urgent', topics: ['sbo'] },
  { id: 'ileus', label: 'Paralytic ileus', terms: ['(paralytic |adynamic |postoperative )?ileus'], specialty: 'gastroenterology', code: 'K56.0', urgency: 'soon', topics: ['sbo'] },
  { id: 'ischemic_bowel', label: 'Ischemic bowel', terms: ['ischemic (colitis|bowel|cecum|colon)', 'mesenteric ischemia', 'bowel ischemia'], specialty: 'gastroenterology', code: 'K55.9', urgency: 'emergent' },
  { id: 'appendicitis', label: 'Acute appendicitis', terms: ['(acute )?appendicitis'], specialty: 'gastroenterology', code: 'K35.80', urgency: 'emergent' },
  { id: 'cholelithiasis', label: 'Cholelithiasis', terms: ['cholelithiasis', 'gallstones?', 'symptomatic cholelithiasis', 'biliary colic'], specialty: 'gastroenterology', code: ({ context }) => (/cholecystitis/.test(context) ? { code: 'K80.10', notes: [] } : { code: 'K80.20', notes: [] }), topics: ['biliary'] },
  { id: 'cholecystitis', label: 'Cholecystitis', terms: ['(acute |chronic )?cholecystitis'], specialty: 'gastroenterology', code: ({ context }) => (/acute/.test(context) ? { code: 'K81.0', notes: [] } : /chronic/.test(context) ? { code: 'K81.1', notes: [] } : { code: 'K81.9', notes: [] }), urgency: 'soon', topics: ['biliary'] },
  { id: 'choledocholithiasis', label: 'Choledocholithiasis', terms: ['choledocholithiasis', 'common bile duct stones?'], specialty: 'gastroenterology', code: 'K80.50', urgency: 'soon', topics: ['biliary'] },
  { id: 'pancreatitis', label: 'Pancreatitis', terms: ['(acute |chronic |alcoholic |gallstone )?pancreatitis'], specialty: 'gastroenterology', code: ({ context }) => (/chronic/.test(context) && !/acute/.test(context) ? { code: 'K86.1', notes: [] } : /alcohol/.test(context) ? { code: 'K85.20', notes: [] } : /gallstone|biliary/.test(context) ? { code: 'K85.10', notes: [] } : { code: 'K85.90', notes: [] }), urgency: 'urgent', topics: ['pancreatitis'] },
  { id: 'hepatitis_c', label: 'Chronic hepatitis C', terms: ['hepatitis c', 'hcv( infection)?', 'hep c'], abbreviations: ['HCV'], specialty: 'gastroenterology', code: 'B18.2', topics: ['hepatitis'] },
  { id: 'hepatitis_b', label: 'Chronic hepatitis B', terms: ['hepatitis b', 'hbv( infection)?', 'hep b'], abbreviations: ['HBV'], specialty: 'gastroenterology', code: 'B18.1', topics: ['hepatitis'] },
  { id: 'alcoholic_hepatitis', label: 'Alcoholic hepatitis', terms: ['alcoholic hepatitis'], specialty: 'gastroenterology', code: 'K70.10', topics: ['hepatitis'] },
  { id: 'cirrhosis', label: 'Cirrhosis of liver', terms: ['(alcoholic )?cirrhosis( of (the )?liver)?', 'end[- ]stage liver disease'], abbreviations: ['ESLD'], specialty: 'gastroenterology', code: ({ context }) => (/alcoholic/.test(context) ? { code: 'K70.30', notes: [] } : { code: 'K74.60', notes: [] }), topics: ['hepatitis'] },
  { id: 'fatty_liver', label: 'Fatty liver disease', terms: ['fatty liver( disease)?', 'hepatic steatosis', 'nonalcoholic fatty liver disease', 'metabolic dysfunction-associated steatotic liver disease'], abbreviations: ['NAFLD', 'MASLD'], specialty: 'gastroenterology', code: 'K76.0', topics: ['fatty_liver'] },
  { id: 'ibs', label: 'Irritable bowel syndrome', terms: ['irritable bowel( syndrome)?'], abbreviations: ['IBS'], specialty: 'gastroenterology', code: ({ context }) => (/constipation|ibs-c/.test(context) ? { code: 'K58.1', notes: [] } : /diarrhea|ibs-d/.test(context) ? { code: 'K58.0', notes: [] } : { code: 'K58.9', notes: [] }), topics: ['ibs'] },
  { id: 'crohn', label: "Crohn's disease", terms: ["crohn'?s( disease)?", 'regional enteritis'], specialty: 'gastroenterology', code: 'K50.90', topics: ['ibd'] },
  { id: 'uc', label: 'Ulcerative colitis', terms: ['ulcerative colitis'], abbreviations: ['UC'], specialty: 'gastroenterology', code: ({ context }) => (/left[- ]sided|distal colitis/.test(context) ? { code: 'K51.50', notes: [] } : /pancolitis/.test(context) ? { code: 'K51.00', notes: [] } : /proctitis/.test(context) ? { code: 'K51.20', notes: [] } : { code: 'K51.90', notes: [] }), topics: ['ibd'] },
  { id: 'nash', label: 'Nonalcoholic steatohepatitis', terms: ['(nonalcoholic |non-alcoholic |metabolic dysfunction-associated )?steatohepatitis'], abbreviations: ['NASH', 'MASH'], specialty: 'gastroenterology', code: 'K75.81', topics: ['fatty_liver'] },
  { id: 'hiatal_hernia', label: 'Hiatal hernia', terms: ['hiatal hernia', 'hiatus hernia'], specialty: 'gastroenterology', code: 'K44.9', topics: ['gerd'] },
  { id: 'diverticulitis', label: 'Diverticulitis', terms: ['diverticulitis'], specialty: 'gastroenterology', code: 'K57.92', urgency: 'soon' },
  { id: 'diverticulosis', label: 'Diverticulosis', terms: ['diverticulosis', 'diverticular disease'], specialty: 'gastroenterology', code: 'K57.90' },
  { id: 'colon_polyp', label: 'Polyp of colon', terms: ['(colon(ic)?|colorectal|adenomatous|sessile|rectal) polyps?', 'polyps? (of|in) the colon', 'tubular adenoma'], specialty: 'gastroenterology', code: 'K63.5', topics: ['colorectal'] },
  { id: 'colon_cancer', label: 'Malignant neoplasm of colon', terms: ['colon (cancer|carcinoma)', 'colorectal (cancer|carcinoma)', 'adenocarcinoma of the colon'], abbreviations: ['CRC'], specialty: 'gastroenterology', code: 'C18.9', urgency: 'soon', topics: ['colorectal'] },
  { id: 'hemorrhoids', label: 'Hemorrhoids', terms: ['(internal |external )?hemorrhoids'], specialty: 'gastroenterology', code: 'K64.9' },
  { id: 'celiac', label: 'Celiac disease', terms: ['celiac (disease|sprue)', 'gluten[- ]sensitive enteropathy'], specialty: 'gastroenterology', code: 'K90.0' },
  { id: 'abdominal_pain', label: 'Abdominal pain', terms: ['(acute |chronic |lower |upper |epigastric |periumbilical |generalized )?abdominal pain', 'epigastric pain', 'stomach pain', '(right|left) (upper|lower) quadrant pain', '(ruq|luq|rlq|llq) pain'], specialty: 'gastroenterology', code: ({ context }) => (/epigastric/.test(context) ? { code: 'R10.13', notes: [] } : /right upper quadrant|ruq/.test(context) ? { code: 'R10.11', notes: [] } : /left upper quadrant|luq/.test(context) ? { code: 'R10.12', notes: [] } : /right lower quadrant|rlq/.test(context) ? { code: 'R10.31', notes: [] } : /left lower quadrant|llq/.test(context) ? { code: 'R10.32', notes: [] } : /periumbilical/.test(context) ? { code: 'R10.33', notes: [] } : { code: 'R10.9', notes: ['Location of abdominal pain not documented: R10.9 used'] }) },
  { id: 'nausea_vomiting', label: 'Nausea with vomiting', terms: ['nausea (and|with) vomiting', 'nausea', 'vomiting', 'emesis'], abbreviations: ['N/V'], specialty: 'gastroenterology', code: ({ context }) => (/vomit|emesis|n\/v/.test(context) && /nausea/.test(context) ? { code: 'R11.2', notes: [] } : /vomit|emesis/.test(context) ? { code: 'R11.10', notes: [] } : { code: 'R11.0', notes: [] }) },
  { id: 'diarrhea', label: 'Diarrhea', terms: ['diarrhea'], specialty: 'gastroenterology', code: 'R19.7' },
  { id: 'constipation', label: 'Constipation', terms: ['constipation'], specialty: 'gastroenterology', code: 'K59.00' },
  { id: 'gastroparesis', label: 'Gastroparesis', terms: ['gastroparesis'], specialty: 'gastroenterology', code: 'K31.84' },

  // Neurology
  { id: 'migraine', label: 'Migraine', terms: ['migraines?( headaches?)?( with(out)? aura)?', 'chronic migraine'], specialty: 'neurology', code: ({ context }) => (/without aura/.test(context) ? { code: 'G43.009', notes: [] } : /with aura/.test(context) ? { code: 'G43.109', notes: [] } : /chronic migraine/.test(context) ? { code: 'G43.709', notes: [] } : { code: 'G43.909', notes: [] }), topics: ['headache'] },
  { id: 'tension_headache', label: 'Tension-type headache', terms: ['tension[- ](type )?headaches?'], specialty: 'neurology', code: 'G44.209', topics: ['headache'] },
  { id: 'cluster_headache', label: 'Cluster headache', terms: ['cluster headaches?'], specialty: 'neurology', code: 'G44.009', topics: ['headache'] },
  { id: 'headache', label: 'Headache', terms: ['headaches?', 'cephalgia'], specialty: 'neurology', code: 'R51.9', topics: ['headache'] },
  { id: 'epilepsy', label: 'Epilepsy', terms: ['(focal |partial |temporal lobe |generalized |localization-related )?epilepsy', 'seizure disorder', 'epileptic seizures'], specialty: 'neurology', code: ({ context }) => (/focal|partial|temporal lobe|localization/.test(context) ? { code: 'G40.209', notes: [] } : /generalized/.test(context) ? { code: 'G40.309', notes: [] } : { code: 'G40.909', notes: [] }), topics: ['seizure'] },
  { id: 'seizure', label: 'Seizure', terms: ['seizures?', 'convulsions?', 'generalized tonic[- ]clonic seizures?'], specialty: 'neurology', code: 'R56.9', urgency: 'urgent', topics: ['seizure'] },
  { id: 'stroke', label: 'Cerebral infarction', terms: ['(ischemic |acute |embolic |lacunar )?strokes?', 'cerebral infarct(ion|s)?', 'cerebrovascular accident'], abbreviations: ['CVA'], specialty: 'neurology', code: 'I63.9', urgency: 'emergent', topics: ['stroke'] },
  { id: 'ich', label: 'Intracerebral hemorrhage', terms: ['intracerebral hemorrhage', 'intracranial hemorrhage', 'hemorrhagic stroke'], abbreviations: ['ICH'], specialty: 'neurology', code: 'I61.9', urgency: 'emergent', topics: ['stroke'] },
  { id: 'sah', label: 'Subarachnoid hemorrhage', terms: ['subarachnoid hemorrhage'], abbreviations: ['SAH'], specialty: 'neurology', code: 'I60.9', urgency: 'emergent', topics: ['stroke'] },
  { id: 'tia', label: 'Transient ischemic attack', terms: ['transient ischemic attacks?'], abbreviations: ['TIA'], specialty: 'neurology', code: 'G45.9', urgency: 'urgent', topics: ['stroke'] },
  { id: 'parkinson', label: "Parkinson's disease", terms: ["parkinson'?s( disease)?", 'parkinsonism'], specialty: 'neurology', code: ({ context }) => (/parkinsonism/.test(context) && !/parkinson'?s/.test(context) ? { code: 'G20.C', notes: [] } : { code: 'G20.A1', notes: [] }), topics: ['parkinson'] },
  { id: 'essential_tremor', label: 'Essential tremor', terms: ['essential tremor', 'benign essential tremor'], specialty: 'neurology', code: 'G25.0' },
  { id: 'tremor', label: 'Tremor', terms: ['tremors?'], specialty: 'neurology', code: 'R25.1' },
  { id: 'alzheimer', label: "Alzheimer's disease", terms: ["alzheimer'?s( disease| dementia| type dementia)?", 'dementia of (the )?alzheimer'], specialty: 'neurology', code: 'G30.9', topics: ['dementia'] },
  { id: 'dementia', label: 'Dementia', terms: ['(vascular |senile |mixed )?dementia', 'major neurocognitive disorder'], specialty: 'neurology', code: ({ context }) => (/vascular/.test(context) ? { code: 'F01.50', notes: [] } : { code: 'F03.90', notes: [] }), topics: ['dementia'] },
  { id: 'mci', label: 'Mild cognitive impairment', terms: ['mild cognitive impairment', 'mild neurocognitive disorder'], abbreviations: ['MCI'], specialty: 'neurology', code: 'G31.84', topics: ['dementia'] },
  { id: 'organic_brain', label: 'Organic brain syndrome', terms: ['organic brain syndrome', 'organic mental disorder'], specialty: 'neurology', code: 'F09', topics: ['dementia'] },
  { id: 'encephalopathy', label: 'Encephalopathy', terms: ['(metabolic |toxic |hepatic |hypertensive )?encephalopathy'], specialty: 'neurology', code: ({ context }) => (/metabolic/.test(context) ? { code: 'G93.41', notes: [] } : /toxic/.test(context) ? { code: 'G92.8', notes: [] } : /hepatic/.test(context) ? { code: 'K76.82', notes: [] } : { code: 'G93.40', notes: [] }), urgency: 'urgent' },
  { id: 'delirium', label: 'Delirium', terms: ['delirium', 'acute confusional state'], specialty: 'neurology', code: 'R41.0', urgency: 'urgent' },
  { id: 'ms', label: 'Multiple sclerosis', terms: ['multiple sclerosis'], abbreviations: ['MS'], specialty: 'neurology', code: ({ context }) => (/relapsing/.test(context) ? { code: 'G35.A', notes: [] } : { code: 'G35.D', notes: [] }), topics: ['ms'] },
  { id: 'neuropathy', label: 'Peripheral neuropathy', terms: ['(peripheral |sensory |sensorimotor )?(poly)?neuropathy'], specialty: 'neurology', code: 'G62.9' },
  { id: 'carpal_tunnel', label: 'Carpal tunnel syndrome', terms: ['carpal tunnel( syndrome)?'], abbreviations: ['CTS'], specialty: 'neurology', code: byLaterality({ right: 'G56.01', left: 'G56.02', bilateral: 'G56.03', unspecified: 'G56.00' }), lateral: 'body', graded: true, topics: ['carpal_tunnel'] },
  { id: 'bells_palsy', label: "Bell's palsy", terms: ["bell'?s palsy", 'facial nerve palsy'], specialty: 'neurology', code: 'G51.0' },
  { id: 'trigeminal_neuralgia', label: 'Trigeminal neuralgia', terms: ['trigeminal neuralgia', 'tic douloureux'], specialty: 'neurology', code: 'G50.0' },
  { id: 'bppv', label: 'Benign paroxysmal positional vertigo', terms: ['benign paroxysmal positional vertigo'], abbreviations: ['BPPV'], specialty: 'neurology', code: byLaterality({ right: 'H81.11', left: 'H81.12', bilateral: 'H81.13', unspecified: 'H81.10' }), lateral: 'body' },
  { id: 'vertigo', label: 'Vertigo', terms: ['vertigo'], specialty: 'neurology', code: 'R42' },
  { id: 'rls', label: 'Restless legs syndrome', terms: ['restless legs?( syndrome)?'], abbreviations: ['RLS'], specialty: 'neurology', code: 'G25.81' },
  { id: 'concussion', label: 'Concussion', terms: ['concussion', 'mild traumatic brain injury'], specialty: 'neurology', code: 'S06.0X0A', urgency: 'soon' },
  { id: 'brain_tumor', label: 'Malignant neoplasm of brain', terms: ['(anaplastic )?astrocytoma', 'glioblastoma( multiforme)?', 'glioma', 'brain (tumor|cancer|neoplasm)'], abbreviations: ['GBM'], specialty: 'neurology', code: 'C71.9', urgency: 'soon', topics: ['brain_tumor'] },
  { id: 'myasthenia', label: 'Myasthenia gravis', terms: ['myasthenia gravis'], specialty: 'neurology', code: 'G70.00' },
  { id: 'als', label: 'Amyotrophic lateral sclerosis', terms: ['amyotrophic lateral sclerosis', 'motor neuron disease'], abbreviations: ['ALS'], specialty: 'neurology', code: 'G12.21' },
  { id: 'hyperesthesia', label: 'Hyperesthesia', terms: ['hyperesthesia', 'allodynia'], specialty: 'neurology', code: 'R20.3' },
  { id: 'paresthesia', label: 'Paresthesia of skin', terms: ['paresthesias?', 'numbness and tingling', 'tingling'], specialty: 'neurology', code: 'R20.2' },
  { id: 'cervical_radiculopathy', label: 'Cervical radiculopathy', terms: ['cervical radiculopathy'], specialty: 'orthopedics', code: 'M54.12', topics: ['spine'] },
  { id: 'lumbar_radiculopathy', label: 'Lumbar radiculopathy', terms: ['lumbar radiculopathy', 'lumbosacral radiculopathy'], specialty: 'orthopedics', code: 'M54.16', topics: ['spine'] },
  { id: 'radiculopathy', label: 'Radiculopathy', terms: ['radiculopathy'], specialty: 'neurology', code: 'M54.10', topics: ['spine'] },
  { id: 'sciatica', label: 'Sciatica', terms: ['sciatica'], specialty: 'orthopedics', code: byLaterality({ right: 'M54.31', left: 'M54.32', bilateral: 'M54.30', unspecified: 'M54.30' }), lateral: 'body', topics: ['spine'] },

  // Orthopedics
  { id: 'knee_oa', label: 'Primary osteoarthritis of knee', terms: ['(primary |degenerative )?(osteoarthritis|osteoarthrosis|degenerative joint disease|djd|arthritis) (of|in) (the )?(right |left |both |bilateral )?knees?', '(right |left |bilateral )?knee (osteoarthritis|osteoarthrosis|arthritis|djd|degenerative joint disease)', 'tricompartmental (osteo)?arthritis', '(unilateral |bilateral )?(primary )?(osteoarthritis|osteoarthrosis|djd),? (of )?(the )?(right|left|both|bilateral) knees?'], specialty: 'orthopedics', code: knee, lateral: 'body', graded: true, topics: ['knee_oa'] },
  { id: 'hip_oa', label: 'Primary osteoarthritis of hip', terms: ['(primary |degenerative )?(osteoarthritis|osteoarthrosis|degenerative joint disease|djd|arthritis) (of|in) (the )?(right |left |both |bilateral )?hips?', '(right |left |bilateral )?hip (osteoarthritis|osteoarthrosis|arthritis|djd)', '(unilateral |bilateral )?(primary )?(osteoarthritis|osteoarthrosis|djd),? (of )?(the )?(right|left|both|bilateral) hips?'], specialty: 'orthopedics', code: hip, lateral: 'body', graded: true, topics: ['hip_oa'] },
  { id: 'shoulder_oa', label: 'Primary osteoarthritis of shoulder', terms: ['(osteoarthritis|arthritis|djd) (of|in) the (right |left )?(shoulder|acromioclavicular joint|ac joint)', '(acromioclavicular|ac) (joint )?(arthritis|arthrosis|osteoarthritis)'], specialty: 'orthopedics', code: byLaterality({ right: 'M19.011', left: 'M19.012', bilateral: 'M19.019', unspecified: 'M19.019' }), lateral: 'body', topics: ['shoulder'] },
  { id: 'oa', label: 'Osteoarthritis', terms: ['osteoarthritis', 'osteoarthrosis', 'degenerative joint disease', 'degenerative arthritis'], abbreviations: ['OA', 'DJD'], specialty: 'orthopedics', code: 'M19.90', topics: ['knee_oa'] },
  { id: 'low_back_pain', label: 'Low back pain', terms: ['(chronic |acute |mechanical )?low(er)? back pain', 'lumbago', 'lumbar (back )?pain'], abbreviations: ['LBP'], specialty: 'orthopedics', code: ({ context }) => (/sciatica/.test(context) ? { code: 'M54.40', notes: [] } : { code: 'M54.50', notes: [] }), topics: ['spine'] },
  { id: 'back_pain', label: 'Back pain', terms: ['back pain', 'dorsalgia'], specialty: 'orthopedics', code: 'M54.9', topics: ['spine'] },
  { id: 'neck_pain', label: 'Cervicalgia', terms: ['neck pain', 'cervicalgia'], specialty: 'orthopedics', code: 'M54.2', topics: ['spine'] },
  { id: 'disc_herniation', label: 'Intervertebral disc herniation', terms: ['(lumbar )?(disc|disk) (herniation|protrusion|displacement|bulge)', 'herniated (nucleus pulposus|(lumbar )?dis[ck])'], abbreviations: ['HNP'], specialty: 'orthopedics', code: ({ context }) => (/cervical/.test(context) ? { code: 'M50.20', notes: [] } : /radiculopathy/.test(context) ? { code: 'M51.16', notes: [] } : { code: 'M51.26', notes: [] }), topics: ['spine'] },
  { id: 'spinal_stenosis', label: 'Spinal stenosis, lumbar region', terms: ['(lumbar )?spinal stenosis', 'neurogenic claudication'], specialty: 'orthopedics', code: ({ context }) => (/cervical/.test(context) ? { code: 'M48.02', notes: [] } : /claudication/.test(context) ? { code: 'M48.062', notes: [] } : { code: 'M48.061', notes: [] }), topics: ['spine'] },
  { id: 'spondylosis', label: 'Spondylosis', terms: ['(lumbar |cervical )?spondylosis', 'degenerative disc disease'], abbreviations: ['DDD'], specialty: 'orthopedics', code: ({ context }) => (/cervical/.test(context) ? { code: 'M47.812', notes: [] } : /lumbar/.test(context) ? { code: 'M47.816', notes: [] } : { code: 'M47.9', notes: [] }), topics: ['spine'] },
  { id: 'rotator_cuff', label: 'Rotator cuff tear or syndrome', terms: ['(partial[- ]thickness |full[- ]thickness |partial |complete |incomplete )?rotator cuff (tear|tendinitis|tendinopathy|syndrome|injury|strain|tendonitis|rupture)', '(partial|full)[- ]thickness (supraspinatus |rotator cuff )?tear'], specialty: 'orthopedics', code: (ctx) => {
    const stem = /partial|incomplete/.test(ctx.context) ? 'M75.11' : /full[- ]thickness|complete/.test(ctx.context) ? 'M75.12' : 'M75.10';
    return byLaterality({ right: `${stem}1`, left: `${stem}2`, bilateral: `${stem}0`, unspecified: `${stem}0` })(ctx);
  }, lateral: 'body', topics: ['shoulder'] },
  { id: 'impingement', label: 'Impingement syndrome of shoulder', terms: ['(shoulder |subacromial )?impingement( syndrome)?'], specialty: 'orthopedics', code: byLaterality({ right: 'M75.41', left: 'M75.42', bilateral: 'M75.40', unspecified: 'M75.40' }), lateral: 'body', topics: ['shoulder'] },
  { id: 'frozen_shoulder', label: 'Adhesive capsulitis of shoulder', terms: ['adhesive capsulitis', 'frozen shoulder'], specialty: 'orthopedics', code: byLaterality({ right: 'M75.01', left: 'M75.02', bilateral: 'M75.00', unspecified: 'M75.00' }), lateral: 'body', topics: ['shoulder'] },
  { id: 'shoulder_pain', label: 'Pain in shoulder', terms: ['shoulder pain', 'pain in the (right |left )?shoulder'], specialty: 'orthopedics', code: byLaterality({ right: 'M25.511', left: 'M25.512', bilateral: 'M25.519', unspecified: 'M25.519' }), lateral: 'body', topics: ['shoulder'] },
  { id: 'knee_pain', label: 'Pain in knee', terms: ['knee pain', 'pain in the (right |left )?knee'], specialty: 'orthopedics', code: byLaterality({ right: 'M25.561', left: 'M25.562', bilateral: 'M25.569', unspecified: 'M25.569' }), lateral: 'body', topics: ['knee_oa'] },
  { id: 'hip_pain', label: 'Pain in hip', terms: ['hip pain', 'pain in the (right |left )?hip'], specialty: 'orthopedics', code: byLaterality({ right: 'M25.551', left: 'M25.552', bilateral: 'M25.559', unspecified: 'M25.559' }), lateral: 'body', topics: ['hip_oa'] },
  { id: 'acl_tear', label: 'Anterior cruciate ligament tear', terms: ['(anterior cruciate ligament|acl) (tear|rupture|injury|sprain)', 'torn acl'], specialty: 'orthopedics', code: byLaterality({ right: 'S83.511A', left: 'S83.512A', bilateral: 'S83.519A', unspecified: 'S83.519A' }), lateral: 'body', topics: ['knee_injury'] },
  { id: 'meniscus_tear', label: 'Tear of meniscus', terms: ['(medial |lateral )?meniscal tear', '(medial |lateral )?meniscus tear', 'tear of the (medial |lateral )?meniscus', 'torn meniscus'], specialty: 'orthopedics', code: ({ context, laterality }) => {
    const side = /lateral menisc/.test(context) ? 'lateral' : /medial menisc/.test(context) ? 'medial' : null;
    const eye = laterality === 'right' ? 1 : laterality === 'left' ? 2 : 9;
    if (side === 'medial') return { code: `S83.2${eye === 1 ? '41' : eye === 2 ? '42' : '49'}A`, notes: eye === 9 ? ['Laterality not documented: unspecified knee used'] : [] };
    if (side === 'lateral') return { code: `S83.2${eye === 1 ? '81' : eye === 2 ? '82' : '89'}A`, notes: eye === 9 ? ['Laterality not documented: unspecified knee used'] : [] };
    return { code: `S83.20${eye === 1 ? '1' : eye === 2 ? '2' : '9'}A`, notes: ['Meniscus (medial/lateral) not documented'] };
  }, lateral: 'body', topics: ['knee_injury'] },
  { id: 'knee_sprain', label: 'Sprain of knee', terms: ['knee (sprain|injury|strain)', 'sprained knee'], specialty: 'orthopedics', code: byLaterality({ right: 'S83.91XA', left: 'S83.92XA', bilateral: 'S83.90XA', unspecified: 'S83.90XA' }), lateral: 'body', topics: ['knee_injury'] },
  { id: 'ankle_sprain', label: 'Sprain of ankle', terms: ['ankle (sprain|strain)', 'sprained ankle', 'inversion injury'], specialty: 'orthopedics', code: byLaterality({ right: 'S93.401A', left: 'S93.402A', bilateral: 'S93.409A', unspecified: 'S93.409A' }), lateral: 'body' },
  { id: 'hip_fracture', label: 'Fracture of femoral neck', terms: ['(hip|femoral neck|intertrochanteric) fracture', 'fracture of the (right |left )?(hip|femoral neck)', 'fractured hip'], specialty: 'orthopedics', code: byLaterality({ right: 'S72.001A', left: 'S72.002A', bilateral: 'S72.009A', unspecified: 'S72.009A' }), lateral: 'body', urgency: 'urgent', topics: ['hip_fracture'] },
  { id: 'wrist_fracture', label: 'Fracture of distal radius', terms: ['(distal radius|colles|wrist) fracture', 'fracture of the (right |left )?(distal radius|wrist)'], specialty: 'orthopedics', code: byLaterality({ right: 'S52.501A', left: 'S52.502A', bilateral: 'S52.509A', unspecified: 'S52.509A' }), lateral: 'body', urgency: 'soon' },
  { id: 'plantar_fasciitis', label: 'Plantar fasciitis', terms: ['plantar fasciitis', 'plantar fasciopathy'], specialty: 'orthopedics', code: 'M72.2' },
  { id: 'achilles', label: 'Achilles tendinitis', terms: ['achilles (tendinitis|tendonitis|tendinopathy|tendinosis)'], specialty: 'orthopedics', code: byLaterality({ right: 'M76.61', left: 'M76.62', bilateral: 'M76.60', unspecified: 'M76.60' }), lateral: 'body' },
  { id: 'achilles_rupture', label: 'Achilles tendon rupture', terms: ['achilles (tendon )?(rupture|tear)', 'ruptured achilles'], specialty: 'orthopedics', code: byLaterality({ right: 'S86.011A', left: 'S86.012A', bilateral: 'S86.019A', unspecified: 'S86.019A' }), lateral: 'body', urgency: 'soon' },
  { id: 'equinus', label: 'Equinus contracture of ankle', terms: ['equinus( deformity| contracture)?', 'tight heel cords?', 'achilles (tendon )?contracture'], specialty: 'orthopedics', code: byLaterality({ right: 'M24.571', left: 'M24.572', bilateral: 'M24.573', unspecified: 'M24.576' }), lateral: 'body' },
  { id: 'lateral_epicondylitis', label: 'Lateral epicondylitis', terms: ['lateral epicondylitis', 'tennis elbow'], specialty: 'orthopedics', code: byLaterality({ right: 'M77.11', left: 'M77.12', bilateral: 'M77.10', unspecified: 'M77.10' }), lateral: 'body' },
  { id: 'trigger_finger', label: 'Trigger finger', terms: ['trigger finger', 'trigger thumb', 'stenosing tenosynovitis'], specialty: 'orthopedics', code: 'M65.30' },
  { id: 'de_quervain', label: "De Quervain's tenosynovitis", terms: ["de quervain'?s( tenosynovitis)?"], specialty: 'orthopedics', code: 'M65.4' },
  { id: 'scoliosis', label: 'Scoliosis', terms: ['scoliosis'], specialty: 'orthopedics', code: 'M41.9' },
  { id: 'bursitis', label: 'Bursitis', terms: ['(trochanteric |subacromial |olecranon |prepatellar )?bursitis'], specialty: 'orthopedics', code: ({ context, laterality }) => (/trochanteric/.test(context) ? byLaterality({ right: 'M70.61', left: 'M70.62', bilateral: 'M70.60', unspecified: 'M70.60' })({ context, laterality, severity: 'unspecified' }) : { code: 'M71.9', notes: [] }), lateral: 'body' },

  // Rheumatology
  { id: 'ra', label: 'Rheumatoid arthritis', terms: ['rheumatoid arthritis', '(seropositive|seronegative) (rheumatoid )?arthritis'], abbreviations: ['RA'], specialty: 'rheumatology', code: ({ context }) => {
    const multiple = /multiple (sites|joints)|polyarticular|bilateral|both hands|hands and (feet|wrists)/.test(context);
    if (/seropositive|rheumatoid factor positive|rf[- ]positive|\+ ?rf|positive rheumatoid factor|anti-ccp positive|ccp[- ]positive/.test(context)) return { code: multiple ? 'M05.79' : 'M05.9', notes: [] };
    if (/seronegative/.test(context)) return { code: multiple ? 'M06.09' : 'M06.00', notes: [] };
    return { code: 'M06.9', notes: ['Serostatus and sites not documented: M06.9 used'] };
  }, topics: ['ra'] },
  { id: 'oligoarthritis', label: 'Oligoarthritis', terms: ['oligoarticular arthritis', 'oligoarthritis', 'pauciarticular arthritis', 'polyarthritis', 'inflammatory arthritis', 'monoarthritis'], specialty: 'rheumatology', code: ({ context }) => (/polyarthritis/.test(context) ? { code: 'M13.0', notes: [] } : /monoarthritis/.test(context) ? { code: 'M13.10', notes: [] } : { code: 'M13.80', notes: [] }), topics: ['ra'] },
  { id: 'jia', label: 'Juvenile idiopathic arthritis', terms: ['juvenile (idiopathic |rheumatoid )?arthritis'], abbreviations: ['JIA', 'JRA'], specialty: 'rheumatology', code: 'M08.90', topics: ['jia'] },
  { id: 'sle', label: 'Systemic lupus erythematosus', terms: ['systemic lupus( erythematosus)?', 'lupus'], abbreviations: ['SLE'], specialty: 'rheumatology', code: 'M32.9', topics: ['sle'] },
  { id: 'sjogren', label: "Sjögren's syndrome", terms: ["sj[oö]gren'?s( syndrome| disease)?", 'sicca syndrome'], specialty: 'rheumatology', code: 'M35.00' },
  { id: 'psoriatic_arthritis', label: 'Psoriatic arthritis', terms: ['psoriatic arthritis', 'psoriatic arthropathy'], abbreviations: ['PsA'], specialty: 'rheumatology', code: 'L40.50', topics: ['psa'] },
  { id: 'ankylosing_spondylitis', label: 'Ankylosing spondylitis', terms: ['ankylosing spondylitis', 'axial spondyloarthritis'], specialty: 'rheumatology', code: 'M45.9', topics: ['spa'] },
  { id: 'gout', label: 'Gout', terms: ['(acute |chronic |tophaceous )?gout(y arthritis)?', 'podagra'], specialty: 'rheumatology', code: ({ context, laterality }) => {
    const site = /podagra|great toe|big toe|first mtp|\bmtp\b|\bfoot\b|\bankle\b|\btoe\b/.test(context) ? '7' : /\bknee\b/.test(context) ? '6' : /\bwrist\b/.test(context) ? '3' : /\bhand\b|\bfinger\b/.test(context) ? '4' : /\belbow\b/.test(context) ? '2' : null;
    if (!site) return { code: 'M10.9', notes: ['Site of gout not documented: M10.9 used'] };
    const notes = laterality === 'right' || laterality === 'left' ? [] : ['Laterality not documented: unspecified side used'];
    return { code: `M10.0${site}${sideDigit(laterality)}`, notes };
  }, lateral: 'body', topics: ['gout'] },
  { id: 'pseudogout', label: 'Calcium pyrophosphate deposition disease', terms: ['pseudogout', 'chondrocalcinosis', 'cppd'], specialty: 'rheumatology', code: 'M11.20' },
  { id: 'pmr', label: 'Polymyalgia rheumatica', terms: ['polymyalgia rheumatica'], abbreviations: ['PMR'], specialty: 'rheumatology', code: 'M35.3', topics: ['pmr'] },
  { id: 'gca', label: 'Giant cell arteritis', terms: ['giant cell arteritis', 'temporal arteritis'], abbreviations: ['GCA'], specialty: 'rheumatology', code: 'M31.6', urgency: 'urgent', topics: ['pmr'] },
  { id: 'fibromyalgia', label: 'Fibromyalgia', terms: ['fibromyalgia'], specialty: 'rheumatology', code: 'M79.7', topics: ['fibromyalgia'] },
  { id: 'scleroderma', label: 'Systemic sclerosis', terms: ['scleroderma', 'systemic sclerosis'], specialty: 'rheumatology', code: 'M34.9' },
  { id: 'vasculitis', label: 'Vasculitis', terms: ['vasculitis'], specialty: 'rheumatology', code: 'I77.6' },
  { id: 'raynaud', label: "Raynaud's phenomenon", terms: ["raynaud'?s( phenomenon| syndrome| disease)?"], specialty: 'rheumatology', code: 'I73.00' },
  { id: 'ctd', label: 'Connective tissue disorder', terms: ['(mixed |undifferentiated )?connective tissue (disorder|disease)', 'stickler syndrome'], abbreviations: ['MCTD', 'UCTD'], specialty: 'rheumatology', code: ({ context }) => (/stickler/.test(context) ? { code: 'Q87.89', notes: [] } : /mixed/.test(context) ? { code: 'M35.1', notes: [] } : { code: 'M35.9', notes: [] }) },
  { id: 'arthralgia', label: 'Joint pain', terms: ['arthralgias?', 'joint pain', 'polyarthralgia'], specialty: 'rheumatology', code: 'M25.50' },

  // Dermatology
  { id: 'atopic_dermatitis', label: 'Atopic dermatitis', terms: ['atopic dermatitis', 'eczema', 'atopic eczema'], specialty: 'dermatology', code: 'L20.9', topics: ['atopic_dermatitis'] },
  { id: 'contact_dermatitis', label: 'Contact dermatitis', terms: ['(allergic |irritant )?contact dermatitis'], specialty: 'dermatology', code: ({ context }) => (/allergic contact/.test(context) ? { code: 'L23.9', notes: [] } : /irritant/.test(context) ? { code: 'L24.9', notes: [] } : { code: 'L25.9', notes: [] }), topics: ['atopic_dermatitis'] },
  { id: 'seb_derm', label: 'Seborrheic dermatitis', terms: ['seborrheic dermatitis', 'seborrhea'], specialty: 'dermatology', code: 'L21.9' },
  { id: 'dermatitis', label: 'Dermatitis', terms: ['dermatitis', 'rash'], specialty: 'dermatology', code: ({ context }) => (/rash/.test(context) && !/dermatitis/.test(context) ? { code: 'R21', notes: [] } : { code: 'L30.9', notes: [] }), topics: ['atopic_dermatitis'] },
  { id: 'psoriasis', label: 'Psoriasis', terms: ['(plaque |guttate )?psoriasis( vulgaris)?'], specialty: 'dermatology', code: ({ context }) => (/plaque|vulgaris/.test(context) ? { code: 'L40.0', notes: [] } : /guttate/.test(context) ? { code: 'L40.4', notes: [] } : { code: 'L40.9', notes: [] }), graded: true, topics: ['psoriasis'] },
  { id: 'acne', label: 'Acne vulgaris', terms: ['acne( vulgaris)?'], specialty: 'dermatology', code: 'L70.0', graded: true, topics: ['acne'] },
  { id: 'rosacea', label: 'Rosacea', terms: ['rosacea'], specialty: 'dermatology', code: 'L71.9' },
  { id: 'actinic_keratosis', label: 'Actinic keratosis', terms: ['actinic keratos[ie]s', 'solar keratos[ie]s'], abbreviations: ['AK', 'AKs'], specialty: 'dermatology', code: 'L57.0', topics: ['ak'] },
  { id: 'seb_keratosis', label: 'Seborrheic keratosis', terms: ['seborrheic keratos[ie]s'], abbreviations: ['SK', 'SKs'], specialty: 'dermatology', code: 'L82.1' },
  { id: 'bcc', label: 'Basal cell carcinoma of skin', terms: ['basal cell (carcinoma|cancer|epithelioma)'], abbreviations: ['BCC'], specialty: 'dermatology', code: 'C44.91', urgency: 'soon', topics: ['skin_cancer'] },
  { id: 'scc_skin', label: 'Squamous cell carcinoma of skin', terms: ['(cutaneous )?squamous cell (carcinoma|cancer)( in situ)?( of (the )?skin)?'], abbreviations: ['SCC', 'cSCC'], specialty: 'dermatology', code: ({ context }) => (/in situ/.test(context) ? { code: 'D04.9', notes: [] } : { code: 'C44.92', notes: [] }), urgency: 'soon', topics: ['skin_cancer'] },
  { id: 'melanoma', label: 'Malignant melanoma of skin', terms: ['(malignant )?melanoma( in situ)?'], specialty: 'dermatology', code: ({ context }) => (/in situ/.test(context) ? { code: 'D03.9', notes: [] } : { code: 'C43.9', notes: [] }), urgency: 'urgent', topics: ['melanoma'] },
  { id: 'nevus', label: 'Melanocytic nevus', terms: ['(atypical |dysplastic |melanocytic |compound |junctional )?nev(us|i)', 'moles?'], specialty: 'dermatology', code: ({ context }) => (/atypical|dysplastic/.test(context) ? { code: 'D48.5', notes: ['Dysplastic nevus of uncertain behavior: confirm with pathology'] } : { code: 'D22.9', notes: [] }), topics: ['melanoma'] },
  { id: 'urticaria', label: 'Urticaria', terms: ['urticaria', 'hives'], specialty: 'dermatology', code: 'L50.9' },
  { id: 'tinea_pedis', label: 'Tinea pedis', terms: ['tinea pedis', "athlete'?s foot"], specialty: 'dermatology', code: 'B35.3' },
  { id: 'tinea_corporis', label: 'Tinea corporis', terms: ['tinea corporis', 'ringworm'], specialty: 'dermatology', code: 'B35.4' },
  { id: 'onychomycosis', label: 'Onychomycosis', terms: ['onychomycosis', 'tinea unguium'], specialty: 'dermatology', code: 'B35.1' },
  { id: 'warts', label: 'Viral warts', terms: ['(common |plantar )?warts?', 'verruca( vulgaris)?'], specialty: 'dermatology', code: ({ context }) => (/plantar/.test(context) ? { code: 'B07.0', notes: [] } : { code: 'B07.9', notes: [] }) },
  { id: 'condyloma', label: 'Anogenital warts', terms: ['condylomata?( acuminat(a|um))?', 'genital warts', 'anogenital warts'], specialty: 'dermatology', code: 'A63.0' },
  { id: 'zoster', label: 'Herpes zoster', terms: ['herpes zoster', 'shingles'], specialty: 'dermatology', code: 'B02.9', urgency: 'soon' },
  { id: 'hsv', label: 'Herpes simplex', terms: ['herpes simplex', 'cold sores?', 'herpes labialis'], abbreviations: ['HSV'], specialty: 'dermatology', code: 'B00.9' },
  { id: 'alopecia_areata', label: 'Alopecia areata', terms: ['alopecia areata'], specialty: 'dermatology', code: 'L63.9' },
  { id: 'alopecia', label: 'Alopecia', terms: ['(androgenetic )?alopecia', 'hair loss'], specialty: 'dermatology', code: ({ context }) => (/androgen/.test(context) ? { code: 'L64.9', notes: [] } : { code: 'L65.9', notes: [] }) },
  { id: 'vitiligo', label: 'Vitiligo', terms: ['vitiligo'], specialty: 'dermatology', code: 'L80' },
  { id: 'hidradenitis', label: 'Hidradenitis suppurativa', terms: ['hidradenitis( suppurativa)?'], specialty: 'dermatology', code: 'L73.2' },
  { id: 'pruritus', label: 'Pruritus', terms: ['pruritus', 'itching'], specialty: 'dermatology', code: 'L29.9' },
  { id: 'scabies', label: 'Scabies', terms: ['scabies'], specialty: 'dermatology', code: 'B86' },
  { id: 'impetigo', label: 'Impetigo', terms: ['impetigo'], specialty: 'dermatology', code: 'L01.00' },
  { id: 'epidermoid_cyst', label: 'Epidermal cyst', terms: ['(epidermal|epidermoid|sebaceous|inclusion) cyst'], specialty: 'dermatology', code: 'L72.0' },
  { id: 'lipoma', label: 'Lipoma', terms: ['lipomas?'], specialty: 'dermatology', code: 'D17.9' },
  { id: 'rhytids', label: 'Facial rhytids', terms: ['(facial |periorbital |perioral )?rhytids', 'wrinkles', 'photoaging', 'actinic damage'], specialty: 'dermatology', code: 'L57.8' },
  { id: 'skin_lesion', label: 'Skin lesion', terms: ['(skin|cutaneous|pigmented) lesions?'], specialty: 'dermatology', code: 'L98.9', topics: ['melanoma'] },

  // Psychiatry
  { id: 'depression', label: 'Depression', terms: ['(major )?depressi(on|ve disorder)', 'major depressive (disorder|episode)', 'depressed mood', 'dysthymia', 'persistent depressive disorder'], abbreviations: ['MDD'], specialty: 'psychiatry', code: depression, graded: true, topics: ['depression'] },
  { id: 'bipolar', label: 'Bipolar disorder', terms: ['bipolar( (i|ii|1|2))?( affective)?( disorder)?', 'manic[- ]depressive'], specialty: 'psychiatry', code: ({ context, severity }) => {
    if (/bipolar (ii|2)/.test(context)) return { code: 'F31.81', notes: [] };
    const psychotic = /with psychotic/.test(context) && !/without psychotic/.test(context);
    if (/manic/.test(context) && !/hypomanic/.test(context)) {
      if (psychotic) return { code: 'F31.2', notes: [] };
      const c = severity === 'mild' ? 'F31.11' : severity === 'moderate' ? 'F31.12' : severity === 'severe' ? 'F31.13' : 'F31.10';
      return { code: c, notes: [] };
    }
    if (/hypomanic/.test(context)) return { code: 'F31.0', notes: [] };
    if (/depress/.test(context)) {
      if (psychotic) return { code: 'F31.5', notes: [] };
      const c = severity === 'mild' ? 'F31.31' : severity === 'moderate' ? 'F31.32' : severity === 'severe' ? 'F31.4' : 'F31.30';
      return { code: c, notes: [] };
    }
    return { code: 'F31.9', notes: ['Current episode not documented: F31.9 used'] };
  }, graded: true, topics: ['bipolar'] },
  { id: 'gad', label: 'Generalized anxiety disorder', terms: ['generalized anxiety( disorder)?'], abbreviations: ['GAD'], specialty: 'psychiatry', code: 'F41.1', topics: ['anxiety'] },
  { id: 'panic', label: 'Panic disorder', terms: ['panic (disorder|attacks?)'], specialty: 'psychiatry', code: 'F41.0', topics: ['anxiety'] },
  { id: 'anxiety', label: 'Anxiety disorder', terms: ['anxiety( disorder)?'], specialty: 'psychiatry', code: 'F41.9', topics: ['anxiety'] },
  { id: 'ptsd', label: 'Post-traumatic stress disorder', terms: ['post[- ]?traumatic stress( disorder)?'], abbreviations: ['PTSD'], specialty: 'psychiatry', code: ({ context }) => (/chronic/.test(context) ? { code: 'F43.12', notes: [] } : /\bacute\b/.test(context) ? { code: 'F43.11', notes: [] } : { code: 'F43.10', notes: [] }), topics: ['ptsd'] },
  { id: 'adjustment', label: 'Adjustment disorder', terms: ['adjustment disorder'], specialty: 'psychiatry', code: ({ context }) => (/depressed mood/.test(context) ? { code: 'F43.21', notes: [] } : /anxiety/.test(context) ? { code: 'F43.22', notes: [] } : { code: 'F43.20', notes: [] }) },
  { id: 'schizophrenia', label: 'Schizophrenia', terms: ['(paranoid )?schizophrenia'], specialty: 'psychiatry', code: 'F20.9', topics: ['schizophrenia'] },
  { id: 'schizoaffective', label: 'Schizoaffective disorder', terms: ['schizoaffective( disorder)?'], specialty: 'psychiatry', code: 'F25.9', topics: ['schizophrenia'] },
  { id: 'psychosis', label: 'Psychosis', terms: ['psychosis', 'psychotic disorder'], specialty: 'psychiatry', code: 'F29', urgency: 'urgent', topics: ['schizophrenia'] },
  { id: 'adhd', label: 'Attention-deficit hyperactivity disorder', terms: ['attention[- ]deficit( hyperactivity)?( disorder)?'], abbreviations: ['ADHD', 'ADD'], specialty: 'psychiatry', code: ({ context }) => (/inattentive/.test(context) ? { code: 'F90.0', notes: [] } : /combined/.test(context) ? { code: 'F90.2', notes: [] } : { code: 'F90.9', notes: [] }), topics: ['adhd'] },
  { id: 'ocd', label: 'Obsessive-compulsive disorder', terms: ['obsessive[- ]compulsive( disorder)?'], abbreviations: ['OCD'], specialty: 'psychiatry', code: 'F42.9' },
  { id: 'alcohol_dependence', label: 'Alcohol dependence', terms: ['alcohol (dependence|use disorder|addiction)', 'alcoholism', 'alcoholic'], abbreviations: ['AUD'], specialty: 'psychiatry', code: ({ context }) => (/withdrawal/.test(context) ? { code: 'F10.239', notes: [] } : /mild/.test(context) ? { code: 'F10.10', notes: [] } : { code: 'F10.20', notes: [] }), topics: ['alcohol'] },
  { id: 'alcohol_abuse', label: 'Alcohol abuse', terms: ['alcohol abuse', 'heavy drinking', 'binge drinking'], specialty: 'psychiatry', code: 'F10.10', topics: ['alcohol'] },
  { id: 'alcohol_withdrawal', label: 'Alcohol withdrawal', terms: ['alcohol withdrawal', 'delirium tremens'], specialty: 'psychiatry', code: 'F10.239', urgency: 'urgent', topics: ['alcohol'] },
  { id: 'opioid', label: 'Opioid dependence', terms: ['opioid (dependence|use disorder|addiction|abuse)', 'heroin (use|abuse|addiction)'], abbreviations: ['OUD'], specialty: 'psychiatry', code: ({ context }) => (/abuse/.test(context) ? { code: 'F11.10', notes: [] } : { code: 'F11.20', notes: [] }), topics: ['substance'] },
  { id: 'cocaine', label: 'Cocaine abuse', terms: ['cocaine (abuse|use|dependence)', 'crack cocaine'], specialty: 'psychiatry', code: ({ context }) => (/dependence/.test(context) ? { code: 'F14.20', notes: [] } : { code: 'F14.10', notes: [] }), topics: ['substance'] },
  { id: 'cannabis', label: 'Cannabis abuse', terms: ['(cannabis|marijuana) (abuse|use disorder|dependence)'], specialty: 'psychiatry', code: 'F12.10', topics: ['substance'] },
  { id: 'substance', label: 'Substance use disorder', terms: ['(poly)?substance (abuse|use disorder|dependence)', 'drug (abuse|addiction)', 'polysubstance'], specialty: 'psychiatry', code: 'F19.10', topics: ['substance'] },
  { id: 'suicidal_ideation', label: 'Suicidal ideation', terms: ['suicidal (ideation|thoughts|intent|plan)', 'thoughts of (suicide|killing (himself|herself|myself))', 'wants to (die|kill (himself|herself))', 'is suicidal'], abbreviations: ['SI'], specialty: 'psychiatry', code: 'R45.851', urgency: 'emergent', topics: ['suicide'] },
  { id: 'conversion', label: 'Conversion disorder', terms: ['conversion disorder', 'functional neurological (symptom )?disorder', 'psychogenic non-?epileptic seizures'], abbreviations: ['PNES', 'FND'], specialty: 'psychiatry', code: 'F44.4' },
  { id: 'personality', label: 'Personality disorder', terms: ['(borderline |antisocial |narcissistic )?personality disorder'], specialty: 'psychiatry', code: ({ context }) => (/borderline/.test(context) ? { code: 'F60.3', notes: [] } : /antisocial/.test(context) ? { code: 'F60.2', notes: [] } : { code: 'F60.9', notes: [] }) },
  { id: 'anorexia', label: 'Anorexia nervosa', terms: ['anorexia nervosa'], specialty: 'psychiatry', code: 'F50.00' },
  { id: 'bulimia', label: 'Bulimia nervosa', terms: ['bulimia( nervosa)?'], specialty: 'psychiatry', code: 'F50.20' },
  { id: 'odd', label: 'Oppositional defiant disorder', terms: ['oppositional defiant( disorder)?'], abbreviations: ['ODD'], specialty: 'psychiatry', code: 'F91.3' },
];

export const CONCEPT_BY_ID = new Map(CONCEPTS.map((c) => [c.id, c]));

export interface CompiledConcept {
  concept: Concept;
  re: RegExp;
  abbr: RegExp | null;
  /** Anchored versions, tried only where the combined scan found a start. */
  sticky: RegExp;
  stickyAbbr: RegExp | null;
}

let compiled: CompiledConcept[] | null = null;
let combined: { terms: RegExp; abbreviations: RegExp } | null = null;

/**
 * Every concept's terms in one regex (and the abbreviations in another): one scan
 * finds where any concept starts, and only those places are tried per concept.
 */
export function combinedPatterns(): { terms: RegExp; abbreviations: RegExp } {
  combined ??= {
    terms: new RegExp(`\\b(?:${CONCEPTS.flatMap((c) => c.terms).join('|')})\\b`, 'gi'),
    abbreviations: new RegExp(`\\b(?:${CONCEPTS.flatMap((c) => c.abbreviations ?? []).join('|')})\\b`, 'g'),
  };
  return combined;
}

/** Each concept's terms as one case-insensitive regex (plus one for abbreviations). */
export function compiledConcepts(): CompiledConcept[] {
  compiled ??= CONCEPTS.map((concept) => ({
    concept,
    re: new RegExp(`\\b(?:${concept.terms.join('|')})\\b`, 'gi'),
    abbr: concept.abbreviations?.length ? new RegExp(`\\b(?:${concept.abbreviations.join('|')})\\b`, 'g') : null,
    sticky: new RegExp(`(?:${concept.terms.join('|')})\\b`, 'iy'),
    stickyAbbr: concept.abbreviations?.length ? new RegExp(`(?:${concept.abbreviations.join('|')})\\b`, 'y') : null,
  }));
  return compiled;
}

/** Splits a regex source on top-level "|" (outside groups and classes). */
function topLevelAlternatives(src: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inClass = false;
  let cur = '';
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (ch === '\\') {
      cur += ch + (src[i + 1] ?? '');
      i++;
      continue;
    }
    if (inClass) inClass = ch !== ']';
    else if (ch === '[') inClass = true;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === '|' && depth === 0) {
      out.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  out.push(cur);
  return out;
}

/**
 * The lower-case characters a pattern can start with, or null when that cannot
 * be worked out simply (the concept is then tried everywhere).
 */
export function firstChars(src: string): Set<string> | null {
  const out = new Set<string>();
  for (const alt of topLevelAlternatives(src)) {
    if (alt === '') return null;
    const ch = alt[0]!;
    if (/[a-z0-9 '-]/i.test(ch)) {
      out.add(ch.toLowerCase());
      continue;
    }
    if (ch === '[') {
      const end = alt.indexOf(']');
      if (end < 0 || alt[1] === '^' || /[?*{]/.test(alt[end + 1] ?? '')) return null;
      for (const c of alt.slice(1, end)) if (c !== '-') out.add(c.toLowerCase());
      continue;
    }
    if (ch !== '(') return null;
    let depth = 0;
    let end = -1;
    for (let i = 0; i < alt.length; i++) {
      if (alt[i] === '\\') i++;
      else if (alt[i] === '(') depth++;
      else if (alt[i] === ')' && --depth === 0) {
        end = i;
        break;
      }
    }
    if (end < 0) return null;
    const inner = firstChars(alt.slice(alt.startsWith('(?:') ? 3 : 1, end));
    if (!inner) return null;
    for (const c of inner) out.add(c);
    const quant = alt[end + 1];
    if (quant === '?' || quant === '*') {
      // The group may be skipped: what follows can start the match too.
      const rest = firstChars(alt.slice(end + 2));
      if (!rest) return null;
      for (const c of rest) out.add(c);
    }
  }
  return out;
}

let buckets: { byChar: Map<string, CompiledConcept[]>; anywhere: CompiledConcept[] } | null = null;

/** Concepts whose terms can start with the given character (case-insensitive). */
export function conceptsStartingWith(ch: string): CompiledConcept[] {
  if (!buckets) {
    const byChar = new Map<string, CompiledConcept[]>();
    const anywhere: CompiledConcept[] = [];
    for (const c of compiledConcepts()) {
      const chars = firstChars(c.concept.terms.join('|'));
      const abbr = c.concept.abbreviations?.length ? firstChars(c.concept.abbreviations.join('|')) : new Set<string>();
      if (!chars || !abbr) {
        anywhere.push(c);
        continue;
      }
      for (const k of new Set([...chars, ...abbr])) byChar.set(k, [...(byChar.get(k) ?? []), c]);
    }
    buckets = { byChar, anywhere };
  }
  const list = buckets.byChar.get(ch.toLowerCase()) ?? [];
  return buckets.anywhere.length ? [...list, ...buckets.anywhere] : list;
}

export function resolveCode(concept: Concept, ctx: CodeContext): CodeChoice {
  return typeof concept.code === 'string' ? { code: concept.code, notes: [] } : concept.code(ctx);
}
