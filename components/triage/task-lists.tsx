'use client';

import { useRef, useState } from 'react';
import { Copy } from 'lucide-react';
import { formatJobTime } from '@/components/jobs/format';
import { Button } from '@/components/ui/button';
import { useToast } from '@/components/ui/toast';
import { FormError } from '@/components/form-error';
import { setTriageTaskAction } from '@/app/(app)/triage/actions';
import { applyTick, doneByName, taskListText, type TaskState } from './format';

const LISTS = [
  { list: 'front_desk', title: 'Front-desk tasks', empty: 'Nothing for the front desk to do.' },
  { list: 'doctor', title: 'Doctor tasks', empty: 'Nothing for a doctor to do.' },
] as const;

export interface TriageTaskListsProps {
  jobId: string;
  tasks: TaskState[];
  /** The signed-in member's name, shown on a tick before the server confirms it. */
  viewerName: string;
}

/**
 * The two task lists as checkboxes. A tick shows at once and is saved through a
 * server action; if saving fails, the box goes back and the error is shown.
 */
export function TriageTaskLists({ jobId, tasks: initial, viewerName }: TriageTaskListsProps) {
  const { toast } = useToast();
  const [tasks, setTasks] = useState(initial);
  const [saving, setSaving] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  // The latest tick per task: an older answer must not undo a newer tick.
  const latest = useRef(new Map<string, number>());

  async function tick(task: TaskState, done: boolean) {
    setError(null);
    const before = tasks.find((t) => t.key === task.key) ?? task;
    const attempt = (latest.current.get(task.key) ?? 0) + 1;
    latest.current.set(task.key, attempt);
    setTasks((current) => applyTick(current, task.key, done, viewerName, new Date()));
    setSaving((current) => new Set(current).add(task.key));
    const result = await setTriageTaskAction(jobId, { key: task.key, done });
    if (latest.current.get(task.key) !== attempt) return;
    setSaving((current) => {
      const next = new Set(current);
      next.delete(task.key);
      return next;
    });
    if (!result.ok) {
      setTasks((current) => current.map((t) => (t.key === task.key ? before : t)));
      setError(`“${task.text}” was not saved: ${result.error}`);
    }
  }

  async function copy(title: string, list: readonly TaskState[]) {
    try {
      await navigator.clipboard.writeText(taskListText(title, list));
      toast({ title: `${title} copied`, description: 'Paste them into your notes or a message as plain text.', variant: 'success' });
    } catch {
      toast({ title: 'The list could not be copied', description: 'Your browser did not allow access to the clipboard. Select the tasks and copy them instead.', variant: 'error' });
    }
  }

  return (
    <div className="space-y-4">
      <FormError message={error} />
      <div className="grid gap-6 lg:grid-cols-2">
        {LISTS.map(({ list, title, empty }) => {
          const items = tasks.filter((t) => t.list === list);
          const open = items.filter((t) => !t.done).length;
          const headingId = `tasks-${list}-heading`;
          return (
            <section key={list} aria-labelledby={headingId} className="min-w-0 rounded-lg border border-slate-200 bg-white p-4">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <h3 id={headingId} className="text-base font-semibold text-slate-950">
                  {title}
                </h3>
                {items.length > 0 && (
                  <Button variant="outline" size="sm" onClick={() => void copy(title, items)}>
                    <Copy className="size-4" aria-hidden="true" />
                    Copy list<span className="sr-only"> of {title.toLowerCase()}</span>
                  </Button>
                )}
              </div>
              <p className="mt-1 text-sm text-slate-600">{items.length === 0 ? empty : open === 0 ? 'All done.' : `${open} of ${items.length} open.`}</p>
              {items.length > 0 && (
                <ul className="mt-3 space-y-2" aria-label={title}>
                  {items.map((task) => {
                    const by = doneByName(task.doneBy);
                    const inputId = `task-${task.key.replace(':', '-')}`;
                    return (
                      <li key={task.key} className="flex items-start gap-3 rounded-md p-1.5 hover:bg-slate-50">
                        <input
                          id={inputId}
                          type="checkbox"
                          checked={task.done}
                          aria-busy={saving.has(task.key)}
                          aria-describedby={task.done ? `${inputId}-done` : undefined}
                          onChange={(event) => void tick(task, event.target.checked)}
                          className="mt-0.5 size-5 shrink-0 rounded border-slate-300 accent-brand-600"
                        />
                        <div className="min-w-0 text-sm">
                          <label htmlFor={inputId} className={task.done ? 'text-slate-500 line-through' : 'text-slate-900'}>
                            {task.text}
                          </label>
                          {task.done && (
                            <p id={`${inputId}-done`} className="text-xs text-slate-600">
                              Done{by ? ` by ${by}` : ''}
                              {task.doneAt && (
                                <>
                                  {' '}
                                  on <time dateTime={new Date(task.doneAt).toISOString()}>{formatJobTime(task.doneAt)}</time>
                                </>
                              )}
                              {saving.has(task.key) && ' (saving…)'}
                            </p>
                          )}
                        </div>
                      </li>
                    );
                  })}
                </ul>
              )}
            </section>
          );
        })}
      </div>
    </div>
  );
}
