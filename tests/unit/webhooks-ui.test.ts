// The webhook settings' server render: the add form, each endpoint with its
// status, secret hint and delivery log, and the verification docs.
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { ToastProvider } from '@/components/ui/toast';

vi.mock('next/navigation', () => ({ useRouter: () => ({ refresh: () => undefined, push: () => undefined }) }));
vi.mock('@/app/(app)/settings/webhooks/actions', () => ({
  createWebhookEndpointAction: vi.fn(),
  updateWebhookEndpointAction: vi.fn(),
  rotateWebhookSecretAction: vi.fn(),
  deleteWebhookEndpointAction: vi.fn(),
  resendWebhookDeliveryAction: vi.fn(),
}));

const { WebhookManager } = await import('@/app/(app)/settings/webhooks/webhook-manager');
const { VerificationDocs } = await import('@/app/(app)/settings/webhooks/verification-docs');
type Props = Parameters<typeof WebhookManager>[0];

const endpoint: Props['endpoints'][number] = {
  id: 'e1',
  url: 'https://hooks.example.com/maneiro',
  description: 'Practice management system',
  events: ['job.completed', 'letter.completed'],
  status: 'failing',
  enabled: true,
  disabledAt: null,
  failingSince: '2026-12-01T08:00:00.000Z',
  secretHint: 'Ab12',
  previousSecretValidUntil: '2026-12-02T09:30:00.000Z',
  deliveries: [
    { id: 'd1', event: 'job.completed', status: 'pending', attempts: 2, lastStatusCode: 503, lastError: 'HTTP 503', nextAttemptAt: '2026-12-01T10:05:00.000Z', createdAt: '2026-12-01T10:00:00.000Z' },
    { id: 'd2', event: 'letter.completed', status: 'succeeded', attempts: 1, lastStatusCode: 204, lastError: null, nextAttemptAt: null, createdAt: '2026-11-30T16:20:00.000Z' },
  ],
};

const render = (props: Props) => renderToString(createElement(ToastProvider, null, createElement(WebhookManager, props)));

describe('webhook settings render', () => {
  it('shows the add form, each endpoint with its status and secret hint, and the delivery log with resend buttons', () => {
    const html = render({ endpoints: [endpoint], maxEndpoints: 10 });
    expect(html).toContain('Add endpoint');
    expect(html).toContain('Endpoint URL');
    expect(html).toContain('https://hooks.example.com/maneiro');
    expect(html).toContain('Practice management system');
    expect(html).toContain('Failing');
    expect(html).toContain('Ab12');
    expect(html).toContain('The previous secret also signs until');
    expect(html).toContain('2 Dec 2026, 09:30 UTC');
    expect(html).toContain('Rotate secret');
    expect(html).toContain('Disable');
    expect(html).toContain('Delivery log');
    expect(html).toContain('Retrying');
    expect(html).toContain('HTTP 503');
    expect(html).toContain('Delivered');
    expect(html).toContain('204');
    expect(html.match(/Resend/g)).toHaveLength(2);
  });

  it('says when there are no endpoints, and hides the form at the limit', () => {
    expect(render({ endpoints: [], maxEndpoints: 10 })).toContain('No endpoints yet');
    const full = render({ endpoints: [endpoint], maxEndpoints: 1 });
    expect(full).not.toContain('Endpoint URL');
    expect(full).toContain('the most it can have');
  });

  it('documents the headers and how to verify a signature', () => {
    const html = renderToString(createElement(VerificationDocs));
    for (const text of ['Maneiro-Webhook-Id', 'Maneiro-Webhook-Timestamp', 'Maneiro-Webhook-Signature', 'createHmac', 'timingSafeEqual', 'letter.completed']) expect(html).toContain(text);
  });
});
