'use client';

import { useState, useTransition } from 'react';
import { setClinicPausedAction } from '@/app/admin/actions';
import { Button } from '@/components/ui/button';
import { Dialog, DialogClose, DialogContent, DialogFooter, DialogTrigger } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import { Textarea } from '@/components/ui/textarea';
import { PAUSE_REASON_MAX_LENGTH } from '@/lib/admin/schemas';

/**
 * The Pause/Resume switch of one clinic: a button that opens a confirmation
 * dialog (with the reason members will see, when pausing).
 */
export function PauseClinicDialog({ clinicId, clinicName, paused }: { clinicId: string; clinicName: string; paused: boolean }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const verb = paused ? 'Resume' : 'Pause';

  function confirm() {
    startTransition(async () => {
      const result = await setClinicPausedAction({ clinicId, paused: !paused, ...(paused ? {} : { reason }) });
      if (result.ok) {
        setOpen(false);
        setReason('');
        setError(null);
      } else {
        setError(result.fieldErrors?.reason?.[0] ?? result.error);
      }
    });
  }

  return (
    <Dialog open={open} onOpenChange={(next) => { setOpen(next); if (!next) setError(null); }}>
      <DialogTrigger asChild>
        <Button size="sm" variant={paused ? 'outline' : 'danger'} aria-label={`${verb} ${clinicName}`}>
          {verb}
        </Button>
      </DialogTrigger>
      <DialogContent
        title={`${verb} ${clinicName}?`}
        description={
          paused
            ? 'Members can start jobs and use the API again at once; the banner goes away.'
            : 'Members keep reading their results, but cannot start jobs, and API keys are refused. Every member sees a banner with your reason.'
        }
      >
        {!paused && (
          <Field label="Reason shown to the clinic’s members" error={error ?? undefined} required>
            <Textarea value={reason} maxLength={PAUSE_REASON_MAX_LENGTH} rows={3} onChange={(e) => setReason(e.target.value)} />
          </Field>
        )}
        {paused && error && (
          <p role="alert" className="text-sm text-danger-700">
            {error}
          </p>
        )}
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="outline">Cancel</Button>
          </DialogClose>
          <Button variant={paused ? 'primary' : 'danger'} loading={pending} onClick={confirm}>
            {verb} clinic
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
