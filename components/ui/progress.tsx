import { cn } from '@/lib/utils';

/** The bar needs a name: either aria-label ("Analysis progress") or the id of a visible label. */
type ProgressName = { 'aria-label': string; 'aria-labelledby'?: undefined } | { 'aria-labelledby': string; 'aria-label'?: undefined };

export type ProgressProps = ProgressName & {
  /** Current value between 0 and max; omit (or pass null) for an indeterminate bar. */
  value?: number | null;
  max?: number;
  /** Spoken instead of the bare number, e.g. "Step 2 of 4: reading the document". */
  valueText?: string;
  className?: string;
};

/** A progress bar. Determinate when `value` is given, otherwise an animated indeterminate bar. */
export function Progress({ 'aria-label': label, 'aria-labelledby': labelledBy, value, max = 100, valueText, className }: ProgressProps) {
  const determinate = typeof value === 'number' && Number.isFinite(value);
  const clamped = determinate ? Math.max(0, Math.min(max, value)) : undefined;
  const percent = clamped === undefined ? 0 : (clamped / max) * 100;
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-labelledby={labelledBy}
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={clamped}
      aria-valuetext={valueText}
      aria-busy={determinate ? undefined : true}
      className={cn('h-2 w-full overflow-hidden rounded-full bg-slate-200', className)}
    >
      {determinate ? (
        <div
          className="h-full rounded-full bg-brand-600 transition-[width] duration-300 motion-reduce:transition-none"
          style={{ width: `${percent}%` }}
        />
      ) : (
        <div className="h-full w-2/5 animate-indeterminate rounded-full bg-brand-600 motion-reduce:w-full motion-reduce:animate-none motion-reduce:bg-brand-300" />
      )}
    </div>
  );
}
