import type { Metadata } from 'next';
import Link from 'next/link';
import { Info } from 'lucide-react';
import { PageHeader } from '@/components/shell/page-header';
import { db } from '@/lib/db/client';
import { DELETION_GRACE_DAYS } from '@/lib/data-controls/deletion';
import { EXPORT_TTL_DAYS, listClinicExports, type ClinicExportView } from '@/lib/data-controls/export';
import { isOwner } from '@/lib/data-controls/owners';
import { getRetentionDays, RETENTION_CHOICES } from '@/lib/data-controls/retention';
import { getClinicDeletionState } from '@/lib/data-controls/state';
import { getClinicSettings } from '@/lib/orgs/update-clinic';
import { requirePageActor } from '@/lib/web/session';
import { SettingsSection } from '../profile/settings-section';
import { DeleteClinicForm, RestoreClinicButton } from './delete-clinic-form';
import { ExportPanel, type ExportRow } from './export-panel';
import { RetentionForm } from './retention-form';

export const metadata: Metadata = { title: 'Data' };

const dateTime = (iso: string) => new Date(iso).toLocaleString('en', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }) + ' UTC';
const longDate = (date: Date) => date.toLocaleDateString('en', { dateStyle: 'long', timeZone: 'UTC' });

function sizeLabel(bytes: number | null): string | null {
  if (bytes === null) return null;
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}

function toRow(e: ClinicExportView): ExportRow {
  return {
    id: e.id,
    status: e.status,
    progress: e.progress,
    requestedLabel: `Asked for ${dateTime(e.createdAt)}${e.requestedBy ? ` by ${e.requestedBy}` : ''}`,
    sizeLabel: sizeLabel(e.byteSize),
    expiresLabel: e.expiresAt ? dateTime(e.expiresAt) : null,
    downloadable: e.downloadable,
  };
}

function OwnersOnly() {
  return (
    <p className="flex gap-2 rounded-md border border-info-200 bg-info-50 px-3 py-2 text-sm text-info-700">
      <Info className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
      <span>Only the clinic’s owners can export its data, change how long raw files are kept, or delete the clinic.</span>
    </p>
  );
}

export default async function DataSettingsPage() {
  const { actor } = await requirePageActor();
  const owner = isOwner(actor);
  const [retentionDays, deletion, exports, clinic] = await Promise.all([
    getRetentionDays(db(), actor.organizationId),
    getClinicDeletionState(db(), actor.organizationId),
    owner ? listClinicExports(db(), actor) : Promise.resolve([]),
    getClinicSettings(db(), actor),
  ]);

  return (
    <>
      <PageHeader
        title="Data"
        description={
          <>
            Export everything your clinic has in Maneiro, choose how long raw files are kept, or delete the clinic. Where data goes is described on
            the{' '}
            <Link href="/privacy" className="font-medium text-brand-700 underline underline-offset-2">
              privacy page
            </Link>
            .
          </>
        }
      />
      <div className="max-w-2xl space-y-6">
        {!owner && <OwnersOnly />}

        <SettingsSection
          id="export"
          title="Export all data"
          description={`A zip file with every record of the clinic as JSON (members, jobs and their results, transcripts, letters and their versions, usage, the audit log and more) and every stored file (uploads, recordings, letter PDFs, logo and signature). Passwords and other secrets are never included. The download link works for ${EXPORT_TTL_DAYS} days, for owners only.`}
        >
          {owner ? <ExportPanel exports={exports.map(toRow)} /> : <p className="text-sm text-slate-600">Ask an owner of the clinic for an export.</p>}
        </SettingsSection>

        <SettingsSection
          id="retention"
          title="Retention of raw files"
          description="Uploaded files (notes, scans, faxes, audio) and unfinished recordings older than this are deleted every night. Results, extracted text, transcripts, letters and their PDFs stay until someone deletes them or the clinic is deleted."
        >
          {owner ? (
            <RetentionForm retentionDays={retentionDays} choices={RETENTION_CHOICES} />
          ) : (
            <dl className="text-sm">
              <dt className="font-medium text-slate-800">Raw files are kept</dt>
              <dd className="mt-1 text-slate-700">{retentionDays === null ? 'Until someone deletes them' : `For ${retentionDays} days`}</dd>
            </dl>
          )}
        </SettingsSection>

        <SettingsSection
          id="delete"
          title="Delete the clinic"
          description={`Deletes the clinic after a ${DELETION_GRACE_DAYS}-day grace period: every record, every stored file and its audit log, and cancels its subscription. Members keep their own Maneiro accounts. One anonymous record that a clinic was deleted, with counts and dates, is kept.`}
        >
          {deletion ? (
            <div className="space-y-4">
              <p className="rounded-md border border-danger-200 bg-danger-50 px-3 py-2 text-sm text-danger-700">
                This clinic will be deleted on <strong>{longDate(deletion.scheduledAt)}</strong> (UTC)
                {deletion.requestedBy ? `, as asked by ${deletion.requestedBy}` : ''}. Export its data before then if you need it.
              </p>
              {owner && <RestoreClinicButton />}
            </div>
          ) : owner ? (
            <DeleteClinicForm clinicName={clinic.name} graceDays={DELETION_GRACE_DAYS} />
          ) : (
            <p className="text-sm text-slate-600">Ask an owner of the clinic if it should be deleted.</p>
          )}
          <p className="mt-4 text-sm text-slate-600">
            To delete only your own account, go to{' '}
            <Link href="/settings/profile#delete-account" className="font-medium text-brand-700 underline underline-offset-2">
              Profile
            </Link>
            .
          </p>
        </SettingsSection>
      </div>
    </>
  );
}
