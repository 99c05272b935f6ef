// Sending email and reading the development mailbox. Logs carry the message id
// and the transport only: addresses, subjects and bodies hold names and sign-in
// links, so they never reach a log line.
import { db } from '@/lib/db/client';
import type { MailboxMessage } from '@/lib/db/generated/client';
import { AppError, describeError } from '@/lib/errors';
import { logger } from '@/lib/logger';
import { getMailTransport, type OutgoingEmail } from './transport';

export type { MailboxMessage };
export type { OutgoingEmail };

/** Sends one email through this process's transport (SMTP, or the mailbox outside production). */
export async function sendEmail(message: OutgoingEmail): Promise<{ id: string }> {
  const transport = getMailTransport();
  let result: { id: string };
  try {
    result = await transport.send(message);
  } catch (error) {
    logger().warn({ transport: transport.kind, error: describeError(error) }, 'email not sent');
    // SMTP errors can quote the recipient, so the cause stays attached for debugging
    // but the message that gets logged upstream is ours.
    throw new AppError('unavailable', { message: `Email could not be sent (${transport.kind}).`, cause: error });
  }
  logger().info({ emailId: result.id, transport: transport.kind }, 'email sent');
  return result;
}

const MAILBOX_MAX = 200;

/** The most recent mailbox messages, newest first. `limit` is clamped to 1–200. */
export async function listMailbox({ limit = 50 }: { limit?: number } = {}): Promise<MailboxMessage[]> {
  const take = Math.min(MAILBOX_MAX, Math.max(1, Math.floor(Number.isFinite(limit) ? limit : 50)));
  return db().mailboxMessage.findMany({ orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take });
}

/** Punctuation that ends a sentence rather than a URL ("…at https://x.test/a."). */
const TRAILING_PUNCTUATION = /[.,;:!?'")\]}>]+$/;

/** The distinct http(s) URLs in a text, in order of appearance. */
export function extractLinks(text: string): string[] {
  const links: string[] = [];
  for (const match of text.matchAll(/\bhttps?:\/\/[^\s<>"'`]+/gi)) {
    const candidate = match[0].replace(TRAILING_PUNCTUATION, '');
    if (!URL.canParse(candidate)) continue;
    if (!links.includes(candidate)) links.push(candidate);
  }
  return links;
}
