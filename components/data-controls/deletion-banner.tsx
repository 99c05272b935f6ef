import Link from 'next/link';
import { Trash2 } from 'lucide-react';
import { buttonClasses } from '@/components/ui/button';

const longDate = (date: Date) => date.toLocaleDateString('en', { dateStyle: 'long', timeZone: 'UTC' });

/** Shown on every page of the app to every member while the clinic waits out its deletion grace period. */
export function DeletionBanner({ scheduledAt, isOwner }: { scheduledAt: Date; isOwner: boolean }) {
  return (
    <div
      role="region"
      aria-label="Clinic deletion"
      className="mb-6 flex flex-col gap-3 rounded-lg border border-danger-200 bg-danger-50 p-4 text-sm text-danger-700 sm:flex-row sm:items-center sm:justify-between"
    >
      <p className="flex gap-2">
        <Trash2 className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
        <span>
          <strong className="font-semibold">This clinic will be deleted on {longDate(scheduledAt)}</strong> (UTC), with all of its data. No new
          jobs can be started until then.{' '}
          {isOwner ? 'You can restore it, or export its data first.' : 'If this is a mistake, ask an owner of the clinic to restore it.'}
        </span>
      </p>
      {isOwner && (
        <Link href="/settings/data#delete" className={buttonClasses('outline', 'sm')}>
          Restore or export
        </Link>
      )}
    </div>
  );
}
