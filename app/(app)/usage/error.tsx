'use client';

import { useRouter } from 'next/navigation';
import { startTransition } from 'react';
import { PageHeader } from '@/components/shell/page-header';
import { Button } from '@/components/ui/button';

/**
 * The usage numbers could not be read (the database is unreachable, say). Shown
 * inside the app shell so the navigation stays; the error's message is never
 * displayed, only the digest that lets support find the server log entry.
 */
export default function UsageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const router = useRouter();
  const tryAgain = () =>
    startTransition(() => {
      router.refresh();
      reset();
    });
  return (
    <>
      <PageHeader title="Usage" description="Jobs your clinic has started this period against its plan’s allowance." />
      <div role="alert" className="rounded-lg border border-danger-200 bg-danger-50 p-4 text-danger-700">
        <h2 className="font-semibold">The usage numbers could not be loaded</h2>
        <p className="mt-1 text-sm">
          Nothing is lost: jobs are still counted. Please try again in a moment; if the problem continues, contact support
          {error.digest ? ' and mention the reference below' : ''}.
        </p>
        {error.digest && (
          <p className="mt-2 text-sm">
            Reference: <code className="rounded bg-white px-1.5 py-0.5 font-mono select-all">{error.digest}</code>
          </p>
        )}
        <Button type="button" variant="outline" className="mt-4" onClick={tryAgain}>
          Try again
        </Button>
      </div>
    </>
  );
}
