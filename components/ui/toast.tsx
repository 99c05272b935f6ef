'use client';

import { createContext, useCallback, useContext, useMemo, useRef, useState } from 'react';
import { Toast as ToastPrimitive } from 'radix-ui';
import { AlertTriangle, CheckCircle2, Info, X, XCircle, type LucideIcon } from 'lucide-react';
import { cn } from '@/lib/utils';

export type ToastVariant = 'info' | 'success' | 'warning' | 'error';

export interface ToastOptions {
  title: string;
  description?: string;
  /** Defaults to "info". Errors are announced assertively; the others politely. */
  variant?: ToastVariant;
  /** Milliseconds before it closes by itself. Defaults to 6000 (10000 for errors). */
  duration?: number;
}

interface ToastItem extends ToastOptions {
  id: number;
}

interface ToastApi {
  toast: (options: ToastOptions) => void;
  /** Closes every open toast. */
  dismissAll: () => void;
}

const ToastContext = createContext<ToastApi | null>(null);

const styles: Record<ToastVariant, { icon: LucideIcon; accent: string; iconColor: string }> = {
  info: { icon: Info, accent: 'border-l-info-600', iconColor: 'text-info-700' },
  success: { icon: CheckCircle2, accent: 'border-l-success-600', iconColor: 'text-success-700' },
  warning: { icon: AlertTriangle, accent: 'border-l-warning-600', iconColor: 'text-warning-700' },
  error: { icon: XCircle, accent: 'border-l-danger-600', iconColor: 'text-danger-700' },
};

/** The most toasts shown at once; older ones are dropped first. */
const MAX_TOASTS = 4;

/**
 * Provides `useToast()` to the tree and renders the toasts in a labelled region
 * (F8 moves focus there). Toasts pause while hovered or focused, can be swiped
 * or closed with the × button, and close by themselves after their duration.
 */
export function ToastProvider({ children }: { children: React.ReactNode }) {
  const [items, setItems] = useState<ToastItem[]>([]);
  const nextId = useRef(0);

  const toast = useCallback((options: ToastOptions) => {
    nextId.current += 1;
    const item: ToastItem = { ...options, id: nextId.current };
    setItems((current) => [...current.slice(-(MAX_TOASTS - 1)), item]);
  }, []);
  const dismissAll = useCallback(() => setItems([]), []);
  const api = useMemo<ToastApi>(() => ({ toast, dismissAll }), [toast, dismissAll]);

  const remove = (id: number) => setItems((current) => current.filter((t) => t.id !== id));

  return (
    <ToastContext.Provider value={api}>
      <ToastPrimitive.Provider swipeDirection="right" label="Notification">
        {children}
        {items.map((item) => {
          const variant = item.variant ?? 'info';
          const { icon: Icon, accent, iconColor } = styles[variant];
          return (
            <ToastPrimitive.Root
              key={item.id}
              type={variant === 'error' ? 'foreground' : 'background'}
              duration={item.duration ?? (variant === 'error' ? 10000 : 6000)}
              onOpenChange={(open) => {
                if (!open) remove(item.id);
              }}
              className={cn(
                'relative flex gap-3 rounded-lg border border-l-4 border-slate-200 bg-white p-4 pr-10 shadow-lg',
                'data-[swipe=move]:translate-x-(--radix-toast-swipe-move-x) data-[swipe=end]:translate-x-(--radix-toast-swipe-end-x)',
                accent,
              )}
            >
              <Icon className={cn('mt-0.5 size-5 shrink-0', iconColor)} aria-hidden="true" />
              <div className="min-w-0">
                <ToastPrimitive.Title className="text-sm font-semibold text-slate-900">{item.title}</ToastPrimitive.Title>
                {item.description && (
                  <ToastPrimitive.Description className="mt-1 text-sm text-slate-600">{item.description}</ToastPrimitive.Description>
                )}
              </div>
              <ToastPrimitive.Close
                aria-label="Dismiss notification"
                className="absolute top-3 right-3 rounded-md p-1 text-slate-500 hover:bg-slate-100 hover:text-slate-900"
              >
                <X className="size-4" aria-hidden="true" />
              </ToastPrimitive.Close>
            </ToastPrimitive.Root>
          );
        })}
        <ToastPrimitive.Viewport
          label="Notifications ({hotkey})"
          className="fixed right-0 bottom-0 z-50 flex max-h-dvh w-full max-w-sm flex-col gap-2 p-4 outline-none"
        />
      </ToastPrimitive.Provider>
    </ToastContext.Provider>
  );
}

/**
 * `const { toast } = useToast(); toast({ title: 'Letter saved', variant: 'success' });`
 * Must be called inside <ToastProvider>, which the root layout provides.
 */
export function useToast(): ToastApi {
  const api = useContext(ToastContext);
  if (!api) throw new Error('useToast must be used inside <ToastProvider>.');
  return api;
}
