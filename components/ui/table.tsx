import { cn } from '@/lib/utils';

export interface TableProps extends React.ComponentProps<'table'> {
  /**
   * Names the scroll container. When given, the container becomes a focusable
   * region so keyboard users can scroll a wide table sideways on small screens.
   */
  label?: string;
}

/** A table that scrolls sideways on narrow screens instead of breaking the layout. */
export function Table({ className, label, ...props }: TableProps) {
  return (
    <div
      // relative: screen-reader-only text in cells (absolutely positioned) scrolls with the table instead of widening the page.
      className="relative w-full overflow-x-auto rounded-lg border border-slate-200 bg-white"
      {...(label ? { role: 'region', 'aria-label': label, tabIndex: 0 } : {})}
    >
      <table className={cn('w-full border-collapse text-left text-sm', className)} {...props} />
    </div>
  );
}

export function TableCaption({ className, ...props }: React.ComponentProps<'caption'>) {
  return <caption className={cn('caption-bottom border-t border-slate-100 px-4 py-3 text-left text-sm text-slate-600', className)} {...props} />;
}

export function THead({ className, ...props }: React.ComponentProps<'thead'>) {
  return <thead className={cn('bg-slate-50 text-slate-700', className)} {...props} />;
}

export function TBody({ className, ...props }: React.ComponentProps<'tbody'>) {
  return <tbody className={cn('divide-y divide-slate-100', className)} {...props} />;
}

export function TR({ className, ...props }: React.ComponentProps<'tr'>) {
  return <tr className={cn('align-top', className)} {...props} />;
}

/** A header cell; scope defaults to "col". Use scope="row" for the first cell of a body row. */
export function TH({ className, scope = 'col', ...props }: React.ComponentProps<'th'>) {
  return <th scope={scope} className={cn('px-3 py-2.5 font-semibold whitespace-nowrap sm:px-4', className)} {...props} />;
}

export function TD({ className, ...props }: React.ComponentProps<'td'>) {
  return <td className={cn('px-3 py-2.5 text-slate-800 sm:px-4', className)} {...props} />;
}
