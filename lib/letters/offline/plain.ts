// Plain language for patient letters: everyday names and short explanations of
// common conditions, replacements for clinical shorthand, and a check for words
// a patient letter should not contain (jargon, alarming words, ICD-10 codes).
import type { Diagnosis } from '@/lib/analysis/schema';
import { clause, lowerFirst } from './text';

export interface PlainCondition {
  /** ICD-10 prefixes without the dot. */
  codes: readonly string[];
  words: RegExp;
  /** The condition after "your": "glaucoma", "cataract". */
  noun: string;
  /** The condition after "you have": "glaucoma", "a cataract". */
  have: string;
  /** Form after "you have" when both eyes are affected. */
  haveBoth?: string;
  /** Short explanations, most important first. */
  about: readonly string[];
  /** Signs that should prompt a call to the clinic. */
  watch: readonly string[];
  /** The condition has stages a patient can be told about (early, middle, later). */
  staged?: boolean;
}

const EYE_WATCH = ['Eye pain or redness', 'A sudden change in your vision', 'New flashes of light or floaters'];

export const PLAIN_CONDITIONS: readonly PlainCondition[] = [
  {
    codes: ['H40', 'H42'],
    words: /glaucoma/i,
    noun: 'glaucoma',
    staged: true,
    have: 'glaucoma',
    about: [
      'Glaucoma slowly harms the nerve at the back of the eye.',
      'This nerve carries what the eye sees to the brain.',
      'Treatment lowers the pressure in the eye to protect sight.',
      'Most people keep good vision when they use their drops every day.',
    ],
    watch: ['Eye pain or redness', 'Seeing rainbow rings around lights', 'A sudden change in your vision'],
  },
  {
    codes: ['H25', 'H26', 'H28'],
    words: /cataract/i,
    noun: 'cataract',
    have: 'a cataract',
    haveBoth: 'cataracts',
    about: [
      'A cataract means the clear lens inside the eye has become cloudy.',
      'This can make things look blurry or faded.',
      'It usually changes slowly.',
      'A short, routine operation can fix it when it starts to get in the way of daily life.',
    ],
    watch: EYE_WATCH,
  },
  {
    codes: ['H353'],
    words: /macular degeneration/i,
    noun: 'macular degeneration',
    staged: true,
    have: 'macular degeneration',
    about: ['This affects the macula, the part of the eye used for reading and fine detail.', 'Regular checks help us treat changes early.'],
    watch: ['Straight lines that look wavy', 'A new blurry spot in the middle of your vision'],
  },
  {
    codes: ['E103', 'E113', 'E133', 'H36'],
    words: /diabetic (retinopathy|macular)/i,
    noun: 'diabetic eye changes',
    staged: true,
    have: 'diabetic eye changes',
    about: ['Diabetes can affect the small blood vessels at the back of the eye.', 'Good control of blood sugar and blood pressure helps keep the eyes healthy.'],
    watch: EYE_WATCH,
  },
  {
    codes: ['H041', 'H16'],
    words: /dry eye/i,
    noun: 'dry eye',
    have: 'dry eye',
    about: ['The eyes do not make enough good tears.', 'This can cause burning, grittiness or vision that blurs and clears.'],
    watch: ['Eye pain or redness that does not settle'],
  },
  {
    codes: ['I10', 'I11', 'I12', 'I13', 'I15', 'I16'],
    words: /hypertension|high blood pressure/i,
    noun: 'high blood pressure',
    have: 'high blood pressure',
    about: [
      'High blood pressure often has no symptoms.',
      'Over time it can strain the heart, kidneys and blood vessels.',
      'Medicine, less salt and regular exercise all help bring it down.',
    ],
    watch: ['A very bad headache', 'Chest pain or trouble breathing'],
  },
  {
    codes: ['I48'],
    words: /atrial fibrillation|atrial flutter/i,
    noun: 'irregular heartbeat (atrial fibrillation)',
    have: 'an irregular heartbeat called atrial fibrillation',
    about: [
      'With this condition the heart sometimes beats out of rhythm.',
      'Some people feel a fluttering in the chest, and others feel nothing.',
      'Treatment helps control the heartbeat and protects against blood clots.',
    ],
    watch: ['A racing or pounding heartbeat that does not settle', 'Feeling faint', 'Weakness or trouble speaking'],
  },
  {
    codes: ['I50'],
    words: /heart failure/i,
    noun: 'heart condition',
    have: 'a heart that is not pumping as strongly as it should',
    about: ['Medicines and healthy habits help the heart work better.', 'Weighing yourself each morning helps spot fluid building up.'],
    watch: ['Quick weight gain over a few days', 'Swollen ankles', 'Trouble breathing when lying flat'],
  },
  {
    codes: ['I20', 'I25'],
    words: /coronary|angina/i,
    noun: 'heart artery disease',
    have: 'narrowed arteries around the heart',
    about: ['The blood vessels that feed the heart have become narrower.', 'Medicine and healthy habits help keep blood flowing well.'],
    watch: ['Chest pain or pressure', 'Trouble breathing'],
  },
  {
    codes: ['E78'],
    words: /lipid|cholesterol/i,
    noun: 'high cholesterol',
    have: 'high cholesterol',
    about: ['Cholesterol is a fat in the blood.', 'Too much of it can build up in blood vessels over time.', 'Diet, exercise and medicine can bring it down.'],
    watch: [],
  },
  {
    codes: ['E11', 'E13'],
    words: /type 2 diabetes|diabetes/i,
    noun: 'type 2 diabetes',
    have: 'type 2 diabetes',
    about: ['This means the body has trouble keeping blood sugar in a healthy range.', 'Food choices, activity and medicine all help.'],
    watch: ['Feeling very thirsty or passing a lot of urine', 'Feeling shaky, sweaty or confused'],
  },
  {
    codes: ['E10'],
    words: /type 1 diabetes/i,
    noun: 'type 1 diabetes',
    have: 'type 1 diabetes',
    about: ['The body does not make its own insulin, so insulin is given every day.'],
    watch: ['Feeling shaky, sweaty or confused', 'Feeling sick or throwing up'],
  },
  {
    codes: ['E03'],
    words: /hypothyroid|underactive thyroid/i,
    noun: 'underactive thyroid',
    have: 'an underactive thyroid',
    about: ['The thyroid gland in the neck is not making enough hormone.', 'This can cause tiredness and weight gain.', 'A daily tablet usually puts this right.'],
    watch: [],
  },
  {
    codes: ['E05'],
    words: /hyperthyroid|overactive thyroid|graves/i,
    noun: 'overactive thyroid',
    have: 'an overactive thyroid',
    about: ['The thyroid gland in the neck is making too much hormone.', 'This can cause a fast heartbeat, shaking and weight loss.'],
    watch: ['A racing heartbeat'],
  },
  {
    codes: ['J45'],
    words: /asthma/i,
    noun: 'asthma',
    have: 'asthma',
    about: ['Asthma makes the airways narrow at times.', 'This can cause coughing, wheezing or a tight chest.'],
    watch: ['Your reliever inhaler is not helping', 'Trouble speaking in full sentences'],
  },
  {
    codes: ['J44'],
    words: /copd|chronic obstructive/i,
    noun: 'lung condition (COPD)',
    staged: true,
    have: 'a long-term lung condition called COPD',
    about: ['COPD makes it harder to move air in and out of the lungs.', 'Inhalers and staying active help with breathing.'],
    watch: ['Breathing that is much harder than usual', 'A change in the colour of your phlegm'],
  },
  {
    codes: ['G43'],
    words: /migraine/i,
    noun: 'migraine',
    have: 'migraine',
    about: ['Migraines are strong headaches that can come with feeling sick or a dislike of light.'],
    watch: ['The worst headache you have ever had', 'Weakness or trouble speaking'],
  },
  {
    codes: ['M15', 'M16', 'M17', 'M18', 'M19'],
    words: /osteoarthritis/i,
    noun: 'arthritis',
    staged: true,
    have: 'wear-and-tear arthritis',
    about: ['The smooth lining of the joint has worn down.', 'This causes pain and stiffness.', 'Exercise, weight control and pain relief help.'],
    watch: [],
  },
  {
    codes: ['M54'],
    words: /back pain|lumbago|sciatica/i,
    noun: 'back pain',
    have: 'back pain',
    about: ['Most back pain gets better with time and gentle movement.'],
    watch: ['Numbness between the legs', 'Trouble passing urine', 'Weakness in the legs'],
  },
  {
    codes: ['K21'],
    words: /reflux|gerd|gord/i,
    noun: 'acid reflux',
    have: 'acid reflux',
    about: ['Stomach acid comes back up into the food pipe.', 'This can cause heartburn.'],
    watch: ['Trouble swallowing', 'Black or tarry stools'],
  },
  {
    codes: ['F32', 'F33'],
    words: /depress/i,
    noun: 'low mood (depression)',
    have: 'depression',
    about: ['Depression is common and treatable.', 'It can affect mood, sleep and energy.'],
    watch: ['Thoughts of harming yourself'],
  },
  {
    codes: ['F41'],
    words: /anxiety|panic/i,
    noun: 'anxiety',
    have: 'anxiety',
    about: ['Anxiety is common and treatable.', 'Talking therapy and sometimes medicine can help.'],
    watch: [],
  },
  {
    codes: ['N18'],
    words: /chronic kidney|\bckd\b/i,
    noun: 'kidney condition',
    staged: true,
    have: 'kidneys that are not working as well as they should',
    about: ['The kidneys clean the blood.', 'Keeping blood pressure and blood sugar under control helps protect them.'],
    watch: ['Swelling of the legs', 'Passing much less urine than usual'],
  },
  {
    codes: ['R05'],
    words: /cough/i,
    noun: 'cough',
    have: 'a cough that has lasted a while',
    about: ['A cough that lasts can have many causes, and most are easy to treat.'],
    watch: ['Coughing up blood', 'Trouble breathing', 'Fever that does not go away'],
  },
];

export function plainCondition(d: Diagnosis): PlainCondition | null {
  if (d.icd10Code) {
    const bare = d.icd10Code.replace('.', '').toUpperCase();
    let best: { entry: PlainCondition; length: number } | null = null;
    for (const entry of PLAIN_CONDITIONS) {
      for (const prefix of entry.codes) if (bare.startsWith(prefix) && (!best || prefix.length > best.length)) best = { entry, length: prefix.length };
    }
    if (best) return best.entry;
  }
  return PLAIN_CONDITIONS.find((e) => e.words.test(d.label)) ?? null;
}

/** Clinical shorthand → everyday words, in order (longer phrases first). */
const REPLACEMENTS: readonly [RegExp, string][] = [
  [/\bintraocular pressures?\b/gi, 'eye pressure'],
  [/\bIOP\b/g, 'eye pressure'],
  [/\bOU\b/g, 'both eyes'],
  [/\bOD\b/g, 'right eye'],
  [/\bOS\b/g, 'left eye'],
  [/\bunilateral(ly)?\b/gi, 'on one side'],
  [/\b(b\.i\.d\.|bid)(?!\w)/gi, 'twice a day'],
  [/\b(t\.i\.d\.|tid)(?!\w)/gi, 'three times a day'],
  [/\b(q\.i\.d\.|qid)(?!\w)/gi, 'four times a day'],
  [/\b(q\.h\.s\.|qhs)(?!\w)/gi, 'at bedtime'],
  [/\b(q\.d\.|qd)(?!\w)/gi, 'once a day'],
  [/\b(p\.r\.n\.|prn)(?!\w)/gi, 'when needed'],
  [/\bp\.o\.(?=\s|$)|\bPO\b/g, 'by mouth'],
  [/\bHTN\b/g, 'high blood pressure'],
  [/\bhypertension\b/gi, 'high blood pressure'],
  [/\b(hyper|dys)lipid(a)?emia\b|\bhypercholesterol(a)?emia\b/gi, 'high cholesterol'],
  [/\bdiabetes mellitus\b/gi, 'diabetes'],
  [/\bT2DM\b/g, 'type 2 diabetes'],
  [/\bmyocardial infarction\b/gi, 'heart attack'],
  [/\bBP\b/g, 'blood pressure'],
  [/\bHR\b/g, 'heart rate'],
  [/\bf\/u\b/gi, 'follow-up'],
  [/\bRTC\b/g, 'return visit'],
  [/\bvisual fields?( tests?| testing)?\b/gi, 'side vision test'],
  [/\bVF\b/g, 'side vision test'],
  [/\bOCT( RNFL)?\b/g, 'eye scan'],
  [/\bRNFL\b/g, 'nerve layer'],
  [/\b(ECG|EKG)\b/g, 'heart tracing (ECG)'],
  [/\bechocardiogra(m|phy)\b/gi, 'heart ultrasound'],
  [/\b(Hb)?A1c\b/g, 'long-term blood sugar test'],
  [/\bophthalmolog(ist|y)\b/gi, 'eye specialist'],
  [/\bcardiolog(ist|y)\b/gi, 'heart specialist'],
  [/\bintensify\b/gi, 'step up'],
  [/\banticoagula(tion|nt)\b/gi, 'blood thinner'],
  [/\brate control\b/gi, 'medicine to steady the heart rate'],
  [/\blipids?\b/gi, 'cholesterol'],
  [/\bantihypertensives?\b/gi, 'blood pressure medicine'],
  [/\bmonitor\b/gi, 'keep checking'],
  [/\breassess\b/gi, 'check again'],
  [/\btitrate\b/gi, 'adjust'],
  [/\binitiate\b/gi, 'start'],
  [/\bdiscontinued?\b/gi, 'stop'],
  [/\bchronic\b/gi, 'long-term'],
  [/\bidiopathic\b/gi, 'of unknown cause'],
  [/\s*\bmm ?Hg\b/gi, ''],
  [/\bpt\b/gi, 'patient'],
];

/** Everyday words for clinical shorthand; "bilateral" reads "in both eyes" for eye conditions. */
export function plainify(value: string, eye: boolean): string {
  let out = value;
  for (const [re, replacement] of REPLACEMENTS) out = out.replace(re, replacement);
  out = out.replace(/\bbilateral(ly)?\b/gi, eye ? 'in both eyes' : 'on both sides');
  return out.replace(/\s{2,}/g, ' ').trim();
}

/** Jargon, alarming words and codes a patient letter must not contain. */
const NOT_FOR_PATIENTS =
  /\b(bilateral|unilateral|intraocular|idiopathic|a?etiology|prognosis|contralateral|ipsilateral|sequelae?|malignan\w*|neoplas\w*|carcinoma|metasta\w*|lesions?|cancer|tumou?rs?|fatal|death|dying|die|blind(ness)?|emergen\w*|dangerous|critical|severe(ly)?|life-threatening|terminal|catastroph\w*|alarming|urgent(ly)?|stat|exacerbation|mmhg|icd(-?10)?|titrat\w*|status post|s\/p|r\/o|w\/u|dx|hx|sx|tx)\b|\b[A-Z][0-9][0-9A-Z]\.[0-9A-Z]{1,4}\b/i;

export function suitableForPatient(value: string): boolean {
  return !NOT_FOR_PATIENTS.test(value);
}

/** A clinician's line made plain, or null when it still needs a clinician to explain it. */
export function plainLine(value: string | null | undefined, eye: boolean): string | null {
  if (!value) return null;
  const plain = plainify(clause(value), eye);
  return plain && suitableForPatient(plain) ? plain : null;
}

const STAGE: Record<Diagnosis['severity'], string | null> = { mild: 'an early stage', moderate: 'a middle stage', severe: 'a later stage', unspecified: null };

export function stageSentence(d: Diagnosis): string | null {
  if (!plainCondition(d)?.staged) return null;
  const stage = STAGE[d.severity];
  return stage ? `It is at ${stage}.` : null;
}

/** Where an eye condition is: " in the right eye", " in both eyes", or "" (not an eye condition, or unknown). */
export function eyeSide(d: Diagnosis, eye: boolean): string {
  if (!eye) return '';
  if (d.laterality === 'right') return ' in the right eye';
  if (d.laterality === 'left') return ' in the left eye';
  if (d.laterality === 'bilateral') return ' in both eyes';
  return '';
}

/** The condition in plain words: for "you have …" (have) and after "your" (noun). */
export function plainNames(d: Diagnosis, eye: boolean): { have: string; noun: string; entry: PlainCondition | null; named: boolean } {
  const entry = plainCondition(d);
  const side = eyeSide(d, eye);
  if (entry) {
    const have = d.laterality === 'bilateral' && entry.haveBoth ? entry.haveBoth : entry.have;
    return { have: `${have}${side}`, noun: `${entry.noun}${side}`, entry, named: true };
  }
  // No plain entry: the clinician's label without laterality or staging words, made plain when possible.
  const label = lowerFirst(clause(d.label.split(',')[0] ?? d.label));
  const plain = plainLine(label, eye);
  if (!plain) return { have: 'a condition we will keep an eye on', noun: 'condition', entry: null, named: false };
  return { have: `${plain}${side}`, noun: `${plain}${side}`, entry: null, named: true };
}
