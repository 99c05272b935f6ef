import type { Metadata } from 'next';
import Link from 'next/link';
import { ForgotPasswordForm } from './forgot-password-form';

export const metadata: Metadata = { title: 'Reset your password' };

export default function ForgotPasswordPage() {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-xs sm:p-8">
      <h1 className="text-2xl font-bold tracking-tight text-slate-950">Reset your password</h1>
      <p className="mt-1 text-sm text-slate-600">Enter the email you sign in with and we will send you a link to choose a new password.</p>
      <ForgotPasswordForm />
      <p className="mt-6 text-sm text-slate-600">
        Remembered it?{' '}
        <Link href="/login" className="font-medium text-brand-700 underline-offset-2 hover:underline">
          Sign in
        </Link>
      </p>
    </div>
  );
}
