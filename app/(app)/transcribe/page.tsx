import type { Metadata } from 'next';
import Link from 'next/link';
import { Lock, Sparkles } from 'lucide-react';
import { PageHeader } from '@/components/shell/page-header';
import { TranscribeForm } from '@/components/transcription/transcribe-form';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { getClinicPlan } from '@/lib/billing/entitlements';
import { lowestPlanWith } from '@/lib/billing/plans';
import { db } from '@/lib/db/client';
import { TRANSCRIPTION_ROLES, transcriptionAvailability } from '@/lib/jobs/transcription';
import { requirePageActor } from '@/lib/web/session';

export const metadata: Metadata = { title: 'Transcribe' };

export default async function TranscribePage() {
  const { actor } = await requirePageActor();
  const { plan } = await getClinicPlan(db(), actor.organizationId);
  const mayStart = TRANSCRIPTION_ROLES.includes(actor.role);
  const hasFeature = plan.features.has('transcription');
  const availability = transcriptionAvailability();

  return (
    <>
      <PageHeader title="Transcribe" description="Record a dictation or an exam conversation, or upload a recording, and get a transcript you can correct and analyse." />
      <Card>
        <CardHeader>
          <CardTitle id="transcribe-heading">New transcription</CardTitle>
          <CardDescription>The recording is uploaded while you speak, so closing the tab by mistake loses at most the last few seconds.</CardDescription>
        </CardHeader>
        <CardContent>
          {!hasFeature ? (
            <div className="flex gap-3 rounded-lg border border-slate-200 bg-slate-50 p-4 text-sm text-slate-700" data-testid="plan-gate">
              <Sparkles className="mt-0.5 size-5 shrink-0 text-brand-700" aria-hidden="true" />
              <div>
                <p className="font-semibold text-slate-900">Audio transcription is not part of the {plan.name} plan.</p>
                <p className="mt-1">It comes with the {lowestPlanWith('transcription').name} plan and above, together with more jobs per month and larger files.</p>
                <p className="mt-2">
                  <Link href="/settings/billing" className="font-semibold text-brand-700 underline underline-offset-2 hover:no-underline">
                    {actor.role === 'owner' ? 'See plans and upgrade' : 'See your clinic’s plan'}
                  </Link>
                  {actor.role !== 'owner' && ' (an owner can upgrade it)'}.
                </p>
              </div>
            </div>
          ) : !mayStart ? (
            <div className="flex gap-3 rounded-lg border border-slate-200 bg-slate-50 p-4 text-sm text-slate-700">
              <Lock className="mt-0.5 size-5 shrink-0 text-slate-500" aria-hidden="true" />
              <p>
                Recordings of dictations and exams are transcribed by clinicians, admins and owners. As a staff member you can open every transcript in the{' '}
                <Link href="/jobs" className="font-medium text-brand-700 underline underline-offset-2 hover:no-underline">
                  jobs list
                </Link>
                .
              </p>
            </div>
          ) : (
            <TranscribeForm maxUploadBytes={plan.maxUploadBytes} unavailableReason={availability.available ? null : availability.reason} />
          )}
        </CardContent>
      </Card>
      <p className="mt-8 text-sm text-slate-600">
        Audio is stored in your clinic’s storage and sent to the configured transcription provider. Transcripts are drafts: check them against the recording before you rely on them.
      </p>
    </>
  );
}
