'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { startTransition } from 'react';
import { Button, buttonClasses } from '@/components/ui/button';

/**
 * Shown when rendering a page fails. The error's message is never displayed: it may
 * carry internal or clinical details. The digest lets support find the server log entry.
 */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const router = useRouter();
  // Refetch the server components as well, so an error that came from the server can clear.
  const tryAgain = () =>
    startTransition(() => {
      router.refresh();
      reset();
    });
  return (
    <main
      id="main-content"
      tabIndex={-1}
      className="flex min-h-[70dvh] flex-col items-center justify-center px-4 py-16 text-center focus:outline-none"
    >
      <h1 className="text-2xl font-bold tracking-tight text-slate-950">Something went wrong</h1>
      <p className="mt-3 max-w-md text-slate-600">
        This page could not be shown. Anything you had already saved is safe. Please try again; if the problem continues,
        contact support and mention the reference below.
      </p>
      {error.digest && (
        <p className="mt-4 text-sm text-slate-600">
          Reference: <code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-slate-800 select-all">{error.digest}</code>
        </p>
      )}
      <div className="mt-8 flex w-full flex-col gap-3 sm:w-auto sm:flex-row">
        <Button type="button" onClick={tryAgain}>
          Try again
        </Button>
        <Link href="/" className={buttonClasses('outline')}>
          Go to the home page
        </Link>
      </div>
    </main>
  );
}
