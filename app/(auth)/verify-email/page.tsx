import type { Metadata } from 'next';
import { VerifyEmailForm } from './verify-email-form';

export const metadata: Metadata = { title: 'Confirm your email', referrer: 'no-referrer' };

// Confirmation takes a click rather than happening on page load, so link scanners
// in mail systems cannot use the token up before the person does.
export default async function VerifyEmailPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { token } = await searchParams;
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-xs sm:p-8">
      <h1 className="text-2xl font-bold tracking-tight text-slate-950">Confirm your email</h1>
      <VerifyEmailForm token={typeof token === 'string' ? token : ''} />
    </div>
  );
}
