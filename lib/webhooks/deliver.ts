// The worker side of webhooks: one queue job makes one attempt of one delivery.
//
// Retries are scheduled here rather than by pg-boss's retryLimit/retryBackoff: a
// failed attempt (a non-2xx answer, a timeout, a refused connection) completes its
// queue job and, in the same transaction that records the attempt, sends the next
// one with startAfter. The delivery row is thus the one place that knows the
// attempt count, the next attempt time shown in the delivery log, and the 24-hour
// window counted from the event (pg-boss's backoff is randomised and its retry
// count would have to be mirrored). pg-boss's own retries remain for the handler
// itself failing, such as the database being unreachable.
//
// Attempts are fenced by their number: a claim moves `attempts` from n-1 to n,
// clears lastAttemptAt (set again with the outcome) and leases the delivery for
// LEASE_SECONDS, so a duplicate queue job does nothing and a worker that died
// mid-attempt is replaced once the lease lapses.
import http from 'node:http';
import https from 'node:https';
import type { Job as BossJob } from 'pg-boss';
import { recordAudit } from '@/lib/audit/record';
import { getConfig } from '@/lib/config';
import { db as defaultDb, type Db } from '@/lib/db/client';
import type { Prisma } from '@/lib/db/generated/client';
import { describeError } from '@/lib/errors';
import { WEBHOOK_DELIVER_QUEUE, WEBHOOK_DELIVER_QUEUE_OPTIONS, type QueueOptions } from '@/lib/jobs/queues';
import type { JobHandlerDefinition } from '@/lib/jobs/worker';
import { logger, type Logger } from '@/lib/logger';
import { recordWebhookAttempt } from '@/lib/observability/metrics';
import { enqueueDelivery, type DeliveryJobPayload, type WebhookEnqueue } from './emit';
import { DISABLE_AFTER_FAILING_DAYS, RETRY_WINDOW_HOURS } from './events';
import { notifyEndpointDisabled } from './notify';
import { decryptSecret, signatureHeader } from './secrets';
import { publicOnlyLookup, staticUrlProblem } from './url';

export const DELIVERY_TIMEOUT_MS = 10_000;
/** How long a claimed attempt may run before another worker may make it again. */
export const LEASE_SECONDS = 45;
const DAY_MS = 86_400_000;

export interface RetryPolicy {
  /** Delay after the first failed attempt; doubled after each further one. */
  baseDelaySeconds: number;
  maxDelaySeconds: number;
  /** No attempt starts later than this after the event. */
  windowSeconds: number;
  /** Up to this fraction is added at random, so endpoints recovering from an outage are not hit all at once. */
  jitter: number;
}

/** 30 s, 1 min, 2 min… capped at 3 h: about 17 attempts over 24 hours, the last at the 24-hour mark. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseDelaySeconds: 30, maxDelaySeconds: 3 * 3600, windowSeconds: RETRY_WINDOW_HOURS * 3600, jitter: 0.1 };

/** When to try again after `failedAttempts` failures, or null when the window is over. */
export function nextRetryAt(policy: RetryPolicy, failedAttempts: number, createdAt: Date, now: Date, random: () => number = Math.random): Date | null {
  const deadline = createdAt.getTime() + policy.windowSeconds * 1000;
  if (now.getTime() >= deadline) return null;
  const delay = Math.min(policy.baseDelaySeconds * 2 ** Math.max(0, failedAttempts - 1), policy.maxDelaySeconds);
  const delayMs = delay * 1000 * (1 + policy.jitter * random());
  return new Date(Math.min(now.getTime() + delayMs, deadline));
}

export type AttemptResult = { ok: true; statusCode: number } | { ok: false; statusCode: number | null; error: string; retryable: boolean };

const TLS_CODES = /^(CERT_|ERR_TLS_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_(VERIFY|GET)_)/;

/** A short, fixed description of a failed connection: never an error message (it may quote the host or worse). */
function networkError(error: unknown, timedOut: boolean, timeoutMs: number): string {
  if (timedOut) return `timed out after ${Math.round(timeoutMs / 1000)} s`;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'EADDRNOTPUBLIC') return 'address not allowed (not a public network address)';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'connection reset';
  if (code === 'ETIMEDOUT') return 'connection timed out';
  if (typeof code === 'string' && TLS_CODES.test(code)) return 'TLS certificate not accepted';
  return 'request failed';
}

export interface PostRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** Production: connect only to public addresses (checked per connection). */
  publicOnly: boolean;
  signal?: AbortSignal;
}

/** POSTs the body and reports the status: 2xx succeeds; redirects are not followed. */
export function postWebhook(request: PostRequest): Promise<AttemptResult> {
  const target = new URL(request.url);
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = request.signal ? AbortSignal.any([timeout, request.signal]) : timeout;
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    const req = client.request(
      target,
      {
        method: 'POST',
        headers: { ...request.headers, 'Content-Length': String(Buffer.byteLength(request.body)) },
        // A fresh connection per attempt: nothing pooled outlives the address check.
        agent: false,
        signal,
        ...(request.publicOnly ? { lookup: publicOnlyLookup() } : {}),
      },
      (res) => {
        const statusCode = res.statusCode ?? 0;
        // The status is all we keep; the body is never read or stored.
        res.destroy();
        if (statusCode >= 200 && statusCode < 300) return resolve({ ok: true, statusCode });
        const error = statusCode >= 300 && statusCode < 400 ? `redirect not followed (HTTP ${statusCode})` : `HTTP ${statusCode}`;
        resolve({ ok: false, statusCode, error, retryable: true });
      },
    );
    req.on('error', (error) => resolve({ ok: false, statusCode: null, error: networkError(error, timeout.aborted, request.timeoutMs), retryable: true }));
    req.end(request.body);
  });
}

export interface DeliveryDeps {
  db?: () => Db;
  now?: () => Date;
  random?: () => number;
  retry?: RetryPolicy;
  timeoutMs?: number;
  /** Production URL rules (https, public addresses only); default: from the config. */
  production?: boolean;
  enqueue?: WebhookEnqueue;
  post?: (request: PostRequest) => Promise<AttemptResult>;
  /** Runs after an endpoint was disabled for failing (default: emails its owners and admins). */
  notifyDisabled?: (db: Db, endpointId: string, failingDays: number, log: Logger) => Promise<unknown>;
  queueOptions?: QueueOptions;
  log?: Logger;
}

/** A queue job for an attempt another worker is still making: pg-boss retries it after the lease. */
export class AttemptInProgress extends Error {
  constructor() {
    super('webhook delivery attempt in progress elsewhere');
    this.name = 'AttemptInProgress';
  }
}

interface Claimed {
  id: string;
  organizationId: string;
  eventId: string;
  payload: Prisma.JsonValue;
  createdAt: Date;
  endpoint: {
    id: string;
    url: string;
    enabled: boolean;
    secretCiphertext: string;
    previousSecretCiphertext: string | null;
    previousSecretExpiresAt: Date | null;
  };
}

/** Takes attempt `attempt` of the delivery, or says why not. */
async function claim(db: Db, deliveryId: string, attempt: number, now: Date): Promise<Claimed | 'done'> {
  const { count } = await db.webhookDelivery.updateMany({
    // Attempt n follows n-1; or it is taken over when the worker making it left no outcome before its lease lapsed.
    where: { id: deliveryId, status: 'pending', OR: [{ attempts: attempt - 1 }, { attempts: attempt, lastAttemptAt: null, nextAttemptAt: { lte: now } }] },
    data: { attempts: attempt, lastAttemptAt: null, nextAttemptAt: new Date(now.getTime() + LEASE_SECONDS * 1000) },
  });
  const row = await db.webhookDelivery.findUnique({
    where: { id: deliveryId },
    select: {
      id: true,
      organizationId: true,
      eventId: true,
      payload: true,
      createdAt: true,
      status: true,
      attempts: true,
      lastAttemptAt: true,
      endpoint: { select: { id: true, url: true, enabled: true, secretCiphertext: true, previousSecretCiphertext: true, previousSecretExpiresAt: true } },
    },
  });
  if (count === 1 && row) return row;
  // Not ours: gone, finished, already past this attempt, or a stale copy of a settled attempt;
  // or this attempt is running elsewhere (no outcome yet), which pg-boss retries after the lease.
  if (row && row.status === 'pending' && row.attempts === attempt && row.lastAttemptAt === null) throw new AttemptInProgress();
  return 'done';
}

/**
 * Records the attempt's outcome (fenced to this attempt), schedules the next one or
 * ends the delivery, and keeps the endpoint's failing streak. Returns the number of
 * days the endpoint had failed when this attempt disabled it, else null.
 */
async function settle(
  db: Db,
  delivery: Claimed,
  attempt: number,
  outcome: AttemptResult,
  now: Date,
  options: { retry: RetryPolicy; random: () => number; enqueue: WebhookEnqueue },
): Promise<number | null> {
  return db.$transaction(async (tx) => {
    const fence = { id: delivery.id, status: 'pending' as const, attempts: attempt };
    if (outcome.ok) {
      const { count } = await tx.webhookDelivery.updateMany({
        where: fence,
        data: { status: 'succeeded', lastStatusCode: outcome.statusCode, lastError: null, lastAttemptAt: now, deliveredAt: now, nextAttemptAt: null },
      });
      if (count === 1) await tx.webhookEndpoint.updateMany({ where: { id: delivery.endpoint.id, failingSince: { not: null } }, data: { failingSince: null } });
      return null;
    }
    const retryAt = outcome.retryable ? nextRetryAt(options.retry, attempt, delivery.createdAt, now, options.random) : null;
    const { count } = await tx.webhookDelivery.updateMany({
      where: fence,
      data: { status: retryAt ? 'pending' : 'failed', lastStatusCode: outcome.statusCode, lastError: outcome.error.slice(0, 200), lastAttemptAt: now, nextAttemptAt: retryAt },
    });
    if (count === 0) return null;
    if (retryAt) await options.enqueue(tx, { deliveryId: delivery.id, attempt: attempt + 1 }, retryAt);

    // The failing streak of an enabled endpoint starts with its first failure since the last success.
    const endpoint = await tx.webhookEndpoint.findUnique({ where: { id: delivery.endpoint.id }, select: { enabled: true, failingSince: true, url: true } });
    if (!endpoint?.enabled) return null;
    if (!endpoint.failingSince) await tx.webhookEndpoint.update({ where: { id: delivery.endpoint.id }, data: { failingSince: now } });
    const failingMs = now.getTime() - (endpoint.failingSince ?? now).getTime();
    if (failingMs < DISABLE_AFTER_FAILING_DAYS * DAY_MS) return null;
    const { count: disabled } = await tx.webhookEndpoint.updateMany({
      where: { id: delivery.endpoint.id, enabled: true },
      data: { enabled: false, disabledAt: now, disabledReason: 'failing' },
    });
    if (disabled === 0) return null;
    const failingDays = Math.floor(failingMs / DAY_MS);
    await recordAudit(tx, {
      organizationId: delivery.organizationId,
      actorUserId: null,
      event: 'webhook.endpoint_disabled',
      targetType: 'webhook_endpoint',
      targetId: delivery.endpoint.id,
      metadata: { reason: 'failing', failingDays, host: new URL(endpoint.url).host },
    });
    return failingDays;
  });
}

/** The body, headers and signature of one attempt, or why it cannot be made. */
function prepare(delivery: Claimed, now: Date, production: boolean): { headers: Record<string, string>; body: string } | { error: string } {
  if (!delivery.endpoint.enabled) return { error: 'endpoint disabled' };
  if (staticUrlProblem(delivery.endpoint.url, production)) return { error: 'URL not allowed' };
  const current = decryptSecret(delivery.endpoint.secretCiphertext, delivery.endpoint.id);
  if (!current) return { error: 'signing secret unreadable: rotate the secret' };
  const secrets = [current];
  const { previousSecretCiphertext, previousSecretExpiresAt } = delivery.endpoint;
  if (previousSecretCiphertext && previousSecretExpiresAt && previousSecretExpiresAt > now) {
    const previous = decryptSecret(previousSecretCiphertext, delivery.endpoint.id);
    if (previous) secrets.push(previous);
  }
  const body = JSON.stringify(delivery.payload);
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    body,
    headers: {
      'Content-Type': 'application/json',
      'User-Agent': 'Maneiro-Webhooks/1',
      'Maneiro-Webhook-Id': delivery.eventId,
      'Maneiro-Webhook-Timestamp': String(timestamp),
      'Maneiro-Webhook-Signature': signatureHeader(secrets, timestamp, body),
    },
  };
}

/** Makes attempt `attempt` of a delivery: claim, POST, record, schedule. */
export async function runDeliveryAttempt(payload: DeliveryJobPayload, deps: DeliveryDeps = {}, signal?: AbortSignal): Promise<void> {
  const db = (deps.db ?? defaultDb)();
  const clock = deps.now ?? (() => new Date());
  const log = deps.log ?? logger().child({ queue: WEBHOOK_DELIVER_QUEUE });
  const production = deps.production ?? getConfig().app.isProduction;

  const claimed = await claim(db, payload.deliveryId, payload.attempt, clock());
  if (claimed === 'done') return;
  const prepared = prepare(claimed, clock(), production);
  const timeoutMs = deps.timeoutMs ?? DELIVERY_TIMEOUT_MS;
  const outcome: AttemptResult =
    'error' in prepared
      ? { ok: false, statusCode: null, error: prepared.error, retryable: false }
      : await (deps.post ?? postWebhook)({ url: claimed.endpoint.url, headers: prepared.headers, body: prepared.body, timeoutMs, publicOnly: production, signal });

  const failingDays = await settle(db, claimed, payload.attempt, outcome, clock(), {
    retry: deps.retry ?? DEFAULT_RETRY_POLICY,
    random: deps.random ?? Math.random,
    enqueue: deps.enqueue ?? enqueueDelivery,
  });
  recordWebhookAttempt(outcome.ok ? 'delivered' : outcome.retryable ? 'retryable_error' : 'permanent_error');
  log.info({ deliveryId: claimed.id, endpointId: claimed.endpoint.id, attempt: payload.attempt, ok: outcome.ok, statusCode: outcome.statusCode }, 'webhook attempt');
  if (failingDays !== null) {
    log.warn({ endpointId: claimed.endpoint.id, failingDays }, 'webhook endpoint disabled after failing');
    await (deps.notifyDisabled ?? notifyEndpointDisabled)(db, claimed.endpoint.id, failingDays, log).catch((error: unknown) => {
      log.warn({ endpointId: claimed.endpoint.id, err: describeError(error) }, 'webhook disabled notice failed');
    });
  }
}

function parsePayload(data: unknown): DeliveryJobPayload | null {
  const { deliveryId, attempt } = (data ?? {}) as Partial<Record<keyof DeliveryJobPayload, unknown>>;
  if (typeof deliveryId !== 'string' || !/^[0-9a-f-]{36}$/i.test(deliveryId)) return null;
  if (typeof attempt !== 'number' || !Number.isInteger(attempt) || attempt < 1) return null;
  return { deliveryId, attempt };
}

export function createWebhookDeliveryHandler(deps: DeliveryDeps = {}): JobHandlerDefinition {
  return {
    queue: WEBHOOK_DELIVER_QUEUE,
    queueOptions: deps.queueOptions ?? WEBHOOK_DELIVER_QUEUE_OPTIONS,
    async handle(job: BossJob<unknown>) {
      const payload = parsePayload(job.data);
      if (!payload) return;
      await runDeliveryAttempt(payload, deps, job.signal);
    },
  };
}
