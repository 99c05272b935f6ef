import type { Metadata } from 'next';
import Link from 'next/link';
import { Info, Sparkles } from 'lucide-react';
import { PageHeader } from '@/components/shell/page-header';
import { db } from '@/lib/db/client';
import { getWebhookSettings } from '@/lib/webhooks/endpoints';
import { requirePageActor } from '@/lib/web/session';
import { SettingsSection } from '../profile/settings-section';
import { VerificationDocs } from './verification-docs';
import { WebhookManager, type EndpointProps } from './webhook-manager';

export const metadata: Metadata = { title: 'Webhooks' };

const iso = (date: Date | null) => date?.toISOString() ?? null;

export default async function WebhooksPage() {
  const { actor } = await requirePageActor();
  const settings = await getWebhookSettings(db(), actor);
  return (
    <>
      <PageHeader
        title="Webhooks"
        description="Maneiro tells your own systems when a job completes or fails and when a letter is ready: a signed HTTPS request with ids and links, never patient details."
      />
      {settings.access === 'role' ? (
        <p className="flex max-w-2xl gap-2 rounded-md border border-info-200 bg-info-50 px-3 py-2 text-sm text-info-700">
          <Info className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
          <span>Only the clinic’s owners and admins manage webhooks. Ask one of them to add or change an endpoint.</span>
        </p>
      ) : settings.access === 'plan' ? (
        <div className="flex max-w-2xl gap-3 rounded-lg border border-slate-200 bg-slate-50 p-4 text-sm text-slate-700" data-testid="plan-gate">
          <Sparkles className="mt-0.5 size-5 shrink-0 text-brand-700" aria-hidden="true" />
          <div>
            <p className="font-semibold text-slate-900">{`Webhooks are part of the ${settings.requiredPlanName} plan.`}</p>
            <p className="mt-1">
              Your clinic is on {settings.planName}. The {settings.requiredPlanName} plan adds webhooks and the REST API, so your systems hear about finished
              work without polling.
            </p>
            <p className="mt-2">
              <Link href="/pricing" className="font-semibold text-brand-700 underline underline-offset-2 hover:no-underline">
                Compare plans
              </Link>
            </p>
          </div>
        </div>
      ) : (
        <div className="space-y-8">
          <WebhookManager
            maxEndpoints={settings.maxEndpoints}
            endpoints={settings.endpoints.map(
              (e): EndpointProps => ({
                id: e.id,
                url: e.url,
                description: e.description,
                events: e.events,
                status: e.status,
                enabled: e.enabled,
                disabledAt: iso(e.disabledAt),
                failingSince: iso(e.failingSince),
                secretHint: e.secretHint,
                previousSecretValidUntil: iso(e.previousSecretValidUntil),
                deliveries: e.deliveries.map((d) => ({
                  id: d.id,
                  event: d.event,
                  status: d.status,
                  attempts: d.attempts,
                  lastStatusCode: d.lastStatusCode,
                  lastError: d.lastError,
                  nextAttemptAt: iso(d.nextAttemptAt),
                  createdAt: d.createdAt.toISOString(),
                })),
              }),
            )}
          />
          <SettingsSection id="verify" title="Verifying deliveries" description="Check every request’s signature before you trust it.">
            <VerificationDocs />
          </SettingsSection>
        </div>
      )}
    </>
  );
}
