'use client';

// A list page's filters and text search, shared by /jobs and /reports. Filters and the
// page number are GET parameters (bookmarkable, and they never hold PHI); the search
// term may be a patient's name, so it is posted to a server action and kept only in
// the component's state, never in a URL. The hook holds that state; the components
// render the search form, the result count and the pager the same way on every list.
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { ChevronLeft, ChevronRight, Search, X } from 'lucide-react';
import { FormError } from '@/components/form-error';
import { Button, buttonClasses } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import type { ActionResult } from '@/lib/web/action';

export interface PageOfResults {
  page: number;
  pageSize: number;
  total: number;
}

export interface PrivateSearch<F, P> {
  term: string;
  setTerm: (term: string) => void;
  /** The search shown, or null while the server-rendered page (the URL's filters) is. */
  active: { q: string; result: P } | null;
  error: string | null;
  pending: boolean;
  run: (q: string, page: number, filters: F) => void;
  /** Goes to the filters' URL (page 1) and, while a search is shown, searches again with them. */
  applyFilters: (filters: F) => void;
  /** Ends the search and goes to the filters' URL (page 1). */
  reset: (filters: F) => void;
  clear: () => void;
}

export function usePrivateSearch<F extends { page: number }, P>(options: {
  search: (q: string, page: number, filters: F) => Promise<ActionResult<P>>;
  href: (filters: F) => string;
}): PrivateSearch<F, P> {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [term, setTerm] = useState('');
  const [active, setActive] = useState<{ q: string; result: P } | null>(null);
  const [error, setError] = useState<string | null>(null);

  function clear() {
    setActive(null);
    setTerm('');
    setError(null);
  }

  function run(q: string, page: number, filters: F) {
    setError(null);
    startTransition(async () => {
      const result = await options.search(q, page, filters);
      if (result.ok) setActive({ q, result: result.data });
      else setError(result.error);
    });
  }

  return {
    term,
    setTerm,
    active,
    error,
    pending,
    run,
    applyFilters(filters) {
      router.push(options.href({ ...filters, page: 1 }));
      if (active) run(active.q, 1, filters);
    },
    reset(filters) {
      clear();
      router.push(options.href({ ...filters, page: 1 }));
    },
    clear,
  };
}

/** The search form: a labelled search box, Search (with progress) and, while a search is shown, Clear search. */
export function PrivateSearchForm<F extends { page: number }, P>({
  state,
  filters,
  ariaLabel,
  inputId,
  label,
  placeholder,
  onSubmit,
}: {
  state: PrivateSearch<F, P>;
  filters: F;
  ariaLabel: string;
  inputId: string;
  label: string;
  placeholder?: string;
  /** Called before each search (e.g. to clear an announcement). */
  onSubmit?: () => void;
}) {
  return (
    <>
      <form
        role="search"
        aria-label={ariaLabel}
        method="post"
        className="flex flex-col gap-2 sm:flex-row sm:items-end"
        onSubmit={(event) => {
          event.preventDefault();
          onSubmit?.();
          const q = state.term.trim();
          if (q === '') state.clear();
          else state.run(q, 1, filters);
        }}
      >
        <div className="min-w-0 flex-1 space-y-1.5">
          <Label htmlFor={inputId}>{label}</Label>
          <Input
            id={inputId}
            type="search"
            autoComplete="off"
            placeholder={placeholder}
            value={state.term}
            onChange={(e) => state.setTerm(e.target.value)}
            maxLength={200}
          />
        </div>
        <div className="flex gap-2">
          <Button type="submit" loading={state.pending}>
            {!state.pending && <Search className="size-4" aria-hidden="true" />}
            Search
          </Button>
          {state.active && (
            <Button type="button" variant="ghost" onClick={state.clear}>
              <X className="size-4" aria-hidden="true" />
              Clear search
            </Button>
          )}
        </div>
      </form>
      <FormError message={state.error} />
    </>
  );
}

/** "Showing 1–20 of 45 letters matching “…”." as a polite live region. */
export function ResultCount({ shown, noun, q }: { shown: PageOfResults; noun: { one: string; many: string }; q: string | null }) {
  const first = shown.total === 0 ? 0 : (shown.page - 1) * shown.pageSize + 1;
  const last = Math.min(shown.total, shown.page * shown.pageSize);
  return (
    <p role="status" aria-live="polite" className="text-sm text-slate-700">
      {shown.total === 0
        ? `No ${noun.many} match.`
        : `Showing ${first}–${last} of ${shown.total.toLocaleString('en-US')} ${shown.total === 1 ? noun.one : noun.many}${q ? ` matching “${q}”` : ''}.`}
    </p>
  );
}

export function pageCount(shown: PageOfResults): number {
  return Math.max(1, Math.ceil(shown.total / shown.pageSize));
}

/** Previous/Next: links to the URL's pages, or buttons that page through the search shown. */
export function ResultsPager<F extends { page: number }, P>({
  shown,
  state,
  filters,
  href,
  ariaLabel,
}: {
  shown: PageOfResults;
  state: PrivateSearch<F, P>;
  filters: F;
  href: (filters: F) => string;
  ariaLabel: string;
}) {
  const pages = pageCount(shown);
  if (pages <= 1) return null;
  const search = state.active;
  return (
    <nav aria-label={ariaLabel} className="flex items-center justify-between gap-3">
      <p className="text-sm text-slate-600">
        Page {shown.page} of {pages}
      </p>
      <div className="flex gap-2">
        {search ? (
          <>
            <Button variant="outline" size="sm" disabled={shown.page <= 1 || state.pending} onClick={() => state.run(search.q, shown.page - 1, filters)}>
              <PagerLabel label="Previous" />
            </Button>
            <Button variant="outline" size="sm" disabled={shown.page >= pages || state.pending} onClick={() => state.run(search.q, shown.page + 1, filters)}>
              <PagerLabel label="Next" />
            </Button>
          </>
        ) : (
          <>
            <PageLink href={shown.page <= 1 ? null : href({ ...filters, page: shown.page - 1 })} label="Previous" />
            <PageLink href={shown.page >= pages ? null : href({ ...filters, page: shown.page + 1 })} label="Next" />
          </>
        )}
      </div>
    </nav>
  );
}

function PagerLabel({ label }: { label: 'Previous' | 'Next' }) {
  return (
    <>
      {label === 'Previous' && <ChevronLeft className="size-4" aria-hidden="true" />}
      {label}
      {label === 'Next' && <ChevronRight className="size-4" aria-hidden="true" />}
    </>
  );
}

function PageLink({ href, label }: { href: string | null; label: 'Previous' | 'Next' }) {
  if (href === null) {
    return (
      <span className={buttonClasses('outline', 'sm')} aria-disabled="true">
        <PagerLabel label={label} />
      </span>
    );
  }
  return (
    <Link href={href} className={buttonClasses('outline', 'sm')}>
      <PagerLabel label={label} />
    </Link>
  );
}
