import type { Metadata } from 'next';
import { FileText } from 'lucide-react';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/shell/page-header';

export const metadata: Metadata = { title: 'Reports' };

export default function ReportsPage() {
  return (
    <>
      <PageHeader
        title="Reports"
        description="The analyses and letters your clinic has produced, ready to review, edit and export as PDFs."
      />
      <EmptyState
        icon={FileText}
        title="No reports yet"
        description="When a job finishes, its analysis is kept here, along with any referral, patient or insurance letter drafted from it. A clinician reviews each one before it is used, and can export it as a PDF on your clinic's letterhead."
      />
    </>
  );
}
