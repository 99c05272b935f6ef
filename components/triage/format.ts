// Pure helpers of the triage pages and the staff inbox. Client-safe (no server
// imports) so the task lists, the inbox and the dashboard summary share them.
import type { BadgeVariant } from '@/components/ui/badge';
import {
  DOCUMENT_TYPE_LABELS,
  TRIAGE_URGENCIES,
  URGENCY_LABELS,
  URGENCY_WINDOWS,
  type TriageDocumentType,
  type TriageUrgency,
} from '@/lib/triage/schema';

/** Red for urgent, amber for soon, grey for routine; the badge text always says which. */
export const URGENCY_BADGES: Record<TriageUrgency, BadgeVariant> = { urgent: 'danger', soon: 'warning', routine: 'neutral' };

/** "Urgent (within 24–48 hours)". */
export function urgencyWithWindow(urgency: TriageUrgency): string {
  return `${URGENCY_LABELS[urgency]} (${URGENCY_WINDOWS[urgency]})`;
}

/** The label of a stored document type; an unknown value (an older result) reads "Other". */
export function documentTypeLabel(type: string | null | undefined): string {
  if (!type) return 'Not triaged yet';
  return (DOCUMENT_TYPE_LABELS as Record<string, string>)[type] ?? DOCUMENT_TYPE_LABELS.other;
}

export function isTriageUrgency(value: unknown): value is TriageUrgency {
  return typeof value === 'string' && (TRIAGE_URGENCIES as readonly string[]).includes(value);
}

export function isTriageDocumentType(value: unknown): value is TriageDocumentType {
  return typeof value === 'string' && value in DOCUMENT_TYPE_LABELS;
}

/**
 * How long ago, short: "just now", "5 min ago", "2 h ago", "3 days ago", then the
 * date ("4 Nov 2026"). `now` is passed in so a page and its tests agree on it.
 */
export function formatAge(date: Date | string, now: Date = new Date()): string {
  const then = typeof date === 'string' ? new Date(date) : date;
  const minutes = Math.floor((now.getTime() - then.getTime()) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.floor(hours / 24);
  if (days < 30) return `${days} ${days === 1 ? 'day' : 'days'} ago`;
  return then.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

/** "2 of 5 tasks open", "All 4 tasks done", "No tasks". */
export function formatTaskCount(open: number, total: number): string {
  if (total === 0) return 'No tasks';
  if (open === 0) return total === 1 ? 'The task is done' : `All ${total} tasks done`;
  return `${open} of ${total} ${total === 1 ? 'task' : 'tasks'} open`;
}

export interface CopyableTask {
  text: string;
  done: boolean;
}

/**
 * A task list as plain text for the clipboard: a heading line, then one line per
 * task with a box that says whether it is done ("[x]" or "[ ]").
 */
export function taskListText(heading: string, tasks: readonly CopyableTask[]): string {
  const lines = tasks.map((task) => `${task.done ? '[x]' : '[ ]'} ${task.text.replace(/\s+/g, ' ').trim()}`);
  return [heading, ...(lines.length > 0 ? lines : ['(no tasks)'])].join('\n');
}

export interface UrgencyCounts {
  urgent: number;
  soon: number;
  routine: number;
  pending: number;
}

/** One sentence for screen readers and the summary: "2 urgent, 1 soon and 4 routine documents with open tasks; 1 being triaged." */
export function describeCounts(counts: UrgencyCounts): string {
  const parts = TRIAGE_URGENCIES.map((u) => `${counts[u]} ${u}`);
  const listed = `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
  const open = counts.urgent + counts.soon + counts.routine;
  const documents = open === 1 ? 'document' : 'documents';
  const pending = counts.pending > 0 ? `; ${counts.pending} being triaged` : '';
  return `${listed} ${documents} with open tasks${pending}.`;
}

/** One tick of a task list, as the page holds it (a server Date arrives as a Date or an ISO string). */
export interface TaskState {
  key: string;
  list: 'front_desk' | 'doctor';
  text: string;
  done: boolean;
  doneAt: Date | string | null;
  doneBy: { id: string; name: string } | string | null;
}

/** Who ticked a task, whatever shape the backend gives (a name or a member object). */
export function doneByName(doneBy: TaskState['doneBy']): string | null {
  if (!doneBy) return null;
  return typeof doneBy === 'string' ? doneBy : doneBy.name;
}

/** The tasks with one tick applied (optimistic update before the server answers). */
export function applyTick<T extends TaskState>(tasks: readonly T[], key: string, done: boolean, by: string, at: Date): T[] {
  return tasks.map((task) => (task.key === key ? { ...task, done, doneAt: done ? at : null, doneBy: done ? by : null } : task));
}

export type InboxFilter = 'open' | 'all';

export interface InboxParams {
  status: InboxFilter;
  page: number;
}

type SearchParams = Record<string, string | string[] | undefined>;
const firstParam = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value)?.trim() || undefined;

/** The inbox's filter and page from the URL (no PHI travels there); anything malformed falls back to the open documents, page 1. */
export function parseInboxParams(params: SearchParams): InboxParams {
  const page = Number.parseInt(firstParam(params.page) ?? '1', 10);
  return {
    status: firstParam(params.status) === 'all' ? 'all' : 'open',
    page: Number.isFinite(page) && page >= 1 && page <= 100_000 ? page : 1,
  };
}

/** "/triage", "/triage?status=all&page=2": the defaults are left out. */
export function inboxHref(params: Partial<InboxParams>): string {
  const query = new URLSearchParams();
  if (params.status === 'all') query.set('status', 'all');
  if (params.page && params.page > 1) query.set('page', String(params.page));
  const text = query.toString();
  return text ? `/triage?${text}` : '/triage';
}
