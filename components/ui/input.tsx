import { cn } from '@/lib/utils';

/** Shared look of text inputs, textareas and selects. */
export const controlClasses = cn(
  'block w-full rounded-md border border-slate-300 bg-white px-3 text-sm text-slate-900 shadow-xs',
  'placeholder:text-slate-500 focus-visible:border-brand-600',
  'disabled:cursor-not-allowed disabled:bg-slate-100 disabled:text-slate-500',
  'aria-invalid:border-danger-600 aria-invalid:ring-1 aria-invalid:ring-danger-600',
);

export type InputProps = React.ComponentProps<'input'>;

export function Input({ className, type = 'text', ...props }: InputProps) {
  return <input type={type} className={cn(controlClasses, 'h-10 file:mr-3 file:border-0 file:bg-transparent file:text-sm file:font-medium', className)} {...props} />;
}
