'use client';

import { useEffect } from 'react';
import { useRouter } from 'next/navigation';
import { Download } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { Button, buttonClasses } from '@/components/ui/button';
import { Progress } from '@/components/ui/progress';
import { useToast } from '@/components/ui/toast';
import { FormError } from '@/components/form-error';
import { useActionForm } from '@/components/forms/use-action-form';
import { requestExportAction } from './actions';

/** One export as the page shows it; dates and sizes are formatted on the server. */
export interface ExportRow {
  id: string;
  status: 'queued' | 'running' | 'ready' | 'failed' | 'expired';
  progress: number;
  requestedLabel: string;
  sizeLabel: string | null;
  expiresLabel: string | null;
  downloadable: boolean;
}

const STATUS: Record<ExportRow['status'], { label: string; variant: 'neutral' | 'info' | 'success' | 'danger' }> = {
  queued: { label: 'Waiting to start', variant: 'info' },
  running: { label: 'Exporting', variant: 'info' },
  ready: { label: 'Ready', variant: 'success' },
  failed: { label: 'Failed', variant: 'danger' },
  expired: { label: 'Expired', variant: 'neutral' },
};

/** How often the page re-reads an export in progress. */
const REFRESH_MS = 3000;

export function ExportPanel({ exports }: { exports: ExportRow[] }) {
  const router = useRouter();
  const { toast } = useToast();
  const { pending, formError, submit } = useActionForm();
  const inProgress = exports.some((e) => e.status === 'queued' || e.status === 'running');

  useEffect(() => {
    if (!inProgress) return;
    const timer = setInterval(() => router.refresh(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [inProgress, router]);

  return (
    <div className="space-y-4">
      <FormError message={formError} />
      <Button
        type="button"
        loading={pending}
        disabled={inProgress}
        onClick={() =>
          submit(
            () => requestExportAction(),
            ({ duplicate }) => {
              toast(
                duplicate
                  ? { title: 'An export is already running', description: 'Its progress is shown below.' }
                  : { title: 'Export started', description: 'This can take a while for a large clinic. You will get an email when it is ready.', variant: 'success' },
              );
              router.refresh();
            },
          )
        }
      >
        {pending ? 'Starting…' : 'Export all data'}
      </Button>
      {exports.length > 0 && (
        <ul className="divide-y divide-slate-200 rounded-md border border-slate-200" aria-label="Recent exports">
          {exports.map((e) => (
            <li key={e.id} className="space-y-2 p-3 text-sm">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <span className="text-slate-700">{e.requestedLabel}</span>
                <Badge variant={STATUS[e.status].variant}>{STATUS[e.status].label}</Badge>
              </div>
              {(e.status === 'queued' || e.status === 'running') && (
                <Progress aria-label="Export progress" value={e.status === 'running' ? e.progress : null} valueText={e.status === 'running' ? `${e.progress}%` : 'Waiting to start'} />
              )}
              {e.status === 'failed' && <p className="text-danger-700">The export could not be finished. Start a new one; if it fails again, contact support.</p>}
              {e.downloadable && (
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <span className="text-slate-600">
                    {e.sizeLabel} · available until {e.expiresLabel}
                  </span>
                  {/* A plain link: the route checks the owner and the expiry, then streams the zip or redirects to a short-lived URL. */}
                  <a href={`/api/clinic/exports/${e.id}`} className={buttonClasses('outline', 'sm')} download>
                    <Download className="size-4" aria-hidden="true" />
                    Download
                  </a>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
