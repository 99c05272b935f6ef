import { cn } from '@/lib/utils';

export type LabelProps = React.ComponentProps<'label'>;

export function Label({ className, ...props }: LabelProps) {
  return <label className={cn('block text-sm font-medium text-slate-800', className)} {...props} />;
}
