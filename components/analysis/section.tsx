import { cn } from '@/lib/utils';

/** A titled part of the review screen, named by its heading for landmarks navigation. */
export function ReviewSection({
  id,
  title,
  description,
  children,
  className,
  headingLevel: Heading = 'h2',
}: {
  id: string;
  title: string;
  description?: React.ReactNode;
  children: React.ReactNode;
  className?: string;
  headingLevel?: 'h2' | 'h3';
}) {
  return (
    <section aria-labelledby={`${id}-heading`} className={cn('min-w-0', className)}>
      <Heading id={`${id}-heading`} className="text-lg font-semibold text-slate-950">
        {title}
      </Heading>
      {description && <p className="mt-1 text-sm text-slate-600">{description}</p>}
      <div className="mt-3">{children}</div>
    </section>
  );
}

/** What a part of the result shows when the note had nothing for it. */
export function NothingRecorded({ children }: { children: React.ReactNode }) {
  return <p className="rounded-lg border border-dashed border-slate-300 bg-white px-4 py-4 text-sm text-slate-600">{children}</p>;
}

/** Label/value pairs; values that are missing read "Not recorded". */
export function Facts({ items, className }: { items: { label: string; value: React.ReactNode | null | undefined }[]; className?: string }) {
  return (
    <dl className={cn('grid gap-x-6 gap-y-3 text-sm sm:grid-cols-2', className)}>
      {items.map(({ label, value }, index) => (
        <div key={`${index}-${label}`} className="min-w-0">
          <dt className="text-slate-600">{label}</dt>
          <dd className="mt-0.5 font-medium break-words text-slate-900">
            {value === null || value === undefined || value === '' ? <span className="font-normal text-slate-500">Not recorded</span> : value}
          </dd>
        </div>
      ))}
    </dl>
  );
}
