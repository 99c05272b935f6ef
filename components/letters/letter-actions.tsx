'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Copy, Download, FileDown, History, Trash2 } from 'lucide-react';
import { FormError } from '@/components/form-error';
import { Button, buttonClasses } from '@/components/ui/button';
import { Dialog, DialogClose, DialogContent, DialogFooter, DialogTrigger } from '@/components/ui/dialog';
import type { ActionResult } from '@/lib/web/action';

export interface LetterActionsProps {
  letterId: string;
  canEdit: boolean;
  exportPdf: (letterId: string) => Promise<ActionResult<{ pdfId: string; created: boolean; pageCount: number }>>;
  duplicate: (letterId: string) => Promise<ActionResult<{ letterId: string }>>;
  remove: (letterId: string) => Promise<ActionResult>;
}

/** Export, download, duplicate and delete for one letter. */
export function LetterActions({ letterId, canEdit, exportPdf, duplicate, remove }: LetterActionsProps) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [busy, setBusy] = useState<'export' | 'duplicate' | 'delete' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [confirming, setConfirming] = useState(false);

  function run(kind: 'export' | 'duplicate' | 'delete') {
    setError(null);
    setBusy(kind);
    startTransition(async () => {
      if (kind === 'export') {
        const result = await exportPdf(letterId);
        if (result.ok) {
          setStatus(`PDF ready (${result.data.pageCount} ${result.data.pageCount === 1 ? 'page' : 'pages'}). It is listed under “PDFs on file”.`);
          router.refresh();
        } else setError(result.error);
      } else if (kind === 'duplicate') {
        const result = await duplicate(letterId);
        if (result.ok) router.push(`/reports/${result.data.letterId}`);
        else setError(result.error);
      } else {
        const result = await remove(letterId);
        if (result.ok) router.push('/reports');
        else {
          setConfirming(false);
          setError(result.error);
        }
      }
      setBusy(null);
    });
  }

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap gap-2">
        <Button type="button" onClick={() => run('export')} loading={pending && busy === 'export'} disabled={pending}>
          <FileDown className="size-4" aria-hidden="true" />
          {pending && busy === 'export' ? 'Preparing the PDF…' : 'Export PDF'}
        </Button>
        {/* A plain link: the browser handles the download; the route renders the PDF first if needed. */}
        <a href={`/api/reports/${letterId}/pdf`} className={buttonClasses('outline')} download>
          <Download className="size-4" aria-hidden="true" />
          Download PDF
        </a>
        {canEdit && (
          <Button type="button" variant="outline" onClick={() => run('duplicate')} loading={pending && busy === 'duplicate'} disabled={pending}>
            <Copy className="size-4" aria-hidden="true" />
            Duplicate as a new draft
          </Button>
        )}
        {canEdit && (
          <Dialog open={confirming} onOpenChange={(next) => !pending && setConfirming(next)}>
            <DialogTrigger asChild>
              <Button type="button" variant="ghost" disabled={pending}>
                <Trash2 className="size-4" aria-hidden="true" />
                Delete
              </Button>
            </DialogTrigger>
            <DialogContent
              title="Delete this letter?"
              description="It leaves your clinic’s reports. Its versions and PDFs are kept for the audit record, and the deletion is logged."
            >
              <DialogFooter>
                <DialogClose asChild>
                  <Button type="button" variant="outline" disabled={pending}>
                    Keep the letter
                  </Button>
                </DialogClose>
                <Button type="button" variant="danger" onClick={() => run('delete')} loading={pending && busy === 'delete'}>
                  {pending && busy === 'delete' ? 'Deleting…' : 'Delete the letter'}
                </Button>
              </DialogFooter>
            </DialogContent>
          </Dialog>
        )}
      </div>
      <p className="flex items-center gap-1.5 text-sm text-slate-700" aria-live="polite">
        {status && <History className="size-4 shrink-0" aria-hidden="true" />}
        {status}
      </p>
      <FormError message={error} />
    </div>
  );
}

export interface RestoreVersionProps {
  letterId: string;
  version: number;
  baseVersion: number;
  restore: (input: { letterId: string; version: number; baseVersion: number }) => Promise<ActionResult<{ version: number }>>;
}

/** On an older version: make it the current one (as a new version). */
export function RestoreVersionButton({ letterId, version, baseVersion, restore }: RestoreVersionProps) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="space-y-2">
      <Button
        type="button"
        size="sm"
        loading={pending}
        onClick={() =>
          startTransition(async () => {
            setError(null);
            const result = await restore({ letterId, version, baseVersion });
            if (result.ok) router.push(`/reports/${letterId}`);
            else setError(result.error);
          })
        }
      >
        {pending ? 'Restoring…' : `Restore version ${version}`}
      </Button>
      <FormError message={error} />
    </div>
  );
}
