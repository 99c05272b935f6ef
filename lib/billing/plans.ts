// The plans a clinic can subscribe to: the one place the pricing page, the quota,
// the feature gates, upload limits and the API read. Prices are display values
// (Stripe holds the real ones, configured as STRIPE_PRICE_*).

export const PLAN_IDS = ['free', 'basic', 'professional', 'enterprise'] as const;
export type PlanId = (typeof PLAN_IDS)[number];

export type PlanFeature =
  | 'analysis'
  | 'letters'
  | 'pdfExport'
  | 'transcription'
  | 'priorityQueue'
  | 'apiAccess'
  | 'whiteLabel';

export interface PlanDefinition {
  id: PlanId;
  name: string;
  monthlyPriceUsd: number;
  /** Jobs a clinic may start per quota period (a month); null means unlimited (still counted). */
  monthlyJobQuota: number | null;
  /** Largest file a member may upload. */
  maxUploadBytes: number;
  features: ReadonlySet<PlanFeature>;
  summary: string;
}

const MB = 1024 * 1024;

const base: PlanFeature[] = ['analysis', 'letters', 'pdfExport'];

export const PLANS: Record<PlanId, PlanDefinition> = {
  free: {
    id: 'free',
    maxUploadBytes: 10 * MB,
    name: 'Free',
    monthlyPriceUsd: 0,
    monthlyJobQuota: 5,
    features: new Set(base),
    summary: 'Try Maneiro on a handful of notes each month.',
  },
  basic: {
    id: 'basic',
    maxUploadBytes: 25 * MB,
    name: 'Basic',
    monthlyPriceUsd: 29,
    monthlyJobQuota: 50,
    features: new Set<PlanFeature>([...base, 'transcription']),
    summary: 'For a solo clinician who dictates.',
  },
  professional: {
    id: 'professional',
    maxUploadBytes: 50 * MB,
    name: 'Professional',
    monthlyPriceUsd: 99,
    monthlyJobQuota: 500,
    features: new Set<PlanFeature>([...base, 'transcription', 'priorityQueue']),
    summary: 'For a busy clinic with several clinicians and front-desk staff.',
  },
  enterprise: {
    id: 'enterprise',
    maxUploadBytes: 100 * MB,
    name: 'Enterprise',
    monthlyPriceUsd: 299,
    monthlyJobQuota: null,
    features: new Set<PlanFeature>([...base, 'transcription', 'priorityQueue', 'apiAccess', 'whiteLabel']),
    summary: 'For groups that integrate through the API and send under their own brand.',
  },
};

export const FEATURE_LABELS: Record<PlanFeature, string> = {
  analysis: 'File upload and clinical analysis',
  letters: 'Referral, patient and insurance letters',
  pdfExport: 'PDF export on your letterhead',
  transcription: 'Audio transcription',
  priorityQueue: 'Priority processing queue',
  apiAccess: 'REST API access',
  whiteLabel: 'White-label output',
};

export const PAID_PLAN_IDS = ['basic', 'professional', 'enterprise'] as const satisfies readonly PlanId[];
export type PaidPlanId = (typeof PAID_PLAN_IDS)[number];

export function isPaidPlan(plan: string): plan is PaidPlanId {
  return (PAID_PLAN_IDS as readonly string[]).includes(plan);
}

/** The cheapest plan that includes the feature (for "upgrade to …" messages). */
export function lowestPlanWith(feature: PlanFeature): PlanDefinition {
  const plan = PLAN_IDS.map((id) => PLANS[id]).find((p) => p.features.has(feature));
  if (!plan) throw new Error(`no plan includes ${feature}`);
  return plan;
}

export function formatQuota(quota: number | null): string {
  return quota === null ? 'Unlimited' : quota.toLocaleString('en-US');
}

export function planHasFeature(plan: PlanId, feature: PlanFeature): boolean {
  return PLANS[plan].features.has(feature);
}
