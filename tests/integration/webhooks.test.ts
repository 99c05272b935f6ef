// Outbound webhooks against a real database, queue and worker, delivering to a
// receiver on 127.0.0.1 that checks every signature itself: retries after 500s,
// no PHI in any body, job.failed and letter.completed, secret rotation overlap,
// disabling after 3 days of failures (with the email), resend, the connection-time
// address guard, and authorization (roles, plan, another clinic's ids).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalysisFailure } from '@/lib/analysis/errors';
import type { Actor } from '@/lib/auth/authorize';
import { db } from '@/lib/db/client';
import type { WebhookDeliveryStatus } from '@/lib/db/generated/client';
import { createAnalysisHandler, defaultAnalyzer, type Analyzer } from '@/lib/jobs/analysis-handler';
import { createLetterHandler } from '@/lib/jobs/letter-handler';
import { closeSharedListeners } from '@/lib/jobs/listener';
import { stopJobQueue } from '@/lib/jobs/queue';
import { submitAnalysisJob } from '@/lib/jobs/submit';
import { startWorker, type RunningWorker } from '@/lib/jobs/worker';
import { submitLetterJob } from '@/lib/letters/submit';
import { createLogger } from '@/lib/logger';
import { createWebhookDeliveryHandler, runDeliveryAttempt, AttemptInProgress } from '@/lib/webhooks/deliver';
import { emitWebhookEvent } from '@/lib/webhooks/emit';
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  getWebhookSettings,
  NO_SUCH_DELIVERY,
  NO_SUCH_ENDPOINT,
  resendWebhookDelivery,
  rotateWebhookSecret,
  updateWebhookEndpoint,
} from '@/lib/webhooks/endpoints';
import type { WebhookEvent } from '@/lib/webhooks/events';
import type { WebhookPayload } from '@/lib/webhooks/payload';
import { withAppDatabase } from '../support/app-database';
import { appError } from '../support/errors';
import { createStaffedClinic } from '../support/factories';
import { createCompletedAnalysis, key, SAMPLE_NOTE, waitForStatus } from '../support/jobs';
import { letterRequestFields } from '../fixtures/letters';

const dataDir = mkdtempSync(path.join(tmpdir(), 'maneiro-webhooks-'));
const database = withAppDatabase({ DEFAULT_PLAN: 'enterprise', DATA_DIR: dataDir });
const silent = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, done) => done() }) });
const ctx = { ip: '203.0.113.9', userAgent: 'vitest' };
/** Quick retries so a test sees several attempts in a second or two. */
const FAST_RETRY = { baseDelaySeconds: 0.2, maxDelaySeconds: 0.5, windowSeconds: 60, jitter: 0 };

let analyze: Analyzer = defaultAnalyzer;
let worker: RunningWorker;

// ---- The receiver: a plain node http server that verifies signatures on its own. ----

interface Received {
  path: string;
  body: string;
  id: string;
  timestamp: string;
  signature: string;
  /** Which of the secrets registered for the path the signature header matched. */
  validFor: string[];
}

const received: Received[] = [];
/** Status codes to answer on a path, in order; 200 once they run out. */
const answers = new Map<string, number[]>();
const secretsByPath = new Map<string, string[]>();
let receiver: http.Server;
let receiverUrl: string;

function signatureMatches(secret: string, timestamp: string, body: string, header: string): boolean {
  const expected = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest();
  return header.split(' ').some((part) => {
    if (!part.startsWith('v1=')) return false;
    const given = Buffer.from(part.slice(3), 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '/';
      const header = (name: string) => String(req.headers[name] ?? '');
      const timestamp = header('maneiro-webhook-timestamp');
      const signature = header('maneiro-webhook-signature');
      const validFor = (secretsByPath.get(path) ?? []).filter((s) => signatureMatches(s, timestamp, body, signature));
      received.push({ path, body, id: header('maneiro-webhook-id'), timestamp, signature, validFor });
      const status = answers.get(path)?.shift() ?? 200;
      res.writeHead(validFor.length > 0 ? status : 401).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

  const handlers = [
    createAnalysisHandler({ analyze: (input, context) => analyze(input, context), queueOptions: { retryLimit: 0, expireInSeconds: 120, notify: true }, log: silent }),
    createLetterHandler({ queueOptions: { retryLimit: 0, expireInSeconds: 120, notify: true }, log: silent }),
    createWebhookDeliveryHandler({ retry: FAST_RETRY, queueOptions: { retryLimit: 3, retryDelay: 1, expireInSeconds: 60, notify: true }, log: silent }),
  ];
  worker = await startWorker({ connectionString: database.url, handlers, concurrency: 2, batchSize: 1, pollSeconds: 0.5, notifyPollSeconds: 0.5, log: silent });
});

afterAll(async () => {
  await worker?.stop();
  await Promise.all([stopJobQueue(), closeSharedListeners()]);
  await new Promise((resolve) => receiver?.close(resolve));
  rmSync(dataDir, { recursive: true, force: true });
});

// ---- Helpers ----

let pathCounter = 0;

async function clinic(plan?: 'professional' | 'enterprise') {
  const { clinic, members } = await createStaffedClinic();
  if (plan) await db().organization.update({ where: { id: clinic.id }, data: { planOverride: plan } });
  const actor = (role: keyof typeof members): Actor => ({ userId: members[role].id, organizationId: clinic.id, role });
  return { clinic, members, actor };
}

/** An endpoint on a fresh receiver path, its secret registered with the receiver. */
async function endpoint(owner: Actor, events: WebhookEvent[] = ['job.completed', 'job.failed', 'letter.completed'], statuses: number[] = []) {
  const path = `/hook-${++pathCounter}`;
  answers.set(path, [...statuses]);
  const created = await createWebhookEndpoint(db(), owner, { url: `${receiverUrl}${path}`, description: 'Test receiver', events }, ctx);
  secretsByPath.set(path, [created.secret]);
  return { ...created, path };
}

const bodiesAt = (path: string) => received.filter((r) => r.path === path);

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function settledDelivery(endpointId: string, event: WebhookEvent, statuses: WebhookDeliveryStatus[] = ['succeeded', 'failed']) {
  return waitFor(`a settled ${event} delivery`, () => db().webhookDelivery.findFirst({ where: { endpointId, event, status: { in: statuses } } }));
}

/** Emits an event outside any job (the emit function is the same one the job handlers call). */
async function emitTest(organizationId: string, jobId = '00000000-0000-4000-8000-00000000abcd') {
  return db().$transaction((tx) => emitWebhookEvent(tx, { organizationId, event: 'job.completed', data: { jobId, jobType: 'analysis' } }));
}

// ---- Tests ----

describe('delivering events', () => {
  it('signs each attempt, retries after 500s until a 200, and never sends PHI', async () => {
    analyze = defaultAnalyzer;
    const { actor } = await clinic();
    const hook = await endpoint(actor('owner'), ['job.completed'], [500, 500]);
    const { jobId } = await submitAnalysisJob(db(), actor('clinician'), { text: SAMPLE_NOTE, specialty: 'ophthalmology', idempotencyKey: key() }, null);
    expect(await waitForStatus(jobId, ['succeeded', 'failed'], 55_000)).toBe('succeeded');

    const delivery = await settledDelivery(hook.endpointId, 'job.completed');
    expect(delivery).toMatchObject({ status: 'succeeded', attempts: 3, lastStatusCode: 200, lastError: null, nextAttemptAt: null });
    expect(delivery.deliveredAt).toBeInstanceOf(Date);

    const got = bodiesAt(hook.path);
    expect(got).toHaveLength(3);
    for (const r of got) {
      expect(r.validFor).toEqual([hook.secret]);
      expect(r.id).toBe(delivery.eventId);
      expect(r.signature).toMatch(/^v1=[0-9a-f]{64}$/);
    }
    const payload = JSON.parse(got[0]!.body) as WebhookPayload;
    expect(payload).toMatchObject({ id: delivery.eventId, type: 'job.completed', organizationId: actor('owner').organizationId });
    expect(payload.data.job).toMatchObject({ id: jobId, type: 'analysis', status: 'succeeded' });
    expect(payload.data.job.url).toMatch(new RegExp(`/jobs/${jobId}$`));

    // The note names the patient; the stored job knows it; no body carries it or any of the note.
    const job = await db().job.findUniqueOrThrow({ where: { id: jobId }, select: { patientName: true, title: true } });
    expect(job.patientName).toContain('Jordan');
    const forbidden = ['Jordan', 'Example', '1961', '00451234', 'glaucoma', 'latanoprost', 'IOP', 'Riverside', job.patientName!, ...(job.title ? [job.title] : [])];
    for (const r of got) for (const word of forbidden) expect(r.body).not.toContain(word);

    const endpointRow = await db().webhookEndpoint.findUniqueOrThrow({ where: { id: hook.endpointId } });
    expect(endpointRow.failingSince).toBeNull();
  }, 90_000);

  it('sends job.failed with the error code when a job fails', async () => {
    analyze = async () => {
      throw new AnalysisFailure('analysis_refused', 'The provider refused this note.', false);
    };
    const { actor } = await clinic();
    const hook = await endpoint(actor('admin'), ['job.failed']);
    const { jobId } = await submitAnalysisJob(db(), actor('clinician'), { text: SAMPLE_NOTE, specialty: 'auto', idempotencyKey: key() }, null);
    expect(await waitForStatus(jobId, ['succeeded', 'failed'])).toBe('failed');
    await settledDelivery(hook.endpointId, 'job.failed');
    const [only, ...rest] = bodiesAt(hook.path);
    expect(rest).toHaveLength(0);
    expect(JSON.parse(only!.body)).toMatchObject({ type: 'job.failed', data: { job: { id: jobId, type: 'analysis', status: 'failed' }, error: { code: 'analysis_refused' } } });
    expect(only!.body).not.toContain('refused this note');
    analyze = defaultAnalyzer;
  });

  it('sends letter.completed as well as job.completed when a letter is drafted', async () => {
    const { actor, members, clinic: c } = await clinic();
    const hook = await endpoint(actor('owner'), ['job.completed', 'letter.completed']);
    const analysis = await createCompletedAnalysis(c.id, members.clinician.id);
    const request = letterRequestFields('referral', 'specialist', { to: 'Dr. Ana Silva, Glaucoma Service', from: 'Dr. Alex Sample' });
    const started = await submitLetterJob(db(), actor('clinician'), { analysisJobId: analysis.jobId, idempotencyKey: key(), request }, ctx);
    expect(await waitForStatus(started.jobId, ['succeeded', 'failed'])).toBe('succeeded');
    await settledDelivery(hook.endpointId, 'letter.completed');
    await settledDelivery(hook.endpointId, 'job.completed');
    const payloads = bodiesAt(hook.path).map((r) => JSON.parse(r.body) as WebhookPayload);
    const letter = payloads.find((p) => p.type === 'letter.completed');
    expect(letter?.data.letter).toMatchObject({ id: started.letterId });
    expect(letter?.data.letter?.pdfUrl).toMatch(new RegExp(`/api/v1/letters/${started.letterId}/pdf$`));
    expect(payloads.find((p) => p.type === 'job.completed')?.data.job).toMatchObject({ id: started.jobId, type: 'letter' });
    for (const r of bodiesAt(hook.path)) for (const word of ['Ana Silva', 'Alex Sample', 'Jordan']) expect(r.body).not.toContain(word);
  });

  it('only reaches enabled endpoints subscribed to the event, and costs nothing without endpoints', async () => {
    const { actor, clinic: c } = await clinic();
    expect(await emitTest(c.id)).toBe(0);
    const failedOnly = await endpoint(actor('owner'), ['job.failed']);
    const disabled = await endpoint(actor('owner'), ['job.completed']);
    await updateWebhookEndpoint(db(), actor('owner'), disabled.endpointId, { enabled: false }, ctx);
    expect(await emitTest(c.id)).toBe(0);
    expect(await db().webhookDelivery.count({ where: { endpointId: { in: [failedOnly.endpointId, disabled.endpointId] } } })).toBe(0);
  });
});

describe('secret rotation', () => {
  it('signs with both secrets for 24 hours, then with the new one only', async () => {
    const { actor, clinic: c } = await clinic();
    const hook = await endpoint(actor('owner'), ['job.completed']);
    const rotated = await rotateWebhookSecret(db(), actor('admin'), hook.endpointId, ctx);
    expect(rotated.secret).not.toBe(hook.secret);
    expect(rotated.previousValidUntil.getTime() - Date.now()).toBeGreaterThan(23.9 * 3_600_000);
    secretsByPath.set(hook.path, [rotated.secret, hook.secret]);

    await emitTest(c.id);
    await settledDelivery(hook.endpointId, 'job.completed');
    const during = bodiesAt(hook.path)[0]!;
    expect(during.signature.split(' ')).toHaveLength(2);
    expect(during.validFor.sort()).toEqual([rotated.secret, hook.secret].sort());

    // The overlap ends.
    await db().webhookEndpoint.update({ where: { id: hook.endpointId }, data: { previousSecretExpiresAt: new Date(Date.now() - 1000) } });
    await db().webhookDelivery.deleteMany({ where: { endpointId: hook.endpointId } });
    await emitTest(c.id);
    await settledDelivery(hook.endpointId, 'job.completed');
    const after = bodiesAt(hook.path)[1]!;
    expect(after.signature.split(' ')).toHaveLength(1);
    expect(after.validFor).toEqual([rotated.secret]);
    expect(await db().auditLog.count({ where: { organizationId: c.id, event: 'webhook.secret_rotated', targetId: hook.endpointId } })).toBe(1);
  });
});

describe('failing endpoints', () => {
  it('gives up after the retry window and marks the delivery failed with the last status', async () => {
    const { actor, clinic: c } = await clinic();
    const hook = await endpoint(actor('owner'), ['job.completed'], [503, 503, 503, 503, 503, 503, 503, 503, 503, 503, 503, 503, 503, 503, 503, 503, 503, 503, 503, 503]);
    const [delivery] = await db().$transaction(async (tx) => {
      await emitWebhookEvent(tx, { organizationId: c.id, event: 'job.completed', data: { jobId: '00000000-0000-4000-8000-0000000000aa', jobType: 'triage' } }, { enqueue: async () => undefined });
      return tx.webhookDelivery.findMany({ where: { endpointId: hook.endpointId } });
    });
    // Attempts made directly, with a 1-second window: the second failure is past it.
    const deps = { retry: { ...FAST_RETRY, windowSeconds: 1 }, enqueue: async () => undefined, log: silent };
    await runDeliveryAttempt({ deliveryId: delivery!.id, attempt: 1 }, deps);
    expect(await db().webhookDelivery.findUniqueOrThrow({ where: { id: delivery!.id } })).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: 503, lastError: 'HTTP 503' });
    await new Promise((r) => setTimeout(r, 1100));
    await runDeliveryAttempt({ deliveryId: delivery!.id, attempt: 2 }, deps);
    expect(await db().webhookDelivery.findUniqueOrThrow({ where: { id: delivery!.id } })).toMatchObject({ status: 'failed', attempts: 2, lastStatusCode: 503, nextAttemptAt: null });
    expect((await db().webhookEndpoint.findUniqueOrThrow({ where: { id: hook.endpointId } })).failingSince).toBeInstanceOf(Date);
  });

  it('disables an endpoint after 3 days of failures, audits it and emails the owners and admins only', async () => {
    const { actor, members, clinic: c } = await clinic();
    const hook = await endpoint(actor('owner'), ['job.completed'], Array(50).fill(500));
    // Two days of failures: not yet.
    await db().webhookEndpoint.update({ where: { id: hook.endpointId }, data: { failingSince: new Date(Date.now() - 2 * 86_400_000) } });
    await emitTest(c.id);
    await waitFor('a failed attempt', () => db().webhookDelivery.findFirst({ where: { endpointId: hook.endpointId, attempts: { gte: 1 }, lastStatusCode: 500 } }));
    expect((await db().webhookEndpoint.findUniqueOrThrow({ where: { id: hook.endpointId } })).enabled).toBe(true);

    // Four days: the next failure disables it.
    await db().webhookEndpoint.update({ where: { id: hook.endpointId }, data: { failingSince: new Date(Date.now() - 4 * 86_400_000) } });
    const disabled = await waitFor('the endpoint disabled', async () => {
      const row = await db().webhookEndpoint.findUniqueOrThrow({ where: { id: hook.endpointId } });
      return row.enabled ? null : row;
    });
    expect(disabled).toMatchObject({ enabled: false, disabledReason: 'failing' });
    const audit = await db().auditLog.findFirstOrThrow({ where: { organizationId: c.id, event: 'webhook.endpoint_disabled' } });
    expect(audit).toMatchObject({ targetId: hook.endpointId, actorUserId: null });
    expect(audit.metadata).toMatchObject({ reason: 'failing', failingDays: 4 });

    const mail = await waitFor('the notices', async () => {
      const rows = await db().mailboxMessage.findMany({ where: { subject: { contains: 'webhook endpoint' }, to: { in: [members.owner.email, members.admin.email, members.clinician.email, members.staff.email] } } });
      return rows.length >= 2 ? rows : null;
    });
    expect(mail.map((m) => m.to).sort()).toEqual([members.owner.email, members.admin.email].sort());
    expect(mail[0]!.text).toContain('127.0.0.1');
    expect(mail[0]!.text).toContain('/settings/webhooks');

    // Its pending retry finds it disabled and stops; nothing more reaches the receiver.
    const delivery = await settledDelivery(hook.endpointId, 'job.completed', ['failed']);
    expect(delivery.lastError).toBe('endpoint disabled');
    const seen = bodiesAt(hook.path).length;
    expect(await emitTest(c.id)).toBe(0);
    await new Promise((r) => setTimeout(r, 500));
    expect(bodiesAt(hook.path)).toHaveLength(seen);

    // Enabling it again clears the streak.
    await updateWebhookEndpoint(db(), actor('admin'), hook.endpointId, { enabled: true }, ctx);
    expect(await db().webhookEndpoint.findUniqueOrThrow({ where: { id: hook.endpointId } })).toMatchObject({ enabled: true, disabledAt: null, disabledReason: null, failingSince: null });
  });
});

describe('attempts', () => {
  it('makes each attempt once, however many queue jobs ask for it', async () => {
    const { actor, clinic: c } = await clinic();
    const hook = await endpoint(actor('owner'), ['job.completed']);
    await db().$transaction((tx) =>
      emitWebhookEvent(tx, { organizationId: c.id, event: 'job.completed', data: { jobId: '00000000-0000-4000-8000-0000000000bb', jobType: 'analysis' } }, { enqueue: async () => undefined }),
    );
    const delivery = await db().webhookDelivery.findFirstOrThrow({ where: { endpointId: hook.endpointId } });
    const deps = { enqueue: async () => undefined, log: silent };
    const results = await Promise.allSettled([runDeliveryAttempt({ deliveryId: delivery.id, attempt: 1 }, deps), runDeliveryAttempt({ deliveryId: delivery.id, attempt: 1 }, deps)]);
    // One made the attempt; the other found it taken (running, or already done).
    expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThanOrEqual(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(AttemptInProgress);
    await runDeliveryAttempt({ deliveryId: delivery.id, attempt: 1 }, deps);
    expect(bodiesAt(hook.path)).toHaveLength(1);
    expect(await db().webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({ status: 'succeeded', attempts: 1 });
  });

  it('ignores a late copy of an attempt that already has its outcome, even after the retry is due', async () => {
    const { actor, clinic: c } = await clinic();
    const hook = await endpoint(actor('owner'), ['job.completed'], [500]);
    await db().$transaction((tx) =>
      emitWebhookEvent(tx, { organizationId: c.id, event: 'job.completed', data: { jobId: '00000000-0000-4000-8000-0000000000dd', jobType: 'analysis' } }, { enqueue: async () => undefined }),
    );
    const delivery = await db().webhookDelivery.findFirstOrThrow({ where: { endpointId: hook.endpointId } });
    const deps = { retry: FAST_RETRY, enqueue: async () => undefined, log: silent };
    await runDeliveryAttempt({ deliveryId: delivery.id, attempt: 1 }, deps);
    await new Promise((r) => setTimeout(r, 300));
    await runDeliveryAttempt({ deliveryId: delivery.id, attempt: 1 }, deps);
    expect(bodiesAt(hook.path)).toHaveLength(1);
    await runDeliveryAttempt({ deliveryId: delivery.id, attempt: 2 }, deps);
    expect(bodiesAt(hook.path)).toHaveLength(2);
    expect(await db().webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({ status: 'succeeded', attempts: 2, lastStatusCode: 200 });
  });

  it('refuses to connect to a non-public address under production rules, even when the URL was saved earlier', async () => {
    const { actor, clinic: c } = await clinic();
    const hook = await endpoint(actor('owner'), ['job.completed']);
    await db().$transaction((tx) =>
      emitWebhookEvent(tx, { organizationId: c.id, event: 'job.completed', data: { jobId: '00000000-0000-4000-8000-0000000000cc', jobType: 'analysis' } }, { enqueue: async () => undefined }),
    );
    const delivery = await db().webhookDelivery.findFirstOrThrow({ where: { endpointId: hook.endpointId } });
    await runDeliveryAttempt({ deliveryId: delivery.id, attempt: 1 }, { production: true, enqueue: async () => undefined, log: silent });
    expect(await db().webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({ status: 'failed', lastError: 'URL not allowed', lastStatusCode: null });
    expect(bodiesAt(hook.path)).toHaveLength(0);
  });

  it('refuses a private address in production when the endpoint is saved', async () => {
    const { actor } = await clinic();
    const refused = await appError(
      createWebhookEndpoint(db(), actor('owner'), { url: 'https://intranet.example.com/hook', events: ['job.completed'] }, ctx, {
        urlRules: { production: true, resolve: async () => ['10.20.30.40'] },
      }),
    );
    expect(refused.fieldErrors?.url?.[0]).toMatch(/private, local or reserved network/);
  });
});

describe('managing endpoints', () => {
  it('validates input field by field and allows only https (or http to localhost) outside production', async () => {
    const { actor, clinic: c } = await clinic();
    const create = (input: unknown) => appError(createWebhookEndpoint(db(), actor('owner'), input, ctx));
    expect((await create({ url: 'https://example.com/hook', events: [] })).fieldErrors?.events?.[0]).toBe('Choose at least one event.');
    expect((await create({ url: 'https://example.com/hook', events: ['job.started'] })).fieldErrors?.events?.[0]).toBe('Choose events from the list.');
    expect((await create({ url: 'http://example.com/hook', events: ['job.completed'] })).fieldErrors?.url?.[0]).toMatch(/https:\/\//);
    expect((await create({ url: '', events: ['job.completed'] })).fieldErrors?.url?.[0]).toBe('Enter the URL of your endpoint.');
    expect(await db().webhookEndpoint.count({ where: { organizationId: c.id } })).toBe(0);
  });

  it('lists endpoints with status and deliveries, stores the secret encrypted, and audits each change', async () => {
    const { actor, clinic: c } = await clinic();
    const hook = await endpoint(actor('admin'), ['letter.completed', 'job.completed']);
    const row = await db().webhookEndpoint.findUniqueOrThrow({ where: { id: hook.endpointId } });
    expect(row.secretCiphertext).not.toContain(hook.secret.slice(6));
    expect(row.events).toEqual(['job.completed', 'letter.completed']);

    const settings = await getWebhookSettings(db(), actor('owner'));
    expect(settings.access).toBe('ok');
    if (settings.access !== 'ok') return;
    expect(settings.endpoints).toEqual([
      expect.objectContaining({ id: hook.endpointId, status: 'active', secretHint: hook.secret.slice(-4), description: 'Test receiver', deliveries: [] }),
    ]);
    expect(JSON.stringify(settings)).not.toContain(hook.secret);

    await updateWebhookEndpoint(db(), actor('owner'), hook.endpointId, { enabled: false, description: 'Billing system' }, ctx);
    expect(await db().webhookEndpoint.findUniqueOrThrow({ where: { id: hook.endpointId } })).toMatchObject({ enabled: false, disabledReason: 'manual', description: 'Billing system' });
    await deleteWebhookEndpoint(db(), actor('owner'), hook.endpointId, ctx);
    expect(await db().webhookEndpoint.count({ where: { id: hook.endpointId } })).toBe(0);
    const events = await db().auditLog.findMany({ where: { organizationId: c.id, targetId: hook.endpointId }, orderBy: { seq: 'asc' }, select: { event: true, metadata: true } });
    expect(events.map((e) => e.event)).toEqual(['webhook.endpoint_created', 'webhook.endpoint_updated', 'webhook.endpoint_deleted']);
    expect(events[0]!.metadata).toMatchObject({ host: new URL(receiverUrl).host, events: 'job.completed,letter.completed' });
    expect(JSON.stringify(events)).not.toContain(hook.secret);
  });

  it('resends a delivery as a new one with the same event id and payload', async () => {
    const { actor, clinic: c } = await clinic();
    const hook = await endpoint(actor('owner'), ['job.completed']);
    await emitTest(c.id);
    const first = await settledDelivery(hook.endpointId, 'job.completed');
    const { deliveryId } = await resendWebhookDelivery(db(), actor('admin'), first.id, ctx);
    expect(deliveryId).not.toBe(first.id);
    const second = await waitFor('the resent delivery', () => db().webhookDelivery.findFirst({ where: { id: deliveryId, status: 'succeeded' } }));
    expect(second).toMatchObject({ eventId: first.eventId, event: 'job.completed', attempts: 1 });
    expect(second.payload).toEqual(first.payload);
    const got = bodiesAt(hook.path);
    expect(got.map((r) => r.id)).toEqual([first.eventId, first.eventId]);
    expect(JSON.parse(got[1]!.body)).toEqual(JSON.parse(got[0]!.body));
    expect(await db().auditLog.count({ where: { organizationId: c.id, event: 'webhook.delivery_resent', targetId: deliveryId } })).toBe(1);

    await updateWebhookEndpoint(db(), actor('owner'), hook.endpointId, { enabled: false }, ctx);
    expect((await appError(resendWebhookDelivery(db(), actor('owner'), first.id, ctx))).code).toBe('conflict');
  });
});

describe('who may manage webhooks', () => {
  it('answers another clinic’s endpoint and delivery ids as not found, and lists only its own', async () => {
    const mine = await clinic();
    const theirs = await clinic();
    const hook = await endpoint(mine.actor('owner'), ['job.completed']);
    await emitTest(mine.clinic.id);
    const delivery = await settledDelivery(hook.endpointId, 'job.completed');
    const outsider = theirs.actor('owner');

    for (const attempt of [
      () => updateWebhookEndpoint(db(), outsider, hook.endpointId, { enabled: false }, ctx),
      () => rotateWebhookSecret(db(), outsider, hook.endpointId, ctx),
      () => deleteWebhookEndpoint(db(), outsider, hook.endpointId, ctx),
    ]) {
      const error = await appError(attempt());
      expect(error.code).toBe('not_found');
      expect(error.userMessage).toBe(NO_SUCH_ENDPOINT);
    }
    const resend = await appError(resendWebhookDelivery(db(), outsider, delivery.id, ctx));
    expect([resend.code, resend.userMessage]).toEqual(['not_found', NO_SUCH_DELIVERY]);
    expect((await appError(resendWebhookDelivery(db(), outsider, 'not-a-uuid', ctx))).code).toBe('not_found');

    const theirSettings = await getWebhookSettings(db(), outsider);
    expect(theirSettings).toEqual({ access: 'ok', endpoints: [], maxEndpoints: 10 });
    expect(await db().webhookEndpoint.findUniqueOrThrow({ where: { id: hook.endpointId } })).toMatchObject({ enabled: true, previousSecretCiphertext: null });
    expect(await db().webhookDelivery.count({ where: { endpointId: hook.endpointId } })).toBe(1);
  });

  it('lets only owners and admins manage them, and only on a plan with API access', async () => {
    const enterprise = await clinic();
    for (const role of ['clinician', 'staff'] as const) {
      expect((await appError(createWebhookEndpoint(db(), enterprise.actor(role), { url: `${receiverUrl}/x`, events: ['job.completed'] }, ctx))).code).toBe('forbidden');
      expect(await getWebhookSettings(db(), enterprise.actor(role))).toEqual({ access: 'role' });
    }

    const professional = await clinic('professional');
    const refused = await appError(createWebhookEndpoint(db(), professional.actor('owner'), { url: `${receiverUrl}/x`, events: ['job.completed'] }, ctx));
    expect(refused.code).toBe('plan_required');
    expect(refused.userMessage).toBe('Webhooks come with the Enterprise plan; your clinic is on Professional.');
    expect(await getWebhookSettings(db(), professional.actor('admin'))).toEqual({ access: 'plan', planName: 'Professional', requiredPlanName: 'Enterprise' });
    expect(await db().webhookEndpoint.count({ where: { organizationId: professional.clinic.id } })).toBe(0);

    // A clinic that downgrades keeps its endpoints, but they receive nothing.
    const hook = await endpoint(enterprise.actor('owner'), ['job.completed']);
    await db().organization.update({ where: { id: enterprise.clinic.id }, data: { planOverride: 'professional' } });
    expect(await emitTest(enterprise.clinic.id)).toBe(0);
    expect((await appError(rotateWebhookSecret(db(), enterprise.actor('owner'), hook.endpointId, ctx))).code).toBe('plan_required');
    expect(await db().webhookDelivery.count({ where: { endpointId: hook.endpointId } })).toBe(0);
  });
});
