import type { Metadata } from 'next';
import Link from 'next/link';
import { connection } from 'next/server';
import { isEmailTokenUsable } from '@/lib/auth/email-tokens';
import { db } from '@/lib/db/client';
import { ResetPasswordForm } from './reset-password-form';

export const metadata: Metadata = { title: 'Choose a new password', referrer: 'no-referrer' };

export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await connection();
  const { token } = await searchParams;
  const usable = typeof token === 'string' && (await isEmailTokenUsable(db(), token, 'reset_password'));
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-xs sm:p-8">
      <h1 className="text-2xl font-bold tracking-tight text-slate-950">Choose a new password</h1>
      {usable ? (
        <>
          <p className="mt-1 text-sm text-slate-600">Choosing a new password signs you out on every device.</p>
          <ResetPasswordForm token={token} />
        </>
      ) : (
        <p className="mt-4 text-sm text-slate-700">
          This reset link has expired or was already used.{' '}
          <Link href="/forgot-password" className="font-medium text-brand-700 underline-offset-2 hover:underline">
            Ask for a new link
          </Link>
          .
        </p>
      )}
    </div>
  );
}
