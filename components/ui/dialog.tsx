'use client';

import { Dialog as DialogPrimitive } from 'radix-ui';
import { X } from 'lucide-react';
import { cn } from '@/lib/utils';

/** Root: controls open state (`open`/`onOpenChange`, or uncontrolled with `defaultOpen`). */
export const Dialog = DialogPrimitive.Root;
/** Wrap a Button with `asChild` to open the dialog. */
export const DialogTrigger = DialogPrimitive.Trigger;
/** Wrap a Button with `asChild` to close the dialog (for a Cancel button). */
export const DialogClose = DialogPrimitive.Close;

export interface DialogContentProps extends Omit<React.ComponentProps<typeof DialogPrimitive.Content>, 'title'> {
  /** Required: announced as the dialog's name. */
  title: React.ReactNode;
  /** Announced after the title when the dialog opens. */
  description?: React.ReactNode;
  /** Accessible name of the close (×) button. */
  closeLabel?: string;
}

/**
 * A modal panel with an overlay. Focus moves inside and is trapped there, Escape or
 * the close button dismisses it, and focus returns to the trigger afterwards.
 */
export function DialogContent({ title, description, closeLabel = 'Close dialog', className, children, ...props }: DialogContentProps) {
  return (
    <DialogPrimitive.Portal>
      <DialogPrimitive.Overlay className="fixed inset-0 z-40 bg-slate-950/50" />
      <DialogPrimitive.Content
        // Without a description Radix expects aria-describedby to be explicitly unset.
        {...(description ? {} : { 'aria-describedby': undefined })}
        {...props}
        className={cn(
          'fixed top-1/2 left-1/2 z-50 max-h-[90dvh] w-[calc(100%-2rem)] max-w-lg -translate-x-1/2 -translate-y-1/2',
          'overflow-y-auto rounded-lg bg-white p-6 shadow-xl focus:outline-none',
          className,
        )}
      >
        <DialogPrimitive.Title className="pr-10 text-lg font-semibold text-slate-950">{title}</DialogPrimitive.Title>
        {description && <DialogPrimitive.Description className="mt-1 text-sm text-slate-600">{description}</DialogPrimitive.Description>}
        <div className="mt-4">{children}</div>
        <DialogPrimitive.Close
          className="absolute top-4 right-4 rounded-md p-1.5 text-slate-500 hover:bg-slate-100 hover:text-slate-900"
          aria-label={closeLabel}
        >
          <X className="size-5" aria-hidden="true" />
        </DialogPrimitive.Close>
      </DialogPrimitive.Content>
    </DialogPrimitive.Portal>
  );
}

/** Action row at the bottom of a dialog; stacks on phones, right-aligned otherwise. */
export function DialogFooter({ className, ...props }: React.ComponentProps<'div'>) {
  return <div className={cn('mt-6 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end', className)} {...props} />;
}
