'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useRef, useState, useTransition } from 'react';
import { AlertDialog } from 'radix-ui';
import { Copy, FileText, Trash2 } from 'lucide-react';
import { deleteLetterAction, duplicateLetterAction } from '@/app/(app)/reports/actions';
import { FormError } from '@/components/form-error';
import { formatJobTime } from '@/components/jobs/format';
import { Badge } from '@/components/ui/badge';
import { Button, buttonClasses } from '@/components/ui/button';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import type { LetterDisplayStatus, LetterListItem } from '@/lib/letters/letters';
import { RECIPIENT_LABELS, TEMPLATE_LABELS } from '@/lib/letters/options';
import { LETTER_STATUS_BADGES, letterActionLabel, mayDuplicate, patientLabel } from './list-filters';

export interface LetterListProps {
  letters: LetterListItem[];
  /** Names the table region and the list of cards. */
  caption: string;
  /** Called once a letter is deleted: the parent refreshes the list and announces it. */
  onDeleted: () => void;
  /** Where focus goes after a deletion, since the row that held the Delete button is gone. */
  focusAfterDelete: React.RefObject<HTMLElement | null>;
}

export function LetterStatusBadge({ status }: { status: LetterDisplayStatus }) {
  const { label, variant } = LETTER_STATUS_BADGES[status];
  return <Badge variant={variant}>{label}</Badge>;
}

function PatientCell({ letter }: { letter: LetterListItem }) {
  return (
    <>
      <Link href={`/reports/${letter.id}`} className="rounded font-medium break-words text-brand-700 underline-offset-2 hover:underline">
        {patientLabel(letter.patientName)}
      </Link>
      {letter.subject && <p className="mt-0.5 text-xs break-words text-slate-600">{letter.subject}</p>}
    </>
  );
}

function LastEdit({ letter }: { letter: LetterListItem }) {
  return <time dateTime={new Date(letter.updatedAt).toISOString()}>{formatJobTime(letter.updatedAt)}</time>;
}

const authorName = (letter: LetterListItem): string => letter.author ?? 'Former member';

/**
 * The clinic's letters: a table from the sm breakpoint up, a list of cards on
 * phones (both rendered; CSS shows one, and the hidden one is out of the
 * accessibility tree).
 */
export function LetterList({ letters, caption, onDeleted, focusAfterDelete }: LetterListProps) {
  return (
    <>
      <div className="hidden sm:block">
        <Table label={caption}>
          <THead>
            <TR>
              <TH>Patient</TH>
              <TH>Template</TH>
              <TH>Recipient</TH>
              <TH>Author</TH>
              <TH>Status</TH>
              <TH>Last edit</TH>
              <TH>Actions</TH>
            </TR>
          </THead>
          <TBody>
            {letters.map((letter) => (
              <TR key={letter.id}>
                <TH scope="row" className="max-w-64 min-w-40 font-normal whitespace-normal">
                  <PatientCell letter={letter} />
                </TH>
                <TD className="min-w-32">{TEMPLATE_LABELS[letter.template]}</TD>
                <TD className="max-w-56 min-w-32">
                  {RECIPIENT_LABELS[letter.recipientType]}
                  {letter.toLine && <p className="mt-0.5 text-xs break-words text-slate-600">{letter.toLine}</p>}
                </TD>
                <TD className="min-w-28">{letter.author ?? <span className="text-slate-500">Former member</span>}</TD>
                <TD>
                  <LetterStatusBadge status={letter.status} />
                </TD>
                <TD className="whitespace-nowrap">
                  <LastEdit letter={letter} />
                </TD>
                <TD>
                  <LetterActions letter={letter} onDeleted={onDeleted} focusAfterDelete={focusAfterDelete} />
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      </div>
      <ul className="space-y-3 sm:hidden" aria-label={caption}>
        {letters.map((letter) => (
          <li key={letter.id} className="rounded-lg border border-slate-200 bg-white p-4">
            <div className="flex items-start justify-between gap-3">
              <div className="min-w-0">
                <PatientCell letter={letter} />
              </div>
              <span className="shrink-0">
                <LetterStatusBadge status={letter.status} />
              </span>
            </div>
            <dl className="mt-3 grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 gap-y-1 text-xs">
              <dt className="text-slate-600">Template</dt>
              <dd className="text-slate-900">{TEMPLATE_LABELS[letter.template]}</dd>
              <dt className="text-slate-600">Recipient</dt>
              <dd className="break-words text-slate-900">
                {RECIPIENT_LABELS[letter.recipientType]}
                {letter.toLine && <> · {letter.toLine}</>}
              </dd>
              <dt className="text-slate-600">Author</dt>
              <dd className="text-slate-900">{authorName(letter)}</dd>
              <dt className="text-slate-600">Last edit</dt>
              <dd className="text-slate-900">
                <LastEdit letter={letter} />
              </dd>
            </dl>
            <div className="mt-3">
              <LetterActions letter={letter} onDeleted={onDeleted} focusAfterDelete={focusAfterDelete} />
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}

interface LetterActionsProps {
  letter: LetterListItem;
  onDeleted: () => void;
  focusAfterDelete: React.RefObject<HTMLElement | null>;
}

/** Open, Duplicate (letters with text only) and Delete for one letter; an action's error shows under the buttons. */
function LetterActions({ letter, onDeleted, focusAfterDelete }: LetterActionsProps) {
  const router = useRouter();
  const [duplicating, startDuplicate] = useTransition();
  const [deleting, setDeleting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  function duplicate() {
    setError(null);
    startDuplicate(async () => {
      const result = await duplicateLetterAction(letter.id);
      // Inside the transition, so the button stays busy until the copy's page has loaded.
      if (result.ok) router.push(`/reports/${result.data.letterId}`);
      else setError(result.error);
    });
  }

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap gap-2">
        <Link href={`/reports/${letter.id}`} className={buttonClasses('outline', 'sm')} aria-label={letterActionLabel('Open', letter.patientName)}>
          <FileText className="size-4" aria-hidden="true" />
          Open
        </Link>
        {mayDuplicate(letter.status) && (
          <Button
            type="button"
            variant="outline"
            size="sm"
            loading={duplicating}
            disabled={deleting}
            aria-label={letterActionLabel('Duplicate', letter.patientName)}
            onClick={duplicate}
          >
            {!duplicating && <Copy className="size-4" aria-hidden="true" />}
            Duplicate
          </Button>
        )}
        <DeleteLetter letter={letter} disabled={duplicating} onPendingChange={setDeleting} onDeleted={onDeleted} focusAfterDelete={focusAfterDelete} />
      </div>
      <div role="alert">{error && <p className="max-w-72 text-xs font-medium text-danger-700">{error}</p>}</div>
    </div>
  );
}

interface DeleteLetterProps {
  letter: LetterListItem;
  disabled: boolean;
  onPendingChange: (pending: boolean) => void;
  onDeleted: () => void;
  focusAfterDelete: React.RefObject<HTMLElement | null>;
}

/**
 * Delete behind a confirmation (an alert dialog: focus starts on Cancel and a
 * click outside does not dismiss it). The dialog stays open until the server
 * answers, so a refusal is shown where the person is looking.
 */
function DeleteLetter({ letter, disabled, onPendingChange, onDeleted, focusAfterDelete }: DeleteLetterProps) {
  const [open, setOpen] = useState(false);
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const deleted = useRef(false);

  function confirm() {
    setError(null);
    onPendingChange(true);
    startTransition(async () => {
      const result = await deleteLetterAction(letter.id);
      onPendingChange(false);
      if (result.ok) {
        deleted.current = true;
        setOpen(false);
        onDeleted();
      } else {
        setError(result.error);
      }
    });
  }

  return (
    <AlertDialog.Root
      open={open}
      onOpenChange={(next) => {
        if (pending) return;
        setOpen(next);
        setError(null);
      }}
    >
      <AlertDialog.Trigger asChild>
        <Button
          type="button"
          variant="outline"
          size="sm"
          disabled={disabled || pending}
          className="text-danger-700 hover:bg-danger-50"
          aria-label={letterActionLabel('Delete', letter.patientName)}
        >
          <Trash2 className="size-4" aria-hidden="true" />
          Delete
        </Button>
      </AlertDialog.Trigger>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="fixed inset-0 z-40 bg-slate-950/50" />
        <AlertDialog.Content
          className="fixed top-1/2 left-1/2 z-50 max-h-[90dvh] w-[calc(100%-2rem)] max-w-lg -translate-x-1/2 -translate-y-1/2 overflow-y-auto rounded-lg bg-white p-6 shadow-xl focus:outline-none"
          onCloseAutoFocus={(event) => {
            // The trigger leaves with its row; without this, focus would fall back to the page's start.
            if (deleted.current) {
              event.preventDefault();
              focusAfterDelete.current?.focus();
            }
          }}
        >
          <AlertDialog.Title className="text-lg font-semibold text-slate-950">Delete this letter?</AlertDialog.Title>
          <AlertDialog.Description className="mt-2 text-sm text-slate-600">
            The {TEMPLATE_LABELS[letter.template].toLowerCase()} letter for {patientLabel(letter.patientName)} leaves the list of letters and can no longer be
            opened, edited or exported. Its record, with every version and PDF, is kept for the audit log.
          </AlertDialog.Description>
          <div className="mt-4">
            <FormError message={error} />
          </div>
          <div className="mt-6 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
            <AlertDialog.Cancel asChild>
              <Button type="button" variant="outline" disabled={pending}>
                Cancel
              </Button>
            </AlertDialog.Cancel>
            {/* A plain button, not AlertDialog.Action: that one closes the dialog before the server has answered. */}
            <Button type="button" variant="danger" loading={pending} onClick={confirm}>
              {pending ? 'Deleting…' : 'Delete letter'}
            </Button>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
