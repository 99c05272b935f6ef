// The pure parts of webhooks: the SSRF guard on endpoint URLs (saved and at
// connection time), signing and verifying, secret encryption, the retry schedule
// and the payload's shape.
import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { DEFAULT_RETRY_POLICY, nextRetryAt } from '@/lib/webhooks/deliver';
import { buildWebhookPayload } from '@/lib/webhooks/payload';
import { decryptSecret, encryptSecret, generateSigningSecret, signatureHeader, signPayload, verifySignature } from '@/lib/webhooks/secrets';
import { AddressNotAllowed, checkWebhookUrl, isPublicAddress, publicOnlyLookup, staticUrlProblem, URL_MESSAGES } from '@/lib/webhooks/url';

const ENDPOINT = '3f0c8a4e-1d2b-4c5d-8e9f-0a1b2c3d4e5f';
const KEY = 'webhook-unit-test-auth-secret-0123456789abcdef';

async function urlError(raw: string, production: boolean, addresses: Record<string, string[]> = {}): Promise<string | null> {
  const resolve = async (host: string) => {
    const found = addresses[host];
    if (!found) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    return found;
  };
  try {
    await checkWebhookUrl(raw, { production, resolve });
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('validation_failed');
    return (error as AppError).fieldErrors?.url?.[0] ?? 'no url field error';
  }
}

describe('which addresses are public', () => {
  it.each([
    ['93.184.216.34', true],
    ['8.8.8.8', true],
    ['2606:4700:4700::1111', true],
    ['10.1.2.3', false],
    ['172.16.0.1', false],
    ['172.31.255.255', false],
    ['172.32.0.1', true],
    ['192.168.1.10', false],
    ['127.0.0.1', false],
    ['127.8.9.10', false],
    ['0.0.0.0', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['100.128.0.1', true],
    ['198.18.0.1', false],
    ['224.0.0.1', false],
    ['255.255.255.255', false],
    ['192.0.2.10', false],
    ['::', false],
    ['::1', false],
    ['fe80::1', false],
    ['fc00::1', false],
    ['fd12:3456::1', false],
    ['ff02::1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:7f00:1', false],
    ['::ffff:10.0.0.1', false],
    ['::ffff:93.184.216.34', true],
    ['64:ff9b::a9fe:a9fe', false],
    ['2002:c0a8:0101::1', false],
    ['2001:db8::1', false],
    ['2001:0:4136:e378::1', false],
    ['[::1]', false],
    ['not an address', false],
  ])('%s → %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });
});

describe('endpoint URLs under production rules', () => {
  const dns = { 'hooks.example.com': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'], 'intranet.example.com': ['10.0.0.5'], 'mixed.example.com': ['93.184.216.34', '192.168.0.9'], 'metadata.example.com': ['169.254.169.254'] };

  it('accepts https to a host that resolves only to public addresses, without the fragment', async () => {
    expect(await checkWebhookUrl('https://hooks.example.com/maneiro?x=1#frag', { production: true, resolve: async (h) => dns[h as keyof typeof dns] })).toBe(
      'https://hooks.example.com/maneiro?x=1',
    );
    expect(await urlError('https://93.184.216.34:8443/hook', true)).toBeNull();
  });

  it('refuses private, loopback, link-local and mixed answers, resolved or literal', async () => {
    expect(await urlError('https://intranet.example.com/hook', true, dns)).toBe(URL_MESSAGES.private);
    expect(await urlError('https://mixed.example.com/hook', true, dns)).toBe(URL_MESSAGES.private);
    expect(await urlError('https://metadata.example.com/latest', true, dns)).toBe(URL_MESSAGES.private);
    expect(await urlError('https://169.254.169.254/latest/meta-data', true)).toBe(URL_MESSAGES.private);
    expect(await urlError('https://10.0.0.1/hook', true)).toBe(URL_MESSAGES.private);
    expect(await urlError('https://[::1]/hook', true)).toBe(URL_MESSAGES.private);
    expect(await urlError('https://[::ffff:127.0.0.1]/hook', true)).toBe(URL_MESSAGES.private);
    // WHATWG URL parsing turns these spellings into 127.0.0.1 before the check.
    expect(await urlError('https://2130706433/hook', true)).toBe(URL_MESSAGES.private);
    expect(await urlError('https://0x7f.1/hook', true)).toBe(URL_MESSAGES.private);
    expect(await urlError('https://localhost/hook', true)).toBe(URL_MESSAGES.private);
    expect(await urlError('https://api.localhost/hook', true)).toBe(URL_MESSAGES.private);
  });

  it('refuses plain http, credentials, other schemes and hosts that do not resolve', async () => {
    expect(await urlError('http://hooks.example.com/hook', true, dns)).toBe(URL_MESSAGES.httpsOnly);
    expect(await urlError('http://127.0.0.1:8080/hook', true)).toBe(URL_MESSAGES.httpsOnly);
    expect(await urlError('https://user:pass@hooks.example.com/hook', true, dns)).toBe(URL_MESSAGES.credentials);
    expect(await urlError('ftp://hooks.example.com/hook', true, dns)).toBe(URL_MESSAGES.invalid);
    expect(await urlError('hooks.example.com/hook', true, dns)).toBe(URL_MESSAGES.invalid);
    expect(await urlError('https://nowhere.example.com/hook', true, dns)).toBe(URL_MESSAGES.unresolved);
    expect(await urlError(`https://hooks.example.com/${'a'.repeat(2100)}`, true, dns)).toBe(URL_MESSAGES.tooLong);
  });
});

describe('endpoint URLs outside production', () => {
  it('allows http only to this machine, and https anywhere without resolving', async () => {
    expect(await urlError('http://127.0.0.1:4000/hook', false)).toBeNull();
    expect(await urlError('http://localhost:4000/hook', false)).toBeNull();
    expect(await urlError('http://[::1]:4000/hook', false)).toBeNull();
    expect(await urlError('https://whatever.invalid/hook', false)).toBeNull();
    expect(await urlError('http://hooks.example.com/hook', false)).toBe(URL_MESSAGES.httpsOrLocal);
    expect(await urlError('http://10.0.0.1/hook', false)).toBe(URL_MESSAGES.httpsOrLocal);
    expect(staticUrlProblem('http://127.0.0.1:4000/hook', true)).toBe(URL_MESSAGES.httpsOnly);
  });
});

describe('the connection-time address check', () => {
  const fakeDns = (answer: LookupAddress[]) => (_host: string, _options: unknown, callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) =>
    callback(null, answer);
  const run = (answer: LookupAddress[], all: boolean) =>
    new Promise<{ error: Error | null; address: unknown; family?: number }>((resolve) =>
      publicOnlyLookup(fakeDns(answer))('hooks.example.com', { all }, (error, address, family) => resolve({ error, address, family })),
    );

  it('passes public answers through in either form the caller asked for', async () => {
    const answer = [{ address: '93.184.216.34', family: 4 }];
    expect(await run(answer, false)).toEqual({ error: null, address: '93.184.216.34', family: 4 });
    expect((await run(answer, true)).address).toEqual(answer);
  });

  it('refuses to connect when any answer is not public (a DNS record changed after the check)', async () => {
    const result = await run(
      [
        { address: '93.184.216.34', family: 4 },
        { address: '10.0.0.7', family: 4 },
      ],
      true,
    );
    expect(result.error).toBeInstanceOf(AddressNotAllowed);
    expect((await run([{ address: 'fe80::1', family: 6 }], false)).error).toBeInstanceOf(AddressNotAllowed);
  });
});

describe('signatures', () => {
  const body = JSON.stringify({ id: 'e1', type: 'job.completed' });
  const timestamp = 1_790_000_000;
  const now = new Date(timestamp * 1000 + 30_000);

  it('signs "<timestamp>.<body>" with HMAC-SHA256, one v1= per secret', () => {
    const [current, previous] = [generateSigningSecret(), generateSigningSecret()];
    expect(current).toMatch(/^whsec_[\w-]{43}$/);
    const header = signatureHeader([current, previous], timestamp, body);
    expect(header).toBe(`v1=${signPayload(current, timestamp, body)} v1=${signPayload(previous, timestamp, body)}`);
    expect(signPayload(current, timestamp, body)).toMatch(/^[0-9a-f]{64}$/);
    for (const secret of [current, previous]) expect(verifySignature({ secret, body, timestamp: String(timestamp), signature: header, now })).toBe(true);
  });

  it('rejects another secret, a changed body, a changed timestamp and an old timestamp', () => {
    const secret = generateSigningSecret();
    const header = signatureHeader([secret], timestamp, body);
    expect(verifySignature({ secret: generateSigningSecret(), body, timestamp: String(timestamp), signature: header, now })).toBe(false);
    expect(verifySignature({ secret, body: body.replace('e1', 'e2'), timestamp: String(timestamp), signature: header, now })).toBe(false);
    expect(verifySignature({ secret, body, timestamp: String(timestamp + 1), signature: header, now })).toBe(false);
    expect(verifySignature({ secret, body, timestamp: String(timestamp), signature: header, now: new Date((timestamp + 3600) * 1000) })).toBe(false);
  });
});

describe('stored secrets', () => {
  it('decrypts only with the same key and for the same endpoint', () => {
    const secret = generateSigningSecret();
    const stored = encryptSecret(secret, ENDPOINT, KEY);
    expect(stored).not.toContain(secret.slice(6));
    expect(decryptSecret(stored, ENDPOINT, KEY)).toBe(secret);
    expect(decryptSecret(stored, '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', KEY)).toBeNull();
    expect(decryptSecret(stored, ENDPOINT, `${KEY}-rotated`)).toBeNull();
    expect(decryptSecret('v1.garbage', ENDPOINT, KEY)).toBeNull();
    expect(encryptSecret(secret, ENDPOINT, KEY)).not.toBe(stored);
  });
});

describe('the retry schedule', () => {
  const created = new Date('2026-12-01T00:00:00Z');

  it('doubles from 30 s up to 3 h and keeps trying until 24 h after the event, the last attempt at the 24-hour mark', () => {
    let now = created;
    const delays: number[] = [];
    for (let failed = 1; ; failed++) {
      const next = nextRetryAt(DEFAULT_RETRY_POLICY, failed, created, now, () => 0);
      if (!next) break;
      delays.push((next.getTime() - now.getTime()) / 1000);
      now = next;
    }
    expect(delays.slice(0, 5)).toEqual([30, 60, 120, 240, 480]);
    expect(Math.max(...delays)).toBe(3 * 3600);
    expect(now.getTime() - created.getTime()).toBe(24 * 3_600_000);
    expect(delays.length).toBeGreaterThanOrEqual(15);
    expect(delays.length).toBeLessThanOrEqual(20);
  });

  it('adds at most the jitter fraction', () => {
    const next = nextRetryAt(DEFAULT_RETRY_POLICY, 1, created, created, () => 1);
    expect(next?.getTime()).toBe(created.getTime() + 33_000);
  });
});

describe('payloads', () => {
  const base = { organizationId: ENDPOINT, eventId: '11111111-2222-4333-8444-555555555555', createdAt: new Date('2026-12-01T10:00:00Z'), appUrl: 'https://app.example/' };

  it('carry ids, types and links only', () => {
    const payload = buildWebhookPayload({ ...base, event: 'letter.completed', data: { letterId: 'L1', jobId: 'J1' } });
    expect(payload).toEqual({
      id: base.eventId,
      type: 'letter.completed',
      createdAt: '2026-12-01T10:00:00.000Z',
      organizationId: ENDPOINT,
      data: {
        job: { id: 'J1', type: 'letter', status: 'succeeded', url: 'https://app.example/jobs/J1', apiUrl: 'https://app.example/api/v1/jobs/J1' },
        letter: { id: 'L1', url: 'https://app.example/reports/L1', apiUrl: 'https://app.example/api/v1/letters/L1', pdfUrl: 'https://app.example/api/v1/letters/L1/pdf' },
      },
    });
  });

  it('pass a failure code on only when it is an identifier', () => {
    const failed = (errorCode: string) => buildWebhookPayload({ ...base, event: 'job.failed', data: { jobId: 'J1', jobType: 'analysis', errorCode } }).data.error;
    expect(failed('extraction_failed')).toEqual({ code: 'extraction_failed' });
    expect(failed('Patient Jane Doe not found')).toEqual({ code: 'internal' });
  });
});
