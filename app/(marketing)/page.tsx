import type { Metadata } from 'next';
import Link from 'next/link';
import {
  ArrowRight,
  Check,
  ClipboardCheck,
  Database,
  Download,
  FileAudio,
  FileText,
  HardDrive,
  Inbox,
  Mail,
  Minus,
  Sparkles,
  Stethoscope,
  Timer,
  Trash2,
  UserCheck,
  type LucideIcon,
} from 'lucide-react';
import { buttonClasses } from '@/components/ui/button';
import { FEATURE_LABELS, PLAN_IDS, PLANS, type PlanFeature } from '@/lib/billing/plans';
import { cn } from '@/lib/utils';

export const metadata: Metadata = {
  title: { absolute: 'Maneiro · Clinical documentation for clinics' },
  description:
    'Maneiro turns clinical notes, scans and recordings into a structured analysis with ICD-10 codes, drafts referral, patient and insurance letters on your letterhead, and helps the front desk triage incoming faxes.',
};

const ALL_FEATURES = Object.keys(FEATURE_LABELS) as PlanFeature[];
const FREE_QUOTA = PLANS.free.monthlyJobQuota;
/** The cheapest plan that includes transcription, named from the plan table so copy never drifts. */
const FIRST_TRANSCRIPTION_PLAN = PLAN_IDS.map((id) => PLANS[id]).find((plan) => plan.features.has('transcription'));

function formatQuota(quota: number | null): string {
  return quota === null ? 'Unlimited' : `${quota.toLocaleString('en-US')} jobs a month`;
}

const steps: { icon: LucideIcon; title: string; body: string }[] = [
  {
    icon: FileText,
    title: 'Upload',
    body: 'Add the documentation you already have: a typed note, a scanned page, or a recorded dictation.',
  },
  {
    icon: Stethoscope,
    title: 'Review the structured analysis',
    body: 'Maneiro lays the note out as diagnoses, plan, medications and warnings, so gaps and inconsistencies are easy to spot.',
  },
  {
    icon: Mail,
    title: 'Send letters as PDFs',
    body: 'Draft a letter from the analysis, edit it until it says what you mean, and export it on your clinic’s letterhead.',
  },
  {
    icon: Inbox,
    title: 'Triage incoming faxes',
    body: 'The front desk sees what each incoming document is and how urgently someone needs to look at it.',
  },
];

const analysisFields: { title: string; body: string }[] = [
  { title: 'Diagnoses', body: 'Each with its ICD-10 code and laterality (left, right or both) where it applies.' },
  { title: 'Plan', body: 'The next steps the note commits to, listed so none gets lost.' },
  { title: 'Medications', body: 'What the patient takes or is being started on, as written in the note.' },
  { title: 'Warnings', body: 'Findings that deserve a second look, surfaced instead of buried in prose.' },
  { title: 'References', body: 'Supporting sources you can follow up, listed with the analysis.' },
  { title: 'Documentation quality score', body: 'A score for the note itself, with what would make it clearer and more complete.' },
];

const letterTemplates: { title: string; body: string }[] = [
  { title: 'Standard referral', body: 'Hands a patient over to a colleague with the findings and the question you want answered.' },
  { title: 'Urgent referral', body: 'Puts the reason for urgency first so the receiving clinic can act on it quickly.' },
  { title: 'Co-management', body: 'Sets out who follows what when you share a patient’s care with another clinician.' },
  { title: 'Second opinion', body: 'Summarises the case neutrally and states what you would like reviewed.' },
  { title: 'Patient summary', body: 'Explains the visit and the next steps to the patient in everyday language.' },
  {
    title: 'Insurance / prior authorisation',
    body: 'Makes the case for a treatment or test with the diagnosis codes and findings an insurer looks for.',
  },
];

const roles: { icon: LucideIcon; title: string; body: string }[] = [
  { icon: UserCheck, title: 'Owners', body: 'Set up the clinic, choose the plan, and decide who joins.' },
  { icon: ClipboardCheck, title: 'Admins', body: 'Manage the team and the clinic settings, including letterhead and retention.' },
  { icon: Stethoscope, title: 'Clinicians', body: 'Upload documentation, review analyses, and edit and sign off letters.' },
  { icon: Inbox, title: 'Front-desk staff', body: 'Triage incoming faxes so the right person sees the right document in time.' },
];

const privacyFacts: { icon: LucideIcon; title: string; body: string }[] = [
  {
    icon: Database,
    title: 'Our database',
    body: 'Your account, your clinic’s settings, and the analyses and letters Maneiro produces are stored in our database.',
  },
  {
    icon: HardDrive,
    title: 'Our storage bucket',
    body: 'The files you upload and the PDFs you export are kept in our storage bucket.',
  },
  {
    icon: Sparkles,
    title: 'The AI provider, only when configured',
    body: 'When an AI provider is configured, the content of a document is sent to it to produce the analysis, transcript or letter. When none is configured, nothing is sent to one.',
  },
  {
    icon: Timer,
    title: 'A retention period you set',
    body: 'Your clinic can choose how long raw uploads are kept; after that period they are purged.',
  },
  {
    icon: Download,
    title: 'Export everything',
    body: 'Your clinic can export all of its data at any time.',
  },
  {
    icon: Trash2,
    title: 'Delete the clinic',
    body: 'Your clinic can be deleted, together with its data.',
  },
];

function SectionHeading({ id, eyebrow, title, intro }: { id: string; eyebrow?: string; title: string; intro?: string }) {
  return (
    <div className="max-w-2xl">
      {eyebrow && <p className="text-sm font-semibold text-brand-700">{eyebrow}</p>}
      <h2 id={id} className="mt-2 text-2xl font-bold tracking-tight text-balance text-slate-950 sm:text-3xl">
        {title}
      </h2>
      {intro && <p className="mt-3 text-base text-slate-700 sm:text-lg">{intro}</p>}
    </div>
  );
}

function IconTiles({ items, className }: { items: readonly { icon: LucideIcon; title: string; body: string }[]; className: string }) {
  return (
    <ul className={`mt-10 grid gap-4 sm:grid-cols-2 ${className}`}>
      {items.map(({ icon: Icon, title, body }) => (
        <li key={title} className="rounded-lg border border-slate-200 p-5">
          <Icon className="size-6 text-brand-700" aria-hidden="true" />
          <h3 className="mt-3 font-semibold text-slate-950">{title}</h3>
          <p className="mt-1 text-sm text-slate-600">{body}</p>
        </li>
      ))}
    </ul>
  );
}

export default function LandingPage() {
  return (
    <>
      {/* Hero */}
      <section aria-labelledby="hero-heading" className="bg-linear-to-b from-brand-50 to-white">
        <div className="mx-auto max-w-6xl px-4 py-16 sm:px-6 sm:py-24">
          <p className="text-sm font-semibold text-brand-700">Post-visit reasoning and documentation quality</p>
          <h1
            id="hero-heading"
            className="mt-3 max-w-3xl text-3xl font-bold tracking-tight text-balance text-slate-950 sm:text-5xl"
          >
            Clearer clinical notes, and the letters that follow them.
          </h1>
          <p className="mt-5 max-w-2xl text-base text-slate-700 sm:text-lg">
            After the visit, upload the note, scan or recording. Maneiro organises it into a structured analysis you can
            check at a glance, drafts the referral, patient or insurance letter on your letterhead, and helps the front desk
            sort incoming faxes. It is not an ambient scribe: it works on the documentation you already have, and a
            clinician reviews everything it produces.
          </p>
          <div className="mt-8 flex flex-col gap-3 sm:flex-row">
            <Link href="/signup" className={buttonClasses('primary', 'lg')}>
              {FREE_QUOTA === null ? 'Start free' : `Start free with ${FREE_QUOTA} jobs a month`}
            </Link>
            <Link href="/#how-it-works" className={buttonClasses('outline', 'lg')}>
              See how it works
            </Link>
          </div>
        </div>
      </section>

      {/* How it works */}
      <section id="how-it-works" aria-labelledby="how-heading" className="scroll-mt-20">
        <div className="mx-auto max-w-6xl px-4 py-16 sm:px-6">
          <SectionHeading id="how-heading" eyebrow="How it works" title="From upload to a letter you can send" />
          <ol className="mt-10 grid gap-6 sm:grid-cols-2 lg:grid-cols-4">
            {steps.map(({ icon: Icon, title, body }, index) => (
              <li key={title} className="relative rounded-lg border border-slate-200 bg-white p-5">
                <div className="flex items-center gap-3">
                  <span className="rounded-md bg-brand-50 p-2 text-brand-700">
                    <Icon className="size-5" aria-hidden="true" />
                  </span>
                  <span className="text-sm font-semibold text-slate-600">Step {index + 1}</span>
                </div>
                <h3 className="mt-4 font-semibold text-slate-950">{title}</h3>
                <p className="mt-2 text-sm text-slate-600">{body}</p>
                {index < steps.length - 1 && (
                  <ArrowRight
                    className="absolute top-1/2 -right-5 hidden size-4 -translate-y-1/2 text-slate-400 lg:block"
                    aria-hidden="true"
                  />
                )}
              </li>
            ))}
          </ol>
        </div>
      </section>

      {/* Features */}
      <div id="features" className="scroll-mt-16">
        <section aria-labelledby="analysis-heading" className="bg-slate-50">
          <div className="mx-auto grid max-w-6xl gap-10 px-4 py-16 sm:px-6 lg:grid-cols-[2fr_3fr]">
            <SectionHeading
              id="analysis-heading"
              eyebrow="Structured analysis"
              title="Every note, laid out the same way"
              intro="Free-text notes hide as much as they say. Maneiro gives each one the same structure, so a reviewer knows where to look and what is missing."
            />
            <dl className="grid gap-4 sm:grid-cols-2">
              {analysisFields.map(({ title, body }) => (
                <div key={title} className="rounded-lg border border-slate-200 bg-white p-4">
                  <dt className="flex items-center gap-2 font-semibold text-slate-950">
                    <Check className="size-4 shrink-0 text-brand-600" aria-hidden="true" />
                    {title}
                  </dt>
                  <dd className="mt-1 text-sm text-slate-600">{body}</dd>
                </div>
              ))}
            </dl>
          </div>
        </section>

        <section aria-labelledby="letters-heading">
          <div className="mx-auto max-w-6xl px-4 py-16 sm:px-6">
            <SectionHeading
              id="letters-heading"
              eyebrow="Letters"
              title="A first draft of the letter, on your letterhead"
              intro="Pick a template and Maneiro drafts the letter from the analysis. You edit it, and export it as a PDF with your clinic’s letterhead."
            />
            <dl className="mt-10 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
              {letterTemplates.map(({ title, body }) => (
                <div key={title} className="rounded-lg border border-slate-200 p-5">
                  <dt className="font-semibold text-slate-950">{title}</dt>
                  <dd className="mt-1 text-sm text-slate-600">{body}</dd>
                </div>
              ))}
            </dl>
          </div>
        </section>

        <section aria-labelledby="more-heading" className="bg-slate-50">
          <div className="mx-auto max-w-6xl px-4 py-16 sm:px-6">
            <h2 id="more-heading" className="sr-only">
              Fax triage and audio transcription
            </h2>
            <div className="grid gap-10 md:grid-cols-2">
              <div>
                <Inbox className="size-8 text-brand-700" aria-hidden="true" />
                <h3 className="mt-3 text-xl font-bold text-slate-950">Fax triage for the front desk</h3>
                <p className="mt-2 text-slate-700">
                  Incoming faxes pile up and the urgent one is rarely on top. Front-desk staff upload each document and
                  Maneiro tells them what kind of document it is and how soon it needs attention, so it reaches the right
                  person in time.
                </p>
              </div>
              <div>
                <FileAudio className="size-8 text-brand-700" aria-hidden="true" />
                <h3 className="mt-3 text-xl font-bold text-slate-950">Audio transcription</h3>
                <p className="mt-2 text-slate-700">
                  Prefer to dictate? Upload the recording and Maneiro transcribes it. Correct the transcript, then send it to
                  analysis like any other note.
                  {FIRST_TRANSCRIPTION_PLAN && ` Included from the ${FIRST_TRANSCRIPTION_PLAN.name} plan.`}
                </p>
              </div>
            </div>
          </div>
        </section>
      </div>

      {/* Who it's for */}
      <section aria-labelledby="roles-heading">
        <div className="mx-auto max-w-6xl px-4 py-16 sm:px-6">
          <SectionHeading
            id="roles-heading"
            eyebrow="Who it’s for"
            title="One workspace for the whole clinic"
            intro="Everyone signs in to the same clinic with a role that fits their work."
          />
          <IconTiles items={roles} className="lg:grid-cols-4" />
        </div>
      </section>

      {/* Pricing */}
      <section id="pricing" aria-labelledby="pricing-heading" className="scroll-mt-16 bg-slate-50">
        <div className="mx-auto max-w-6xl px-4 py-16 sm:px-6">
          <SectionHeading
            id="pricing-heading"
            eyebrow="Pricing"
            title="Plans that grow with the clinic"
            intro="Each analysis, transcription, letter or fax triage counts as one job. Allowances reset at the start of every calendar month."
          />
          <ul className="mt-10 grid gap-6 sm:grid-cols-2 lg:grid-cols-4">
            {PLAN_IDS.map((id) => {
              const plan = PLANS[id];
              return (
                <li key={id} className="flex flex-col rounded-lg border border-slate-200 bg-white p-6">
                  <h3 className="text-lg font-semibold text-slate-950">{plan.name}</h3>
                  <p className="mt-1 text-sm text-slate-600">{plan.summary}</p>
                  <p className="mt-5 flex items-baseline gap-1">
                    <span className="text-3xl font-bold text-slate-950">${plan.monthlyPriceUsd}</span>
                    <span className="text-sm text-slate-600">per month</span>
                  </p>
                  <p className="mt-1 text-sm font-medium text-slate-800">{formatQuota(plan.monthlyJobQuota)}</p>
                  <ul className="mt-5 flex-1 space-y-2 text-sm">
                    {ALL_FEATURES.map((feature) => {
                      const included = plan.features.has(feature);
                      return (
                        <li key={feature} className={cn('flex gap-2', included ? 'text-slate-800' : 'text-slate-500')}>
                          {included ? (
                            <Check className="mt-0.5 size-4 shrink-0 text-brand-600" aria-hidden="true" />
                          ) : (
                            <Minus className="mt-0.5 size-4 shrink-0 text-slate-400" aria-hidden="true" />
                          )}
                          <span>
                            <span className="sr-only">{included ? 'Included: ' : 'Not included: '}</span>
                            {FEATURE_LABELS[feature]}
                          </span>
                        </li>
                      );
                    })}
                  </ul>
                  <Link
                    href="/signup"
                    className={buttonClasses(id === 'free' ? 'primary' : 'outline', 'md', 'mt-6 w-full')}
                  >
                    {id === 'free' ? 'Start free' : `Choose ${plan.name}`}
                  </Link>
                </li>
              );
            })}
          </ul>
          <p className="mt-8 text-center">
            <Link href="/pricing" className="inline-flex items-center gap-1 font-medium text-brand-700 hover:underline">
              Compare every plan in detail
              <ArrowRight className="size-4" aria-hidden="true" />
            </Link>
          </p>
        </div>
      </section>

      {/* Privacy */}
      <section id="privacy" aria-labelledby="privacy-heading" className="scroll-mt-16">
        <div className="mx-auto max-w-6xl px-4 py-16 sm:px-6">
          <SectionHeading
            id="privacy-heading"
            eyebrow="Privacy"
            title="Where your data goes"
            intro="Clinical documents are sensitive, so here it is plainly: these are the only places your clinic’s data goes, and the controls your clinic has over it."
          />
          <IconTiles items={privacyFacts} className="lg:grid-cols-3" />
          <p className="mt-8 text-slate-700">
            <Link href="/privacy" className="font-medium text-brand-700 underline underline-offset-2">
              Read exactly what is stored where, and what is sent to whom
            </Link>
            .
          </p>
        </div>
      </section>

      {/* Clinician review */}
      <section aria-labelledby="review-heading" className="border-t border-slate-200 bg-slate-50">
        <div className="mx-auto max-w-6xl px-4 py-16 sm:px-6">
          <div className="rounded-lg border border-warning-200 bg-warning-50 p-6">
            <h2 id="review-heading" className="text-lg font-semibold text-warning-700">
              A clinician reviews every result
            </h2>
            <p className="mt-2 max-w-3xl text-slate-800">
              Maneiro produces drafts with the help of AI. Analyses, codes and letters can be incomplete or wrong. A
              clinician must review each one before it is used, and remains responsible for the patient’s care and for the
              documentation.
            </p>
          </div>
          <div className="mt-10 flex flex-col items-start gap-4 sm:flex-row sm:items-center sm:justify-between">
            <p className="text-lg font-semibold text-slate-950">Try it on your own notes.</p>
            <Link href="/signup" className={buttonClasses('primary', 'lg')}>
              Start free
            </Link>
          </div>
        </div>
      </section>
    </>
  );
}
