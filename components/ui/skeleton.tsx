import { cn } from '@/lib/utils';

/**
 * A placeholder block while content loads. Hidden from assistive technology: announce
 * loading elsewhere (for example aria-busy on the region being filled). The shimmer
 * stops for people who prefer reduced motion.
 */
export function Skeleton({ className, ...props }: Omit<React.ComponentProps<'div'>, 'children'>) {
  return (
    <div
      aria-hidden="true"
      className={cn(
        'animate-shimmer rounded-md bg-slate-200 bg-linear-to-r from-slate-200 via-slate-100 to-slate-200 bg-size-[200%_100%]',
        'motion-reduce:animate-none',
        className,
      )}
      {...props}
    />
  );
}
