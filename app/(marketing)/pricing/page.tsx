import type { Metadata } from 'next';
import { Suspense } from 'react';
import { Check, Minus } from 'lucide-react';
import { CurrentPlanBadge, PlanAction, PricingNotices, PricingProvider } from '@/components/billing/pricing-state';
import { Table, TableCaption, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { FEATURE_LABELS, formatQuota, PLAN_IDS, PLANS, type PlanFeature } from '@/lib/billing/plans';

// Static: the plan table is built once from lib/billing/plans.ts. Who is looking
// (their clinic's plan, their role, billing on or off) and the ?feature= and
// ?checkout= notices are filled in by the client components.
export const metadata: Metadata = {
  title: 'Pricing',
  description: 'Maneiro plans: monthly price, jobs per month and features of Free, Basic, Professional and Enterprise.',
};

const ALL_FEATURES = Object.keys(FEATURE_LABELS) as PlanFeature[];
const PLAN_LIST = PLAN_IDS.map((id) => PLANS[id]);

function formatPrice(usd: number): string {
  return `$${usd.toLocaleString('en-US')}`;
}

function formatMegabytes(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`;
}

function Included({ included }: { included: boolean }) {
  return included ? (
    <>
      <Check className="size-4 text-brand-600" aria-hidden="true" />
      <span className="sr-only">Included</span>
    </>
  ) : (
    <>
      <Minus className="size-4 text-slate-400" aria-hidden="true" />
      <span className="sr-only">Not included</span>
    </>
  );
}

export default function PricingPage() {
  return (
    <PricingProvider>
      <section aria-labelledby="pricing-heading" className="bg-linear-to-b from-brand-50 to-white">
        <div className="mx-auto max-w-6xl px-4 pt-14 pb-8 sm:px-6 sm:pt-20">
          <p className="text-sm font-semibold text-brand-700">Pricing</p>
          <h1 id="pricing-heading" className="mt-2 max-w-3xl text-3xl font-bold tracking-tight text-balance text-slate-950 sm:text-5xl">
            Plans that grow with the clinic
          </h1>
          <p className="mt-4 max-w-2xl text-base text-slate-700 sm:text-lg">
            Each analysis, transcription, letter or fax triage counts as one job. Paid plans are billed monthly through Stripe
            and can be changed or canceled at any time; a change takes effect as Stripe applies it.
          </p>
          <div className="mt-8 max-w-3xl">
            {/* Reads the query string: rendered in the browser, so the rest of the page stays static. */}
            <Suspense fallback={null}>
              <PricingNotices />
            </Suspense>
          </div>
        </div>
      </section>

      <section aria-labelledby="plans-heading">
        <div className="mx-auto max-w-6xl px-4 pb-16 sm:px-6">
          <h2 id="plans-heading" className="sr-only">
            Plans
          </h2>
          <ul className="grid gap-6 sm:grid-cols-2 lg:grid-cols-4">
            {PLAN_LIST.map((plan) => (
              <li key={plan.id} className="flex flex-col rounded-lg border border-slate-200 bg-white p-6 shadow-xs" data-plan={plan.id}>
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <h3 className="text-lg font-semibold text-slate-950">{plan.name}</h3>
                  <CurrentPlanBadge plan={plan.id} />
                </div>
                <p className="mt-1 text-sm text-slate-600">{plan.summary}</p>
                <p className="mt-5 flex items-baseline gap-1">
                  <span className="text-3xl font-bold text-slate-950">{formatPrice(plan.monthlyPriceUsd)}</span>
                  <span className="text-sm text-slate-600">per month</span>
                </p>
                <p className="mt-1 text-sm font-medium text-slate-800">
                  {plan.monthlyJobQuota === null ? 'Unlimited jobs' : `${formatQuota(plan.monthlyJobQuota)} jobs a month`}
                </p>
                <ul className="mt-5 flex-1 space-y-2 text-sm">
                  {ALL_FEATURES.filter((feature) => plan.features.has(feature)).map((feature) => (
                    <li key={feature} className="flex gap-2 text-slate-800">
                      <Check className="mt-0.5 size-4 shrink-0 text-brand-600" aria-hidden="true" />
                      {FEATURE_LABELS[feature]}
                    </li>
                  ))}
                </ul>
                <div className="mt-6">
                  <PlanAction plan={plan.id} />
                </div>
              </li>
            ))}
          </ul>
        </div>
      </section>

      <section aria-labelledby="compare-heading" className="bg-slate-50">
        <div className="mx-auto max-w-6xl px-4 py-16 sm:px-6">
          <h2 id="compare-heading" className="text-2xl font-bold tracking-tight text-slate-950 sm:text-3xl">
            Compare plans
          </h2>
          <div className="mt-8">
            <Table label="Plan comparison">
              <TableCaption>Prices in US dollars per month. Job allowances start again with each billing period.</TableCaption>
              <THead>
                <TR>
                  <TH>
                    <span className="sr-only">Feature</span>
                  </TH>
                  {PLAN_LIST.map((plan) => (
                    <TH key={plan.id} className="text-center">
                      {plan.name}
                    </TH>
                  ))}
                </TR>
              </THead>
              <TBody>
                <TR>
                  <TH scope="row" className="font-medium text-slate-900">
                    Price
                  </TH>
                  {PLAN_LIST.map((plan) => (
                    <TD key={plan.id} className="text-center tabular-nums">
                      {plan.monthlyPriceUsd === 0 ? '$0' : `${formatPrice(plan.monthlyPriceUsd)}/month`}
                    </TD>
                  ))}
                </TR>
                <TR>
                  <TH scope="row" className="font-medium text-slate-900">
                    Jobs per month
                  </TH>
                  {PLAN_LIST.map((plan) => (
                    <TD key={plan.id} className="text-center tabular-nums">
                      {formatQuota(plan.monthlyJobQuota)}
                    </TD>
                  ))}
                </TR>
                <TR>
                  <TH scope="row" className="font-medium text-slate-900">
                    Largest upload
                  </TH>
                  {PLAN_LIST.map((plan) => (
                    <TD key={plan.id} className="text-center tabular-nums">
                      {formatMegabytes(plan.maxUploadBytes)}
                    </TD>
                  ))}
                </TR>
                {ALL_FEATURES.map((feature) => (
                  <TR key={feature}>
                    <TH scope="row" className="font-medium whitespace-normal text-slate-900">
                      {FEATURE_LABELS[feature]}
                    </TH>
                    {PLAN_LIST.map((plan) => (
                      <TD key={plan.id}>
                        <span className="flex justify-center">
                          <Included included={plan.features.has(feature)} />
                        </span>
                      </TD>
                    ))}
                  </TR>
                ))}
              </TBody>
            </Table>
          </div>
          <dl className="mt-10 grid gap-6 text-sm sm:grid-cols-3">
            <div>
              <dt className="font-semibold text-slate-950">What counts as a job</dt>
              <dd className="mt-1 text-slate-600">
                One analysis, transcription, letter or fax triage. A job that fails or is canceled does not count.
              </dd>
            </div>
            <div>
              <dt className="font-semibold text-slate-950">Changing or canceling</dt>
              <dd className="mt-1 text-slate-600">
                Owners change plans, update the card or cancel from Settings, Billing. A canceled plan stays until the end of
                the period already paid.
              </dd>
            </div>
            <div>
              <dt className="font-semibold text-slate-950">If a payment fails</dt>
              <dd className="mt-1 text-slate-600">
                The plan stays active for a grace period while the card is updated; after that the clinic moves to Free until
                it is paid.
              </dd>
            </div>
          </dl>
        </div>
      </section>
    </PricingProvider>
  );
}
