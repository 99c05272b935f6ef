// Every server action of the signed-in app crossed with every kind of caller,
// called the way a hostile client would: a raw POST with the action's id, no
// browser, no page, with and without `x-middleware-subrequest`. Each call aims at
// fresh targets in one clinic (the "victim"); the test checks the answer and
// that the clinic changed only when the caller was allowed to change it.
//
// The public actions of the sign-up, sign-in, reset and invitation pages are
// meant for signed-out visitors and are covered by their journeys and by the
// integration tests of lib/auth and lib/orgs.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { insertJob, insertLetter } from './support/jobs';
import { createClinic, createMember, sessionCookie, sql, type Role } from './support/session';

type Principal = 'anonymous' | 'outsider' | Role;
const PRINCIPALS: Principal[] = ['anonymous', 'outsider', 'staff', 'clinician', 'admin', 'owner'];

const UNAUTHENTICATED = 'Please sign in to continue.';
const FORBIDDEN = 'You do not have permission to do that.';
const NOT_FOUND = 'We could not find what you were looking for.';
/** Another clinic's invitation ids get the answer any unknown id gets (a 404-class error). */
const NO_SUCH_INVITATION = 'That invitation is no longer pending.';
const WRONG_PASSWORD = 'That password is not correct.';

/** `ok`, or the exact error message the caller must see (as the message or as a field's message). */
type Outcome = 'ok' | string;

interface Arranged {
  args: unknown[] | { multipart: FormData };
  /** Whether the victim clinic (or the caller's own account, for self-service actions) changed. */
  changed: () => Promise<boolean>;
}

interface ActionCase {
  name: string;
  /** A page whose bundle references the action (the POST goes there, as the browser's would). */
  page: string;
  expect: (who: Principal) => Outcome;
  /** Whether an allowed call changes the victim clinic; outsiders act on their own clinic at most. */
  arrange: (victim: Victim, caller: Caller) => Promise<Arranged>;
}

interface Victim {
  clinicId: string;
}
interface Caller {
  userId: string;
  cookie: string;
}

const adminsOnly = (who: Principal): Outcome =>
  who === 'anonymous' ? UNAUTHENTICATED : who === 'staff' || who === 'clinician' ? FORBIDDEN : 'ok';
/** Admins only, and an outsider's id for the victim's rows is simply unknown. */
const adminsOnlyByTarget = (who: Principal): Outcome => (who === 'outsider' ? NOT_FOUND : adminsOnly(who));
const adminsOnlyByInvitation = (who: Principal): Outcome => (who === 'outsider' ? NO_SUCH_INVITATION : adminsOnly(who));
const anyoneSignedIn = (who: Principal): Outcome => (who === 'anonymous' ? UNAUTHENTICATED : 'ok');
/** Owners only; an outsider (an owner elsewhere) acts on their own clinic at most. */
const ownersOnly = (who: Principal): Outcome =>
  who === 'anonymous' ? UNAUTHENTICATED : who === 'owner' || who === 'outsider' ? 'ok' : FORBIDDEN;
/** The operator console's actions: signed-in non-operators get the answer any unknown thing gets. */
const notAnOperator = (who: Principal): Outcome => (who === 'anonymous' ? UNAUTHENTICATED : NOT_FOUND);
const NO_BILLING_ACCOUNT = 'Your clinic has no subscription to manage yet. Choose a plan on the pricing page first.';
/** Actions that only hand out a URL (a Stripe page) or read: an allowed call changes nothing here. */
const READ_ONLY_ACTIONS = ['openBillingPortalAction', 'searchJobsAction', 'searchLettersAction'];

/** Clinical analyses: clinicians, admins and owners; staff are told who can. */
const analysisRoles =
  (verb: 'start' | 'cancel' | 'retry') =>
  (who: Principal): Outcome =>
    who === 'anonymous'
      ? UNAUTHENTICATED
      : who === 'staff'
        ? `Only clinicians, admins and owners can ${verb} clinical analyses. Ask one of them to do it for you.`
        : 'ok';
/** The same, aimed at one of the victim's jobs: to an outsider it does not exist. */
const analysisRolesByJob = (verb: 'cancel' | 'retry') => (who: Principal): Outcome => (who === 'outsider' ? 'We could not find that job.' : analysisRoles(verb)(who));
/** The job page's actions are posted to a job page; which job the URL names does not matter to the action. */
const JOB_PAGE = '/jobs/00000000-0000-4000-8000-000000000000';
const MATRIX_NOTE = 'Assessment: primary open-angle glaucoma, right eye. Plan: continue latanoprost at night, review in 3 months.';

/** Triage: every member; aimed at one of the victim's triaged documents, an outsider finds nothing. */
const everyMemberByJob = (who: Principal): Outcome => (who === 'outsider' ? 'We could not find that job.' : anyoneSignedIn(who));
const analysisRolesByTriage = (who: Principal): Outcome => (who === 'outsider' ? 'We could not find that job.' : analysisRoles('start')(who));
const MATRIX_FAX = 'Referral request from Dr. Lee, Harbour Clinic, fax 555-0100. Patient: Ana Matrix, DOB 01/02/1960. Routine eye examination, non-urgent.';

/** A finished triage of pasted text in the clinic, with one front-desk and one doctor task (as lib/triage/schema.ts stores it). */
async function triagedDocument(clinicId: string): Promise<string> {
  const jobId = await insertJob(clinicId, { type: 'triage', title: 'Matrix fax', inputText: MATRIX_FAX });
  const result = {
    documentType: 'referral_request',
    urgency: 'routine',
    from: { provider: 'Dr. Lee', clinic: 'Harbour Clinic', fax: '555-0100', phone: null },
    regarding: { patientName: 'Ana Matrix', dateOfBirth: '01/02/1960' },
    keyClinicalInfo: ['Routine eye examination'],
    reasoning: 'A referral marked non-urgent.',
    frontDeskTasks: ['Schedule new-patient consult within 4–6 weeks'],
    doctorTasks: ['Review referral'],
    meta: { schemaVersion: 1, provider: 'offline', model: 'matrix', promptVersion: 'matrix', inputChecksum: '0'.repeat(64), repaired: false, truncated: false },
  };
  await sql(`UPDATE jobs SET result = $2::jsonb, urgency = 'routine' WHERE id = $1`, [jobId, JSON.stringify(result)]);
  return jobId;
}

/** Transcription: clinicians, admins and owners; staff are told who can; aimed at the victim's transcript, an outsider finds nothing. */
const transcriptRoles =
  (verb: 'edit transcripts' | 'analyse transcripts') =>
  (who: Principal): Outcome =>
    who === 'anonymous'
      ? UNAUTHENTICATED
      : who === 'staff'
        ? `Only clinicians, admins and owners can ${verb}. Ask one of them to do it for you.`
        : who === 'outsider'
          ? 'We could not find that job.'
          : 'ok';

/** A finished transcription in the clinic with its provider version (as lib/jobs/transcription stores it). */
async function transcribedRecording(clinicId: string): Promise<string> {
  const jobId = await insertJob(clinicId, { type: 'transcription', title: 'Matrix recording' });
  const segments = [{ startMs: 0, endMs: 4000, speaker: null, text: 'Patient reports blurred vision in the right eye.' }];
  await sql(
    `INSERT INTO transcript_versions (id, job_id, organization_id, version, segments, text) VALUES ($1, $2, $3, 1, $4::jsonb, $5)`,
    [randomUUID(), jobId, clinicId, JSON.stringify(segments), segments[0]!.text],
  );
  return jobId;
}

/** Letters: a referral is for clinicians and up; to staff and outsiders it does not exist. */
const NO_SUCH_LETTER = 'We could not find that letter. It may have been deleted.';
const referralWriters = (who: Principal): Outcome =>
  who === 'anonymous' ? UNAUTHENTICATED : who === 'staff' || who === 'outsider' ? NO_SUCH_LETTER : 'ok';
const REPORT_PAGE = '/reports/00000000-0000-4000-8000-000000000000';
const ANALYSIS_RESULT = fs.readFileSync(path.join('tests', 'fixtures', 'analysis', 'glaucoma-result.json'), 'utf8');

/** A completed analysis in the clinic (the offline analyzer's result for a glaucoma note), as letters start from. */
async function completedAnalysis(clinicId: string): Promise<string> {
  const jobId = await insertJob(clinicId, { title: 'Matrix analysis', inputText: MATRIX_NOTE, patientName: 'Harold Vennick' });
  await sql(`UPDATE jobs SET result = $2::jsonb WHERE id = $1`, [jobId, ANALYSIS_RESULT]);
  return jobId;
}

const EDITED_LETTER = { blocks: [{ type: 'paragraph', runs: [{ text: 'Dear Dr. Recipient,' }] }, { type: 'paragraph', runs: [{ text: 'Edited by the matrix.' }] }] };

/** A customer in this run's fake Stripe (tests/e2e/server.ts), as checkout would have created. */
async function fakeStripeCustomer(): Promise<string> {
  const { stripeUrl } = JSON.parse(fs.readFileSync(`test-results/e2e-server-${process.env.E2E_PORT ?? 3100}.json`, 'utf8')) as { stripeUrl: string };
  const response = await fetch(`${stripeUrl}/v1/customers`, {
    method: 'POST',
    headers: { authorization: 'Bearer sk_test_e2e', 'content-type': 'application/x-www-form-urlencoded' },
    body: 'name=Matrix',
  });
  return ((await response.json()) as { id: string }).id;
}

async function one<T extends Record<string, unknown>>(text: string, values: unknown[]): Promise<T | undefined> {
  return (await sql<T>(text, values))[0];
}

async function pendingInvitation(clinicId: string): Promise<string> {
  const id = randomUUID();
  await sql(
    `INSERT INTO invitations (id, organization_id, email, role, token_hash, expires_at) VALUES ($1, $2, $3, 'staff', $4, now() + interval '7 days')`,
    [id, clinicId, `invitee-${randomBytes(4).toString('hex')}@matrix.test`, randomBytes(32).toString('hex')],
  );
  return id;
}

/** Clinic data controls (Settings → Data): owners only; an outsider acts on their own clinic at most. */
const dataOwners = (refusal: string) => (who: Principal): Outcome =>
  who === 'anonymous' ? UNAUTHENTICATED : who === 'owner' || who === 'outsider' ? 'ok' : refusal;

/** Webhooks: owners and admins of an Enterprise clinic; an outsider's own clinic is on Free and meets the plan gate. */
const WEBHOOKS_ON_FREE = 'Webhooks come with the Enterprise plan; your clinic is on Free.';
const webhookAdmins = (who: Principal): Outcome => (who === 'outsider' ? WEBHOOKS_ON_FREE : adminsOnly(who));

/**
 * An Enterprise victim with one webhook endpoint, inserted directly. Its URL is a loopback address that
 * production refuses at delivery time without connecting, so a resent delivery never leaves the machine.
 */
async function webhookEndpoint(clinicId: string): Promise<string> {
  await sql(`UPDATE organizations SET plan_override = 'enterprise' WHERE id = $1`, [clinicId]);
  const id = randomUUID();
  await sql(
    `INSERT INTO webhook_endpoints (id, organization_id, url, events, secret_ciphertext, secret_hint, updated_at)
     VALUES ($1, $2, 'https://127.0.0.1:9/matrix', ARRAY['job.completed'], 'v1.matrix.matrix.matrix', 'trix', now())`,
    [id, clinicId],
  );
  return id;
}

const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/**
 * How React encodes a single FormData argument: the fields under the prefix `_1_`,
 * then row 0 referring to them. Order matters: the fields must come first.
 */
function reactFormDataReply(fields: Record<string, string | File>): FormData {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(`_1_${key}`, value);
  form.append('0', '["$K1"]');
  return form;
}

const CASES: ActionCase[] = [
  {
    name: 'inviteAction',
    page: '/settings/team',
    expect: adminsOnly,
    arrange: async ({ clinicId }) => {
      const email = `invitee-${randomBytes(4).toString('hex')}@matrix.test`;
      return {
        args: [{ email, role: 'staff' }],
        changed: async () => !!(await one('SELECT 1 FROM invitations WHERE organization_id = $1 AND email = $2', [clinicId, email])),
      };
    },
  },
  {
    name: 'resendInvitationAction',
    page: '/settings/team',
    expect: adminsOnlyByInvitation,
    arrange: async ({ clinicId }) => {
      const id = await pendingInvitation(clinicId);
      const before = await one<{ token_hash: string }>('SELECT token_hash FROM invitations WHERE id = $1', [id]);
      return {
        args: [id],
        changed: async () => (await one<{ token_hash: string }>('SELECT token_hash FROM invitations WHERE id = $1', [id]))?.token_hash !== before?.token_hash,
      };
    },
  },
  {
    name: 'revokeInvitationAction',
    page: '/settings/team',
    expect: adminsOnlyByInvitation,
    arrange: async ({ clinicId }) => {
      const id = await pendingInvitation(clinicId);
      return {
        args: [id],
        changed: async () => (await one<{ revoked_at: Date | null }>('SELECT revoked_at FROM invitations WHERE id = $1', [id]))?.revoked_at != null,
      };
    },
  },
  {
    name: 'changeRoleAction',
    page: '/settings/team',
    expect: adminsOnlyByTarget,
    arrange: async ({ clinicId }) => {
      const target = await createMember(clinicId, 'staff');
      return {
        args: [target.userId, 'clinician'],
        changed: async () =>
          (await one<{ role: string }>('SELECT role FROM memberships WHERE organization_id = $1 AND user_id = $2', [clinicId, target.userId]))?.role !== 'staff',
      };
    },
  },
  {
    name: 'removeMemberAction',
    page: '/settings/team',
    expect: adminsOnlyByTarget,
    arrange: async ({ clinicId }) => {
      const target = await createMember(clinicId, 'staff');
      return {
        args: [target.userId],
        changed: async () => !(await one('SELECT 1 FROM memberships WHERE organization_id = $1 AND user_id = $2', [clinicId, target.userId])),
      };
    },
  },
  {
    name: 'updateClinicAction',
    page: '/settings/clinic',
    // Outsiders rename their own clinic (the server ignores the clinic they ask for); the victim is untouched.
    expect: adminsOnly,
    arrange: async ({ clinicId }) => {
      const name = `Renamed ${randomBytes(3).toString('hex')}`;
      return {
        args: [{ name, address: '1 Rua Direita, Porto', phone: '+351 22 000 0000', fax: '' }],
        changed: async () => (await one<{ name: string }>('SELECT name FROM organizations WHERE id = $1', [clinicId]))?.name === name,
      };
    },
  },
  {
    name: 'uploadClinicImageAction',
    page: '/settings/clinic',
    expect: adminsOnly,
    arrange: async ({ clinicId }) => {
      await sql('UPDATE organizations SET logo_key = NULL WHERE id = $1', [clinicId]);
      return {
        args: { multipart: reactFormDataReply({ kind: 'logo', file: new File([PNG_1X1], 'logo.png', { type: 'image/png' }) }) },
        changed: async () => (await one<{ logo_key: string | null }>('SELECT logo_key FROM organizations WHERE id = $1', [clinicId]))?.logo_key != null,
      };
    },
  },
  {
    name: 'removeClinicImageAction',
    page: '/settings/clinic',
    expect: adminsOnly,
    arrange: async ({ clinicId }) => {
      await sql('UPDATE organizations SET logo_key = $2 WHERE id = $1', [clinicId, `${clinicId}/missing-logo`]);
      return {
        args: ['logo'],
        changed: async () => (await one<{ logo_key: string | null }>('SELECT logo_key FROM organizations WHERE id = $1', [clinicId]))?.logo_key == null,
      };
    },
  },
  {
    name: 'switchClinicAction',
    page: '/dashboard',
    // Members may make the clinic active; for anyone else it does not exist.
    expect: (who) => (who === 'anonymous' ? UNAUTHENTICATED : who === 'outsider' ? NOT_FOUND : 'ok'),
    arrange: async ({ clinicId }, caller) => ({
      args: [clinicId],
      changed: async () =>
        !!(await one(`SELECT 1 FROM audit_logs WHERE organization_id = $1 AND actor_user_id = $2 AND event = 'clinic.switched'`, [clinicId, caller.userId])),
    }),
  },
  {
    name: 'startCheckoutAction',
    page: '/settings/billing',
    expect: ownersOnly,
    arrange: async ({ clinicId }) => ({
      args: [{ plan: 'basic', attemptId: `matrix-${randomBytes(12).toString('hex')}` }],
      // The first checkout of a clinic creates and stores its Stripe customer.
      changed: async () => (await one<{ stripe_customer_id: string | null }>('SELECT stripe_customer_id FROM organizations WHERE id = $1', [clinicId]))?.stripe_customer_id != null,
    }),
  },
  {
    name: 'createApiKeyAction',
    page: '/settings/api-keys',
    // The victim is on Enterprise; an outsider's own clinic is on Free and is refused by the plan gate.
    expect: (who) => (who === 'outsider' ? 'REST API access needs the Enterprise plan or higher; your clinic is on Free.' : adminsOnly(who)),
    arrange: async ({ clinicId }) => {
      await sql(`UPDATE organizations SET plan_override = 'enterprise' WHERE id = $1`, [clinicId]);
      const name = `Matrix key ${randomBytes(3).toString('hex')}`;
      return {
        args: [{ name, scopes: ['jobs:read'] }],
        changed: async () => !!(await one('SELECT 1 FROM api_keys WHERE organization_id = $1 AND name = $2', [clinicId, name])),
      };
    },
  },
  {
    name: 'revokeApiKeyAction',
    page: '/settings/api-keys',
    expect: (who) => (who === 'outsider' ? 'We could not find that API key.' : adminsOnly(who)),
    arrange: async ({ clinicId }) => {
      const id = randomUUID();
      await sql(`INSERT INTO api_keys (id, organization_id, name, prefix, hash, scopes) VALUES ($1, $2, 'Matrix key', $3, $4, ARRAY['jobs:read'])`, [
        id,
        clinicId,
        `mk_live_${randomBytes(4).toString('hex')}`,
        randomBytes(32).toString('hex'),
      ]);
      return {
        args: [id],
        changed: async () => (await one<{ revoked_at: Date | null }>('SELECT revoked_at FROM api_keys WHERE id = $1', [id]))?.revoked_at != null,
      };
    },
  },
  {
    name: 'openBillingPortalAction',
    page: '/settings/billing',
    // An outsider reaches only their own clinic, which has never paid.
    expect: (who) => (who === 'outsider' ? NO_BILLING_ACCOUNT : ownersOnly(who)),
    arrange: async ({ clinicId }) => {
      await sql('UPDATE organizations SET stripe_customer_id = $2 WHERE id = $1 AND stripe_customer_id IS NULL', [clinicId, await fakeStripeCustomer()]);
      return {
        args: [],
        changed: async () => (await one<{ stripe_customer_id: string | null }>('SELECT stripe_customer_id FROM organizations WHERE id = $1', [clinicId]))?.stripe_customer_id == null,
      };
    },
  },
  {
    name: 'createWebhookEndpointAction',
    page: '/settings/webhooks',
    expect: webhookAdmins,
    arrange: async ({ clinicId }) => {
      await sql(`UPDATE organizations SET plan_override = 'enterprise' WHERE id = $1`, [clinicId]);
      // A public address, as production requires; nothing is ever sent to it (no event happens in this clinic).
      const url = `https://1.1.1.1/maneiro-matrix-${randomBytes(4).toString('hex')}`;
      return {
        args: [{ url, description: 'Matrix', events: ['job.completed'] }],
        changed: async () => !!(await one('SELECT 1 FROM webhook_endpoints WHERE organization_id = $1 AND url = $2', [clinicId, url])),
      };
    },
  },
  {
    name: 'updateWebhookEndpointAction',
    page: '/settings/webhooks',
    expect: webhookAdmins,
    arrange: async ({ clinicId }) => {
      const endpointId = await webhookEndpoint(clinicId);
      return {
        args: [endpointId, { enabled: false }],
        changed: async () => !!(await one('SELECT 1 FROM webhook_endpoints WHERE id = $1 AND enabled = false', [endpointId])),
      };
    },
  },
  {
    name: 'rotateWebhookSecretAction',
    page: '/settings/webhooks',
    expect: webhookAdmins,
    arrange: async ({ clinicId }) => {
      const endpointId = await webhookEndpoint(clinicId);
      return {
        args: [endpointId],
        changed: async () => !!(await one('SELECT 1 FROM webhook_endpoints WHERE id = $1 AND previous_secret_ciphertext IS NOT NULL', [endpointId])),
      };
    },
  },
  {
    name: 'deleteWebhookEndpointAction',
    page: '/settings/webhooks',
    expect: webhookAdmins,
    arrange: async ({ clinicId }) => {
      const endpointId = await webhookEndpoint(clinicId);
      return { args: [endpointId], changed: async () => !(await one('SELECT 1 FROM webhook_endpoints WHERE id = $1', [endpointId])) };
    },
  },
  {
    name: 'resendWebhookDeliveryAction',
    page: '/settings/webhooks',
    expect: webhookAdmins,
    arrange: async ({ clinicId }) => {
      const endpointId = await webhookEndpoint(clinicId);
      const deliveryId = randomUUID();
      await sql(
        `INSERT INTO webhook_deliveries (id, endpoint_id, organization_id, event, event_id, payload, status, attempts)
         VALUES ($1, $2, $3, 'job.completed', $4, '{}'::jsonb, 'failed', 1)`,
        [deliveryId, endpointId, clinicId, randomUUID()],
      );
      return {
        args: [deliveryId],
        changed: async () => Number((await one<{ n: string }>('SELECT count(*) AS n FROM webhook_deliveries WHERE endpoint_id = $1', [endpointId]))?.n) > 1,
      };
    },
  },
  {
    name: 'requestExportAction',
    page: '/settings/data',
    expect: dataOwners('Only the clinic’s owners can export all of its data.'),
    arrange: async ({ clinicId }) => ({
      args: [],
      changed: async () => !!(await one('SELECT 1 FROM clinic_exports WHERE organization_id = $1', [clinicId])),
    }),
  },
  {
    name: 'setRetentionAction',
    page: '/settings/data',
    expect: dataOwners('Only the clinic’s owners can change how long raw files are kept.'),
    arrange: async ({ clinicId }) => ({
      args: [{ retentionDays: '90' }],
      changed: async () => (await one<{ retention_days: number | null }>('SELECT retention_days FROM organizations WHERE id = $1', [clinicId]))?.retention_days === 90,
    }),
  },
  {
    name: 'scheduleClinicDeletionAction',
    page: '/settings/data',
    // Owners reach the password check (these callers have no password): that proves the role check let them through.
    expect: (who) => (who === 'anonymous' ? UNAUTHENTICATED : who === 'owner' || who === 'outsider' ? WRONG_PASSWORD : 'Only the clinic’s owners can delete it.'),
    arrange: async ({ clinicId }) => ({
      args: [{ password: 'not the password at all', confirmName: 'Matrix clinic' }],
      changed: async () => !!(await one('SELECT 1 FROM organizations WHERE id = $1 AND deletion_scheduled_at IS NOT NULL', [clinicId])),
    }),
  },
  {
    name: 'restoreClinicAction',
    page: '/settings/data',
    expect: dataOwners('Only the clinic’s owners can restore it.'),
    arrange: async ({ clinicId }) => {
      await sql(
        `UPDATE organizations SET deletion_requested_at = now(), deletion_scheduled_at = now() + interval '7 days' WHERE id = $1`,
        [clinicId],
      );
      return {
        args: [],
        changed: async () => !!(await one('SELECT 1 FROM organizations WHERE id = $1 AND deletion_scheduled_at IS NULL', [clinicId])),
      };
    },
  },
  {
    name: 'submitAnalysisJobAction',
    page: '/dashboard',
    // Outsiders start an analysis in their own clinic at most.
    expect: analysisRoles('start'),
    arrange: async ({ clinicId }) => {
      const idempotencyKey = `matrix-${randomBytes(8).toString('hex')}`;
      return {
        args: [{ text: MATRIX_NOTE, specialty: 'auto', handwritten: false, idempotencyKey }],
        changed: async () => !!(await one('SELECT 1 FROM jobs WHERE organization_id = $1 AND idempotency_key = $2', [clinicId, idempotencyKey])),
      };
    },
  },
  {
    name: 'cancelJobAction',
    page: JOB_PAGE,
    expect: analysisRolesByJob('cancel'),
    arrange: async ({ clinicId }) => {
      const jobId = await insertJob(clinicId, { status: 'queued', title: 'Matrix queued job' });
      return {
        args: [jobId],
        changed: async () => (await one<{ status: string }>('SELECT status FROM jobs WHERE id = $1', [jobId]))?.status === 'canceled',
      };
    },
  },
  {
    name: 'retryJobAction',
    page: JOB_PAGE,
    expect: analysisRolesByJob('retry'),
    arrange: async ({ clinicId }) => {
      const jobId = await insertJob(clinicId, { status: 'failed', title: 'Matrix failed job', inputText: MATRIX_NOTE, errorMessage: 'The analysis failed.' });
      return {
        args: [jobId],
        changed: async () => !!(await one('SELECT 1 FROM jobs WHERE organization_id = $1 AND idempotency_key = $2', [clinicId, `retry-of:${jobId}`])),
      };
    },
  },
  {
    name: 'submitTriageJobAction',
    page: '/triage',
    // Every role triages; outsiders triage in their own clinic at most.
    expect: anyoneSignedIn,
    arrange: async ({ clinicId }) => {
      const idempotencyKey = `matrix-${randomBytes(8).toString('hex')}`;
      return {
        args: [{ text: MATRIX_FAX, handwritten: false, idempotencyKey }],
        changed: async () => !!(await one(`SELECT 1 FROM jobs WHERE organization_id = $1 AND idempotency_key = $2 AND type = 'triage'`, [clinicId, idempotencyKey])),
      };
    },
  },
  {
    name: 'setTriageTaskAction',
    page: JOB_PAGE,
    expect: everyMemberByJob,
    arrange: async ({ clinicId }) => {
      const jobId = await triagedDocument(clinicId);
      return {
        args: [jobId, { key: 'front_desk:0', done: true }],
        changed: async () => !!(await one(`SELECT 1 FROM triage_task_states WHERE job_id = $1 AND task_key = 'front_desk:0'`, [jobId])),
      };
    },
  },
  {
    name: 'analyzeTriagedDocumentAction',
    page: JOB_PAGE,
    expect: analysisRolesByTriage,
    arrange: async ({ clinicId }) => {
      const jobId = await triagedDocument(clinicId);
      return {
        args: [jobId, { idempotencyKey: `matrix-${randomBytes(8).toString('hex')}` }],
        changed: async () => !!(await one(`SELECT 1 FROM jobs WHERE organization_id = $1 AND source_job_id = $2 AND type = 'analysis'`, [clinicId, jobId])),
      };
    },
  },
  {
    name: 'submitTranscriptionAction',
    page: '/transcribe',
    // The victim is on Basic (transcription included); an outsider's own clinic is on Free and is refused by the plan gate.
    expect: (who) =>
      who === 'anonymous'
        ? UNAUTHENTICATED
        : who === 'staff'
          ? 'Only clinicians, admins and owners can start transcriptions. Ask one of them to do it for you.'
          : who === 'outsider'
            ? 'Audio transcription needs the Basic plan or higher; your clinic is on Free.'
            : 'ok',
    arrange: async ({ clinicId }) => {
      await sql(`UPDATE organizations SET plan_override = 'basic' WHERE id = $1`, [clinicId]);
      const uploadId = randomUUID();
      // The duration is known, so submission never needs the stored bytes.
      await sql(
        `INSERT INTO uploads (id, organization_id, storage_key, original_name, kind, content_type, byte_size, sha256, duration_ms)
         VALUES ($1, $2, $3, 'matrix.webm', 'webm', 'audio/webm', 1024, $4, 5000)`,
        [uploadId, clinicId, `${clinicId}/${randomUUID()}`, randomBytes(32).toString('hex')],
      );
      const idempotencyKey = `matrix-${randomBytes(8).toString('hex')}`;
      return {
        args: [{ uploadId, mode: 'dictation', language: 'auto', idempotencyKey }],
        changed: async () => !!(await one(`SELECT 1 FROM jobs WHERE organization_id = $1 AND idempotency_key = $2 AND type = 'transcription'`, [clinicId, idempotencyKey])),
      };
    },
  },
  {
    name: 'saveTranscriptAction',
    page: JOB_PAGE,
    expect: transcriptRoles('edit transcripts'),
    arrange: async ({ clinicId }) => {
      const jobId = await transcribedRecording(clinicId);
      return {
        args: [jobId, { baseVersion: 1, segments: [{ startMs: 0, endMs: 4000, speaker: null, text: 'Edited by the matrix.' }] }],
        changed: async () => !!(await one(`SELECT 1 FROM transcript_versions WHERE job_id = $1 AND version = 2`, [jobId])),
      };
    },
  },
  {
    name: 'restoreTranscriptAction',
    page: JOB_PAGE,
    expect: transcriptRoles('edit transcripts'),
    arrange: async ({ clinicId }) => {
      const jobId = await transcribedRecording(clinicId);
      return {
        args: [jobId, 1],
        changed: async () => !!(await one(`SELECT 1 FROM transcript_versions WHERE job_id = $1 AND version = 2`, [jobId])),
      };
    },
  },
  {
    name: 'analyzeTranscriptAction',
    page: JOB_PAGE,
    expect: transcriptRoles('analyse transcripts'),
    arrange: async ({ clinicId }) => {
      const jobId = await transcribedRecording(clinicId);
      return {
        args: [jobId, { specialty: 'auto', idempotencyKey: `matrix-${randomBytes(8).toString('hex')}` }],
        changed: async () => !!(await one(`SELECT 1 FROM jobs WHERE organization_id = $1 AND source_job_id = $2 AND type = 'analysis'`, [clinicId, jobId])),
      };
    },
  },
  {
    name: 'searchJobsAction',
    page: '/jobs',
    // Read-only; an outsider searches their own clinic (the job pages' tests check what a search returns).
    expect: anyoneSignedIn,
    arrange: async () => ({ args: [{ q: 'Matrix' }], changed: async () => false }),
  },
  {
    name: 'submitLetterAction',
    page: JOB_PAGE,
    expect: (who) =>
      who === 'anonymous'
        ? UNAUTHENTICATED
        : who === 'staff'
          ? 'Staff write patient and insurance letters. Ask a clinician to write this standard referral letter.'
          : who === 'outsider'
            ? 'We could not find that analysis.'
            : 'ok',
    arrange: async ({ clinicId }) => {
      const analysisJobId = await completedAnalysis(clinicId);
      const idempotencyKey = `matrix-${randomBytes(8).toString('hex')}`;
      const request = {
        template: 'referral',
        recipientType: 'specialist',
        language: 'en',
        to: 'Dr. Matrix Recipient',
        from: 'Dr. Matrix Sender',
        reason: { kind: 'diagnosis', diagnosisNumber: 1 },
        referralFocus: null,
        specialRequests: null,
        tone: null,
        detail: null,
        insuranceLetterType: null,
        procedure: null,
        insurer: null,
        justification: null,
      };
      return {
        args: [{ analysisJobId, idempotencyKey, request }],
        changed: async () => !!(await one(`SELECT 1 FROM letters WHERE organization_id = $1 AND analysis_job_id = $2`, [clinicId, analysisJobId])),
      };
    },
  },
  {
    name: 'saveLetterAction',
    page: REPORT_PAGE,
    expect: referralWriters,
    arrange: async ({ clinicId }) => {
      const letterId = await insertLetter(clinicId);
      return {
        args: [{ letterId, baseVersion: 1, content: EDITED_LETTER }],
        changed: async () => !!(await one(`SELECT 1 FROM letter_versions WHERE letter_id = $1 AND version = 2`, [letterId])),
      };
    },
  },
  {
    name: 'restoreLetterAction',
    page: REPORT_PAGE,
    expect: referralWriters,
    arrange: async ({ clinicId }) => {
      const letterId = await insertLetter(clinicId);
      await sql(`INSERT INTO letter_versions (id, letter_id, organization_id, version, content, source) VALUES ($1, $2, $3, 2, $4::jsonb, 'edited')`, [
        randomUUID(),
        letterId,
        clinicId,
        JSON.stringify(EDITED_LETTER),
      ]);
      await sql(`UPDATE letters SET current_version = 2 WHERE id = $1`, [letterId]);
      return {
        args: [{ letterId, version: 1, baseVersion: 2 }],
        changed: async () => !!(await one(`SELECT 1 FROM letter_versions WHERE letter_id = $1 AND version = 3`, [letterId])),
      };
    },
  },
  {
    name: 'duplicateLetterAction',
    page: REPORT_PAGE,
    expect: referralWriters,
    arrange: async ({ clinicId }) => {
      const letterId = await insertLetter(clinicId);
      return { args: [letterId], changed: async () => !!(await one(`SELECT 1 FROM letters WHERE duplicated_from_id = $1`, [letterId])) };
    },
  },
  {
    name: 'deleteLetterAction',
    page: REPORT_PAGE,
    expect: referralWriters,
    arrange: async ({ clinicId }) => {
      const letterId = await insertLetter(clinicId);
      return { args: [letterId], changed: async () => !!(await one(`SELECT 1 FROM letters WHERE id = $1 AND deleted_at IS NOT NULL`, [letterId])) };
    },
  },
  {
    name: 'exportLetterAction',
    page: REPORT_PAGE,
    expect: referralWriters,
    arrange: async ({ clinicId }) => {
      const letterId = await insertLetter(clinicId);
      return { args: [letterId], changed: async () => !!(await one(`SELECT 1 FROM letter_pdfs WHERE letter_id = $1`, [letterId])) };
    },
  },
  {
    name: 'searchLettersAction',
    page: '/reports',
    // Read-only; each member searches their own clinic's letters (their role decides which).
    expect: anyoneSignedIn,
    arrange: async () => ({ args: [{ q: 'Matrix', filters: {} }], changed: async () => false }),
  },
  {
    name: 'operatorRetryJobAction',
    page: '/admin',
    // No caller is a platform operator: the console's actions do not exist for them, whatever their clinic role.
    expect: notAnOperator,
    arrange: async ({ clinicId }) => {
      const jobId = await insertJob(clinicId, { status: 'failed', inputText: MATRIX_NOTE, errorMessage: 'The provider failed.' });
      return { args: [{ jobId }], changed: async () => !!(await one(`SELECT 1 FROM jobs WHERE idempotency_key = $1`, [`retry-of:${jobId}`])) };
    },
  },
  {
    name: 'setClinicPausedAction',
    page: '/admin',
    expect: notAnOperator,
    arrange: async ({ clinicId }) => ({
      args: [{ clinicId, paused: true, reason: 'Matrix pause' }],
      changed: async () => !!(await one('SELECT 1 FROM organizations WHERE id = $1 AND paused_at IS NOT NULL', [clinicId])),
    }),
  },
  {
    name: 'updateProfileAction',
    page: '/settings/profile',
    expect: anyoneSignedIn,
    arrange: async (_victim, caller) => ({
      args: [{ name: 'Dr. Renamed Person' }],
      changed: async () => (await one<{ name: string }>('SELECT name FROM users WHERE id = $1', [caller.userId]))?.name === 'Dr. Renamed Person',
    }),
  },
  {
    name: 'changePasswordAction',
    page: '/settings/profile',
    // The caller has no password to confirm: reaching the check proves the caller got past authentication.
    expect: (who) => (who === 'anonymous' ? UNAUTHENTICATED : WRONG_PASSWORD),
    arrange: async (_victim, caller) => ({
      args: [{ currentPassword: 'not the password at all', newPassword: 'copper meadow violin ninety' }],
      changed: async () => (await one<{ password_hash: string | null }>('SELECT password_hash FROM users WHERE id = $1', [caller.userId]))?.password_hash != null,
    }),
  },
  {
    name: 'requestEmailChangeAction',
    page: '/settings/profile',
    expect: (who) => (who === 'anonymous' ? UNAUTHENTICATED : WRONG_PASSWORD),
    arrange: async (_victim, caller) => ({
      args: [{ newEmail: `moved-${randomBytes(4).toString('hex')}@matrix.test`, currentPassword: 'not the password at all' }],
      changed: async () => !!(await one(`SELECT 1 FROM email_tokens WHERE user_id = $1 AND purpose = 'change_email'`, [caller.userId])),
    }),
  },
  {
    name: 'deleteAccountAction',
    page: '/settings/profile',
    expect: (who) => (who === 'anonymous' ? UNAUTHENTICATED : WRONG_PASSWORD),
    arrange: async (_victim, caller) => ({
      args: [{ password: 'not the password at all' }],
      changed: async () => !(await one('SELECT 1 FROM users WHERE id = $1', [caller.userId])),
    }),
  },
  {
    name: 'signOutEverywhereAction',
    page: '/dashboard',
    expect: anyoneSignedIn,
    arrange: async (_victim, caller) => {
      const version = async () => (await one<{ session_version: number }>('SELECT session_version FROM users WHERE id = $1', [caller.userId]))?.session_version;
      const before = await version();
      return { args: [], changed: async () => (await version()) !== before };
    },
  },
];

/** Which principals' allowed calls change what the case watches. */
function changes(c: ActionCase, who: Principal): boolean {
  if (c.expect(who) !== 'ok' || READ_ONLY_ACTIONS.includes(c.name)) return false;
  // Outsiders may succeed, but only ever on their own clinic.
  const clinicScoped = !['updateProfileAction', 'signOutEverywhereAction'].includes(c.name);
  return !(clinicScoped && who === 'outsider');
}

let actionIds: Map<string, string>;

test.beforeAll(() => {
  const manifest = JSON.parse(fs.readFileSync(path.join(process.env.NEXT_DIST_DIR || '.next', 'server', 'server-reference-manifest.json'), 'utf8')) as {
    node: Record<string, { exportedName?: string; filename?: string }>;
  };
  actionIds = new Map(Object.entries(manifest.node).map(([id, entry]) => [entry.exportedName ?? '', id]));
});

async function callerFor(who: Principal, victim: Victim): Promise<Caller> {
  if (who === 'anonymous') {
    const member = await createMember(await createClinic(), 'owner');
    const cookie = await sessionCookie(member.userId);
    await sql('UPDATE users SET session_version = session_version + 1 WHERE id = $1', [member.userId]);
    return { userId: member.userId, cookie };
  }
  if (who === 'outsider') {
    const own = await createClinic(`Outsider ${randomBytes(3).toString('hex')}`);
    const member = await createMember(own, 'owner');
    // They also claim the victim as their active clinic: the server must ignore it.
    return { userId: member.userId, cookie: await sessionCookie(member.userId, { 'maneiro.clinic': victim.clinicId }) };
  }
  const member = await createMember(victim.clinicId, who);
  return { userId: member.userId, cookie: await sessionCookie(member.userId) };
}

async function invoke(request: APIRequestContext, c: ActionCase, arranged: Arranged, caller: Caller | null, bypassHeader: boolean) {
  const id = actionIds.get(c.name);
  expect(id, `${c.name} is in the server reference manifest`).toBeTruthy();
  const base = test.info().project.use.baseURL ?? '';
  const headers: Record<string, string> = { 'next-action': id!, accept: 'text/x-component', origin: base };
  if (caller) headers.cookie = caller.cookie;
  if (bypassHeader) headers['x-middleware-subrequest'] = 'middleware:middleware:middleware:middleware:middleware';
  const response = Array.isArray(arranged.args)
    ? await request.post(c.page, { headers: { ...headers, 'content-type': 'text/plain;charset=UTF-8' }, data: JSON.stringify(arranged.args), maxRedirects: 0 })
    : await request.post(c.page, { headers, multipart: arranged.args.multipart, maxRedirects: 0 });
  if (response.status() === 307) return { redirect: response.headers().location ?? '' };
  const body = await response.text();
  // The flight payload's row 1 is the action's return value.
  const row = /^1:(\{.*\})$/m.exec(body)?.[1];
  expect(row, `${c.name}: a server action answer (status ${response.status()})`).toBeTruthy();
  const answer = JSON.parse(row!) as { ok: boolean; error?: string; fieldErrors?: Record<string, string[]> };
  return { ok: answer.ok, errors: answer.ok ? [] : [answer.error, ...Object.values(answer.fieldErrors ?? {}).flat()] };
}



for (const bypassHeader of [false, true]) {
  for (const c of CASES) {
    test(`${c.name}${bypassHeader ? ' with x-middleware-subrequest' : ''}`, async ({ request }) => {
      const victim: Victim = { clinicId: await createClinic() };
      await createMember(victim.clinicId, 'owner');
      for (const who of PRINCIPALS) {
        const caller = await callerFor(who, victim);
        const arranged = await c.arrange(victim, caller);
        if (who === 'anonymous') {
          // Without a session, proxy.ts sends the request to sign in before any action runs...
          expect(await invoke(request, c, arranged, null, bypassHeader), `${who} → ${c.name}`).toMatchObject({
            redirect: expect.stringMatching(/\/login\?next=/),
          });
        }
        // ...so the anonymous caller also comes with a revoked session: a signed token that gets past
        // proxy.ts, leaving the action's own check as the only barrier.
        const result = await invoke(request, c, arranged, caller, bypassHeader);
        const expected = c.expect(who);
        if (expected === 'ok') expect(result, `${who} → ${c.name}`).toEqual({ ok: true, errors: [] });
        else expect(result, `${who} → ${c.name}`).toMatchObject({ ok: false, errors: expect.arrayContaining([expected]) });
        expect(await arranged.changed(), `${who} → ${c.name} changed the clinic`).toBe(changes(c, who));
      }
    });
  }
}
