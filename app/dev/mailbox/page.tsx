import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { connection } from 'next/server';
import { Inbox } from 'lucide-react';
import { Logo } from '@/components/logo';
import { PageHeader } from '@/components/shell/page-header';
import { Badge } from '@/components/ui/badge';
import { buttonClasses } from '@/components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { getConfig } from '@/lib/config';
import { extractLinks, listMailbox, type MailboxMessage } from '@/lib/email/send';

export const metadata: Metadata = { title: 'Mailbox', robots: { index: false, follow: false } };

// The server's clock zone is arbitrary, so times are shown in UTC and say so.
const timeFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' });

/** Email kept instead of delivered while SMTP_URL is unset. Outside production only. */
export default async function MailboxPage() {
  // Rendered per request: the production check must run on the server that serves
  // the request, never once at build time.
  await connection();
  if (getConfig().app.isProduction) notFound();

  const messages = await listMailbox({ limit: 50 });

  return (
    <div className="min-h-dvh bg-slate-50">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-4xl items-center justify-between gap-4 px-4 py-3 sm:px-6">
          <Link href="/" className="rounded-md" aria-label="Maneiro home">
            <Logo />
          </Link>
          <Badge variant="warning">Development only</Badge>
        </div>
      </header>
      <main id="main-content" tabIndex={-1} className="focus:outline-none">
        <div className="mx-auto w-full max-w-4xl px-4 py-8 sm:px-6 lg:py-10">
          <PageHeader
            title="Development mailbox"
            description="Email sent while SMTP_URL is not set lands here instead of being delivered. This page does not exist in production."
            actions={
              <Link href="/" className={buttonClasses('outline', 'sm')}>
                Back to home
              </Link>
            }
          />
          {messages.length === 0 ? (
            <EmptyState
              icon={Inbox}
              title="No email yet"
              description="Messages such as email confirmations, password resets and invitations will appear here, newest first, as soon as the app sends them."
            />
          ) : (
            <>
              <p className="mb-4 text-sm text-slate-600">
                {messages.length === 1 ? '1 message' : `${messages.length} messages`}, newest first
                {messages.length === 50 ? ' (the 50 most recent)' : ''}.
              </p>
              <ol className="space-y-4">
                {messages.map((message) => (
                  <li key={message.id}>
                    <MessageCard message={message} />
                  </li>
                ))}
              </ol>
            </>
          )}
        </div>
      </main>
    </div>
  );
}

function MessageCard({ message }: { message: MailboxMessage }) {
  const headingId = `message-${message.id}`;
  const links = extractLinks(message.text);
  return (
    <Card>
      <article aria-labelledby={headingId}>
        <CardHeader>
          <CardTitle id={headingId} className="break-words">
            {message.subject || '(no subject)'}
          </CardTitle>
          <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
            <dt className="font-medium text-slate-700">To</dt>
            <dd className="min-w-0 break-all text-slate-900">{message.to}</dd>
            <dt className="font-medium text-slate-700">Sent</dt>
            <dd className="text-slate-900">
              <time dateTime={message.createdAt.toISOString()}>{timeFormat.format(message.createdAt)} UTC</time>
            </dd>
          </dl>
        </CardHeader>
        <CardContent className="space-y-4">
          {links.length > 0 && (
            <section aria-labelledby={`${headingId}-links`}>
              <h3 id={`${headingId}-links`} className="text-sm font-semibold text-slate-900">
                Links
              </h3>
              <ul className="mt-1 space-y-1 text-sm">
                {links.map((link) => (
                  <li key={link} className="min-w-0">
                    <a href={link} className="break-all text-brand-700 underline hover:text-brand-800">
                      {link}
                    </a>
                  </li>
                ))}
              </ul>
            </section>
          )}
          <section aria-labelledby={`${headingId}-body`}>
            <h3 id={`${headingId}-body`} className="text-sm font-semibold text-slate-900">
              Text
            </h3>
            <pre className="mt-1 max-w-full overflow-x-auto rounded-md bg-slate-50 p-3 font-mono text-sm leading-relaxed break-words whitespace-pre-wrap text-slate-800">
              {message.text}
            </pre>
          </section>
        </CardContent>
      </article>
    </Card>
  );
}
