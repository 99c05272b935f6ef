// Medications (name, dose, frequency, status) from the medication sections and
// from drug names in the plan and assessment; allergies from the allergy section
// and "allergic to …" anywhere. "NKDA" is recorded explicitly as no known allergies.
import type { Section } from './sections';
import { capitalize, cleanPhrase } from './normalize';

export interface MedicationDraft {
  name: string;
  dose: string | null;
  frequency: string | null;
  status: 'current' | 'new' | 'discontinued' | 'changed';
}

/** Common drug names (generic and brand), for finding medications outside a medication list. */
const DRUGS = [
  'metformin', 'glipizide', 'glyburide', 'glimepiride', 'sitagliptin', 'januvia', 'empagliflozin', 'jardiance', 'dapagliflozin', 'farxiga', 'semaglutide', 'ozempic', 'liraglutide', 'dulaglutide', 'trulicity', 'tirzepatide', 'pioglitazone',
  'insulin(?: glargine| lispro| aspart| detemir| nph| regular)?', 'lantus', 'humalog', 'novolog', 'levemir', 'basaglar', 'tresiba',
  'lisinopril', 'enalapril', 'ramipril', 'benazepril', 'losartan', 'valsartan', 'irbesartan', 'olmesartan', 'candesartan', 'amlodipine', 'nifedipine', 'diltiazem', 'verapamil',
  'hydrochlorothiazide', 'hctz', 'chlorthalidone', 'furosemide', 'lasix', 'torsemide', 'bumetanide', 'spironolactone', 'eplerenone', 'metoprolol(?: succinate| tartrate)?', 'atenolol', 'carvedilol', 'propranolol', 'bisoprolol', 'labetalol', 'nebivolol',
  'hydralazine', 'clonidine', 'isosorbide(?: mononitrate| dinitrate)?', 'nitroglycerin', 'digoxin', 'amiodarone', 'sotalol', 'flecainide', 'sacubitril(?:/valsartan)?', 'entresto', 'ivabradine',
  'atorvastatin', 'lipitor', 'simvastatin', 'rosuvastatin', 'crestor', 'pravastatin', 'lovastatin', 'ezetimibe', 'fenofibrate', 'gemfibrozil',
  'aspirin', 'asa', 'clopidogrel', 'plavix', 'ticagrelor', 'prasugrel', 'warfarin', 'coumadin', 'apixaban', 'eliquis', 'rivaroxaban', 'xarelto', 'dabigatran', 'heparin', 'enoxaparin', 'lovenox',
  'levothyroxine', 'synthroid', 'methimazole', 'propylthiouracil', 'liothyronine',
  'albuterol', 'proair', 'ventolin', 'ipratropium', 'tiotropium', 'spiriva', 'fluticasone(?:/salmeterol)?', 'advair', 'symbicort', 'budesonide(?:/formoterol)?', 'montelukast', 'singulair', 'salmeterol', 'formoterol', 'umeclidinium', 'breo', 'trelegy', 'prednisone', 'prednisolone', 'methylprednisolone', 'dexamethasone', 'hydrocortisone',
  'omeprazole', 'prilosec', 'pantoprazole', 'protonix', 'esomeprazole', 'nexium', 'lansoprazole', 'famotidine', 'pepcid', 'ranitidine', 'sucralfate', 'ondansetron', 'zofran', 'metoclopramide', 'reglan', 'promethazine', 'docusate', 'colace', 'senna', 'polyethylene glycol', 'miralax', 'lactulose', 'loperamide', 'mesalamine', 'dicyclomine',
  'amoxicillin(?:/clavulanate| clavulanate)?', 'augmentin', 'azithromycin', 'zithromax', 'z-pak', 'doxycycline', 'cephalexin', 'keflex', 'ciprofloxacin', 'cipro', 'levofloxacin', 'levaquin', 'nitrofurantoin', 'macrobid', 'trimethoprim(?:/sulfamethoxazole)?', 'bactrim', 'sulfamethoxazole', 'clindamycin', 'metronidazole', 'flagyl', 'vancomycin', 'penicillin', 'ceftriaxone', 'rocephin', 'cefdinir', 'clarithromycin', 'oseltamivir', 'tamiflu', 'acyclovir', 'valacyclovir', 'valtrex', 'fluconazole', 'terbinafine', 'mupirocin', 'nystatin',
  'acetaminophen', 'tylenol', 'ibuprofen', 'motrin', 'advil', 'naproxen', 'aleve', 'meloxicam', 'celecoxib', 'celebrex', 'diclofenac', 'ketorolac', 'toradol', 'tramadol', 'oxycodone', 'percocet', 'hydrocodone', 'vicodin', 'norco', 'morphine', 'hydromorphone', 'dilaudid', 'fentanyl', 'codeine', 'gabapentin', 'neurontin', 'pregabalin', 'lyrica', 'cyclobenzaprine', 'flexeril', 'methocarbamol', 'tizanidine', 'baclofen',
  'sertraline', 'zoloft', 'fluoxetine', 'prozac', 'citalopram', 'celexa', 'escitalopram', 'lexapro', 'paroxetine', 'paxil', 'venlafaxine', 'effexor', 'duloxetine', 'cymbalta', 'bupropion', 'wellbutrin', 'mirtazapine', 'remeron', 'trazodone', 'amitriptyline', 'nortriptyline', 'buspirone',
  'quetiapine', 'seroquel', 'risperidone', 'risperdal', 'olanzapine', 'zyprexa', 'aripiprazole', 'abilify', 'haloperidol', 'haldol', 'ziprasidone', 'lurasidone', 'clozapine', 'lithium', 'lamotrigine', 'lamictal', 'valproate', 'valproic acid', 'divalproex', 'depakote',
  'lorazepam', 'ativan', 'clonazepam', 'klonopin', 'alprazolam', 'xanax', 'diazepam', 'valium', 'zolpidem', 'ambien', 'methylphenidate', 'ritalin', 'concerta', 'amphetamine', 'adderall', 'atomoxetine', 'naltrexone', 'buprenorphine', 'suboxone', 'methadone', 'disulfiram', 'acamprosate',
  'levetiracetam', 'keppra', 'phenytoin', 'dilantin', 'carbamazepine', 'tegretol', 'oxcarbazepine', 'topiramate', 'topamax', 'sumatriptan', 'imitrex', 'rizatriptan', 'donepezil', 'aricept', 'memantine', 'namenda', 'carbidopa(?:/levodopa)?', 'levodopa', 'sinemet', 'ropinirole', 'pramipexole', 'temozolomide',
  'methotrexate', 'hydroxychloroquine', 'plaquenil', 'sulfasalazine', 'leflunomide', 'adalimumab', 'humira', 'etanercept', 'enbrel', 'infliximab', 'remicade', 'tofacitinib', 'colchicine', 'allopurinol', 'febuxostat', 'alendronate', 'fosamax', 'calcium', 'vitamin d', 'vitamin b12', 'cyanocobalamin', 'folic acid', 'iron', 'ferrous sulfate', 'potassium chloride', 'multivitamin',
  'timolol', 'latanoprost', 'xalatan', 'bimatoprost', 'lumigan', 'travoprost', 'brimonidine', 'alphagan', 'dorzolamide', 'trusopt', 'cosopt', 'brinzolamide', 'netarsudil', 'rhopressa', 'acetazolamide', 'diamox', 'prednisolone acetate', 'pred forte', 'moxifloxacin', 'vigamox', 'ofloxacin', 'tobramycin', 'tobradex', 'erythromycin', 'ketorolac', 'artificial tears', 'cyclosporine', 'restasis', 'lifitegrast', 'xiidra', 'atropine', 'cyclopentolate', 'ranibizumab', 'lucentis', 'aflibercept', 'eylea', 'bevacizumab', 'avastin', 'faricimab',
  'triamcinolone', 'clobetasol', 'betamethasone', 'mometasone', 'desonide', 'tacrolimus', 'pimecrolimus', 'tretinoin', 'adapalene', 'benzoyl peroxide', 'isotretinoin', 'minocycline', 'ketoconazole', 'clotrimazole', 'permethrin', 'dupilumab', 'dupixent', 'imiquimod', 'fluorouracil',
  'norgestimate(?:/ethinyl estradiol)?', 'ethinyl estradiol', 'cholecalciferol', 'vitamin d3', 'ergocalciferol', 'phenazopyridine', 'varenicline', 'chantix', 'nicotine(?: patch| gum| lozenge)?', 'calcipotriene', 'lacosamide', 'vimpat', 'chlordiazepoxide', 'thiamine', 'prazosin', 'ferrous gluconate', 'rifaximin', 'apremilast', 'secukinumab', 'ustekinumab', 'risankizumab', 'belimumab', 'nitrofurantoin macrocrystals', 'sumatriptan', 'topiramate',
  'cetirizine', 'zyrtec', 'loratadine', 'claritin', 'fexofenadine', 'diphenhydramine', 'benadryl', 'hydroxyzine', 'pseudoephedrine', 'guaifenesin', 'benzonatate', 'dextromethorphan', 'fluticasone nasal', 'flonase', 'oral contraceptives?', 'seasonale', 'estradiol', 'medroxyprogesterone', 'tamsulosin', 'finasteride', 'sildenafil', 'oxybutynin',
];

const DRUG_RE = new RegExp(`\\b(${DRUGS.join('|')})\\b`, 'gi');
const DOSE = /\b(\d+(?:\.\d+)?(?:\s*\/\s*\d+(?:\.\d+)?)?\s*(?:mg|mcg|µg|g|grams?|units?|iu|ml|mL|meq|mEq|%|puffs?|tabs?|tablets?|capsules?|drops?|gtts?|sprays?)(?:\/(?:kg|day|hr|ml))?)(?![a-z])/i;
const FREQ = /\b((?:\d+\s*(?:drops?|gtts?|puffs?|tabs?|tablets?|capsules?)\s*)?(?:(?:in\s*)?(?:od|os|ou|each eye|both eyes)\s*)?(?:(?:once|twice|three times|four times|one time|two times)\s*(?:a|per|each)?\s*(?:day|daily|week|weekly|month|night)|(?:q\.?\s?d\.?|b\.?i\.?d\.?|t\.?i\.?d\.?|q\.?i\.?d\.?|q\.?h\.?s\.?|q\.?a\.?m\.?|q\.?p\.?m\.?|q\s?\d{1,2}\s?h(?:ours?)?|q\.?\s?day|qhs|qam|qpm|daily|nightly|weekly|monthly|every (?:day|morning|evening|night|other day|\d+(?:\s*(?:-|to)\s*\d+)?\s*(?:hours?|days?|weeks?|months?))|at bedtime|in the (?:morning|evening)|with meals|as needed|p\.?r\.?n\.?|once|stat))(?:\s*(?:as needed|p\.?r\.?n\.?|for [a-z ]{3,20}))?)\b/i;

function statusFrom(text: string): MedicationDraft['status'] {
  const t = text.toLowerCase();
  if (/\b(stop|stopped|discontinue|discontinued|d\/c|hold|held|off of|no longer (taking|on)|taper off)\b/.test(t)) return 'discontinued';
  if (/\b(increase|increased|decrease|decreased|reduce|reduced|change|changed|switch|switched|titrate|adjust|adjusted|double|doubled|uptitrate|wean)\b/.test(t)) return 'changed';
  if (/\b(start|started|starting|begin|initiate|initiated|new(ly)? prescribed|prescribe|prescribed|add|added|trial of|give|given|rx)\b/.test(t)) return 'new';
  return 'current';
}

function parseItem(item: string, knownName?: string): MedicationDraft | null {
  const text = cleanPhrase(item);
  if (!text || /^(none|no medications?|no current medications?|nil|n\/a|noncontributory|unknown)\b/i.test(text)) return null;
  let name = knownName ?? '';
  if (!name) {
    const head = /^([A-Za-z][A-Za-z0-9\-/ ]{1,40}?)(?=\s+\d|\s*,|\s*\(|\s*$|\s+(?:p\.?o|once|twice|daily|b\.?i\.?d|t\.?i\.?d|q\.?i\.?d|q\d|prn|at bedtime|1 drop|one drop|drops|tablet|in the)\b)/i.exec(text);
    if (!head) return null;
    name = head[1]!.replace(/\b(take|takes|taking|on|also|and|continue|started|start|stop|increase)\b/gi, '').replace(/^(an?|the)\s+/i, '').trim();
  }
  if (!name || name.length < 3 || name.split(' ').length > 4 || /\b(unknown|dose|dosage|medications?|none|please|see|chart|discharge|includ\w*|presumably|patient|he|she|list|reviewed|as above)\b/i.test(name)) return null;
  const dose = DOSE.exec(text)?.[1]?.replace(/\s+/g, ' ') ?? null;
  const freqM = FREQ.exec(text);
  const route = /\b(p\.o\.|po|by mouth|orally|topically|inhaled|subcutaneous(?:ly)?|iv|im)(?=[\s,;]|$)/i.exec(text)?.[1];
  const frequency = freqM
    ? `${route && !/\b(ou|od|os)\b/i.test(freqM[1]!) ? `${route} ` : ''}${freqM[1]!}`.replace(/\s+/g, ' ').replace(/[\s,;]+$/, '').replace(/\s+(and|or|with)$/i, '')
    : null;
  return { name: capitalize(name.toLowerCase() === name ? name : name), dose, frequency, status: statusFrom(text) };
}

function splitMedicationList(body: string): string[] {
  return body
    .split(/\n|;|,(?![^()]*\))(?=\s*[A-Za-z])|\s+(?=\d{1,2}[.)]\s+[A-Za-z])/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export function extractMedications(sections: Section[]): MedicationDraft[] {
  const meds: MedicationDraft[] = [];
  const key = (n: string) => n.toLowerCase().replace(/[^a-z]/g, '');
  const upsert = (m: MedicationDraft, prefer: boolean) => {
    const existing = meds.find((x) => key(x.name) === key(m.name) || key(x.name).startsWith(key(m.name)) || key(m.name).startsWith(key(x.name)));
    if (!existing) meds.push(m);
    else if (prefer) {
      if (m.status !== 'current') existing.status = m.status;
      existing.dose = m.dose ?? existing.dose;
      existing.frequency = m.frequency ?? existing.frequency;
    }
  };
  for (const s of sections) {
    if (s.kind !== 'medications') continue;
    const discharge = /discharge/i.test(s.heading);
    for (const item of splitMedicationList(s.body)) {
      // A list item may still carry a known drug later in the phrase ("also on aspirin").
      const drug = new RegExp(DRUG_RE.source, 'i').exec(item);
      const m = parseItem(item, drug ? drug[1] : undefined);
      if (m) upsert({ ...m, status: discharge && m.status === 'current' ? 'current' : m.status }, false);
    }
  }
  for (const s of sections) {
    if (!['plan', 'assessment_plan', 'assessment', 'hpi', 'follow_up'].includes(s.kind)) continue;
    const inPlan = s.kind !== 'hpi';
    for (const line of s.body.split(/\n|(?<=\.)\s+/)) {
      DRUG_RE.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = DRUG_RE.exec(line))) {
        const before = line.slice(Math.max(0, m.index - 60), m.index);
        const after = line.slice(m.index, m.index + 80).split(/;|\.(?!\d)|,\s*(?=[a-z]+\s+\d)/)[0] ?? '';
        const ctx = `${before.split(/[.;]/).pop() ?? ''} ${after}`;
        if (/\b(allerg\w*|intoleran\w*|reaction to)\b/i.test(before.split(/[,;]/).pop() ?? '')) continue;
        if (/\b(no|denies|not on|never)\s+(\w+\s+){0,2}$/i.test(before)) continue;
        const draft = parseItem(after, m[1]);
        if (!draft) continue;
        const status = statusFrom(ctx);
        draft.status = inPlan ? status : status === 'current' ? 'current' : status;
        upsert(draft, inPlan);
      }
    }
  }
  return meds.slice(0, 40);
}

const NO_ALLERGY = /\b(nkda|nka|no known (drug |medication )?allergies|no (drug |medication )?allergies|allergies:?\s*(none|nil|denies|no known))\b/i;

/** Allergies; ["No known drug allergies"] when the note says so explicitly. */
export function extractAllergies(sections: Section[], fullText: string): string[] {
  const out: string[] = [];
  const add = (a: string) => {
    const c = capitalize(cleanPhrase(a).replace(/^(allergic to|allergies to|allergy to|is allergic to|she is allergic to|he is allergic to)\s+/i, ''));
    if (c.length >= 3 && c.length <= 80 && !out.some((o) => o.toLowerCase() === c.toLowerCase())) out.push(c);
  };
  for (const s of sections.filter((x) => x.kind === 'allergies')) {
    const body = s.body.trim();
    if (NO_ALLERGY.test(body) || /^(none|no|nil|denies|no known)\b/i.test(body)) return ['No known drug allergies'];
    for (const part of body.split(/\n|;|,|\band\b/)) {
      const p = part.trim();
      if (p && !/^(unknown|see above|n\/a)$/i.test(p) && !/^(but )?(no|not|denies)\b/i.test(p)) add(p.replace(/\((.*?)\)/, '($1)'));
    }
  }
  if (out.length) return out;
  if (NO_ALLERGY.test(fullText)) return ['No known drug allergies'];
  const re = /\ballergic to ([a-z][a-z ,/-]{2,60}?)(?:[.;\n]|$)/gi;
  let m: RegExpExecArray | null;
  while ((m = re.exec(fullText))) for (const p of m[1]!.split(/,|\band\b|\bor\b/)) if (p.trim()) add(p);
  return out;
}
