import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseConfig, resetConfig, setEnvironment } from '@/lib/config';
import { db, disconnectDb } from '@/lib/db/client';
import { extractLinks, listMailbox, sendEmail } from '@/lib/email/send';
import { verifyEmailMessage } from '@/lib/email/templates';
import { getMailTransport } from '@/lib/email/transport';
import { AppError } from '@/lib/errors';
import { logger } from '@/lib/logger';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { startFakeSmtp, decodeQuotedPrintable, type FakeSmtp, type ReceivedEmail } from '../support/fake-smtp';

/** Every variable a test here changes; afterEach puts each back exactly as it was. */
const TOUCHED = ['DATABASE_URL', 'SMTP_URL', 'EMAIL_FROM', 'NODE_ENV', 'AUTH_SECRET', 'APP_URL'] as const;
let saved: Partial<Record<(typeof TOUCHED)[number], string>> = {};
// A writable view: the type declarations mark NODE_ENV read-only, but tests switch it.
const env: Record<string, string | undefined> = process.env;

function unsetEnvironment(...names: (typeof TOUCHED)[number][]): void {
  for (const name of names) delete env[name];
  resetConfig();
}


let database: TestDatabase;
const link = 'https://app.maneiro.example/verify-email?token=tok_0123456789abcdef0123456789abcdef&next=%2Fdashboard';

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await disconnectDb();
  await database.drop();
});
beforeEach(() => {
  saved = {};
  for (const name of TOUCHED) if (env[name] !== undefined) saved[name] = env[name];
  setEnvironment({ DATABASE_URL: database.url });
});
afterEach(() => {
  for (const name of TOUCHED) {
    if (saved[name] === undefined) delete env[name];
    else env[name] = saved[name];
  }
  resetConfig();
  vi.restoreAllMocks();
});

describe('email without SMTP_URL (development mailbox)', () => {
  beforeEach(() => {
    unsetEnvironment('SMTP_URL');
    return db().mailboxMessage.deleteMany();
  });

  it('stores the message and lists the mailbox newest first', async () => {
    expect(getMailTransport().kind).toBe('mailbox');
    const first = await sendEmail({ to: 'first@example.com', subject: 'First', text: 'one', html: '<p>one</p>' });
    // created_at has millisecond precision: keep the two sends apart so the order is certain.
    await new Promise((resolve) => setTimeout(resolve, 10));
    const content = verifyEmailMessage({ name: 'Ana', url: link });
    const second = await sendEmail({ to: 'ana@example.com', ...content });

    const messages = await listMailbox({ limit: 50 });
    expect(messages.map((m) => m.id)).toEqual([second.id, first.id]);
    expect(messages[0]).toMatchObject({ to: 'ana@example.com', subject: content.subject, text: content.text, html: content.html });
    expect(messages[0]!.createdAt.getTime()).toBeGreaterThan(messages[1]!.createdAt.getTime());
    expect(extractLinks(messages[0]!.text)).toEqual([link]);

    const [newest, ...rest] = await listMailbox({ limit: 1 });
    expect(newest?.id).toBe(second.id);
    expect(rest).toEqual([]);
  });

  it('logs the message id and transport, never the address, subject or body', async () => {
    const info = vi.spyOn(logger(), 'info');
    const { id } = await sendEmail({ to: 'private@example.com', subject: 'Secret subject', text: `Body ${link}`, html: '<p>Body</p>' });
    expect(info).toHaveBeenCalledWith({ emailId: id, transport: 'mailbox' }, 'email sent');
    const logged = JSON.stringify(info.mock.calls);
    for (const secret of ['private@example.com', 'Secret subject', 'Body', link]) expect(logged).not.toContain(secret);
  });
});

describe('email with SMTP_URL', () => {
  let smtp: FakeSmtp;
  let port: number;
  let received: ReceivedEmail[];

  beforeAll(async () => {
    smtp = await startFakeSmtp();
    port = smtp.port;
    received = smtp.received;
  });
  afterAll(() => smtp.close());

  it('delivers through nodemailer and stores nothing in the mailbox', async () => {
    await db().mailboxMessage.deleteMany();
    setEnvironment({ SMTP_URL: `smtp://127.0.0.1:${port}`, EMAIL_FROM: 'Maneiro <no-reply@maneiro.test>' });
    expect(getMailTransport().kind).toBe('smtp');
    const content = verifyEmailMessage({ name: 'Ana', url: link });
    const info = vi.spyOn(logger(), 'info');

    const { id } = await sendEmail({ to: 'ana@clinic.example', ...content });

    expect(received).toHaveLength(1);
    const [message] = received as [ReceivedEmail];
    expect(message.to).toEqual(['ana@clinic.example']);
    expect(message.from).toBe('no-reply@maneiro.test');
    expect(message.raw).toMatch(/^Subject: Confirm your email address for Maneiro\r$/m);
    expect(message.raw).toContain(`Message-ID: ${id}`);
    const body = decodeQuotedPrintable(message.raw);
    expect(body).toContain(link);
    // The HTML part is there too, with the link escaped for the attribute.
    expect(body).toContain(`href="${link.replaceAll('&', '&amp;')}"`);
    expect(info).toHaveBeenCalledWith({ emailId: id, transport: 'smtp' }, 'email sent');
    expect(await db().mailboxMessage.count()).toBe(0);
  });

  it('reuses one SMTP transport while the settings stay the same', () => {
    setEnvironment({ SMTP_URL: `smtp://127.0.0.1:${port}` });
    const first = getMailTransport();
    resetConfig();
    expect(getMailTransport()).toBe(first);
    setEnvironment({ SMTP_URL: `smtp://localhost:${port}` });
    expect(getMailTransport()).not.toBe(first);
  });

  it('reports an unreachable server as unavailable, without quoting the recipient', async () => {
    // Port 1 on loopback refuses connections straight away.
    setEnvironment({ SMTP_URL: 'smtp://127.0.0.1:1' });
    const error: unknown = await sendEmail({ to: 'ana@clinic.example', subject: 'x', text: 'x', html: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('unavailable');
    expect((error as AppError).message).not.toContain('ana@clinic.example');
  });
});

describe('email in production', () => {
  it('refuses to send without SMTP_URL and stores nothing', async () => {
    await db().mailboxMessage.deleteMany();
    // A production boot already refuses a configuration without SMTP_URL ...
    const production = { NODE_ENV: 'production', AUTH_SECRET: 'x'.repeat(40), APP_URL: 'https://app.maneiro.example', DATABASE_URL: 'postgresql://x@127.0.0.1/x' };
    expect(() => parseConfig(production)).toThrow(/SMTP_URL is required in production/);
    // ... and the transport refuses on its own too, should a config without it ever get through.
    const base = parseConfig({ ...production, SMTP_URL: 'smtp://127.0.0.1:1' });
    const config = { ...base, email: { ...base.email, smtpUrl: undefined } };
    const error: unknown = (() => {
      try {
        getMailTransport(config);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('unavailable');
    expect((error as AppError).message).toContain('SMTP_URL');
    expect(await db().mailboxMessage.count()).toBe(0);
  });
});
