import { cn } from '@/lib/utils';

/** The Maneiro mark and wordmark. Decorative mark; the word is the accessible text. */
export function Logo({ className }: { className?: string }) {
  return (
    <span className={cn('inline-flex items-center gap-2 font-semibold tracking-tight text-slate-950', className)}>
      <LogoMark className="size-7" />
      <span className="text-lg">Maneiro</span>
    </span>
  );
}

export function LogoMark({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 32 32" className={className} aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="7" fill="#0b8472" />
      <path d="M8 23V9h3.2l4.8 7.4L20.8 9H24v14h-3.1v-8.8l-4.2 6.4h-1.4l-4.2-6.4V23z" fill="#fff" />
    </svg>
  );
}
