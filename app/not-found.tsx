import type { Metadata } from 'next';
import Link from 'next/link';
import { buttonClasses } from '@/components/ui/button';
import { Logo } from '@/components/logo';

export const metadata: Metadata = { title: 'Page not found' };

export default function NotFound() {
  return (
    <main
      id="main-content"
      tabIndex={-1}
      className="flex min-h-dvh flex-col items-center justify-center bg-white px-4 py-16 text-center focus:outline-none"
    >
      <Link href="/" className="rounded-md" aria-label="Maneiro home">
        <Logo />
      </Link>
      <p className="mt-10 text-sm font-semibold text-brand-700">Error 404</p>
      <h1 className="mt-2 text-3xl font-bold tracking-tight text-slate-950">Page not found</h1>
      <p className="mt-3 max-w-md text-slate-600">
        There is nothing at this address. The link may be mistyped or out of date, or the page may have been moved or
        removed. If you expected to find a document here, it may have been deleted or may belong to a clinic you are not a
        member of.
      </p>
      <div className="mt-8 flex w-full flex-col gap-3 sm:w-auto sm:flex-row">
        <Link href="/" className={buttonClasses('primary')}>
          Go to the home page
        </Link>
        <Link href="/dashboard" className={buttonClasses('outline')}>
          Open the dashboard
        </Link>
      </div>
    </main>
  );
}
