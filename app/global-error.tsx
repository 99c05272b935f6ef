'use client';

import { GeistMono } from 'geist/font/mono';
import { GeistSans } from 'geist/font/sans';
import { cn } from '@/lib/utils';
import './globals.css';

/**
 * Last-resort screen when the root layout itself fails; it replaces the whole document,
 * so it brings its own <html> and <body>. The error's message is never displayed.
 */
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en" className={cn(GeistSans.variable, GeistMono.variable)}>
      <body className="min-h-dvh bg-white font-sans text-slate-900">
        <title>Something went wrong · Maneiro</title>
        <main id="main-content" className="flex min-h-dvh flex-col items-center justify-center px-4 py-16 text-center">
          <h1 className="text-2xl font-bold tracking-tight text-slate-950">Maneiro could not load</h1>
          <p className="mt-3 max-w-md text-slate-600">
            Something went wrong on our side. Anything you had already saved is safe. Please try again in a moment; if the
            problem continues, contact support and mention the reference below.
          </p>
          {error.digest && (
            <p className="mt-4 text-sm text-slate-600">
              Reference: <code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-slate-800">{error.digest}</code>
            </p>
          )}
          <button
            type="button"
            onClick={() => reset()}
            className="mt-8 inline-flex h-10 items-center justify-center rounded-md bg-brand-600 px-4 text-sm font-medium text-white hover:bg-brand-700"
          >
            Try again
          </button>
        </main>
      </body>
    </html>
  );
}
