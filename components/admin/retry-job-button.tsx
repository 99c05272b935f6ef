'use client';

import { useState, useTransition } from 'react';
import { operatorRetryJobAction } from '@/app/admin/actions';
import { Button } from '@/components/ui/button';

/** Retry of one failed job from the operator console; the answer is announced next to the button. */
export function RetryJobButton({ jobId }: { jobId: string }) {
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  return (
    <div className="flex flex-col items-start gap-1">
      <Button
        size="sm"
        variant="outline"
        loading={pending}
        aria-describedby={message ? `retry-${jobId}` : undefined}
        onClick={() =>
          startTransition(async () => {
            const result = await operatorRetryJobAction({ jobId });
            setMessage(result.ok ? { ok: true, text: result.data.duplicate ? `Already retried as ${result.data.jobId.slice(0, 8)}` : `Started ${result.data.jobId.slice(0, 8)}` } : { ok: false, text: result.error });
          })
        }
      >
        Retry
      </Button>
      <p id={`retry-${jobId}`} role="status" className={message?.ok === false ? 'text-xs text-danger-700' : 'text-xs text-slate-600'}>
        {message?.text}
      </p>
    </div>
  );
}
