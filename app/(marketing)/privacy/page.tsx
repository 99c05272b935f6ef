import type { Metadata } from 'next';
import Link from 'next/link';

// Static, public: where a clinic's data goes and the controls it has. Each
// statement here must stay true of the code; change them together.
export const metadata: Metadata = {
  title: 'Privacy',
  description: 'Where Maneiro keeps a clinic’s data, who else receives any of it, and how a clinic exports, limits and deletes it.',
};

interface Place {
  id: string;
  title: string;
  what: string[];
}

const PLACES: Place[] = [
  {
    id: 'database',
    title: 'Our PostgreSQL database',
    what: [
      'Accounts: name, email address and a password hash (argon2id, or bcrypt for imported accounts; the password itself is never stored), and each person’s clinics and roles.',
      'Clinics: name, letterhead details, settings, invitations (only a hash of each invitation link), plan and a copy of the Stripe subscription status.',
      'Clinical work: text pasted in, text extracted from uploaded files, analysis and triage results (which name the patient), transcripts and their edits, letters and their versions, and the file names of uploads.',
      'Usage counts, API key hashes (never the keys), webhook settings (signing secrets encrypted), and the audit log, with the IP address and browser of each recorded action.',
      'The background job queue lives in the same database and holds only ids.',
    ],
  },
  {
    id: 'storage',
    title: 'Our object storage bucket',
    what: [
      'The files members upload (notes, scans, faxes and audio), recordings while they are being made, the letter PDFs exported, the clinic’s logo and signature images, and data exports until they expire.',
      'Small self-hosted installations keep these files on the server’s own disk instead of a bucket.',
      'Scans and images are read (OCR) on our servers: no image is sent anywhere else for that.',
    ],
  },
  {
    id: 'ai',
    title: 'The AI provider, only when the deployment configures one',
    what: [
      'When the operator of this Maneiro deployment configures OpenAI (or an OpenAI-compatible service), the content needed for each job is sent to it: the note’s text for an analysis, the fax’s text for a triage, the analysis and the letter’s request for a letter, and the audio for a transcription.',
      'The provider returns the result and Maneiro stores it in the database above. Nothing else (no account data, no audit log) is sent.',
      'When no provider is configured, Maneiro uses its built-in offline methods and nothing is sent to any AI provider.',
    ],
  },
  {
    id: 'stripe',
    title: 'Stripe, for billing only',
    what: [
      'When billing is on, Stripe receives the clinic’s name and id and the payment details entered on Stripe’s own pages, and tells Maneiro the subscription’s status.',
      'No patient information and no clinical content is ever sent to Stripe.',
    ],
  },
  {
    id: 'email',
    title: 'The email provider, for account emails',
    what: [
      'Account emails (address confirmation, password resets, invitations, notices about exports, webhooks and clinic deletion) go through the deployment’s SMTP provider to the person’s address.',
      'They contain the person’s name, the clinic’s name and a link: never patient information or clinical content.',
    ],
  },
  {
    id: 'others',
    title: 'Logs, rate limits and webhooks',
    what: [
      'Server logs record request ids, timings, error types and record ids: never patient names, document text, letters, email addresses or passwords.',
      'When the deployment uses Upstash Redis for rate limits, only keyed hashes of IP addresses, email addresses, clinic ids and API key ids are stored there, with counters.',
      'Enterprise clinics that set up webhooks receive event notices at the addresses they choose; each notice carries ids and links, never patient information.',
    ],
  },
];

const CONTROLS: { id: string; title: string; body: React.ReactNode }[] = [
  {
    id: 'retention',
    title: 'Retention',
    body: 'A clinic’s owners choose how long raw files are kept: 30, 90, 180 or 365 days, or until someone deletes them. Every night, uploads and unfinished recordings older than that are deleted from storage. The results made from them (analyses, extracted text, transcripts, letters and their PDFs) stay until they are deleted or the clinic is.',
  },
  {
    id: 'export',
    title: 'Export',
    body: 'Owners can export all of the clinic’s data at any time: a zip with every record as JSON and every stored file. Secrets (password hashes, key hashes, webhook secrets) are left out. The download works for owners only, for 7 days, and is then deleted.',
  },
  {
    id: 'deletion',
    title: 'Deleting the clinic',
    body: 'An owner can delete the clinic after confirming their password and the clinic’s name. For 7 days every member is told and any owner can restore it; then its subscription is canceled and every record, stored file and audit log entry of the clinic is deleted. Only an anonymous note that a clinic was deleted (a one-way hash of its id, the dates and the numbers of records and files) is kept. Members keep their own accounts.',
  },
  {
    id: 'account',
    title: 'Deleting your account',
    body: (
      <>
        Anyone can delete their own account on their profile page, after confirming their password. The last owner of a clinic with other members must
        first make someone else an owner (or delete the clinic). Clinics keep the work done in them and their audit log, which then shows a deleted user.
      </>
    ),
  },
];

export default function PrivacyPage() {
  return (
    <>
      <section aria-labelledby="privacy-heading" className="bg-linear-to-b from-brand-50 to-white">
        <div className="mx-auto max-w-4xl px-4 pt-14 pb-8 sm:px-6 sm:pt-20">
          <p className="text-sm font-semibold text-brand-700">Privacy</p>
          <h1 id="privacy-heading" className="mt-2 text-3xl font-bold tracking-tight text-balance text-slate-950 sm:text-5xl">
            Where your clinic’s data goes
          </h1>
          <p className="mt-4 text-base text-slate-700 sm:text-lg">
            Clinical documents are sensitive, so this page lists every place a clinic’s data is kept or sent, and the controls the clinic has over it.
            Nothing is kept only “in memory”: what you upload is stored until the clinic’s retention period or a deletion removes it.
          </p>
        </div>
      </section>

      <section aria-labelledby="places-heading" className="mx-auto max-w-4xl px-4 py-10 sm:px-6">
        <h2 id="places-heading" className="text-2xl font-semibold text-slate-950">
          Where data is kept and sent
        </h2>
        <div className="mt-6 space-y-8">
          {PLACES.map((place) => (
            <section key={place.id} id={place.id} aria-labelledby={`${place.id}-heading`} className="scroll-mt-16">
              <h3 id={`${place.id}-heading`} className="text-lg font-semibold text-slate-950">
                {place.title}
              </h3>
              <ul className="mt-3 list-disc space-y-2 pl-5 text-slate-700">
                {place.what.map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            </section>
          ))}
        </div>
      </section>

      <section aria-labelledby="controls-heading" className="border-t border-slate-200 bg-slate-50">
        <div className="mx-auto max-w-4xl px-4 py-10 sm:px-6">
          <h2 id="controls-heading" className="text-2xl font-semibold text-slate-950">
            Your controls
          </h2>
          <dl className="mt-6 space-y-6">
            {CONTROLS.map((control) => (
              <div key={control.id} id={control.id} className="scroll-mt-16">
                <dt className="text-lg font-semibold text-slate-950">{control.title}</dt>
                <dd className="mt-2 text-slate-700">{control.body}</dd>
              </div>
            ))}
          </dl>
          <p className="mt-8 text-slate-700">
            Owners find these controls under{' '}
            <Link href="/settings/data" className="font-medium text-brand-700 underline underline-offset-2">
              Settings → Data
            </Link>
            ; your own account is under{' '}
            <Link href="/settings/profile#delete-account" className="font-medium text-brand-700 underline underline-offset-2">
              Settings → Profile
            </Link>
            .
          </p>
        </div>
      </section>
    </>
  );
}
