// The account emails Maneiro sends, as pure functions of exactly what they are
// given. They never carry clinical content or patient details: only the
// recipient's own name, their clinic, and a link. The HTML part is deliberately
// plain (inline styles, no images, no tracking) so it renders the same in every
// mail client and says nothing the text part does not.
import type { Role } from '@/lib/db/generated/enums';

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => HTML_ENTITIES[char] ?? char);
}

/** Links in account emails are always ours and absolute; anything else is a bug upstream. */
function checkedUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError('Email link must be an absolute URL.');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new TypeError('Email link must be an http(s) URL.');
  }
  return url;
}

/** Header values are one line; names typed into a form may not be. */
function oneLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

function greeting(name: string): string {
  const clean = oneLine(name);
  return clean ? `Hi ${clean},` : 'Hi there,';
}

const ROLE_LABELS: Record<Role, string> = {
  owner: 'an owner',
  admin: 'an administrator',
  clinician: 'a clinician',
  staff: 'a staff member',
};

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

const SIGN_OFF = 'The Maneiro team';

interface Layout {
  subject: string;
  greeting: string;
  /** Paragraphs before the button, as plain text (escaped here). */
  intro: string[];
  /** The one thing to do, shown as a button with the raw URL as a fallback; omitted for pure notices. */
  action?: { label: string; url: string };
  /** Paragraphs after the button, as plain text (escaped here). */
  outro: string[];
}

function renderText(layout: Layout): string {
  return [
    layout.greeting,
    ...layout.intro,
    ...(layout.action ? [`${layout.action.label}: ${layout.action.url}`] : []),
    ...layout.outro,
    SIGN_OFF,
  ].join('\n\n') + '\n';
}

const FONT = "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";

function paragraph(text: string): string {
  return `<p style="margin:0 0 16px;font-size:16px;line-height:24px;color:#1e293b;">${escapeHtml(text)}</p>`;
}

function button(action: { label: string; url: string }): string[] {
  const href = escapeHtml(action.url);
  return [
    // A table-wrapped link is the button form that Outlook and Gmail both render.
    '<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 24px;"><tr>',
    '<td style="border-radius:6px;background-color:#0b8472;">',
    `<a href="${href}" style="display:inline-block;padding:12px 24px;font-size:16px;font-weight:600;color:#ffffff;text-decoration:none;border-radius:6px;">${escapeHtml(action.label)}</a>`,
    '</td></tr></table>',
    '<p style="margin:0 0 8px;font-size:14px;line-height:20px;color:#475569;">If the button does not work, copy this link into your browser:</p>',
    `<p style="margin:0 0 24px;font-size:14px;line-height:20px;word-break:break-all;"><a href="${href}" style="color:#0b8472;">${href}</a></p>`,
  ];
}

function renderHtml(layout: Layout): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(layout.subject)}</title>`,
    '</head>',
    `<body style="margin:0;padding:0;background-color:#f1f5f9;font-family:${FONT};">`,
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f1f5f9;">',
    '<tr><td align="center" style="padding:32px 16px;">',
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:560px;background-color:#ffffff;border:1px solid #e2e8f0;border-radius:8px;">',
    '<tr><td style="padding:32px;">',
    '<p style="margin:0 0 24px;font-size:18px;font-weight:700;color:#0b8472;">Maneiro</p>',
    paragraph(layout.greeting),
    ...layout.intro.map(paragraph),
    ...(layout.action ? button(layout.action) : []),
    ...layout.outro.map(paragraph),
    paragraph(SIGN_OFF),
    '</td></tr>',
    '</table>',
    '</td></tr>',
    '</table>',
    '</body>',
    '</html>',
  ].join('\n');
}

function render(layout: Layout): EmailContent {
  return { subject: layout.subject, text: renderText(layout), html: renderHtml(layout) };
}

/** Sent after sign-up (and on request) to confirm the address belongs to the person. */
export function verifyEmailMessage({ name, url }: { name: string; url: string }): EmailContent {
  return render({
    subject: 'Confirm your email address for Maneiro',
    greeting: greeting(name),
    intro: ['Please confirm your email address to finish setting up your Maneiro account.'],
    action: { label: 'Confirm email address', url: checkedUrl(url) },
    outro: ['If you did not create a Maneiro account, you can ignore this email.'],
  });
}

/** Sent when someone asks to reset the password of an account. */
export function passwordResetMessage({
  name,
  url,
  expiresInMinutes,
}: {
  name: string;
  url: string;
  expiresInMinutes: number;
}): EmailContent {
  return render({
    subject: 'Reset your Maneiro password',
    greeting: greeting(name),
    intro: [
      'We received a request to reset the password of your Maneiro account.',
      `Choose a new password with the link below. It expires in ${plural(expiresInMinutes, 'minute')}.`,
    ],
    action: { label: 'Choose a new password', url: checkedUrl(url) },
    outro: ['If you did not ask for this, ignore this email; your password is unchanged.'],
  });
}

/** Sent to a person a clinic member has invited to join their clinic. */
export function invitationMessage({
  inviterName,
  clinicName,
  role,
  url,
  expiresInDays,
}: {
  inviterName: string;
  clinicName: string;
  role: Role;
  url: string;
  expiresInDays: number;
}): EmailContent {
  const inviter = oneLine(inviterName) || 'A colleague';
  const clinic = oneLine(clinicName);
  return render({
    subject: `${inviter} invited you to join ${clinic} on Maneiro`,
    greeting: 'Hello,',
    intro: [
      `${inviter} has invited you to join ${clinic} on Maneiro as ${ROLE_LABELS[role]}.`,
      'Maneiro helps clinics with their clinical documentation: structured analysis of notes, letters and fax triage.',
      `Accept the invitation with the link below. It expires in ${plural(expiresInDays, 'day')}.`,
    ],
    action: { label: 'Accept invitation', url: checkedUrl(url) },
    outro: ['If you were not expecting this invitation, you can ignore this email and nothing will change.'],
  });
}

/** Sent to the old address after an account's email address changes, so a takeover does not go unnoticed. */
export function emailChangedNotice({ name, newEmail }: { name: string; newEmail: string }): EmailContent {
  // No link: a notice to the old address must not offer a way into the account.
  return render({
    subject: 'Your Maneiro email address was changed',
    greeting: greeting(name),
    intro: [
      `The email address of your Maneiro account was changed to ${oneLine(newEmail)}. Sign-in and account emails now go to that address.`,
      'If you made this change, there is nothing else to do.',
      "If you did not, someone else may have access to your account. Contact your clinic's Maneiro administrator straight away.",
    ],
    outro: [],
  });
}

/** Sent to a clinic's owners and admins when a webhook endpoint was disabled after days of failed deliveries. */
export function webhookDisabledNotice({
  name,
  clinicName,
  endpointHost,
  failingDays,
  url,
}: {
  name: string;
  clinicName: string;
  endpointHost: string;
  failingDays: number;
  url: string;
}): EmailContent {
  const clinic = oneLine(clinicName);
  return render({
    subject: `A webhook endpoint of ${clinic} was disabled`,
    greeting: greeting(name),
    intro: [
      `Maneiro could not deliver webhook events to the endpoint at ${oneLine(endpointHost)} for ${plural(failingDays, 'day')}, so we disabled it. No more events are sent to it.`,
      'Check that the endpoint is online and answers with a 2xx status, then enable it again in the webhook settings. Its delivery log shows the status code of each attempt.',
    ],
    action: { label: 'Open webhook settings', url: checkedUrl(url) },
    outro: [`You receive this because you are an owner or admin of ${clinic}.`],
  });
}

const longDate = (date: Date) => date.toLocaleDateString('en', { dateStyle: 'long', timeZone: 'UTC' });

/** Sent to the owner who asked for a clinic data export once its zip is ready. */
export function clinicExportReadyMessage({ name, clinicName, url, expiresAt }: { name: string; clinicName: string; url: string; expiresAt: Date }): EmailContent {
  const clinic = oneLine(clinicName);
  return render({
    subject: `The data export of ${clinic} is ready`,
    greeting: greeting(name),
    intro: [
      `The export of all of ${clinic}'s data that you asked for is ready. Download it from the clinic's data settings (you will be asked to sign in).`,
      `The download is available until ${longDate(expiresAt)} (UTC); after that it is deleted and you can ask for a new one.`,
    ],
    action: { label: 'Open data settings', url: checkedUrl(url) },
    outro: ["The archive contains patient information: keep it as carefully as the clinic's records."],
  });
}

/** Sent to every member of a clinic when an owner schedules its deletion. */
export function clinicDeletionScheduledMessage({ name, clinicName, deletionDate, url }: { name: string; clinicName: string; deletionDate: Date; url: string }): EmailContent {
  const clinic = oneLine(clinicName);
  return render({
    subject: `${clinic} will be deleted from Maneiro on ${longDate(deletionDate)}`,
    greeting: greeting(name),
    intro: [
      `An owner of ${clinic} asked for the clinic to be deleted. On ${longDate(deletionDate)} (UTC) its analyses, transcripts, letters, files, settings and audit log will be deleted for good, and any subscription canceled.`,
      'Until then the clinic cannot start new jobs, and its owners can restore it or export its data from the clinic’s data settings.',
      'Your own Maneiro account is not deleted.',
    ],
    action: { label: 'Open data settings', url: checkedUrl(url) },
    outro: ['If this is unexpected, contact an owner of the clinic straight away.'],
  });
}

/** Sent to every member of a clinic when an owner cancels its scheduled deletion. */
export function clinicRestoredMessage({ name, clinicName }: { name: string; clinicName: string }): EmailContent {
  const clinic = oneLine(clinicName);
  return render({
    subject: `${clinic} will not be deleted`,
    greeting: greeting(name),
    intro: [`An owner of ${clinic} canceled the clinic's scheduled deletion. Everything stays as it was, and the clinic can start new jobs again.`],
    outro: [],
  });
}
