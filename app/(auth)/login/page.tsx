import type { Metadata } from 'next';
import Link from 'next/link';
import { safeNextPath } from '@/lib/web/safe-next';
import { SignInForm } from './sign-in-form';

export const metadata: Metadata = { title: 'Sign in' };

const NOTICES: Record<string, string> = {
  'session-ended': 'Your session has ended. Please sign in again.',
  'no-clinic': 'Your account no longer belongs to any clinic. Ask an admin for an invitation.',
  'password-reset': 'Your password has been changed. Sign in with the new one.',
  'password-changed': 'Your password has been changed and you were signed out everywhere. Sign in with the new one.',
  'account-deleted': 'Your account has been deleted. Thank you for using Maneiro.',
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const next = safeNextPath(typeof params.next === 'string' ? params.next : null);
  const reason = typeof params.reason === 'string' ? params.reason : typeof params.error === 'string' ? params.error : '';
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-xs sm:p-8">
      <h1 className="text-2xl font-bold tracking-tight text-slate-950">Sign in</h1>
      <p className="mt-1 text-sm text-slate-600">Welcome back to Maneiro.</p>
      {NOTICES[reason] && (
        <p className="mt-4 rounded-md border border-info-200 bg-info-50 px-3 py-2 text-sm text-info-700" role="status">
          {NOTICES[reason]}
        </p>
      )}
      <SignInForm next={next} />
      <p className="mt-4 text-sm">
        <Link href="/forgot-password" className="font-medium text-brand-700 underline-offset-2 hover:underline">
          Forgot your password?
        </Link>
      </p>
      <p className="mt-2 text-sm text-slate-600">
        New to Maneiro?{' '}
        <Link href="/signup" className="font-medium text-brand-700 underline-offset-2 hover:underline">
          Create your clinic
        </Link>
      </p>
    </div>
  );
}
