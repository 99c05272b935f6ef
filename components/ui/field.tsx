import { cloneElement, isValidElement, useId } from 'react';
import { cn } from '@/lib/utils';
import { Label } from './label';

/** The props Field sets on its control. Input, Textarea and Select accept all of them. */
interface ControlProps {
  id?: string;
  'aria-describedby'?: string;
  'aria-invalid'?: React.AriaAttributes['aria-invalid'];
  required?: boolean;
}

export interface FieldProps {
  label: React.ReactNode;
  /** Exactly one control (an Input, Textarea or Select). It receives id, aria-describedby and aria-invalid. */
  children: React.ReactElement<ControlProps>;
  /** Help text shown under the control and read with it. */
  description?: React.ReactNode;
  /** An error message; when set the control is marked invalid and the message is announced. */
  error?: React.ReactNode;
  required?: boolean;
  className?: string;
}

/**
 * A label, one control, help text and an error message, wired together for assistive
 * technology. Works in server and client components.
 *
 *   <Field label="Clinic name" error={errors.name} required>
 *     <Input name="name" />
 *   </Field>
 */
export function Field({ label, children, description, error, required, className }: FieldProps) {
  const generatedId = useId();
  const own: ControlProps = isValidElement(children) ? children.props : {};
  const id = own.id ?? generatedId;
  const descriptionId = description ? `${id}-description` : undefined;
  const errorId = `${id}-error`;
  const hasError = error !== undefined && error !== null && error !== false && error !== '';
  const describedBy = [own['aria-describedby'], descriptionId, hasError ? errorId : undefined].filter(Boolean).join(' ');

  const control = isValidElement(children)
    ? cloneElement(children, {
        id,
        'aria-describedby': describedBy || undefined,
        'aria-invalid': hasError ? true : own['aria-invalid'],
        required: required ?? own.required,
      })
    : children;

  return (
    <div className={cn('space-y-1.5', className)}>
      <Label htmlFor={id}>
        {label}
        {required && (
          <span className="text-danger-700" aria-hidden="true">
            {' '}
            *
          </span>
        )}
      </Label>
      {control}
      {description && (
        <p id={descriptionId} className="text-sm text-slate-600">
          {description}
        </p>
      )}
      {/* Always rendered so screen readers already know the live region when an error appears. */}
      <p id={errorId} className="text-sm font-medium text-danger-700" aria-live="polite" aria-atomic="true">
        {hasError ? error : null}
      </p>
    </div>
  );
}
