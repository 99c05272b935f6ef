import type { LucideIcon } from 'lucide-react';
import { cn } from '@/lib/utils';

export interface EmptyStateProps {
  icon: LucideIcon;
  title: string;
  description: React.ReactNode;
  /** A button or link that starts the first item, if there is one to start. */
  action?: React.ReactNode;
  /** Heading level of the title; defaults to h2 (right under a page's h1). */
  headingLevel?: 'h2' | 'h3';
  className?: string;
}

/** What a list shows before it has anything in it: what will appear here, and how to begin. */
export function EmptyState({ icon: Icon, title, description, action, headingLevel: Heading = 'h2', className }: EmptyStateProps) {
  return (
    <div
      className={cn(
        'flex flex-col items-center rounded-lg border border-dashed border-slate-300 bg-white px-6 py-12 text-center',
        className,
      )}
    >
      <span className="rounded-full bg-brand-50 p-3 text-brand-700">
        <Icon className="size-6" aria-hidden="true" />
      </span>
      <Heading className="mt-4 text-base font-semibold text-slate-900">{title}</Heading>
      <div className="mt-1 max-w-md text-sm text-slate-600">{description}</div>
      {action && <div className="mt-6">{action}</div>}
    </div>
  );
}
