import { describe, expect, it } from 'vitest';
import { extractLinks } from '@/lib/email/send';
import {
  emailChangedNotice,
  escapeHtml,
  invitationMessage,
  passwordResetMessage,
  verifyEmailMessage,
  type EmailContent,
} from '@/lib/email/templates';

const URL_WITH_QUERY = 'https://app.maneiro.example/verify?token=abc123&next=%2Fdashboard';
const HOSTILE = '<script>alert("x")</script> & Co\'s';

/** Every http(s) link of an HTML part, with entities decoded. */
function htmlLinks(html: string): string[] {
  return [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));
}

/** The HTML with tags removed, roughly what a reader sees. */
function visibleText(html: string): string {
  return html.replace(/<[^>]+>/g, ' ');
}

function expectNoRawMarkup(email: EmailContent, hostile: string): void {
  expect(email.html).not.toContain('<script');
  expect(email.html).not.toContain(hostile);
  expect(email.html).toContain(escapeHtml(hostile));
  // The text part is not HTML: the value appears exactly as given.
  expect(email.text).toContain(hostile);
}

const withLinks: [string, (url: string) => EmailContent][] = [
  ['verify email', (url) => verifyEmailMessage({ name: 'Ana Souza', url })],
  ['password reset', (url) => passwordResetMessage({ name: 'Ana Souza', url, expiresInMinutes: 30 })],
  [
    'invitation',
    (url) =>
      invitationMessage({
        inviterName: 'Dr. Bruno Lima',
        clinicName: 'Clínica Norte',
        role: 'clinician',
        url,
        expiresInDays: 7,
      }),
  ],
];

describe('escapeHtml', () => {
  it('escapes the five HTML-significant characters and leaves the rest', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    expect(escapeHtml('Clínica São João')).toBe('Clínica São João');
  });
});

describe.each(withLinks)('%s email', (_, build) => {
  it('carries the link in the text and as the button and fallback in the HTML', () => {
    const email = build(URL_WITH_QUERY);
    expect(email.text).toContain(URL_WITH_QUERY);
    expect(extractLinks(email.text)).toEqual([URL_WITH_QUERY]);
    // Once as the button and once as the copyable fallback, with & escaped in both.
    expect(htmlLinks(email.html)).toEqual([URL_WITH_QUERY, URL_WITH_QUERY]);
    expect(email.html).toContain(escapeHtml(URL_WITH_QUERY));
    expect(email.html).not.toContain(URL_WITH_QUERY);
  });

  it('has a short one-line subject that names Maneiro and matches the HTML title', () => {
    const email = build(URL_WITH_QUERY);
    expect(email.subject).toMatch(/Maneiro/);
    expect(email.subject).not.toMatch(/[\r\n]/);
    expect(email.subject.length).toBeLessThanOrEqual(80);
    expect(email.html).toContain(`<title>${escapeHtml(email.subject)}</title>`);
  });

  it('has no images, scripts, tracking or outside resources', () => {
    const email = build(URL_WITH_QUERY);
    expect(email.html).not.toMatch(/<img|<script|<link|<iframe|<style|src=|url\(/i);
    expect(email.html.startsWith('<!doctype html>')).toBe(true);
  });

  it('refuses links that are not absolute http(s) URLs', () => {
    expect(() => build('javascript:alert(1)')).toThrow(TypeError);
    expect(() => build('/relative/path')).toThrow(TypeError);
  });
});

describe('verifyEmailMessage', () => {
  it('greets the person and escapes their name', () => {
    const email = verifyEmailMessage({ name: HOSTILE, url: URL_WITH_QUERY });
    expect(email.subject).toBe('Confirm your email address for Maneiro');
    expectNoRawMarkup(email, HOSTILE);
    expect(email.text.startsWith(`Hi ${HOSTILE},`)).toBe(true);
  });

  it('falls back to a neutral greeting without a name', () => {
    expect(verifyEmailMessage({ name: '  ', url: URL_WITH_QUERY }).text.startsWith('Hi there,')).toBe(true);
  });
});

describe('passwordResetMessage', () => {
  it('states the expiry and reassures someone who did not ask', () => {
    const email = passwordResetMessage({ name: 'Ana', url: URL_WITH_QUERY, expiresInMinutes: 45 });
    expect(email.subject).toBe('Reset your Maneiro password');
    for (const part of [email.text, visibleText(email.html)]) {
      expect(part).toContain('expires in 45 minutes');
      expect(part).toContain('If you did not ask for this, ignore this email; your password is unchanged.');
    }
    expect(passwordResetMessage({ name: 'Ana', url: URL_WITH_QUERY, expiresInMinutes: 1 }).text).toContain('expires in 1 minute.');
  });

  it('escapes the name', () => {
    expectNoRawMarkup(passwordResetMessage({ name: HOSTILE, url: URL_WITH_QUERY, expiresInMinutes: 30 }), HOSTILE);
  });
});

describe('invitationMessage', () => {
  const base = {
    inviterName: 'Dr. Bruno Lima',
    clinicName: 'Clínica Norte',
    role: 'admin' as const,
    url: URL_WITH_QUERY,
    expiresInDays: 7,
  };

  it('names the inviter, the clinic, the role and the expiry', () => {
    const email = invitationMessage(base);
    expect(email.subject).toBe('Dr. Bruno Lima invited you to join Clínica Norte on Maneiro');
    for (const part of [email.text, visibleText(email.html)]) {
      expect(part).toContain('Dr. Bruno Lima has invited you to join Clínica Norte on Maneiro as an administrator.');
      expect(part).toContain('expires in 7 days');
    }
    expect(invitationMessage({ ...base, expiresInDays: 1 }).text).toContain('expires in 1 day.');
  });

  it('describes every role in words', () => {
    expect(invitationMessage({ ...base, role: 'owner' }).text).toContain('as an owner.');
    expect(invitationMessage({ ...base, role: 'clinician' }).text).toContain('as a clinician.');
    expect(invitationMessage({ ...base, role: 'staff' }).text).toContain('as a staff member.');
  });

  it('escapes the inviter and clinic names, and keeps the subject on one line', () => {
    const email = invitationMessage({ ...base, inviterName: HOSTILE, clinicName: `Evil\r\nBcc: victim@example.com ${HOSTILE}` });
    expectNoRawMarkup(email, HOSTILE);
    expect(email.subject).not.toMatch(/[\r\n]/);
    expect(email.subject).toContain('Evil Bcc: victim@example.com');
  });
});

describe('emailChangedNotice', () => {
  it('tells the old address where the account moved, without any link', () => {
    const email = emailChangedNotice({ name: 'Ana', newEmail: 'ana.new@example.com' });
    expect(email.subject).toBe('Your Maneiro email address was changed');
    for (const part of [email.text, visibleText(email.html)]) {
      expect(part).toContain('changed to ana.new@example.com');
      expect(part).toMatch(/If you did not/);
    }
    expect(extractLinks(email.text)).toEqual([]);
    expect(email.html).not.toMatch(/href=/);
  });

  it('escapes the name and the new address', () => {
    const hostileAddress = '"<img src=x onerror=alert(1)>"@example.com';
    const email = emailChangedNotice({ name: HOSTILE, newEmail: hostileAddress });
    expectNoRawMarkup(email, HOSTILE);
    expect(email.html).not.toContain('<img');
    expect(email.html).toContain(escapeHtml(hostileAddress));
  });
});

describe('what templates contain', () => {
  const given = {
    name: 'Zelda Quintana',
    inviterName: 'Dr. Yusuf Okafor',
    clinicName: 'Harbourview Family Practice',
    newEmail: 'zelda@new.example',
  };
  const emails: EmailContent[] = [
    verifyEmailMessage({ name: given.name, url: URL_WITH_QUERY }),
    passwordResetMessage({ name: given.name, url: URL_WITH_QUERY, expiresInMinutes: 30 }),
    invitationMessage({ inviterName: given.inviterName, clinicName: given.clinicName, role: 'staff', url: URL_WITH_QUERY, expiresInDays: 3 }),
    emailChangedNotice({ name: given.name, newEmail: given.newEmail }),
  ];

  it('never adds a link, address or person it was not given', () => {
    for (const email of emails) {
      const all = `${email.subject}\n${email.text}\n${email.html.replaceAll('&amp;', '&')}`;
      for (const link of extractLinks(all)) expect(link).toBe(URL_WITH_QUERY);
      for (const link of htmlLinks(email.html)) expect(link).toBe(URL_WITH_QUERY);
      const addresses = all.match(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g) ?? [];
      for (const address of addresses) expect(address).toBe(given.newEmail);
    }
  });

  it('mentions only the people and clinic passed to that template', () => {
    const [verify, reset, invite, changed] = emails as [EmailContent, EmailContent, EmailContent, EmailContent];
    for (const email of [verify, reset, changed]) {
      expect(email.text).not.toContain(given.inviterName);
      expect(email.text).not.toContain(given.clinicName);
    }
    expect(invite.text).not.toContain(given.name);
    expect(verify.text).not.toContain(given.newEmail);
    expect(reset.text).not.toContain(given.newEmail);
  });

  it('is the same for the same input', () => {
    expect(verifyEmailMessage({ name: given.name, url: URL_WITH_QUERY })).toEqual(emails[0]);
  });
});
