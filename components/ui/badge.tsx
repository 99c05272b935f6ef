import { cn } from '@/lib/utils';

const variants = {
  neutral: 'bg-slate-100 text-slate-700 ring-slate-200',
  info: 'bg-info-50 text-info-700 ring-info-200',
  success: 'bg-success-50 text-success-700 ring-success-200',
  warning: 'bg-warning-50 text-warning-700 ring-warning-200',
  danger: 'bg-danger-50 text-danger-700 ring-danger-200',
} as const;

export type BadgeVariant = keyof typeof variants;

export interface BadgeProps extends React.ComponentProps<'span'> {
  variant?: BadgeVariant;
}

/** A short status label. Colour is never the only signal: the text says the status. */
export function Badge({ variant = 'neutral', className, ...props }: BadgeProps) {
  return (
    <span
      className={cn('inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset', variants[variant], className)}
      {...props}
    />
  );
}
