import type { Metadata } from 'next';
import { Info } from 'lucide-react';
import { PageHeader } from '@/components/shell/page-header';
import { db } from '@/lib/db/client';
import { getClinicSettings } from '@/lib/orgs/update-clinic';
import { requirePageActor } from '@/lib/web/session';
import { SettingsSection } from '../profile/settings-section';
import { ClinicDetailsForm } from './clinic-details-form';
import { ClinicImageField } from './clinic-image-field';

export const metadata: Metadata = { title: 'Clinic' };

function ReadOnlyValue({ label, value, multiline = false }: { label: string; value: string | null; multiline?: boolean }) {
  return (
    <div>
      <dt className="font-medium text-slate-800">{label}</dt>
      <dd className={multiline ? 'mt-1 whitespace-pre-line text-slate-700' : 'mt-1 text-slate-700'}>
        {value ?? <span className="text-slate-500">Not set</span>}
      </dd>
    </div>
  );
}

export default async function ClinicSettingsPage() {
  const { actor } = await requirePageActor();
  const clinic = await getClinicSettings(db(), actor);
  return (
    <>
      <PageHeader
        title="Clinic"
        description={
          clinic.canEdit
            ? 'The letterhead details, logo and signature printed on the PDFs your clinic exports.'
            : 'The letterhead details printed on the PDFs your clinic exports.'
        }
      />
      <div className="max-w-2xl space-y-6">
        <SettingsSection
          id="details"
          title="Letterhead details"
          description="The clinic's name, address, phone and fax appear at the top of every exported letter and report."
        >
          {clinic.canEdit ? (
            <ClinicDetailsForm name={clinic.name} address={clinic.address ?? ''} phone={clinic.phone ?? ''} fax={clinic.fax ?? ''} pageSize={clinic.pageSize} />
          ) : (
            <>
              <p className="mb-4 flex gap-2 rounded-md border border-info-200 bg-info-50 px-3 py-2 text-sm text-info-700">
                <Info className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
                <span>Only the clinic&apos;s owners and admins can change these details. Ask one of them if something is out of date.</span>
              </p>
              <dl className="space-y-3 text-sm">
                <ReadOnlyValue label="Clinic name" value={clinic.name} />
                <ReadOnlyValue label="Address" value={clinic.address} multiline />
                <ReadOnlyValue label="Phone" value={clinic.phone} />
                <ReadOnlyValue label="Fax" value={clinic.fax} />
                <ReadOnlyValue label="Paper size for PDFs" value={clinic.pageSize === 'a4' ? 'A4' : 'US Letter'} />
              </dl>
            </>
          )}
        </SettingsSection>

        {clinic.canEdit && (
          <>
            <SettingsSection
              id="logo"
              title="Logo"
              description="Printed on the letterhead of exported PDFs, at the top of the first page. A wide image on a white or transparent background looks best."
            >
              <ClinicImageField kind="logo" version={clinic.images.logo} />
            </SettingsSection>
            <SettingsSection
              id="signature"
              title="Signature"
              description="Printed on the letterhead of exported PDFs, above the signing clinician's name at the end of a letter. Scan it on white paper, cropped close."
            >
              <ClinicImageField kind="signature" version={clinic.images.signature} />
            </SettingsSection>
          </>
        )}
      </div>
    </>
  );
}
