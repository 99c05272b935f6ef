'use client';

import { useCallback, useRef, useState } from 'react';
import { Menu, X } from 'lucide-react';
import { cn } from '@/lib/utils';

/** State for a collapsible menu: Escape closes it and hands focus back to its button. */
export function useMenuDisclosure() {
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const close = useCallback(() => setOpen(false), []);
  const toggle = useCallback(() => setOpen((value) => !value), []);
  const onKeyDown = useCallback(
    (event: React.KeyboardEvent) => {
      if (event.key === 'Escape' && open) {
        setOpen(false);
        buttonRef.current?.focus();
      }
    },
    [open],
  );
  return { open, close, toggle, buttonRef, onKeyDown };
}

export interface MenuToggleProps {
  open: boolean;
  /** id of the element the button shows and hides. */
  controls: string;
  onToggle: () => void;
  buttonRef: React.RefObject<HTMLButtonElement | null>;
  className?: string;
}

/** The menu button of small screens, announced as "Open menu" / "Close menu". */
export function MenuToggle({ open, controls, onToggle, buttonRef, className }: MenuToggleProps) {
  return (
    <button
      ref={buttonRef}
      type="button"
      className={cn(
        '-mr-2 inline-flex size-11 items-center justify-center rounded-md text-slate-700 hover:bg-slate-100',
        className,
      )}
      aria-expanded={open}
      aria-controls={controls}
      onClick={onToggle}
    >
      {open ? <X className="size-6" aria-hidden="true" /> : <Menu className="size-6" aria-hidden="true" />}
      <span className="sr-only">{open ? 'Close menu' : 'Open menu'}</span>
    </button>
  );
}
