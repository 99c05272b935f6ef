import { expect } from '@playwright/test';

interface InboxMessage {
  to: string[];
  subject: string;
  links: string[];
}

const INBOX = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3100) + 1}`;

/** Waits for an email to `to` whose subject matches, and returns its first link that matches `link`. */
export async function linkFromEmail(to: string, subject: RegExp, link: RegExp): Promise<string> {
  let found: string | undefined;
  await expect
    .poll(
      async () => {
        const messages = (await (await fetch(INBOX)).json()) as InboxMessage[];
        const message = messages.reverse().find((m) => m.to.includes(to) && subject.test(m.subject));
        found = message?.links.find((l) => link.test(l));
        return found;
      },
      { timeout: 15_000, message: `an email to ${to} matching ${subject}` },
    )
    .toBeTruthy();
  return found!;
}
