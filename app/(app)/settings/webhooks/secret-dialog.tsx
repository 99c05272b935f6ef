'use client';

import { useState } from 'react';
import { Copy } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Dialog, DialogClose, DialogContent, DialogFooter } from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';

export interface RevealedSecret {
  title: string;
  secret: string;
  /** A sentence after "Copy it now": what happens to the previous secret, for example. */
  note: string;
}

/** Shows a signing secret the one time it exists outside the database. */
export function SecretDialog({ revealed, onClose }: { revealed: RevealedSecret | null; onClose: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <Dialog
      open={revealed !== null}
      onOpenChange={(open) => {
        if (!open) {
          setCopied(false);
          onClose();
        }
      }}
    >
      {revealed && (
        <DialogContent title={revealed.title} description={`Copy the signing secret now: it is not shown again. ${revealed.note}`}>
          <label className="block text-sm font-medium text-slate-800" htmlFor="webhook-secret">
            Signing secret
          </label>
          <div className="mt-1.5 flex gap-2">
            <Input id="webhook-secret" readOnly value={revealed.secret} className="font-mono" onFocus={(e) => e.currentTarget.select()} />
            <Button
              type="button"
              variant="outline"
              onClick={async () => {
                try {
                  await navigator.clipboard.writeText(revealed.secret);
                  setCopied(true);
                } catch {
                  // No clipboard (a page not served over HTTPS): the field is selected for a manual copy.
                  document.getElementById('webhook-secret')?.focus();
                }
              }}
            >
              <Copy className="size-4" aria-hidden="true" />
              {copied ? 'Copied' : 'Copy'}
            </Button>
          </div>
          <DialogFooter>
            <DialogClose asChild>
              <Button type="button">I have stored the secret</Button>
            </DialogClose>
          </DialogFooter>
        </DialogContent>
      )}
    </Dialog>
  );
}
