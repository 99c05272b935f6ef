'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import { FileText, SearchX } from 'lucide-react';
import { LetterList } from '@/components/letters/letter-list';
import {
  filtersFromForm,
  hasActiveLetterFilters,
  LETTER_STATUS_BADGES,
  LETTER_STATUSES,
  lettersHref,
  searchActionFilters,
  type UrlLetterFilters,
} from '@/components/letters/list-filters';
import { Button, buttonClasses } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { Label } from '@/components/ui/label';
import { PrivateSearchForm, ResultCount, ResultsPager, usePrivateSearch } from '@/components/ui/private-search';
import { Select } from '@/components/ui/select';
import type { LetterList as LetterListPage } from '@/lib/letters/letters';
import { LETTER_TEMPLATES, RECIPIENT_LABELS, RECIPIENT_TYPES, TEMPLATE_LABELS } from '@/lib/letters/options';
import { searchLettersAction } from './actions';

export interface ReportsBrowserProps {
  /** The page of letters for the URL's filters, rendered by the server. */
  initial: LetterListPage;
  filters: UrlLetterFilters;
  /** Whether the clinic has any letter the member may see (for the first-use empty state). */
  clinicHasLetters: boolean;
}

/**
 * The letters list with its filters and search. Template, recipient, status,
 * author and page are GET parameters (bookmarkable, no PHI). The text search
 * matches patient names, addressees and subjects, so its term is posted to a
 * server action and kept only in this component's state, never in the URL.
 */
export function ReportsBrowser({ initial, filters, clinicHasLetters }: ReportsBrowserProps) {
  const router = useRouter();
  const state = usePrivateSearch<UrlLetterFilters, LetterListPage>({
    href: lettersHref,
    search: (q, page, withFilters) => searchLettersAction({ q, filters: searchActionFilters(withFilters, page) }),
  });
  const [announcement, setAnnouncement] = useState('');
  const announcementRef = useRef<HTMLParagraphElement>(null);

  function applyFilters(next: UrlLetterFilters) {
    setAnnouncement('');
    state.applyFilters(next);
  }

  function letterDeleted() {
    setAnnouncement('Letter deleted.');
    // Deleting the only letter of a later page steps back a page rather than showing an empty one.
    const shownNow = state.active?.result ?? initial;
    const page = shownNow.letters.length <= 1 && shownNow.page > 1 ? shownNow.page - 1 : shownNow.page;
    if (state.active) {
      // A search result lives in this component, so it is asked again; the refresh below
      // still updates the server-rendered list and whether the clinic has letters at all.
      state.run(state.active.q, page, filters);
      router.refresh();
    } else if (page !== shownNow.page) {
      router.push(lettersHref({ ...filters, page }));
    } else {
      router.refresh();
    }
  }

  const shown = state.active?.result ?? initial;
  const filtered = hasActiveLetterFilters(filters) || state.active !== null;

  return (
    <div className="space-y-5">
      {/* Always mounted, above both branches, so "Letter deleted" is heard even when the last letter goes. */}
      <p
        ref={announcementRef}
        tabIndex={-1}
        role="status"
        aria-live="polite"
        className={
          announcement ? 'rounded-md border border-success-200 bg-success-50 px-3 py-2 text-sm font-medium text-success-700' : 'sr-only'
        }
      >
        {announcement}
      </p>

      {!clinicHasLetters ? (
        <EmptyState
          icon={FileText}
          title="No letters yet"
          description={
            <>
              Letters are written from a completed analysis. Open a completed analysis and choose Write a letter: every referral, patient and
              insurance letter your clinic drafts then appears here, ready to review, edit and export as a PDF.
            </>
          }
          action={
            <Link href="/jobs?type=analysis&status=succeeded" className={buttonClasses('primary')}>
              Find a completed analysis
            </Link>
          }
        />
      ) : (
        <>
          <form
            method="get"
            action="/reports"
            aria-label="Filter letters"
            className="grid grid-cols-2 gap-3 rounded-lg border border-slate-200 bg-white p-4 lg:grid-cols-[repeat(4,minmax(0,1fr))_auto]"
            onSubmit={(event) => {
              event.preventDefault();
              const form = new FormData(event.currentTarget);
              const values: Record<string, string> = {};
              for (const [key, value] of form.entries()) if (typeof value === 'string') values[key] = value;
              applyFilters(filtersFromForm(values));
            }}
          >
            <div className="col-span-2 space-y-1.5 lg:col-span-1">
              <Label htmlFor="filter-template">Template</Label>
              <Select id="filter-template" name="template" defaultValue={filters.template ?? ''} key={`template-${filters.template ?? ''}`}>
                <option value="">All templates</option>
                {LETTER_TEMPLATES.map((t) => (
                  <option key={t} value={t}>
                    {TEMPLATE_LABELS[t]}
                  </option>
                ))}
              </Select>
            </div>
            <div className="space-y-1.5">
              <Label htmlFor="filter-recipient">Recipient</Label>
              <Select id="filter-recipient" name="recipient" defaultValue={filters.recipient ?? ''} key={`recipient-${filters.recipient ?? ''}`}>
                <option value="">All recipients</option>
                {RECIPIENT_TYPES.map((r) => (
                  <option key={r} value={r}>
                    {RECIPIENT_LABELS[r]}
                  </option>
                ))}
              </Select>
            </div>
            <div className="space-y-1.5">
              <Label htmlFor="filter-status">Status</Label>
              <Select id="filter-status" name="status" defaultValue={filters.status ?? ''} key={`status-${filters.status ?? ''}`}>
                <option value="">Any status</option>
                {LETTER_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {LETTER_STATUS_BADGES[s].label}
                  </option>
                ))}
              </Select>
            </div>
            <div className="col-span-2 space-y-1.5 lg:col-span-1">
              <Label htmlFor="filter-author">Author</Label>
              <Select id="filter-author" name="author" defaultValue={filters.author ?? ''} key={`author-${filters.author ?? ''}`}>
                <option value="">Anyone</option>
                {initial.authors.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name}
                  </option>
                ))}
              </Select>
            </div>
            <div className="col-span-2 flex items-end gap-2 lg:col-span-1">
              <Button type="submit" variant="outline">
                Apply filters
              </Button>
              {hasActiveLetterFilters(filters) && (
                <Button type="button" variant="ghost" onClick={() => applyFilters({ page: 1 })}>
                  Clear
                </Button>
              )}
            </div>
          </form>

          <PrivateSearchForm
            state={state}
            filters={filters}
            ariaLabel="Search letters"
            inputId="letter-search"
            label="Search letters"
            placeholder="Patient, addressee or subject"
            onSubmit={() => setAnnouncement('')}
          />
          <ResultCount shown={shown} noun={{ one: 'letter', many: 'letters' }} q={state.active?.q ?? null} />

          {shown.letters.length === 0 ? (
            <EmptyState
              icon={SearchX}
              title={filtered ? 'No letters match' : 'No letters on this page'}
              description={
                filtered
                  ? 'No letter matches the search and filters. Try another patient, addressee or subject, or widen the filters.'
                  : 'This page is past the end of the list.'
              }
              action={
                filtered ? (
                  <Button
                    type="button"
                    variant="outline"
                    onClick={() => {
                      setAnnouncement('');
                      state.reset({ page: 1 });
                    }}
                  >
                    Clear filters
                  </Button>
                ) : (
                  <Link href="/reports" className={buttonClasses('outline')}>
                    Back to the first page
                  </Link>
                )
              }
            />
          ) : (
            <LetterList letters={shown.letters} caption="Letters" onDeleted={letterDeleted} focusAfterDelete={announcementRef} />
          )}

          <ResultsPager shown={shown} state={state} filters={filters} href={lettersHref} ariaLabel="Pages of letters" />
        </>
      )}
    </div>
  );
}
