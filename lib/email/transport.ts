// Where outgoing email goes. With SMTP_URL set it is delivered over SMTP; without it,
// outside production, it is kept in the mailbox_messages table so developers can read
// it at /dev/mailbox. Production without SMTP_URL refuses to send rather than
// silently dropping sign-in and invitation links.
import { createTransport, type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { getConfig, type Config } from '@/lib/config';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export type MailTransportKind = 'smtp' | 'mailbox';

export interface MailTransport {
  /** Which delivery path this is, so callers can log it without logging the message. */
  readonly kind: MailTransportKind;
  /** Sends one message; `id` is the SMTP Message-ID or the mailbox row id. */
  send(message: OutgoingEmail): Promise<{ id: string }>;
}

/**
 * Defaults applied to SMTP_URL unless the URL sets them itself (nodemailer reads
 * options from the query string). Nodemailer's own defaults wait minutes on a dead
 * server, which would hold a request or a worker job far too long.
 */
const SMTP_TIMEOUTS_MS = {
  connectionTimeout: 10_000,
  greetingTimeout: 10_000,
  socketTimeout: 30_000,
} as const;

/** SMTP_URL with pooling forced off and timeout defaults filled in. */
function smtpConnectionUrl(url: string): string {
  const parsed = new URL(url);
  // One connection per message: web instances and workers send rarely, and an idle
  // pooled connection is one more thing for the mail server to drop under us.
  parsed.searchParams.set('pool', 'false');
  for (const [name, ms] of Object.entries(SMTP_TIMEOUTS_MS)) {
    if (!parsed.searchParams.has(name)) parsed.searchParams.set(name, String(ms));
  }
  return parsed.toString();
}

/** Delivers over SMTP with nodemailer. `url` is an smtp:// or smtps:// URL with credentials. */
export function smtpTransport(url: string, from: string): MailTransport {
  const transporter: Transporter<SMTPTransport.SentMessageInfo> = createTransport(smtpConnectionUrl(url), { from });
  return {
    kind: 'smtp',
    async send(message) {
      const info = await transporter.sendMail({
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
      });
      return { id: info.messageId };
    },
  };
}

/** Keeps the message in mailbox_messages instead of delivering it (development and tests). */
export function mailboxTransport(): MailTransport {
  return {
    kind: 'mailbox',
    async send(message) {
      const row = await db().mailboxMessage.create({
        data: { to: message.to, subject: message.subject, text: message.text, html: message.html },
        select: { id: true },
      });
      return { id: row.id };
    },
  };
}

interface CachedSmtp {
  key: string;
  transport: MailTransport;
}

// One SMTP transport per process, shared by every bundle (Next compiles route
// handlers separately). Keyed by its settings so a changed config (tests, a
// reloaded config) gets a fresh transport instead of a stale one.
const SMTP_KEY = Symbol.for('maneiro.email.smtp');

function cachedSmtpTransport(url: string, from: string): MailTransport {
  const g = globalThis as typeof globalThis & { [SMTP_KEY]?: CachedSmtp };
  const key = `${url}\n${from}`;
  const cached = g[SMTP_KEY];
  if (cached?.key === key) return cached.transport;
  const transport = smtpTransport(url, from);
  g[SMTP_KEY] = { key, transport };
  return transport;
}

/**
 * The transport for this process's config: SMTP when SMTP_URL is set, else the
 * development mailbox. Throws AppError('unavailable') in production without SMTP_URL.
 */
export function getMailTransport(config: Config = getConfig()): MailTransport {
  const { smtpUrl, from } = config.email;
  if (smtpUrl) return cachedSmtpTransport(smtpUrl, from);
  if (config.app.isProduction) {
    throw new AppError('unavailable', {
      message: 'Email cannot be sent: SMTP_URL is not set, and the development mailbox is disabled in production.',
    });
  }
  return mailboxTransport();
}
