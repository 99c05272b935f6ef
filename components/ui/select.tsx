import { cn } from '@/lib/utils';
import { controlClasses } from './input';

export type SelectProps = React.ComponentProps<'select'>;

/**
 * A styled native <select>: keyboard, screen-reader and touch behaviour come from
 * the platform, which is the most accessible choice on every device.
 */
export function Select({ className, children, ...props }: SelectProps) {
  return (
    <select className={cn(controlClasses, 'h-10 pr-8', className)} {...props}>
      {children}
    </select>
  );
}
