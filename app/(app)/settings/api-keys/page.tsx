import type { Metadata } from 'next';
import Link from 'next/link';
import { Info } from 'lucide-react';
import { PageHeader } from '@/components/shell/page-header';
import { listApiKeys } from '@/lib/api/keys';
import { API_SCOPES, SCOPE_DESCRIPTIONS } from '@/lib/api/scopes';
import { ADMIN_ROLES } from '@/lib/auth/authorize';
import { getClinicPlan, planRequiredMessage } from '@/lib/billing/entitlements';
import { db } from '@/lib/db/client';
import { requirePageActor } from '@/lib/web/session';
import { ApiKeysManager } from './api-keys-manager';

export const metadata: Metadata = { title: 'API keys' };

function Note({ children }: { children: React.ReactNode }) {
  return (
    <div className="flex gap-2 rounded-md border border-info-200 bg-info-50 px-3 py-2 text-sm text-info-700">
      <Info className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
      <div>{children}</div>
    </div>
  );
}

export default async function ApiKeysPage() {
  const { actor } = await requirePageActor();
  const canManage = ADMIN_ROLES.includes(actor.role);
  const clinicPlan = await getClinicPlan(db(), actor.organizationId);
  const hasApi = clinicPlan.plan.features.has('apiAccess');
  // Listing is for owners and admins; a clinic that left Enterprise still sees (and can revoke) its old keys.
  const keys = canManage ? await listApiKeys(db(), actor) : [];

  return (
    <>
      <PageHeader
        title="API keys"
        description={
          <>
            Keys let your clinic’s own systems use the{' '}
            <Link href="/docs/api" className="text-brand-700 underline">
              REST API
            </Link>
            : start analyses, triages and transcriptions, read results, write letters and download PDFs.
          </>
        }
      />
      <div className="max-w-4xl space-y-6">
        {!hasApi && (
          <Note>
            <p>{planRequiredMessage('apiAccess', clinicPlan.plan)}</p>
            <p className="mt-1">
              <Link href="/pricing?feature=apiAccess" className="font-medium underline">
                Compare plans
              </Link>
              {keys.some((k) => !k.revokedAt) ? ' Existing keys stop working until the clinic is on Enterprise again; you can still revoke them here.' : null}
            </p>
          </Note>
        )}
        {!canManage ? (
          <Note>
            <p>Only the clinic’s owners and admins manage API keys. Ask one of them if an integration needs a key.</p>
          </Note>
        ) : (
          <ApiKeysManager
            canCreate={hasApi}
            scopes={API_SCOPES.map((scope) => ({ scope, description: SCOPE_DESCRIPTIONS[scope] }))}
            keys={keys.map((k) => ({
              id: k.id,
              name: k.name,
              prefix: k.prefix,
              scopes: k.scopes,
              createdAt: k.createdAt.toISOString(),
              createdBy: k.createdBy,
              lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
              revokedAt: k.revokedAt?.toISOString() ?? null,
            }))}
          />
        )}
      </div>
    </>
  );
}
