'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Plus } from 'lucide-react';
import { FormError } from '@/components/form-error';
import { useActionForm } from '@/components/forms/use-action-form';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { WEBHOOK_EVENT_LABELS, WEBHOOK_EVENTS, type WebhookEvent } from '@/lib/webhooks/events';
import { createWebhookEndpointAction } from './actions';
import type { RevealedSecret } from './secret-dialog';

export function AddEndpointForm({ onCreated }: { onCreated: (revealed: RevealedSecret) => void }) {
  const router = useRouter();
  const { pending, errors, formError, submit } = useActionForm();
  const [events, setEvents] = useState<WebhookEvent[]>(['job.completed', 'letter.completed']);

  return (
    <form
      noValidate
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        const formElement = event.currentTarget;
        const form = new FormData(formElement);
        const input = { url: String(form.get('url') ?? ''), description: String(form.get('description') ?? ''), events };
        submit(
          () => createWebhookEndpointAction(input),
          ({ secret }) => {
            formElement.reset();
            onCreated({ title: 'Endpoint added', secret, note: 'Use it to check the signature of every delivery.' });
            router.refresh();
          },
        );
      }}
    >
      <FormError message={formError} />
      <Field label="Endpoint URL" error={errors.url?.[0]} description="An https:// address on your server that accepts POST requests." required>
        <Input name="url" type="url" inputMode="url" autoComplete="off" placeholder="https://example.com/webhooks/maneiro" />
      </Field>
      <Field label="Description" error={errors.description?.[0]} description="Optional: what receives these events, so colleagues know.">
        <Input name="description" autoComplete="off" maxLength={200} />
      </Field>
      <fieldset aria-describedby={errors.events?.[0] ? 'webhook-events-error' : undefined}>
        <legend className="text-sm font-medium text-slate-800">Events</legend>
        <div className="mt-2 space-y-2">
          {WEBHOOK_EVENTS.map((e) => (
            <label key={e} className="flex items-start gap-3 text-sm text-slate-800">
              <input
                type="checkbox"
                name="events"
                value={e}
                checked={events.includes(e)}
                onChange={(change) => setEvents((current) => (change.target.checked ? [...current, e] : current.filter((x) => x !== e)))}
                className="mt-0.5 size-4 rounded border-slate-300 accent-brand-600"
              />
              <span>
                <span className="font-medium">{WEBHOOK_EVENT_LABELS[e].title}</span> <code className="font-mono text-xs text-slate-600">{e}</code>
                <span className="block text-slate-600">{WEBHOOK_EVENT_LABELS[e].body}</span>
              </span>
            </label>
          ))}
        </div>
        <p id="webhook-events-error" className="mt-1 text-sm font-medium text-danger-700" aria-live="polite">
          {errors.events?.[0] ?? null}
        </p>
      </fieldset>
      <Button type="submit" loading={pending}>
        <Plus className="size-4" aria-hidden="true" />
        Add endpoint
      </Button>
    </form>
  );
}
