import { Check, Circle, CircleDot, X } from 'lucide-react';
import type { JobStatus, JobType } from '@/lib/jobs/types';
import { cn } from '@/lib/utils';
import { timeline, type StepState } from './stages';

const STATE_TEXT: Record<StepState, string> = {
  done: 'done',
  current: 'in progress',
  failed: 'stopped here',
  pending: 'not started',
};

/** The stages of a job as an ordered list, each saying (in text, not only colour) whether it is done. */
export function JobTimeline({
  type,
  status,
  stage,
  visited,
  expectOptional,
}: {
  type: JobType;
  status: JobStatus;
  stage: string;
  visited: readonly string[];
  expectOptional: boolean;
}) {
  const steps = timeline(type, { status, stage }, visited, expectOptional);
  return (
    <ol className="grid gap-2 sm:grid-cols-2 lg:grid-cols-4" aria-label="Stages">
      {steps.map((step) => {
        const Icon = step.state === 'done' ? Check : step.state === 'current' ? CircleDot : step.state === 'failed' ? X : Circle;
        return (
          <li
            key={step.stage}
            aria-current={step.state === 'current' ? 'step' : undefined}
            className={cn(
              'flex items-center gap-2 rounded-md px-2.5 py-1.5 text-sm',
              step.state === 'done' && 'text-slate-800',
              step.state === 'current' && 'bg-brand-50 font-semibold text-brand-800 ring-1 ring-brand-200',
              step.state === 'failed' && 'bg-danger-50 font-semibold text-danger-700 ring-1 ring-danger-200',
              step.state === 'pending' && 'text-slate-500',
            )}
          >
            <Icon
              className={cn('size-4 shrink-0', step.state === 'done' && 'text-success-700', step.state === 'current' && 'motion-safe:animate-pulse')}
              aria-hidden="true"
            />
            <span>
              {step.label}
              <span className="sr-only">: {STATE_TEXT[step.state]}</span>
            </span>
          </li>
        );
      })}
    </ol>
  );
}
