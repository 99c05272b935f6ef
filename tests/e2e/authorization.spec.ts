// Every page and route handler crossed with every kind of caller: anonymous, a
// member of another clinic, and each role. Requests go straight to the server
// (no browser), once normally and once carrying `x-middleware-subrequest`, the
// header that let requests skip middleware in old Next.js versions: the answers
// must not change, because authorization lives in the data layer.
import { randomUUID } from 'node:crypto';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { insertJob, insertLetter } from './support/jobs';
import { createClinic, createMember, sessionCookie, type Role } from './support/session';

type Principal = 'anonymous' | 'outsider' | Role;
const PRINCIPALS: Principal[] = ['anonymous', 'outsider', 'staff', 'clinician', 'admin', 'owner'];

interface Expectation {
  status: number;
  /** For redirects: where to. */
  location?: RegExp;
  /** Text the body must contain. */
  contains?: string;
  /** Text the body must not contain. */
  lacks?: string;
}

interface Case {
  path: string;
  expect: (who: Principal) => Expectation;
}

const signInRedirect: Expectation = { status: 307, location: /\/login\?next=/ };
const everyMember = (contains: string) => (who: Principal): Expectation => (who === 'anonymous' ? signInRedirect : { status: 200, contains });

/**
 * A job of the matrix clinic, inserted in beforeAll. Each worker process has its
 * own clinic and job id, so paths name it `:matrixJob` to keep test titles stable.
 */
const MATRIX_JOB_ID = randomUUID();
const MATRIX_JOB_TITLE = 'Matrix job for the authorization check';
/** A referral (clinicians and up) and a patient letter (every member, staff included) of the matrix clinic. */
const MATRIX_REFERRAL_ID = randomUUID();
const MATRIX_PATIENT_LETTER_ID = randomUUID();
const MATRIX_LETTER_TO = 'Dr. Matrix Recipient of the referral';
const clinicians = (who: Principal) => who === 'clinician' || who === 'admin' || who === 'owner';

const CASES: Case[] = [
  { path: '/dashboard', expect: everyMember('Dashboard') },
  { path: '/jobs', expect: everyMember('Jobs') },
  {
    path: '/jobs/:matrixJob',
    // Another clinic's job does not exist for an outsider, whatever clinic they claim as active.
    expect: (who) => (who === 'anonymous' ? signInRedirect : who === 'outsider' ? { status: 404, lacks: MATRIX_JOB_TITLE } : { status: 200, contains: MATRIX_JOB_TITLE }),
  },
  // Every role triages incoming documents (the front desk above all).
  { path: '/triage', expect: everyMember('Triage a document') },
  // Every member opens the page; staff are told who records (the matrix clinic's plan decides the rest).
  { path: '/transcribe', expect: everyMember('Transcribe') },
  { path: '/reports', expect: everyMember('Reports') },
  {
    path: '/reports/:matrixReferral',
    // Staff write and read patient and insurance letters only: a referral does not exist for them.
    expect: (who) => (who === 'anonymous' ? signInRedirect : clinicians(who) ? { status: 200, contains: MATRIX_LETTER_TO } : { status: 404, lacks: MATRIX_LETTER_TO }),
  },
  { path: '/reports/:matrixPatientLetter', expect: (who) => (who === 'anonymous' ? signInRedirect : who === 'outsider' ? { status: 404 } : { status: 200, contains: 'Patient summary' }) },
  { path: '/usage', expect: everyMember('Usage') },
  { path: '/settings', expect: everyMember('Settings') },
  { path: '/settings/team', expect: everyMember('Members') },
  { path: '/settings/profile', expect: everyMember('Password') },
  {
    path: '/settings/clinic',
    expect: (who) =>
      who === 'anonymous'
        ? signInRedirect
        : who === 'staff' || who === 'clinician'
          ? { status: 200, contains: 'Only the clinic&#x27;s owners and admins can change these details' }
          : { status: 200, contains: 'Save details' },
  },
  {
    path: '/settings/webhooks',
    // The matrix clinic (and the outsider's own) is on Free: owners and admins meet the Enterprise gate; others learn who manages webhooks.
    expect: (who) =>
      who === 'anonymous'
        ? signInRedirect
        : who === 'staff' || who === 'clinician'
          ? { status: 200, contains: 'Only the clinic’s owners and admins manage webhooks', lacks: 'Add endpoint' }
          : { status: 200, contains: 'Webhooks are part of the Enterprise plan', lacks: 'Add endpoint' },
  },
  {
    path: '/settings/data',
    // Every member sees the page; only owners (outsiders: of their own clinic) get the controls.
    expect: (who) =>
      who === 'anonymous'
        ? signInRedirect
        : who === 'owner' || who === 'outsider'
          ? { status: 200, contains: 'Delete this clinic', lacks: 'Only the clinic’s owners can export its data' }
          : { status: 200, contains: 'Only the clinic’s owners can export its data', lacks: 'Delete this clinic' },
  },
  {
    path: '/audit',
    expect: (who) =>
      who === 'anonymous'
        ? signInRedirect
        : who === 'staff' || who === 'clinician'
          ? { status: 200, contains: 'Only admins and owners can see the audit log', lacks: 'clinic.created' }
          : { status: 200, contains: 'Audit log' },
  },
  {
    path: '/settings/api-keys',
    // The matrix clinic is not on Enterprise: every member learns which plan has the API; only owners and admins manage keys.
    expect: (who) =>
      who === 'anonymous'
        ? signInRedirect
        : who === 'staff' || who === 'clinician'
          ? { status: 200, contains: 'Only the clinic’s owners and admins manage API keys', lacks: 'Create key' }
          : { status: 200, contains: 'REST API access needs the Enterprise plan or higher', lacks: 'Create key' },
  },
  {
    path: '/settings/billing',
    // Every member sees the plan; only owners get checkout (outsiders: for their own clinic).
    expect: (who) =>
      who === 'anonymous'
        ? signInRedirect
        : who === 'owner' || who === 'outsider'
          ? { status: 200, contains: 'Upgrade to Basic' }
          : { status: 200, contains: 'Only the clinic’s owners can change the plan', lacks: 'Upgrade to Basic' },
  },
  {
    path: '/admin',
    // The operator console: no one in this matrix is a platform operator (the e2e server sets no PLATFORM_OPERATORS),
    // so it does not exist for any of them, clinic owners included.
    expect: (who) => (who === 'anonymous' ? signInRedirect : { status: 404, contains: 'Page not found', lacks: 'Operator console' }),
  },
  // Route handlers answer with a status, never a redirect.
  {
    path: '/api/audit/export',
    expect: (who) =>
      who === 'anonymous'
        ? { status: 401 }
        : who === 'staff' || who === 'clinician'
          ? { status: 403 }
          : { status: 200, contains: 'time,event,outcome' },
  },
  {
    path: '/api/billing/plan',
    // Public: signed-out visitors learn only whether billing is on; members get their own clinic's plan and role.
    expect: (who) =>
      who === 'anonymous'
        ? { status: 200, contains: '"signedIn":false', lacks: '"role"' }
        : { status: 200, contains: `"role":"${who === 'outsider' ? 'owner' : who}"` },
  },
  {
    path: '/api/v1/jobs',
    // The REST API takes API keys only: a session cookie, whoever's, is no key.
    expect: () => ({ status: 401, contains: '"code":"unauthenticated"' }),
  },
  {
    path: '/api/usage/export',
    // Any member downloads their own clinic's usage; an outsider gets their own clinic's (no member of this one appears).
    expect: (who) => (who === 'anonymous' ? { status: 401 } : { status: 200, contains: 'created_at,job_type,state' }),
  },
  {
    path: '/api/recordings?status=recording',
    // Each member lists only their own unfinished recordings (none here).
    expect: (who) => (who === 'anonymous' ? { status: 401 } : { status: 200, contains: '{"recordings":[]}' }),
  },
  {
    path: '/api/reports/:matrixReferral/pdf',
    expect: (who) => (who === 'anonymous' ? { status: 401 } : clinicians(who) ? { status: 200, contains: '%PDF-' } : { status: 404, lacks: '%PDF-' }),
  },
  {
    path: '/api/reports/:matrixPatientLetter/pdf',
    expect: (who) => (who === 'anonymous' ? { status: 401 } : who === 'outsider' ? { status: 404 } : { status: 200, contains: '%PDF-' }),
  },
  {
    path: '/api/clinic/exports/00000000-0000-4000-8000-000000000000',
    // Owners only; no export has that id in any clinic.
    expect: (who) => (who === 'anonymous' ? { status: 401 } : who === 'owner' || who === 'outsider' ? { status: 404 } : { status: 403 }),
  },
  {
    path: '/api/clinic/images/logo',
    // No clinic in this matrix has a logo: members learn that; others learn nothing.
    expect: (who) => (who === 'anonymous' ? { status: 401 } : { status: 404, contains: 'no logo yet' }),
  },
];

let clinicId: string;
let otherClinicId: string;
const cookies = new Map<Principal, string>();
let otherClinicName: string;

test.beforeAll(async () => {
  otherClinicName = `Elsewhere ${Date.now()}`;
  clinicId = await createClinic();
  otherClinicId = await createClinic(otherClinicName);
  for (const role of ['staff', 'clinician', 'admin', 'owner'] as const) {
    const member = await createMember(clinicId, role);
    cookies.set(role, await sessionCookie(member.userId));
  }
  await insertJob(clinicId, { id: MATRIX_JOB_ID, title: MATRIX_JOB_TITLE, status: 'failed', errorMessage: 'The file could not be read.' });
  await insertLetter(clinicId, { id: MATRIX_REFERRAL_ID, template: 'referral', toLine: MATRIX_LETTER_TO });
  await insertLetter(clinicId, { id: MATRIX_PATIENT_LETTER_ID, template: 'patient_summary', toLine: 'Matrix Patient' });
  const outsider = await createMember(otherClinicId, 'owner');
  // The outsider also asks for the first clinic as their active one: the server must ignore it.
  cookies.set('outsider', await sessionCookie(outsider.userId, { 'maneiro.clinic': clinicId }));
});

async function call(request: APIRequestContext, pathPattern: string, who: Principal, bypassHeader: boolean) {
  const path = pathPattern.replace(':matrixJob', MATRIX_JOB_ID).replace(':matrixReferral', MATRIX_REFERRAL_ID).replace(':matrixPatientLetter', MATRIX_PATIENT_LETTER_ID);
  const headers: Record<string, string> = {};
  const cookie = cookies.get(who);
  if (cookie) headers.cookie = cookie;
  if (bypassHeader) headers['x-middleware-subrequest'] = 'middleware:middleware:middleware:middleware:middleware';
  return request.get(path, { headers, maxRedirects: 0 });
}

for (const bypassHeader of [false, true]) {
  for (const c of CASES) {
    test(`${c.path}${bypassHeader ? ' with x-middleware-subrequest' : ''}`, async ({ request }) => {
      for (const who of PRINCIPALS) {
        const expected = c.expect(who);
        const response = await call(request, c.path, who, bypassHeader);
        expect(response.status(), `${who} → ${c.path}`).toBe(expected.status);
        if (expected.location) expect(response.headers().location, `${who} → ${c.path}`).toMatch(expected.location);
        const body = expected.contains || expected.lacks ? await response.text() : '';
        if (expected.contains) expect(body, `${who} → ${c.path}`).toContain(expected.contains);
        if (expected.lacks) expect(body, `${who} → ${c.path}`).not.toContain(expected.lacks);
        if (who === 'outsider' && response.status() === 200 && !c.path.startsWith('/api/')) {
          // Their own clinic, never the one they asked for.
          expect(body, `${who} → ${c.path}`).toContain(otherClinicName);
        }
      }
    });
  }
}

test('a revoked session is refused on the next request, whatever headers it carries', async ({ request }) => {
  const member = await createMember(clinicId, 'clinician');
  const cookie = await sessionCookie(member.userId);
  const { sql } = await import('./support/session');
  await sql('UPDATE users SET session_version = session_version + 1 WHERE id = $1', [member.userId]);
  for (const bypass of [false, true]) {
    const response = await request.get('/dashboard', {
      headers: { cookie, ...(bypass ? { 'x-middleware-subrequest': 'middleware' } : {}) },
      maxRedirects: 0,
    });
    expect(response.status()).toBe(307);
    expect(response.headers().location).toMatch(/\/auth\/session-ended/);
  }
});

test('the privacy page is public, whoever asks', async ({ request }) => {
  for (const who of PRINCIPALS) {
    const cookie = cookies.get(who);
    const response = await request.get('/privacy', { headers: cookie ? { cookie } : {}, maxRedirects: 0 });
    expect(response.status(), `${who} → /privacy`).toBe(200);
    expect(await response.text(), `${who} → /privacy`).toContain('Where your clinic’s data goes');
  }
});
