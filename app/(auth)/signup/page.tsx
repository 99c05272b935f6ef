import type { Metadata } from 'next';
import Link from 'next/link';
import { SignUpForm } from './sign-up-form';

export const metadata: Metadata = { title: 'Create your clinic' };

export default function SignUpPage() {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-xs sm:p-8">
      <h1 className="text-2xl font-bold tracking-tight text-slate-950">Create your clinic</h1>
      <p className="mt-1 text-sm text-slate-600">Start on the Free plan: 5 jobs a month, no card needed.</p>
      <SignUpForm />
      <p className="mt-4 text-sm text-slate-600">
        What Maneiro stores and where it goes is on the{' '}
        <Link href="/privacy" className="font-medium text-brand-700 underline-offset-2 hover:underline">
          privacy page
        </Link>
        .
      </p>
      <p className="mt-6 text-sm text-slate-600">
        Already have an account?{' '}
        <Link href="/login" className="font-medium text-brand-700 underline-offset-2 hover:underline">
          Sign in
        </Link>
      </p>
    </div>
  );
}
