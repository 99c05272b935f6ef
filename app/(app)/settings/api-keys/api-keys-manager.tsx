'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Copy, KeyRound } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Dialog, DialogClose, DialogContent, DialogFooter } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { useToast } from '@/components/ui/toast';
import { FormError } from '@/components/form-error';
import { createApiKeyAction, revokeApiKeyAction } from './actions';

export interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  createdBy: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface ApiKeysManagerProps {
  canCreate: boolean;
  scopes: { scope: string; description: string }[];
  keys: ApiKeyRow[];
}

const when = (iso: string) => new Date(iso).toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

/** The new key, shown once: it exists nowhere else after this dialog closes. */
function NewKeyDialog({ secret, onClose }: { secret: string | null; onClose: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <Dialog
      open={secret !== null}
      onOpenChange={(open) => {
        if (!open) {
          setCopied(false);
          onClose();
        }
      }}
    >
      {secret && (
        <DialogContent title="Your new API key" description="Copy it now and store it in your integration’s secret store. You won’t see it again: Maneiro keeps only a hash of it.">
          <label className="block text-sm font-medium text-slate-800" htmlFor="new-api-key">
            API key
          </label>
          <div className="mt-1.5 flex gap-2">
            <Input id="new-api-key" readOnly value={secret} className="font-mono" onFocus={(e) => e.currentTarget.select()} />
            <Button
              type="button"
              variant="outline"
              onClick={async () => {
                try {
                  await navigator.clipboard.writeText(secret);
                  setCopied(true);
                } catch {
                  // No clipboard access (a page not served over HTTPS): select the field for a manual copy.
                  document.getElementById('new-api-key')?.focus();
                }
              }}
            >
              <Copy className="size-4" aria-hidden="true" />
              {copied ? 'Copied' : 'Copy'}
            </Button>
          </div>
          <p className="mt-3 text-sm text-slate-600">
            Send it as <code className="font-mono">Authorization: Bearer …</code>. If it is ever exposed, revoke it here and create a new one.
          </p>
          <DialogFooter>
            <DialogClose asChild>
              <Button type="button">I have stored the key</Button>
            </DialogClose>
          </DialogFooter>
        </DialogContent>
      )}
    </Dialog>
  );
}

function RevokeButton({ row, pending, onRevoke }: { row: ApiKeyRow; pending: boolean; onRevoke: () => void }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <Button variant="ghost" size="sm" disabled={pending} onClick={() => setOpen(true)}>
        Revoke<span className="sr-only"> {row.name}</span>
      </Button>
      <DialogContent title={`Revoke “${row.name}”?`} description={`Requests with the key ${row.prefix}… are refused at once. This cannot be undone: the integration needs a new key.`}>
        <DialogFooter>
          <DialogClose asChild>
            <Button type="button" variant="outline">
              Keep the key
            </Button>
          </DialogClose>
          <Button
            type="button"
            variant="danger"
            loading={pending}
            onClick={() => {
              setOpen(false);
              onRevoke();
            }}
          >
            Revoke key
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

export function ApiKeysManager({ canCreate, scopes, keys }: ApiKeysManagerProps) {
  const router = useRouter();
  const { toast } = useToast();
  const [pending, startTransition] = useTransition();
  const [errors, setErrors] = useState<Record<string, string[] | undefined>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [secret, setSecret] = useState<string | null>(null);

  return (
    <div className="space-y-8">
      {canCreate && (
        <Card>
          <CardHeader>
            <CardTitle>Create a key</CardTitle>
            <CardDescription>Give each integration its own key with only the scopes it needs, so you can revoke one without stopping the others.</CardDescription>
          </CardHeader>
          <CardContent>
            <form
              noValidate
              className="space-y-4"
              onSubmit={(event) => {
                event.preventDefault();
                const formElement = event.currentTarget;
                const form = new FormData(formElement);
                const input = { name: String(form.get('name') ?? ''), scopes: form.getAll('scopes').map(String) };
                startTransition(async () => {
                  const result = await createApiKeyAction(input);
                  if (result.ok) {
                    setErrors({});
                    setFormError(null);
                    formElement.reset();
                    setSecret(result.data.secret);
                    router.refresh();
                  } else {
                    setErrors(result.fieldErrors ?? {});
                    setFormError(result.fieldErrors ? null : result.error);
                  }
                });
              }}
            >
              <FormError message={formError} />
              <Field label="Name" description="What uses the key, for example “EHR integration”." error={errors.name?.[0]} required>
                <Input name="name" autoComplete="off" maxLength={80} />
              </Field>
              <fieldset aria-describedby={errors.scopes ? 'scopes-error' : undefined}>
                <legend className="text-sm font-medium text-slate-800">Scopes</legend>
                <ul className="mt-2 space-y-2">
                  {scopes.map(({ scope, description }) => (
                    <li key={scope}>
                      <label className="flex items-start gap-2 text-sm text-slate-700">
                        <input type="checkbox" name="scopes" value={scope} className="mt-0.5 size-4 rounded border-slate-300" />
                        <span>
                          <code className="font-mono text-slate-950">{scope}</code>: {description}
                        </span>
                      </label>
                    </li>
                  ))}
                </ul>
                {errors.scopes?.[0] && (
                  <p id="scopes-error" className="mt-2 text-sm text-danger-700" role="alert">
                    {errors.scopes[0]}
                  </p>
                )}
              </fieldset>
              <Button type="submit" loading={pending}>
                <KeyRound className="size-4" aria-hidden="true" />
                Create key
              </Button>
            </form>
          </CardContent>
        </Card>
      )}

      <section aria-labelledby="keys-heading">
        <h2 id="keys-heading" className="mb-3 text-lg font-semibold text-slate-950">
          Keys ({keys.filter((k) => !k.revokedAt).length} active)
        </h2>
        {keys.length === 0 ? (
          <p className="text-sm text-slate-600">No API keys yet.</p>
        ) : (
          <Table label="API keys">
            <THead>
              <TR>
                <TH>Name</TH>
                <TH>Key</TH>
                <TH>Scopes</TH>
                <TH>Created</TH>
                <TH>Last used</TH>
                <TH>
                  <span className="sr-only">Actions</span>
                </TH>
              </TR>
            </THead>
            <TBody>
              {keys.map((k) => (
                <TR key={k.id}>
                  <TD className="font-medium">
                    {k.name} {k.revokedAt && <Badge variant="danger">Revoked {when(k.revokedAt)}</Badge>}
                  </TD>
                  <TD>
                    <code className="font-mono text-xs">{k.prefix}…</code>
                  </TD>
                  <TD>
                    <ul className="space-y-0.5">
                      {k.scopes.map((s) => (
                        <li key={s}>
                          <code className="font-mono text-xs">{s}</code>
                        </li>
                      ))}
                    </ul>
                  </TD>
                  <TD>
                    {when(k.createdAt)}
                    {k.createdBy && <span className="block text-xs text-slate-600">by {k.createdBy}</span>}
                  </TD>
                  <TD>{k.lastUsedAt ? when(k.lastUsedAt) : 'Never'}</TD>
                  <TD className="text-right">
                    {!k.revokedAt && (
                      <RevokeButton
                        row={k}
                        pending={pending}
                        onRevoke={() =>
                          startTransition(async () => {
                            const result = await revokeApiKeyAction(k.id);
                            if (result.ok) {
                              toast({ title: `“${k.name}” revoked`, variant: 'success' });
                              router.refresh();
                            } else toast({ title: 'That did not work', description: result.error, variant: 'error' });
                          })
                        }
                      />
                    )}
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}
      </section>
      <NewKeyDialog secret={secret} onClose={() => setSecret(null)} />
    </div>
  );
}
