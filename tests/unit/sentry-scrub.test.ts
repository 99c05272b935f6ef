import type { ErrorEvent, TransactionEvent } from '@sentry/core';
import { describe, expect, it } from 'vitest';
import { REDACTED, scrubEvent, scrubString } from '@/lib/observability/scrub';

const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
const EMAIL = 'jane.doe@example.org';
const PATIENT = 'Jane Rosalind Doe';
const API_KEY = 'mk_live_abcDEF1234567890abcdef';
const WEBHOOK_SECRET = 'whsec_Q2hhbmdlTWVQbGVhc2U=';

function sampleEvent(): ErrorEvent {
  return {
    type: undefined,
    event_id: 'evt_0123456789abcdef',
    message: `sign-in failed for ${EMAIL} with token ${JWT}`,
    exception: {
      values: [
        {
          type: 'Error',
          value: `webhook refused: ${WEBHOOK_SECRET} / key ${API_KEY}`,
          stacktrace: {
            frames: [
              { filename: 'lib/letters/service.ts', function: 'sendLetter', lineno: 42, colno: 7, vars: { note: PATIENT } },
            ],
          },
        },
      ],
    },
    request: {
      url: `https://app.example.com/patients?search=${encodeURIComponent(PATIENT)}`,
      method: 'POST',
      data: { note: PATIENT },
      cookies: { session: 'secret-session' },
      query_string: `search=${PATIENT}`,
      headers: {
        Authorization: `Bearer ${API_KEY}`,
        Cookie: 'authjs.session-token=abc',
        'x-api-key': API_KEY,
        'user-agent': 'Mozilla/5.0',
      },
    },
    user: { id: 'usr_42', email: EMAIL, username: PATIENT, ip_address: '203.0.113.9' },
    breadcrumbs: [
      {
        category: 'http',
        message: `GET /api/v1/notes?patient=${encodeURIComponent(PATIENT)}&email=${EMAIL}`,
        data: { url: `/api/v1/notes?q=${EMAIL}`, method: 'GET', status_code: 200 },
      },
      { category: 'console', message: `Authorization: Bearer ${JWT}` },
    ],
    extra: { note: `${PATIENT} reports chest pain since Tuesday`, noteId: 'note_123', attempts: 3 },
    tags: { organizationId: 'org_9', recipient: EMAIL },
    contexts: {
      runtime: { name: 'node', version: 'v24.0.0' },
      letter: { id: 'let_1', subject: `Referral for ${PATIENT}`, patientName: PATIENT },
    },
  };
}

describe('scrubEvent', () => {
  it('leaves no email, JWT, bearer token, secret, query string or patient text anywhere', () => {
    const scrubbed = JSON.stringify(scrubEvent(sampleEvent()));
    for (const secret of [EMAIL, JWT, API_KEY, WEBHOOK_SECRET, PATIENT, 'Rosalind', 'chest pain', 'secret-session', 'authjs.session-token', '203.0.113.9', 'search=', 'patient=', 'q=']) {
      expect(scrubbed).not.toContain(secret);
    }
    expect(scrubbed).toContain(REDACTED);
  });

  it('drops the request body, cookies, query string and credential headers', () => {
    const { request } = scrubEvent(sampleEvent());
    expect(request).toEqual({
      url: 'https://app.example.com/patients',
      method: 'POST',
      headers: { 'user-agent': 'Mozilla/5.0' },
    });
  });

  it('keeps only the user id', () => {
    expect(scrubEvent(sampleEvent()).user).toEqual({ id: 'usr_42' });
  });

  it('keeps ids, numbers, stack frames and SDK context names', () => {
    const scrubbed = scrubEvent(sampleEvent());
    expect(scrubbed.event_id).toBe('evt_0123456789abcdef');
    expect(scrubbed.extra).toEqual({ note: REDACTED, noteId: 'note_123', attempts: 3 });
    expect(scrubbed.tags).toEqual({ organizationId: 'org_9', recipient: REDACTED });
    expect(scrubbed.contexts?.runtime).toEqual({ name: 'node', version: 'v24.0.0' });
    expect(scrubbed.contexts?.letter).toEqual({ id: 'let_1', subject: REDACTED, patientName: REDACTED });
    const exception = scrubbed.exception?.values?.[0];
    expect(exception?.type).toBe('Error');
    expect(exception?.value).toBe(`webhook refused: ${REDACTED} / key ${REDACTED}`);
    // Frames survive; captured local variables do not.
    expect(exception?.stacktrace?.frames).toEqual([{ filename: 'lib/letters/service.ts', function: 'sendLetter', lineno: 42, colno: 7 }]);
    expect(scrubbed.breadcrumbs?.[0]?.data).toEqual({ url: `/api/v1/notes?${REDACTED}`, method: 'GET', status_code: 200 });
    expect(scrubbed.breadcrumbs?.[1]?.message).toBe(`Authorization: ${REDACTED}`);
  });

  it('does not modify the event it is given', () => {
    const event = sampleEvent();
    scrubEvent(event);
    expect(event).toEqual(sampleEvent());
  });

  it('scrubs transaction names and span data', () => {
    const transaction: TransactionEvent = {
      type: 'transaction',
      transaction: `GET /api/v1/notes?email=${EMAIL}`,
      spans: [
        {
          span_id: 'a1',
          trace_id: 't1',
          start_timestamp: 1,
          data: { 'http.url': `https://api.example.com/x?token=${JWT}`, inputText: PATIENT },
          description: `POST https://hooks.example.com?key=${API_KEY}`,
        },
      ],
    };
    const scrubbed = scrubEvent(transaction);
    expect(scrubbed.type).toBe('transaction');
    expect(scrubbed.transaction).toBe('GET /api/v1/notes');
    expect(JSON.stringify(scrubbed.spans)).not.toMatch(/eyJ|mk_live_|Rosalind/);
  });
});

describe('scrubString', () => {
  it('replaces each secret kind and leaves plain text alone', () => {
    expect(scrubString(`mail ${EMAIL} now`)).toBe(`mail ${REDACTED} now`);
    expect(scrubString('Bearer abc.def-ghi')).toBe(REDACTED);
    expect(scrubString('sk_live_123abc and rk_test_9')).toBe(`${REDACTED} and ${REDACTED}`);
    expect(scrubString('job analysis.run failed after 3 attempts')).toBe('job analysis.run failed after 3 attempts');
  });
});
