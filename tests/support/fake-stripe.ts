// A small Stripe API on 127.0.0.1 for tests: the real `stripe` SDK talks to it
// (STRIPE_API_URL), so requests, form encoding, idempotency keys and errors go
// through the same code as in production. It serves customers, Checkout
// Sessions, customer portal sessions and subscriptions, plus two pages a browser
// can open (the hosted checkout and the portal) and test controls that change a
// subscription and deliver signed webhook events to the app, as Stripe would.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

export type FakeSubscriptionStatus = 'incomplete' | 'incomplete_expired' | 'trialing' | 'active' | 'past_due' | 'canceled' | 'unpaid' | 'paused';

export interface FakeSubscription {
  id: string;
  object: 'subscription';
  customer: string;
  status: FakeSubscriptionStatus;
  created: number;
  cancel_at_period_end: boolean;
  cancel_at: number | null;
  canceled_at: number | null;
  ended_at: number | null;
  metadata: Record<string, string>;
  items: {
    object: 'list';
    data: { id: string; object: 'subscription_item'; price: { id: string; object: 'price' }; quantity: number; current_period_start: number; current_period_end: number }[];
  };
  latest_invoice: string | null;
}

export interface FakeCheckoutSession {
  id: string;
  object: 'checkout.session';
  mode: string;
  status: 'open' | 'complete' | 'expired';
  url: string;
  customer: string | null;
  client_reference_id: string | null;
  subscription: string | null;
  success_url: string;
  cancel_url: string;
  metadata: Record<string, string>;
  subscription_data?: { metadata?: Record<string, string> };
  line_items: { price: string; quantity: number }[];
  created: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  idempotencyKey: string | undefined;
  params: Record<string, unknown>;
}

export interface FakeStripe {
  url: string;
  port: number;
  customers: Map<string, { id: string; object: 'customer'; email: string | null; name: string | null; metadata: Record<string, string> }>;
  sessions: Map<string, FakeCheckoutSession>;
  subscriptions: Map<string, FakeSubscription>;
  requests: RecordedRequest[];
  /** Where signed events go (the app's /api/stripe/webhook) and the secret to sign them with. */
  webhook: { url: string; secret: string } | null;
  /** The next `count` API requests whose path starts with `pathPrefix` answer 500. */
  failNext(pathPrefix: string, count?: number): void;
  /** Pays a Checkout Session: a subscription (active by default) for its customer and price. */
  completeCheckout(sessionId: string, status?: FakeSubscriptionStatus): FakeSubscription;
  /** Changes a subscription as Stripe would (status, price, period, cancellation). */
  updateSubscription(id: string, patch: Partial<Pick<FakeSubscription, 'status' | 'cancel_at_period_end' | 'cancel_at' | 'canceled_at' | 'ended_at'>> & { price?: string; periodStart?: number; periodEnd?: number }): FakeSubscription;
  /** A signed event body and header for the given type and object, with a fresh id unless one is given. */
  signedEvent(type: string, object: object, options?: { id?: string; created?: number; secret?: string; timestamp?: number }): { id: string; body: string; signature: string };
  /** Signs and POSTs an event to `webhook.url`; resolves with the app's status. */
  deliver(type: string, object: object, options?: { id?: string; created?: number }): Promise<{ id: string; status: number; body: string }>;
  close(): Promise<void>;
}

const now = () => Math.floor(Date.now() / 1000);
const newId = (prefix: string) => `${prefix}_${randomBytes(10).toString('hex')}`;

/** Stripe's form encoding (`a[b][0][c]=1`) back into nested objects and arrays. */
export function parseStripeForm(body: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const parts = rawKey.split(/\[|\]\[|\]/).filter((p) => p !== '');
    let node: Record<string, unknown> | unknown[] = root;
    parts.forEach((part, index) => {
      const last = index === parts.length - 1;
      const key: string | number = Array.isArray(node) ? Number(part) : part;
      const container = node as Record<string | number, unknown>;
      if (last) {
        container[key] = value;
        return;
      }
      if (container[key] === undefined) container[key] = /^\d+$/.test(parts[index + 1]!) ? [] : {};
      node = container[key] as Record<string, unknown> | unknown[];
    });
  }
  return root;
}

function stringRecord(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object') return {};
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
}

const MONTH = 30 * 86_400;

export async function startFakeStripe(options: { webhook?: { url: string; secret: string } } = {}): Promise<FakeStripe> {
  const customers: FakeStripe['customers'] = new Map();
  const sessions: FakeStripe['sessions'] = new Map();
  const subscriptions: FakeStripe['subscriptions'] = new Map();
  const requests: RecordedRequest[] = [];
  const idempotent = new Map<string, { status: number; body: string }>();
  const failures: { prefix: string; remaining: number }[] = [];
  const signer = new Stripe('sk_test_fake_signer');

  function apiError(res: http.ServerResponse, status: number, message: string, type = 'invalid_request_error') {
    res.writeHead(status, { 'content-type': 'application/json', 'request-id': newId('req') });
    res.end(JSON.stringify({ error: { type, message } }));
  }

  function notFound(res: http.ServerResponse, message: string): undefined {
    apiError(res, 404, message);
    return undefined;
  }

  function send(res: http.ServerResponse, status: number, body: unknown): string {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'request-id': newId('req') });
    res.end(text);
    return text;
  }

  function page(res: http.ServerResponse, title: string, inner: string) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><main><h1>${title}</h1>${inner}</main></body></html>`);
  }

  const fake: FakeStripe = {
    url: '',
    port: 0,
    customers,
    sessions,
    subscriptions,
    requests,
    webhook: options.webhook ?? null,
    failNext(prefix, count = 1) {
      failures.push({ prefix, remaining: count });
    },
    completeCheckout(sessionId, status = 'active') {
      const session = sessions.get(sessionId);
      if (!session) throw new Error(`no checkout session ${sessionId}`);
      const customer = session.customer ?? newId('cus');
      if (!customers.has(customer)) customers.set(customer, { id: customer, object: 'customer', email: null, name: null, metadata: {} });
      const start = now();
      const subscription: FakeSubscription = {
        id: newId('sub'),
        object: 'subscription',
        customer,
        status,
        created: start,
        cancel_at_period_end: false,
        cancel_at: null,
        canceled_at: null,
        ended_at: null,
        metadata: { ...session.subscription_data?.metadata },
        items: {
          object: 'list',
          data: [
            {
              id: newId('si'),
              object: 'subscription_item',
              price: { id: session.line_items[0]?.price ?? 'price_unknown', object: 'price' },
              quantity: 1,
              current_period_start: start,
              current_period_end: start + MONTH,
            },
          ],
        },
        latest_invoice: newId('in'),
      };
      subscriptions.set(subscription.id, subscription);
      session.status = 'complete';
      session.customer = customer;
      session.subscription = subscription.id;
      return subscription;
    },
    updateSubscription(id, patch) {
      const subscription = subscriptions.get(id);
      if (!subscription) throw new Error(`no subscription ${id}`);
      const { price, periodStart, periodEnd, ...fields } = patch;
      Object.assign(subscription, fields);
      const item = subscription.items.data[0]!;
      if (price) item.price = { id: price, object: 'price' };
      if (periodStart !== undefined) item.current_period_start = periodStart;
      if (periodEnd !== undefined) item.current_period_end = periodEnd;
      return subscription;
    },
    signedEvent(type, object, opts = {}) {
      const id = opts.id ?? newId('evt');
      const body = JSON.stringify({
        id,
        object: 'event',
        api_version: '2026-10-28.endive',
        created: opts.created ?? now(),
        type,
        livemode: false,
        pending_webhooks: 1,
        request: { id: null, idempotency_key: null },
        data: { object },
      });
      const secret = opts.secret ?? fake.webhook?.secret;
      if (!secret) throw new Error('no webhook secret to sign with');
      const signature = signer.webhooks.generateTestHeaderString({ payload: body, secret, ...(opts.timestamp ? { timestamp: opts.timestamp } : {}) });
      return { id, body, signature };
    },
    async deliver(type, object, opts = {}) {
      if (!fake.webhook) throw new Error('no webhook URL configured');
      const event = fake.signedEvent(type, object, opts);
      const response = await fetch(fake.webhook.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': event.signature },
        body: event.body,
      });
      return { id: event.id, status: response.status, body: await response.text() };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };

  async function handleApi(method: string, path: string, params: Record<string, unknown>, query: URLSearchParams, res: http.ServerResponse): Promise<string | undefined> {
    let m: RegExpExecArray | null;
    if (method === 'POST' && path === '/v1/customers') {
      const customer = { id: newId('cus'), object: 'customer' as const, email: (params.email as string) ?? null, name: (params.name as string) ?? null, metadata: stringRecord(params.metadata) };
      customers.set(customer.id, customer);
      return send(res, 200, customer);
    }
    if (method === 'GET' && (m = /^\/v1\/customers\/([\w]+)$/.exec(path))) {
      const customer = customers.get(m[1]!);
      if (!customer) return notFound(res, `No such customer: '${m[1]}'`);
      return send(res, 200, customer);
    }
    if (method === 'POST' && path === '/v1/checkout/sessions') {
      const id = newId('cs_test');
      const lineItems = Array.isArray(params.line_items) ? (params.line_items as Record<string, unknown>[]) : [];
      if (lineItems.length === 0) return void apiError(res, 400, 'line_items is required');
      if (typeof params.customer === 'string' && !customers.has(params.customer)) return void apiError(res, 400, `No such customer: '${params.customer}'`);
      const session: FakeCheckoutSession = {
        id,
        object: 'checkout.session',
        mode: String(params.mode ?? 'payment'),
        status: 'open',
        url: `${fake.url}/pay/${id}`,
        customer: typeof params.customer === 'string' ? params.customer : null,
        client_reference_id: typeof params.client_reference_id === 'string' ? params.client_reference_id : null,
        subscription: null,
        success_url: String(params.success_url ?? ''),
        cancel_url: String(params.cancel_url ?? ''),
        metadata: stringRecord(params.metadata),
        subscription_data: { metadata: stringRecord((params.subscription_data as Record<string, unknown> | undefined)?.metadata) },
        line_items: lineItems.map((item) => ({ price: String(item.price), quantity: Number(item.quantity ?? 1) })),
        created: now(),
      };
      sessions.set(id, session);
      return send(res, 200, session);
    }
    if (method === 'GET' && (m = /^\/v1\/checkout\/sessions\/([\w]+)$/.exec(path))) {
      const session = sessions.get(m[1]!);
      if (!session) return notFound(res, `No such checkout session: '${m[1]}'`);
      return send(res, 200, session);
    }
    if (method === 'POST' && path === '/v1/billing_portal/sessions') {
      const customer = String(params.customer ?? '');
      if (!customers.has(customer)) return void apiError(res, 400, `No such customer: '${customer}'`);
      const id = newId('bps');
      return send(res, 200, { id, object: 'billing_portal.session', customer, return_url: params.return_url ?? null, url: `${fake.url}/portal/${id}?return=${encodeURIComponent(String(params.return_url ?? ''))}` });
    }
    if (method === 'GET' && (m = /^\/v1\/subscriptions\/([\w]+)$/.exec(path))) {
      const subscription = subscriptions.get(m[1]!);
      if (!subscription) return notFound(res, `No such subscription: '${m[1]}'`);
      return send(res, 200, subscription);
    }
    if (method === 'DELETE' && (m = /^\/v1\/subscriptions\/([\w]+)$/.exec(path))) {
      // Cancel at once, as Stripe does for DELETE (no proration or invoice here).
      const subscription = subscriptions.get(m[1]!);
      if (!subscription) return void apiError(res, 404, `No such subscription: '${m[1]}'`);
      const at = now();
      Object.assign(subscription, { status: 'canceled', canceled_at: subscription.canceled_at ?? at, ended_at: subscription.ended_at ?? at });
      return send(res, 200, subscription);
    }
    if (method === 'GET' && path === '/v1/subscriptions') {
      const customer = query.get('customer');
      const data = [...subscriptions.values()].filter((s) => !customer || s.customer === customer).sort((a, b) => b.created - a.created);
      return send(res, 200, { object: 'list', url: '/v1/subscriptions', has_more: false, data });
    }
    apiError(res, 404, `Unrecognized request URL (${method}: ${path}).`);
    return undefined;
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', fake.url || 'http://127.0.0.1');
        const method = req.method ?? 'GET';
        const body = Buffer.concat(chunks).toString('utf8');

        // Pages a browser is sent to.
        let m: RegExpExecArray | null;
        if (method === 'GET' && (m = /^\/pay\/([\w]+)$/.exec(url.pathname))) {
          const session = sessions.get(m[1]!);
          if (!session) return apiError(res, 404, 'No such checkout session');
          return page(
            res,
            'Fake Stripe Checkout',
            `<p>Subscribe with price <code>${session.line_items[0]?.price ?? ''}</code>.</p>` +
              `<form method="post" action="/pay/${session.id}"><button type="submit">Pay and subscribe</button></form>` +
              `<p><a href="${session.cancel_url}">Cancel</a></p>`,
          );
        }
        if (method === 'POST' && (m = /^\/pay\/([\w]+)$/.exec(url.pathname))) {
          const session = sessions.get(m[1]!);
          if (!session) return apiError(res, 404, 'No such checkout session');
          const subscription = session.subscription ? subscriptions.get(session.subscription)! : fake.completeCheckout(session.id);
          if (fake.webhook) {
            await fake.deliver('checkout.session.completed', session);
            await fake.deliver('customer.subscription.created', subscription);
            await fake.deliver('invoice.paid', { id: subscription.latest_invoice, object: 'invoice', customer: subscription.customer, subscription: subscription.id, parent: { subscription_details: { subscription: subscription.id } } });
          }
          res.writeHead(303, { location: session.success_url.replace('{CHECKOUT_SESSION_ID}', session.id) });
          return res.end();
        }
        if (method === 'GET' && (m = /^\/portal\/([\w]+)$/.exec(url.pathname))) {
          const back = url.searchParams.get('return') ?? '';
          return page(res, 'Fake Stripe customer portal', `<p>Manage your subscription.</p><p><a href="${back}">Return to Maneiro</a></p>`);
        }

        const params = method === 'GET' ? Object.fromEntries(url.searchParams) : parseStripeForm(body);
        const idempotencyKey = req.headers['idempotency-key'] as string | undefined;
        requests.push({ method, path: url.pathname, idempotencyKey, params });
        if (!req.headers.authorization?.startsWith('Bearer sk_')) return apiError(res, 401, 'Invalid API Key provided', 'authentication_error');

        const failure = failures.find((f) => f.remaining > 0 && url.pathname.startsWith(f.prefix));
        if (failure) {
          failure.remaining -= 1;
          return apiError(res, 500, 'An unexpected error occurred (injected by the test).', 'api_error');
        }
        // Stripe replays the first response to a repeated idempotency key.
        const cacheKey = idempotencyKey ? `${method} ${url.pathname} ${idempotencyKey}` : undefined;
        const replay = cacheKey ? idempotent.get(cacheKey) : undefined;
        if (replay) {
          res.writeHead(replay.status, { 'content-type': 'application/json', 'idempotent-replayed': 'true' });
          return res.end(replay.body);
        }
        const sent = await handleApi(method, url.pathname, params, url.searchParams, res);
        if (cacheKey && sent !== undefined) idempotent.set(cacheKey, { status: 200, body: sent });
      })().catch((error: unknown) => {
        if (!res.headersSent) apiError(res, 500, error instanceof Error ? error.message : 'fake stripe failed', 'api_error');
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.port = (server.address() as AddressInfo).port;
  fake.url = `http://127.0.0.1:${fake.port}`;
  return fake;
}
