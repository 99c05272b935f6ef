'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Webhook } from 'lucide-react';
import { formatJobTime } from '@/components/jobs/format';
import { Badge, type BadgeVariant } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { useToast } from '@/components/ui/toast';
import type { WebhookDeliveryStatus } from '@/lib/db/generated/enums';
import { DISABLE_AFTER_FAILING_DAYS, type WebhookEvent } from '@/lib/webhooks/events';
import type { EndpointStatus } from '@/lib/webhooks/endpoints';
import { deleteWebhookEndpointAction, resendWebhookDeliveryAction, rotateWebhookSecretAction, updateWebhookEndpointAction } from './actions';
import { AddEndpointForm } from './add-endpoint-form';
import { SecretDialog, type RevealedSecret } from './secret-dialog';

export interface DeliveryProps {
  id: string;
  event: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
}

export interface EndpointProps {
  id: string;
  url: string;
  description: string | null;
  events: WebhookEvent[];
  status: EndpointStatus;
  enabled: boolean;
  disabledAt: string | null;
  failingSince: string | null;
  secretHint: string;
  previousSecretValidUntil: string | null;
  deliveries: DeliveryProps[];
}

const ENDPOINT_STATUS: Record<EndpointStatus, { label: string; variant: BadgeVariant }> = {
  active: { label: 'Active', variant: 'success' },
  failing: { label: 'Failing', variant: 'warning' },
  disabled: { label: 'Disabled', variant: 'neutral' },
  disabled_failing: { label: 'Disabled after failures', variant: 'danger' },
};

function deliveryStatus(d: DeliveryProps): { label: string; variant: BadgeVariant } {
  if (d.status === 'succeeded') return { label: 'Delivered', variant: 'success' };
  if (d.status === 'failed') return { label: 'Failed', variant: 'danger' };
  return d.attempts === 0 ? { label: 'Pending', variant: 'info' } : { label: 'Retrying', variant: 'warning' };
}

const Time = ({ iso }: { iso: string }) => <time dateTime={iso}>{formatJobTime(iso)}</time>;

function DeliveryLog({ endpoint, pending, run }: { endpoint: EndpointProps; pending: boolean; run: (action: () => Promise<{ ok: boolean; error?: string }>, success: string) => void }) {
  if (endpoint.deliveries.length === 0) return <p className="text-sm text-slate-600">No deliveries yet. Events appear here as they are sent.</p>;
  return (
    <Table label={`Delivery log of ${endpoint.url}`}>
      <THead>
        <TR>
          <TH>Event</TH>
          <TH>Time</TH>
          <TH>Attempts</TH>
          <TH>Last status code</TH>
          <TH>Status</TH>
          <TH>
            <span className="sr-only">Actions</span>
          </TH>
        </TR>
      </THead>
      <TBody>
        {endpoint.deliveries.map((d) => {
          const status = deliveryStatus(d);
          return (
            <TR key={d.id}>
              <TD className="font-mono text-xs">{d.event}</TD>
              <TD>
                <Time iso={d.createdAt} />
              </TD>
              <TD>{d.attempts}</TD>
              <TD>{d.lastStatusCode ?? '—'}</TD>
              <TD>
                <Badge variant={status.variant}>{status.label}</Badge>
                {d.lastError && d.status !== 'succeeded' && <span className="mt-1 block text-xs text-slate-600">{d.lastError}</span>}
                {d.status === 'pending' && d.nextAttemptAt && d.attempts > 0 && (
                  <span className="mt-1 block text-xs text-slate-600">
                    Next attempt <Time iso={d.nextAttemptAt} />
                  </span>
                )}
              </TD>
              <TD className="text-right">
                <Button variant="outline" size="sm" disabled={pending || !endpoint.enabled} onClick={() => run(() => resendWebhookDeliveryAction(d.id), 'Delivery queued again')}>
                  Resend<span className="sr-only"> {d.event} of {formatJobTime(d.createdAt)}</span>
                </Button>
              </TD>
            </TR>
          );
        })}
      </TBody>
    </Table>
  );
}

function EndpointCard({ endpoint, pending, run, onRotated }: { endpoint: EndpointProps; pending: boolean; run: (action: () => Promise<{ ok: boolean; error?: string }>, success: string) => void; onRotated: (revealed: RevealedSecret) => void }) {
  const router = useRouter();
  const { toast } = useToast();
  const [rotating, startRotation] = useTransition();
  const status = ENDPOINT_STATUS[endpoint.status];
  return (
    <li>
      <Card>
        <CardHeader>
          <div className="flex flex-wrap items-center gap-2">
            <CardTitle as="h3" className="font-mono text-sm break-all">
              {endpoint.url}
            </CardTitle>
            <Badge variant={status.variant}>{status.label}</Badge>
          </div>
          {endpoint.description && <CardDescription>{endpoint.description}</CardDescription>}
        </CardHeader>
        <CardContent className="space-y-4">
          <dl className="grid gap-2 text-sm sm:grid-cols-[10rem_1fr]">
            <dt className="font-medium text-slate-800">Events</dt>
            <dd className="flex flex-wrap gap-1.5">
              {endpoint.events.map((e) => (
                <code key={e} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-800">
                  {e}
                </code>
              ))}
            </dd>
            <dt className="font-medium text-slate-800">Signing secret</dt>
            <dd className="text-slate-700">
              Ends in <code className="font-mono">…{endpoint.secretHint}</code>
              {endpoint.previousSecretValidUntil && (
                <>
                  . The previous secret also signs until <Time iso={endpoint.previousSecretValidUntil} />.
                </>
              )}
            </dd>
          </dl>
          {endpoint.status === 'failing' && endpoint.failingSince && (
            <p className="text-sm text-warning-700">
              Every delivery since <Time iso={endpoint.failingSince} /> has failed. The endpoint is disabled after {DISABLE_AFTER_FAILING_DAYS} days of failures.
            </p>
          )}
          {endpoint.status === 'disabled_failing' && endpoint.disabledAt && (
            <p className="text-sm text-danger-700">
              Disabled automatically on <Time iso={endpoint.disabledAt} /> after {DISABLE_AFTER_FAILING_DAYS} days of failed deliveries. Fix the endpoint, then enable it.
            </p>
          )}
          <div className="flex flex-wrap gap-2">
            <Button
              variant="outline"
              size="sm"
              loading={rotating}
              disabled={pending}
              onClick={() => {
                if (!window.confirm('Create a new signing secret? The current one keeps working for 24 hours, so you can update your receiver in the meantime.')) return;
                startRotation(async () => {
                  const result = await rotateWebhookSecretAction(endpoint.id);
                  if (!result.ok) return toast({ title: 'That did not work', description: result.error, variant: 'error' });
                  onRotated({
                    title: 'New signing secret',
                    secret: result.data.secret,
                    note: `The previous secret also signs deliveries until ${formatJobTime(result.data.previousValidUntil)}.`,
                  });
                  router.refresh();
                });
              }}
            >
              Rotate secret
            </Button>
            <Button
              variant="outline"
              size="sm"
              disabled={pending}
              onClick={() =>
                run(() => updateWebhookEndpointAction(endpoint.id, { enabled: !endpoint.enabled }), endpoint.enabled ? 'Endpoint disabled' : 'Endpoint enabled')
              }
            >
              {endpoint.enabled ? 'Disable' : 'Enable'}
            </Button>
            <Button
              variant="ghost"
              size="sm"
              disabled={pending}
              onClick={() => {
                if (window.confirm('Delete this endpoint and its delivery log? Events are no longer sent to it.')) run(() => deleteWebhookEndpointAction(endpoint.id), 'Endpoint deleted');
              }}
            >
              Delete<span className="sr-only"> endpoint {endpoint.url}</span>
            </Button>
          </div>
          <section aria-label={`Delivery log of ${endpoint.url}`}>
            <h4 className="mb-2 text-sm font-semibold text-slate-900">Delivery log</h4>
            <DeliveryLog endpoint={endpoint} pending={pending} run={run} />
          </section>
        </CardContent>
      </Card>
    </li>
  );
}

export function WebhookManager({ endpoints, maxEndpoints }: { endpoints: EndpointProps[]; maxEndpoints: number }) {
  const router = useRouter();
  const { toast } = useToast();
  const [pending, startTransition] = useTransition();
  const [revealed, setRevealed] = useState<RevealedSecret | null>(null);

  function run(action: () => Promise<{ ok: boolean; error?: string }>, success: string) {
    startTransition(async () => {
      const result = await action();
      if (result.ok) {
        toast({ title: success, variant: 'success' });
        router.refresh();
      } else toast({ title: 'That did not work', description: result.error, variant: 'error' });
    });
  }

  return (
    <>
      <Card>
        <CardHeader>
          <CardTitle>Add an endpoint</CardTitle>
          <CardDescription>
            Up to {maxEndpoints} endpoints. The signing secret is shown once, right after you add the endpoint.
          </CardDescription>
        </CardHeader>
        <CardContent>
          {endpoints.length >= maxEndpoints ? (
            <p className="text-sm text-slate-700">Your clinic has {maxEndpoints} endpoints, the most it can have. Delete one you no longer use to add another.</p>
          ) : (
            <AddEndpointForm onCreated={setRevealed} />
          )}
        </CardContent>
      </Card>

      <section aria-labelledby="endpoints-heading">
        <h2 id="endpoints-heading" className="mb-3 text-lg font-semibold text-slate-950">
          Endpoints ({endpoints.length})
        </h2>
        {endpoints.length === 0 ? (
          <EmptyState icon={Webhook} headingLevel="h3" title="No endpoints yet" description="Add the URL of a system that should hear about finished jobs and letters." />
        ) : (
          <ul className="space-y-4">
            {endpoints.map((endpoint) => (
              <EndpointCard key={endpoint.id} endpoint={endpoint} pending={pending} run={run} onRotated={setRevealed} />
            ))}
          </ul>
        )}
      </section>

      <SecretDialog revealed={revealed} onClose={() => setRevealed(null)} />
    </>
  );
}
